from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "shequ.services"
    label = "services"
    verbose_name = _("公共服务")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "shequ.portal"
    label = "portal"
    verbose_name = _("居民服务门户")

    def ready(self) -> None:
        from shequ.portal.case_files import photos_of_case
        from shequ.services import case_files

        case_files.register(photos_of_case)

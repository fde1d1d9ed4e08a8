from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "shequ.people"
    label = "people"
    verbose_name = _("居民与家庭")

    def ready(self) -> None:
        from shequ.people.checks import check_field_keys

        checks.register(check_field_keys)

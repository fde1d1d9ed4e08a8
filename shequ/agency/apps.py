from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgencyConfig(AppConfig):
    name = "shequ.agency"
    label = "agency"
    verbose_name = _("全程代理与村级服务点")

    def ready(self) -> None:
        from shequ.agency.case_files import scans_of_case
        from shequ.services import case_files

        case_files.register(scans_of_case)

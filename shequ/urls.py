from django.contrib import admin
from django.urls import include, path

from shequ.api import api
from shequ.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("shequ.orgs.auth_urls")),
    path("api/v1/", api.urls),
    path("people/", include("shequ.people.urls")),
    path("services/", include("shequ.services.urls")),
    path("notify/", include("shequ.notify.urls")),
    path("open311/", include("shequ.open311.urls")),
    path("agency/", include("shequ.agency.urls")),
    path("jobs/", include("shequ.jobs.urls")),
    path("building/", include("shequ.building.urls")),
    path("mediation/", include("shequ.mediation.urls")),
    path("governance/", include("shequ.governance.urls")),
    path("insights/", include("shequ.insights.urls")),
    path("workbench/", include("shequ.workbench.urls")),
    path("", include("shequ.portal.urls")),
    path("", include("shequ.orgs.urls")),
]

# No stack trace ever: the Open311 error document under /open311/, JSON under /api/.
handler500 = "shequ.open311.views.server_error"

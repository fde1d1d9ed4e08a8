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
    path("", include("shequ.orgs.urls")),
]

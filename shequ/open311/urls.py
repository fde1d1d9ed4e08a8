from django.urls import path, re_path

from shequ.open311 import views

app_name = "open311"
urlpatterns = [
    re_path(r"^(?:v2/)?discovery\.(?P<fmt>\w+)$", views.discovery, name="discovery"),
    re_path(r"^v2/services\.(?P<fmt>\w+)$", views.services, name="services"),
    re_path(
        r"^v2/services/(?P<service_code>[\w\-]{1,20})\.(?P<fmt>\w+)$",
        views.service_definition,
        name="service_definition",
    ),
    re_path(r"^v2/requests\.(?P<fmt>\w+)$", views.requests, name="requests"),
    re_path(
        r"^v2/requests/(?P<service_request_id>[\w\-]{1,20})\.(?P<fmt>\w+)$",
        views.request_detail,
        name="request",
    ),
    path("<path:rest>", views.not_found),
]

from django.urls import path

from shequ.services import views

app_name = "services"
urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<str:code>/", views.item_guide, name="item"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("residents/<int:resident_id>/cases/", views.resident_cases, name="resident_cases"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path(
        "cases/<int:case_id>/extensions/<int:extension_id>/decide/",
        views.case_extension_decide,
        name="case_extension_decide",
    ),
    # before the catch-all step route, which would take "rate" for a step
    path("cases/<int:case_id>/rate/", views.case_rate, name="case_rate"),
    path("cases/<int:case_id>/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<int:case_id>/notice/<slug:kind>/", views.case_notice, name="case_notice"),
    path("halls/", views.hall_list, name="halls"),
    path("halls/<int:hall_id>/", views.hall_detail, name="hall"),
    path("halls/<int:hall_id>/windows/<int:window_id>/", views.hall_window, name="hall_window"),
    path("hall/<str:device_key>/kiosk/", views.kiosk, name="kiosk"),
    path("hall/<str:device_key>/screen/", views.hall_screen, name="screen"),
    path("hall/<str:device_key>/pad/<int:number>/", views.rating_pad, name="pad"),
    path("rate/<str:token>/", views.rate_by_link, name="rate_link"),
    path("status/<str:token>/", views.case_status, name="case_status"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:rect_id>/", views.rectification_detail, name="rectification"),
]

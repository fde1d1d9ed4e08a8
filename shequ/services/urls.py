from django.urls import path

from shequ.services import views

app_name = "services"
urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<str:code>/", views.item_guide, name="item"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path(
        "cases/<int:case_id>/extensions/<int:extension_id>/decide/",
        views.case_extension_decide,
        name="case_extension_decide",
    ),
    path("cases/<int:case_id>/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<int:case_id>/notice/<slug:kind>/", views.case_notice, name="case_notice"),
]

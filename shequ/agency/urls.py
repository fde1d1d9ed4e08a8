from django.urls import path

from shequ.agency import views

app_name = "agency"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("authorizations/new/", views.authorization_new, name="authorization_new"),
    path("residents/search/", views.resident_search, name="resident_search"),
    path("authorizations/<int:auth_id>/", views.authorization_detail, name="authorization"),
    path(
        "residents/<int:resident_id>/authorizations/",
        views.resident_authorizations,
        name="resident_authorizations",
    ),
    path("cases/new/<int:auth_id>/", views.case_new, name="case_new"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("points/", views.point_list, name="points"),
    path("points/<int:point_id>/", views.point_detail, name="point"),
    path("points/<int:point_id>/matters/new/", views.matter_new, name="matter_new"),
    path("matters/<int:matter_id>/resubmit/", views.matter_resubmit, name="matter_resubmit"),
    path(
        "authorizations/<int:auth_id>/paper/",
        views.authorization_paper,
        name="authorization_paper",
    ),
    path("handovers/<int:handover_id>/receipt/", views.handover_receipt, name="handover_receipt"),
    path("figures/", views.figures, name="figures"),
    path("authorizations/<int:auth_id>/scan/", views.authorization_scan, name="authorization_scan"),
    path("matters/<int:matter_id>/scan/", views.matter_scan, name="matter_scan"),
]

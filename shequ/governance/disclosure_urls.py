"""The disclosure pages' paths, appended to ``governance.urls`` (namespace governance)."""

from django.urls import path

from shequ.governance import disclosure_views as views

urlpatterns = [
    path("disclosure/", views.township, name="disclosure_township"),
    path("disclosure/units/<int:unit_id>/", views.community, name="disclosure_community"),
    path("disclosure/units/<int:unit_id>/new/", views.disclosure_new, name="disclosure_new"),
    path(
        "disclosure/units/<int:unit_id>/complaints/new/",
        views.complaint_new,
        name="disclosure_complaint_new",
    ),
    path("disclosure/<int:disclosure_id>/", views.disclosure_detail, name="disclosure"),
    path(
        "disclosure/<int:disclosure_id>/poster/",
        views.disclosure_poster,
        name="disclosure_poster",
    ),
    path("disclosure/files/<int:file_id>/", views.disclosure_file, name="disclosure_file"),
    path(
        "disclosure/complaints/<int:complaint_id>/close/",
        views.complaint_close,
        name="disclosure_complaint_close",
    ),
]

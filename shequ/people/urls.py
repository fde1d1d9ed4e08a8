from __future__ import annotations

from django.urls import path

from shequ.people import views

app_name = "people"
urlpatterns = [
    path("", views.resident_list, name="residents"),
    path("new/", views.resident_create, name="resident_create"),
    path("<int:resident_id>/", views.resident_detail, name="resident"),
    path("<int:resident_id>/edit/", views.resident_edit, name="resident_edit"),
    path("<int:resident_id>/reveal/", views.resident_reveal, name="resident_reveal"),
    path("<int:resident_id>/status/", views.resident_status, name="resident_status"),
    path("<int:resident_id>/categories/", views.resident_grant, name="resident_grant"),
    path("<int:resident_id>/floating/", views.resident_floating, name="resident_floating"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:household_id>/", views.household_detail, name="household"),
    path(
        "households/<int:household_id>/members/",
        views.household_add_member,
        name="household_add_member",
    ),
    path("categories/", views.category_list, name="categories"),
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:batch_id>/", views.import_result, name="import_result"),
    path("import/<int:batch_id>/errors.xlsx", views.import_errors, name="import_errors"),
    path("export.xlsx", views.export, name="export"),
    path("units/", views.resident_unit_list, name="resident_units"),
    path("units/new/", views.resident_unit_create, name="resident_unit_create"),
    path("units/<int:resident_unit_id>/", views.resident_unit_detail, name="resident_unit"),
    path(
        "units/<int:resident_unit_id>/edit/",
        views.resident_unit_edit,
        name="resident_unit_edit",
    ),
    path(
        "units/<int:resident_unit_id>/reveal/",
        views.resident_unit_reveal,
        name="resident_unit_reveal",
    ),
    path(
        "units/<int:resident_unit_id>/status/",
        views.resident_unit_status,
        name="resident_unit_status",
    ),
]

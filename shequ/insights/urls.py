from django.urls import path

from shequ.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("records/", views.records, name="records"),
    path("seed/", views.seed_figures, name="seed"),
    path("rates/", views.three_rates, name="rates"),
    path("rates/export.xlsx", views.three_rates_export, name="rates_export"),
    path("assessment/", views.assessment_list, name="assessment"),
    path("assessment/<int:scheme_id>/", views.scheme_detail, name="scheme"),
    path("assessment/sheets/<int:sheet_id>/", views.sheet_detail, name="sheet"),
    path("assessment/sheets/<int:sheet_id>/print/", views.sheet_print, name="sheet_print"),
]

from django.urls import path

from shequ.insights import views

app_name = "insights"
urlpatterns = [
    path("rates/", views.three_rates, name="rates"),
    path("rates/export.xlsx", views.three_rates_export, name="rates_export"),
]

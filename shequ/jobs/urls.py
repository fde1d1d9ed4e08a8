from django.urls import path

from shequ.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("units/<int:ru_id>/report/", views.report_new, name="report_new"),
    path("units/<int:ru_id>/link/", views.unit_link, name="unit_link"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("vacancies/<int:vacancy_id>/", views.vacancy_detail, name="vacancy"),
    path("seekers/", views.seeker_list, name="seekers"),
    path("seekers/new/<int:resident_id>/", views.seeker_new, name="seeker_new"),
    path("seekers/<int:seeker_id>/", views.seeker_detail, name="seeker"),
    path("zero/", views.zero_list, name="zero_list"),
    path("zero/<int:zero_id>/", views.zero_detail, name="zero"),
    path("trainings/", views.training_list, name="trainings"),
    path("trainings/<int:session_id>/", views.training_detail, name="training"),
    path("certificates/<int:enrolment_id>/", views.certificate, name="certificate"),
    path("floating/", views.floating, name="floating"),
    path("figures/", views.figures, name="figures"),
    path("figures.xlsx", views.figures_export, name="figures_export"),
    path("u/<str:token>/", views.unit_desk, name="unit_desk"),
]

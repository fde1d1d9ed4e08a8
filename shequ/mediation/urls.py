from django.urls import path

from shequ.mediation import views

app_name = "mediation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("disputes/new/", views.dispute_new, name="dispute_new"),
    path("disputes/<int:dispute_id>/", views.dispute_detail, name="dispute"),
    path("disputes/<int:dispute_id>/reveal/", views.party_reveal, name="party_reveal"),
    path("disputes/<int:dispute_id>/paper/<slug:kind>/", views.dispute_paper, name="paper"),
    path("disputes/<int:dispute_id>/<slug:step>/", views.dispute_step, name="dispute_step"),
    path("committees/", views.committees, name="committees"),
    path("committees/<int:committee_id>/", views.committee_detail, name="committee"),
    path("advisors/", views.advisors, name="advisors"),
    path("advisors/<int:assignment_id>/", views.advisor_detail, name="advisor"),
    path("third-parties/", views.third_parties, name="third_parties"),
    path("figures/", views.figures, name="figures"),
]

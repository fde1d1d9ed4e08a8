from django.urls import path

from shequ.mediation import views

app_name = "mediation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("disputes/new/", views.dispute_new, name="dispute_new"),
    path("lookup/", views.party_lookup, name="party_lookup"),
    path("disputes/<int:dispute_id>/", views.dispute_detail, name="dispute"),
    path("disputes/<int:dispute_id>/reveal/", views.party_reveal, name="party_reveal"),
    path("disputes/<int:dispute_id>/paper/<slug:kind>/", views.dispute_paper, name="paper"),
    path("disputes/<int:dispute_id>/<slug:step>/", views.dispute_step, name="dispute_step"),
    path("committees/", views.committees, name="committees"),
    path("committees/<int:committee_id>/", views.committee_detail, name="committee"),
    path(
        "committees/<int:committee_id>/members/<int:member_id>/end/",
        views.member_end,
        name="member_end",
    ),
    path("advisors/", views.advisors, name="advisors"),
    path("advisors/<int:assignment_id>/end/", views.advisor_end, name="advisor_end"),
    path("advisors/<int:assignment_id>/", views.advisor_detail, name="advisor"),
    path("third-parties/", views.third_parties, name="third_parties"),
    path("figures/", views.figures, name="figures"),
]

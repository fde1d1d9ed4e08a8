from django.urls import path

from shequ.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.home, name="home"),
    path("law/", views.law_page, name="law"),
    path("township/", views.township, name="township"),
    path("county/", views.county, name="county"),
    path("units/<int:unit_id>/", views.community, name="community"),
    path("units/<int:unit_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("units/<int:unit_id>/requests/new/", views.request_new, name="request_new"),
    path("units/<int:unit_id>/representatives/", views.representatives, name="representatives"),
    path("units/<int:unit_id>/committees/new/", views.committee_new, name="committee_new"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/<str:paper>/", views.meeting_paper, name="paper"),
    path("resolutions/<int:resolution_id>/", views.resolution_detail, name="resolution"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("committees/<int:committee_id>/", views.committee_detail, name="committee"),
    path("charters/<int:charter_id>/", views.charter_detail, name="charter"),
    path("evaluations/<int:evaluation_id>/", views.evaluation_detail, name="evaluation"),
]

# deliberation (协商议事)
from shequ.governance import deliberation_views as dv  # noqa: E402

urlpatterns += [
    path("deliberation/", dv.topics, name="topics"),
    path("deliberation/overview/", dv.overview, name="deliberation_overview"),
    path("deliberation/units/<int:unit_id>/new/", dv.topic_new, name="topic_new"),
    path("deliberation/topics/<int:topic_id>/", dv.topic_detail, name="topic"),
    path(
        "deliberation/milestones/<int:milestone_id>/photo/",
        dv.milestone_photo,
        name="milestone_photo",
    ),
]


# affairs disclosure (居务公开)
from shequ.governance.disclosure_urls import urlpatterns as _disclosure  # noqa: E402

urlpatterns += _disclosure

from django.urls import path

from shequ.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("text-size/", views.text_size, name="text_size"),
    path("signin/", views.signin, name="signin"),
    path("signin/code/", views.signin_code, name="signin_code"),
    path("signout/", views.signout, name="signout"),
    path("privacy/", views.privacy, name="privacy"),
    path("guide/", views.guide_list, name="guide_list"),
    path("guide/<str:code>/", views.guide, name="guide"),
    path("ask/<str:code>/", views.ask, name="ask"),
    path("my/", views.my, name="my"),
    path("my/community/", views.community, name="community"),
    path("my/agency/", views.agency_callback, name="agency_callback"),
    path("my/mediation/", views.mediation_request, name="mediation_request"),
    path("my/photos/<int:photo_id>/", views.photo, name="photo"),
    path("my/<int:case_id>/", views.request_detail, name="request"),
    path("my/<int:case_id>/rate/", views.rate, name="rate"),
    path("my/<int:case_id>/appeal/", views.appeal, name="appeal"),
    path("my/<int:case_id>/receipt/", views.receipt, name="receipt"),
    path("board/", views.board, name="board"),
    path("board/<int:community_id>/charters/<int:version_id>/", views.charter, name="charter"),
    # staff pages: what the portal holds, in the user's scope
    path("portal-staff/requests/", views.staff_requests, name="staff_requests"),
    path("portal-staff/photos/<int:photo_id>/", views.staff_photo, name="staff_photo"),
    path("portal-staff/callbacks/", views.staff_callbacks, name="staff_callbacks"),
    path(
        "portal-staff/callbacks/<int:callback_id>/done/",
        views.staff_callback_done,
        name="staff_callback_done",
    ),
]

# deliberation (协商议事): governance's topics, as residents follow and propose them
from shequ.portal import deliberation_views as dv  # noqa: E402

urlpatterns += [
    path("topics/", dv.topics, name="topics"),
    path("topics/new/", dv.topic_new, name="topic_new"),
    path("topics/<int:topic_id>/", dv.topic_detail, name="topic"),
    path("topics/<int:topic_id>/support/", dv.topic_support, name="topic_support"),
    path("topics/<int:topic_id>/comment/", dv.topic_comment, name="topic_comment"),
    path("topics/photos/<int:milestone_id>/", dv.milestone_photo, name="topic_photo"),
]


# affairs disclosure (居务公开) on the community board
urlpatterns += [
    path(
        "board/<int:community_id>/disclosures/<int:disclosure_id>/",
        views.disclosure,
        name="disclosure",
    ),
]

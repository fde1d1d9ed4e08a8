from django.urls import path
from django.views.generic import RedirectView

from shequ.orgs import views

app_name = "orgs"
urlpatterns = [
    # the staff home is the workbench (an app above the kernel); the site's root is the
    # residents' portal
    path("home/", RedirectView.as_view(pattern_name="workbench:home"), name="home"),
    path("units/", views.unit_tree, name="units"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("units/<int:unit_id>/posts/new/", views.post_assign, name="post_assign"),
    path("posts/<int:post_id>/end/", views.post_end, name="post_end"),
    path("staff/<int:staff_id>/", views.staff_detail, name="staff"),
    path("events/", views.event_list, name="events"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("me/tokens/", views.api_tokens, name="api_tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]

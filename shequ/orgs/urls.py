from django.urls import path

from shequ.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/", views.unit_tree, name="units"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("staff/<int:staff_id>/", views.staff_detail, name="staff"),
    path("events/", views.event_list, name="events"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
]

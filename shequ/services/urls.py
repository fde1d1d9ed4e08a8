from django.urls import path

from shequ.services import views

app_name = "services"
urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<str:code>/", views.item_guide, name="item"),
]

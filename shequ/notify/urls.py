from django.urls import path

from shequ.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.message_list, name="messages"),
    path("<int:message_id>/retry/", views.message_retry, name="retry"),
    path("inbox/", views.inbox, name="inbox"),
]

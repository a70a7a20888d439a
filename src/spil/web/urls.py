from django.urls import path

from spil.web import views

app_name = "web"
urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("meldingen-voor-mij/<int:pk>/gelezen/", views.notification_read, name="notification-read"),
]

from django.urls import path

from spil.web import views

app_name = "web"
urlpatterns = [path("", views.my_work, name="my-work")]

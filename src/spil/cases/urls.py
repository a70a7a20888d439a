from django.urls import path
app_name = "cases"
urlpatterns = []

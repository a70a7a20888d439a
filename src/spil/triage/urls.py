from django.urls import path
app_name = "triage"
urlpatterns = []

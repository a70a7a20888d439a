from django.urls import path

from spil.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/<slug:action>/", views.case_action, name="action"),
]

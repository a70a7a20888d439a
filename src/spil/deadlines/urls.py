from django.urls import path

from spil.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.signal_list, name="list"),
    path("maatregel/<str:number>/", views.measure, name="measure"),
    path("maatregel/<str:number>/besluit/", views.measure_decision, name="measure-decision"),
]

from django.urls import path

from spil.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("noodtoegang/", views.emergency_access, name="emergency-access"),
    path("noodtoegang/beoordelen/", views.emergency_reviews, name="emergency-reviews"),
    path("noodtoegang/beoordelen/<int:pk>/", views.emergency_review, name="emergency-review"),
    path("<str:number>/team/<int:member_pk>/intrekken/", views.team_revoke, name="team-revoke"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/<slug:action>/", views.case_action, name="action"),
]

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import permissions

from spil.api import views

app_name = "api"

urlpatterns = [
    path("meldingen", views.ReportList.as_view(), name="reports"),
    path("meldingen/<str:number>", views.ReportDetail.as_view(), name="report-detail"),
    path("acties", views.ActionList.as_view(), name="actions"),
    path("acties/<int:pk>", views.ActionDetail.as_view(), name="action-detail"),
    path("acties/<int:pk>/voortgang", views.ActionProgress.as_view(), name="action-progress"),
    path("verrijkingsverzoeken", views.EnrichmentList.as_view(), name="enrichments"),
    path("verrijkingsverzoeken/<int:pk>/antwoord", views.EnrichmentAnswer.as_view(), name="enrichment-answer"),
    path("zsm/bevraging", views.ZsmQuestion.as_view(), name="zsm-question"),
    path("zsm/beslissingen", views.ZsmDecisions.as_view(), name="zsm-decisions"),
    path("token", views.Token.as_view(), name="token"),
    path(
        "schema",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[permissions.AllowAny], throttle_classes=[]),
        name="schema",
    ),
    re_path(r"^[\s\S]*$", views.NotFound.as_view(), name="not-found"),  # any path, also one with a newline in it
]

from django.urls import path

from spil.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("nieuw/", views.report_create, name="create"),
    path("nieuw/<slug:form_code>/", views.report_create, name="create-form"),
    path("<str:number>/", views.report_detail, name="detail"),
    path("<str:number>/wijzigen/", views.report_edit, name="edit"),
    path("<str:number>/status/", views.report_status, name="status"),
    path("<str:number>/verrijking/", views.enrichment_create, name="enrichment-create"),
    path("<str:number>/verrijking/<int:pk>/antwoord/", views.enrichment_answer, name="enrichment-answer"),
]

from django.urls import path

from spil.intake import channel_views, forwarding_views, views

app_name = "intake"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("nieuw/", channel_views.choose_form, name="create"),  # choose a meldformulier
    path("nieuw/<slug:form_code>/", views.report_create, name="create-form"),
    # Forwarding between houses (before "<number>/", which would take "doorgezonden" for a number).
    path("doorgezonden/", forwarding_views.forwardings, name="forwardings"),
    path("doorgezonden/<int:pk>/accepteren/", forwarding_views.accept, name="forwarding-accept"),
    path("doorgezonden/<int:pk>/afwijzen/", forwarding_views.decline, name="forwarding-decline"),
    path("<str:number>/doorzenden/", forwarding_views.forward, name="forward"),
    path("<str:number>/", views.report_detail, name="detail"),
    path("<str:number>/nazorg-overdracht/", channel_views.handover, name="handover"),
    path("<str:number>/wijzigen/", views.report_edit, name="edit"),
    path("<str:number>/status/", views.report_status, name="status"),
    path("<str:number>/verrijking/", views.enrichment_create, name="enrichment-create"),
    path("<str:number>/verrijking/<int:pk>/antwoord/", views.enrichment_answer, name="enrichment-answer"),
]

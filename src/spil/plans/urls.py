from django.urls import path

from spil.plans import views

app_name = "plans"
urlpatterns = [
    path("bevestigingen/", views.confirmations, name="confirmations"),
    path("bevestigingen/<int:pk>/", views.confirmation, name="confirmation"),
    path("acties/", views.my_actions, name="my-actions"),
    path("acties/<int:pk>/", views.progress, name="progress"),
    path("acties/<int:pk>/wijzigen/", views.action_edit, name="action-edit"),
    path("acties/<int:pk>/verwijderen/", views.action_remove, name="action-remove"),
    path("plandocumenten/<int:pk>/", views.document, name="document"),
    path("<str:number>/plan/", views.current, name="plan"),
    path("<str:number>/plan/nieuw/", views.start, name="start"),
    path("<str:number>/plan/<int:version>/", views.version, name="version"),
    path("<str:number>/plan/<int:version>/bewerken/", views.edit, name="edit"),
    path("<str:number>/plan/<int:version>/leefgebied/<slug:domain>/", views.goal, name="goal"),
    path("<str:number>/plan/<int:version>/acties/nieuw/", views.action_add, name="action-add"),
    path("<str:number>/plan/<int:version>/<slug:step>/", views.step, name="step"),
]

from django.urls import path

from spil.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("nieuw/", views.meeting_create, name="create"),
    path("inrichting/", views.setup_list, name="setups"),
    path("inrichting/<slug:house>/<slug:code>/", views.setup_edit, name="setup"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/agenda/toevoegen/", views.item_add, name="item-add"),
    path("<int:pk>/agenda/<int:item_pk>/", views.item_edit, name="item-edit"),
    path("<int:pk>/agenda/<int:item_pk>/verwijderen/", views.item_remove, name="item-remove"),
    path("<int:pk>/agenda/<int:item_pk>/notulen/", views.item_minutes, name="item-minutes"),
    path("<int:pk>/agenda/<int:item_pk>/actie/", views.item_action, name="item-action"),
    path("<int:pk>/agenda/<int:item_pk>/acties-bespreken/", views.item_review, name="item-review"),
    path("<int:pk>/notulen/", views.general_notes, name="notes"),
    path("<int:pk>/gehouden/", views.held, name="held"),
    path("<int:pk>/vaststellen/", views.finalise, name="finalise"),
    path("<int:pk>/annuleren/", views.cancel, name="cancel"),
    path("<int:pk>/mijn-notulen.pdf", views.minutes_pdf, name="minutes-pdf"),
]

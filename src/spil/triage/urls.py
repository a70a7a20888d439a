from django.urls import path

from spil.triage import views

app_name = "triage"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("nieuw/", views.session_create, name="create"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/agenda-bijwerken/", views.agenda_refresh, name="refresh"),
    path("<int:pk>/afronden/", views.session_close, name="close"),
    path("<int:pk>/wegen/<int:item_pk>/", views.decide, name="decide"),
]

from django.urls import path

from spil.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("sjabloon/<slug:kind>.<slug:fmt>", views.sample, name="sample"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/voortgang/", views.progress, name="progress"),
    path("<int:pk>/importeren/", views.confirm, name="confirm"),
    path("<int:pk>/verwijderen/", views.discard, name="discard"),
]

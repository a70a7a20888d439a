from django.urls import path

from spil.topx import views

app_name = "topx"
urlpatterns = [
    path("", views.list_index, name="index"),
    path("nieuw/", views.list_create, name="create"),
    path("<int:pk>/", views.list_detail, name="detail"),
    path("<int:pk>/herijken/", views.rerank, name="rerank"),
]

from django.urls import path

from spil.persons import views

app_name = "persons"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/samenvoegen/", views.merge, name="merge"),
    path("samenvoegingen/<int:pk>/ongedaan-maken/", views.unmerge, name="unmerge"),
    path("vergelijken/<int:pk>/", views.match, name="match"),
    path("afwijkingen/<int:pk>/", views.discrepancy, name="discrepancy"),
]

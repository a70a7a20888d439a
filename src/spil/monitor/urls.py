from django.urls import path

from spil.monitor import views

app_name = "monitor"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="export"),
    path("herberekenen/", views.recompute, name="recompute"),
    path("halfjaarrapportages/", views.reports, name="reports"),
    path("halfjaarrapportages/<int:pk>/<int:year>/<int:half>/", views.report, name="report"),
    path("halfjaarrapportages/<int:pk>/<int:year>/<int:half>/pdf/", views.report_pdf, name="report-pdf"),
    path("halfjaarrapportages/<int:pk>/<int:year>/<int:half>/tekst/", views.report_text, name="report-text"),
]

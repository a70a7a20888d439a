from django.urls import path

from spil.finance import views

app_name = "finance"
YEAR = "<slug:house>/<int:year>/"
urlpatterns = [
    path("", views.home, name="home"),
    path(YEAR, views.year_overview, name="year"),
    path(f"{YEAR}begroting/", views.budget, name="budget"),
    path(f"{YEAR}begroting/aanmaken/", views.create, {"what": "budget"}, name="budget-create"),
    path(f"{YEAR}begroting/export/<slug:fmt>/", views.export, {"what": "budget"}, name="budget-export"),
    path(f"{YEAR}begroting/regel/nieuw/", views.budget_line, name="budget-line-create"),
    path(f"{YEAR}begroting/regel/<int:pk>/", views.budget_line, name="budget-line"),
    path(f"{YEAR}begroting/regel/<int:pk>/verwijderen/", views.budget_line_delete, name="budget-line-delete"),
    path(f"{YEAR}begroting/bijstelling/", views.budget_revision, name="budget-revision"),
    path(f"{YEAR}begroting/versie/<int:pk>/vaststellen/", views.budget_adopt, name="budget-adopt"),
    path(f"{YEAR}inwonerbijdrage/", views.contribution, name="contribution"),
    path(f"{YEAR}inwonerbijdrage/bewerken/", views.contribution_edit, name="contribution-edit"),
    path(f"{YEAR}inwonerbijdrage/export/<slug:fmt>/", views.export, {"what": "contribution"}, name="contribution-export"),
    path(f"{YEAR}jaarplan/", views.plan, name="plan"),
    path(f"{YEAR}jaarplan/aanmaken/", views.create, {"what": "plan"}, name="plan-create"),
    path(f"{YEAR}jaarplan/export/<slug:fmt>/", views.export, {"what": "plan"}, name="plan-export"),
    path(f"{YEAR}jaarplan/activiteit/nieuw/", views.activity, name="activity-create"),
    path(f"{YEAR}jaarplan/activiteit/<int:pk>/", views.activity, name="activity"),
    path(f"{YEAR}jaarplan/activiteit/<int:pk>/verwijderen/", views.activity_delete, name="activity-delete"),
    path(f"{YEAR}plustaken/", views.contracts, name="contracts"),
    path(f"{YEAR}plustaken/nieuw/", views.contract_edit, name="contract-create"),
    path(f"{YEAR}plustaken/<int:pk>/", views.contract_edit, name="contract"),
    path(f"{YEAR}plustaken/<int:pk>/facturatie/<int:quarter>/", views.billing, name="billing"),
    path(f"{YEAR}plustaken/<int:pk>/facturatie/<int:quarter>/export/<slug:fmt>/", views.billing_export, name="billing-export"),
]

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "spil.cases"
    label = "cases"
    verbose_name = "Casussen"

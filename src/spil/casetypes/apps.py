from django.apps import AppConfig


class CaseTypesConfig(AppConfig):
    name = "spil.casetypes"
    label = "casetypes"
    verbose_name = "Casustypen"

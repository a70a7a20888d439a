from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "spil.organisations"
    label = "organisations"
    verbose_name = "Organisaties"

from django.apps import AppConfig


class PersonsConfig(AppConfig):
    name = "spil.persons"
    label = "persons"
    verbose_name = "Personen"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "spil.api"
    label = "api"
    verbose_name = "Partner-API"

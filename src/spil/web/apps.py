from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "spil.web"
    label = "web"
    verbose_name = "Webinterface"

from django.apps import AppConfig


class TopxConfig(AppConfig):
    name = "spil.topx"
    label = "topx"
    verbose_name = "Top-X"

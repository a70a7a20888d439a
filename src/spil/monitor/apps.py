from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "spil.monitor"
    label = "monitor"
    verbose_name = "Monitor"

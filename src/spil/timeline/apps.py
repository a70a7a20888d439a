from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "spil.timeline"
    label = "timeline"
    verbose_name = "Tijdlijn"

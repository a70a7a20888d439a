from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "spil.triage"
    label = "triage"
    verbose_name = "Weging"

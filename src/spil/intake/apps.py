from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "spil.intake"
    label = "intake"
    verbose_name = "Intake"

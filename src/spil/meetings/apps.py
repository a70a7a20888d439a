from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "spil.meetings"
    label = "meetings"
    verbose_name = "Casusoverleggen"

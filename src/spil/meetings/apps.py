from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "spil.meetings"
    label = "meetings"
    verbose_name = "Casusoverleggen"

    def ready(self):
        from spil.deadlines import registry
        from spil.meetings.detectors import MINUTES_OVERDUE, detect_overdue_minutes

        registry.register(MINUTES_OVERDUE, detect_overdue_minutes)

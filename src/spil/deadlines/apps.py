from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "spil.deadlines"
    label = "deadlines"
    verbose_name = "Termijnen en signalen"

    def ready(self):
        from spil.deadlines import detectors, registry, services

        for registration in detectors.DETECTORS:
            registry.register(*registration)
        registry.on_change(services.schedule_refresh)

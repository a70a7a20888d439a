from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "spil.plans"
    label = "plans"
    verbose_name = "Plannen van aanpak"

    def ready(self):
        from spil.deadlines import registry
        from spil.plans.detectors import DETECTORS

        for registration in DETECTORS:
            registry.register(*registration)

from django.apps import AppConfig


class TopxConfig(AppConfig):
    name = "spil.topx"
    label = "topx"
    verbose_name = "Top-X"

    def ready(self):
        from spil.deadlines import registry
        from spil.topx.detectors import KIND, detect_outdated_lists

        registry.register(KIND, detect_outdated_lists)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "spil.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self):
        from spil.core import lookups  # noqa: F401  registers `__any`

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "spil.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self):
        from spil.deadlines import registry
        from spil.intake import channels, nazorg

        channels.definitions()  # the meldformulieren are checked at start-up: a bad channels.toml fails loudly
        registry.register(nazorg.RELEASE_WITHOUT_PLAN, nazorg.detect_release_without_plan)

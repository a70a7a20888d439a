from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "spil.privacy"
    label = "privacy"
    verbose_name = "Privacy"

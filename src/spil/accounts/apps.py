from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "spil.accounts"
    label = "accounts"
    verbose_name = "Accounts en beveiliging"

    def ready(self):
        from spil.accounts import signals  # noqa: F401

from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "spil.finance"
    label = "finance"
    verbose_name = "Bedrijfsvoering"

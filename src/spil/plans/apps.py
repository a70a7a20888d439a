from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "spil.plans"
    label = "plans"
    verbose_name = "Plannen van aanpak"

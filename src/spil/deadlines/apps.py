from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "spil.deadlines"
    label = "deadlines"
    verbose_name = "Termijnen en signalen"

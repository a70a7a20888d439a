from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "spil.imports"
    label = "imports"
    verbose_name = "Bulkimport"

from django.apps import AppConfig


class LogbookConfig(AppConfig):
    name = "spil.logbook"
    label = "logbook"
    verbose_name = "Logboek dataverwerkingen"

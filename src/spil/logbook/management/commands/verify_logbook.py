from django.core.management.base import BaseCommand, CommandError

from spil.logbook import chain
from spil.logbook.models import AuditRecord, ProcessingRecord


class Command(BaseCommand):
    help = "Controleer de hashketens van het logboek dataverwerkingen en het beveiligingslogboek."

    def handle(self, **options):
        for model, label in [(ProcessingRecord, "logboek dataverwerkingen"), (AuditRecord, "beveiligingslogboek")]:
            broken = chain.verify(model)
            if broken:
                raise CommandError(f"{label}: keten verbroken bij record {broken.record_id} (partitie {broken.partition}): {broken.reason}")
            self.stdout.write(f"{label}: {model.objects.count()} records, keten intact")

import time

from django.core.management.base import BaseCommand

from spil.monitor import snapshots


class Command(BaseCommand):
    help = (
        "Berekent de kerncijfers van de standaardperiode opnieuw voor elk huis, elke regio, het hele land en de "
        "standaardselectie van elke monitorgebruiker (wat de taakwachtrij elk kwartier doet), bijvoorbeeld na een "
        "grote import of vóór een prestatiemeting."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = snapshots.refresh()
        self.stdout.write(self.style.SUCCESS(f"{count} selecties berekend in {time.monotonic() - started:.1f} s."))

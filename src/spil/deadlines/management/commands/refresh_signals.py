import time

from django.core.management.base import BaseCommand

from spil.deadlines import services


class Command(BaseCommand):
    help = (
        "Brengt alle signalen in lijn met wat de detectoren zien (wat de taakwachtrij elk uur doet), bijvoorbeeld na "
        "een grote import of vóór een prestatiemeting."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        refreshed = services.refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"{refreshed.opened} signalen geopend, {refreshed.updated} bijgewerkt, {refreshed.resolved} opgelost "
                f"in {time.monotonic() - started:.1f} s."
            )
        )

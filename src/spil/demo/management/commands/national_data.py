import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spil.demo.national import SIZES, NationalData
from spil.intake.models import Report


class Command(BaseCommand):
    help = (
        "Vult een lege database met een landelijke dataset voor prestatiemetingen: 30 huizen, hun gemeenten en "
        "medewerkers, personen, meldingen, casussen met plannen en tijdlijnen en het verwerkingenlogboek (met COPY). "
        "Alleen voor de prestatiemetingen (bench/), nooit in productie."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="small", help="'small' (10.000 personen) of 'national' (1.000.000).")
        parser.add_argument("--out", type=Path, help="Schrijf de aantallen en de laadtijd als JSON naar dit bestand.")

    def handle(self, *args, size, out, **options):
        if Report.objects.exists():
            raise CommandError("De database bevat al meldingen; de landelijke dataset wordt alleen in een lege database geladen.")
        data = NationalData(SIZES[size], out=self.stdout)
        counts = data.build()
        summary = {**counts, "load_s": round(data.seconds["total"], 1), "seconds": {k: round(v, 1) for k, v in data.seconds.items()}}
        if out:
            out.write_text(json.dumps(summary, indent=2))
        self.stdout.write(self.style.SUCCESS(f"Klaar in {summary['load_s']} s: {counts}"))

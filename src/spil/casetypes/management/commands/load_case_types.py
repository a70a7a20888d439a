from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spil.casetypes import config


class Command(BaseCommand):
    help = "Laad of werk casustypen, fasen en leefgebieden bij vanuit een TOML-bestand (standaard de meegeleverde)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(config.FIXTURE))

    def handle(self, path, **options):
        try:
            data = config.read(Path(path))
        except (config.CaseTypeConfigError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        config.load(data)
        self.stdout.write(f"{len(data['case_type'])} casustypen geladen uit {path}")

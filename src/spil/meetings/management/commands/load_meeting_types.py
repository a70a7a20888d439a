from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spil.meetings import config


class Command(BaseCommand):
    help = "Laad of werk soorten casusoverleg bij vanuit een TOML-bestand (standaard het meegeleverde)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(config.FIXTURE))

    def handle(self, path, **options):
        try:
            data = config.read(Path(path))
        except (config.MeetingTypeConfigError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        config.load(data)
        self.stdout.write(f"{len(data['meeting_type'])} soorten overleg geladen uit {path}")

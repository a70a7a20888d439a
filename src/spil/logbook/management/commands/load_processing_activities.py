from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spil.logbook import register


class Command(BaseCommand):
    help = "Laad of werk het verwerkingsregister bij vanuit een TOML-bestand (standaard het meegeleverde)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(register.FIXTURE))

    def handle(self, path, **options):
        try:
            activities = register.read(Path(path))
        except (register.RegisterError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        register.load(activities)
        self.stdout.write(f"{len(activities)} verwerkingsactiviteiten geladen uit {path}")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spil.organisations import routing_rules


class Command(BaseCommand):
    help = "Laad de routeringsregels (uitzonderingen per gemeente en thema) uit een TOML-bestand (standaard het meegeleverde)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(routing_rules.FIXTURE))

    def handle(self, path, **options):
        try:
            result = routing_rules.load(routing_rules.read(Path(path)))
        except (routing_rules.RoutingConfigError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        for code in result.skipped:
            self.stderr.write(f"Gemeente {code} bestaat niet in deze installatie; haar regels zijn overgeslagen.")
        self.stdout.write(f"{result.rules} routeringsregels geladen uit {path} ({result.removed} vervallen regels verwijderd)")

"""Create a machine client of the partner API and show its token (and client secret) once."""

from django.core.management.base import BaseCommand, CommandError
from django.core.validators import slug_re
from django.db import transaction

from spil.api import services
from spil.api.models import ApiClient, CredentialKind
from spil.core.errors import DomainError
from spil.organisations.models import House, IntakeRegion, Partner


class Command(BaseCommand):
    help = "Maak een API-koppeling voor een ketenpartner en toon het token eenmalig."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Naam van de koppeling, bijv. 'ZSM Limburg (OM)'.")
        parser.add_argument("--client-id", required=True, help="Openbare naam (letters, cijfers, streepjes), bijv. zsm-limburg.")
        parser.add_argument("--partner", required=True, help="Naam van de ketenpartner zoals in Spil.")
        parser.add_argument("--house", action="append", default=[], help="Code van een huis waarvoor de koppeling werkt (herhaalbaar).")
        parser.add_argument("--region", action="append", default=[], help="Code van een intakeregio: alle huizen ervan (herhaalbaar).")
        parser.add_argument("--rate-limit", type=int, default=120, help="Verzoeken per minuut (standaard 120).")
        parser.add_argument("--client-secret", action="store_true", help="Maak ook een client secret voor OAuth2 client credentials.")

    @transaction.atomic
    def handle(self, *args, **options):
        if not slug_re.match(options["client_id"]) or ApiClient.objects.filter(client_id=options["client_id"]).exists():
            raise CommandError(f"Kies een andere client-id (letters, cijfers en streepjes; nog niet in gebruik): {options['client_id']}")
        try:
            partner = Partner.objects.get(name=options["partner"])
        except Partner.DoesNotExist as error:
            raise CommandError(f"Onbekende ketenpartner: {options['partner']}") from error
        houses = list(House.objects.filter(code__in=options["house"]))
        if missing := set(options["house"]) - {house.code for house in houses}:
            raise CommandError(f"Onbekende huizen: {', '.join(sorted(missing))}")
        for code in options["region"]:
            region = IntakeRegion.objects.filter(code=code).first()
            if region is None:
                raise CommandError(f"Onbekende intakeregio: {code}")
            houses += [house for house in region.houses.all() if house not in houses]
        try:
            client = services.create_client(
                name=options["name"],
                client_id=options["client_id"],
                partner=partner,
                houses=houses,
                rate_limit_per_minute=options["rate_limit"],
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Koppeling '{client.name}' ({client.client_id}) voor {partner}, huizen: {', '.join(h.name for h in houses)}.")
        self.stdout.write("Bewaar de volgende gegevens nu veilig: Spil bewaart alleen een hash en kan ze niet opnieuw tonen.")
        self.stdout.write(f"Token: {services.issue_credential(client)}")
        if options["client_secret"]:
            self.stdout.write(f"Client-id: {client.client_id}")
            self.stdout.write(f"Client secret: {services.issue_credential(client, CredentialKind.SECRET)}")

from django.core.management.base import BaseCommand

from spil.demo.generator import DEMO_BACKUP_CODES, DEMO_PASSWORD, DEMO_TOTP_SECRET, SIZES, generate


class Command(BaseCommand):
    help = (
        "Vult de database met demogegevens: de Limburgse Zorg- en Veiligheidshuizen, ketenpartners, "
        "demo-accounts en een jaar aan fictieve meldingen, wegingen en casussen. Veilig om opnieuw te draaien. "
        "Alleen voor demo- en ontwikkelomgevingen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=[name for name in SIZES if name != "test"],
            default="demo",
            help="Omvang: 'demo' (enkele honderden personen) of 'small' (ongeveer tien keer zo veel).",
        )

    def handle(self, *args, size, verbosity, **options):
        log = self.stdout.write if verbosity else (lambda message: None)
        result = generate(size, log=log)

        if verbosity > 1 or not result.skipped:
            self.stdout.write("")
            self.stdout.write("Aantallen in de database:")
            width = max(len(label) for label in result.counts)
            for label, value in result.counts.items():
                self.stdout.write(f"  {label:<{width}}  {value:>7}")

        self.stdout.write("")
        self.stdout.write("Demo-accounts:")
        columns = [("username", "gebruikersnaam"), ("name", "naam"), ("role", "rol"), ("organisation", "organisatie"), ("house", "ZVH")]
        widths = {key: max(len(title), *(len(row[key]) for row in result.accounts)) for key, title in columns}
        for cells in [[title for _, title in columns], ["-" * widths[key] for key, _ in columns]] + [
            [row[key] for key, _ in columns] for row in result.accounts
        ]:
            self.stdout.write(("  " + "  ".join(f"{cell:<{widths[key]}}" for cell, (key, _) in zip(cells, columns, strict=True))).rstrip())
        self.stdout.write("")
        self.stdout.write(f"Wachtwoord voor alle demo-accounts: {DEMO_PASSWORD}")
        self.stdout.write("Tweestapsverificatie (voor alle demo-accounts dezelfde):")
        self.stdout.write(f"  geheime sleutel (base32): {DEMO_TOTP_SECRET}")
        self.stdout.write(
            f"  code maken:               oathtool --totp -b {DEMO_TOTP_SECRET}  (of voer de sleutel in een authenticator-app in)"
        )
        self.stdout.write(f"  reservecodes (elk één keer per account, terug na opnieuw draaien): {', '.join(DEMO_BACKUP_CODES)}")
        self.stdout.write("  geblokkeerd na 5 fouten? Het bedrijfsbureau geeft het account vrij via Mijn account, of:")
        self.stdout.write("  manage.py axes_reset_username <gebruikersnaam>")
        self.stdout.write(self.style.WARNING("Alleen voor demo's: gebruik deze accounts en dit wachtwoord nooit in productie."))
        self.stdout.write(self.style.SUCCESS(f"Klaar in {result.seconds['totaal']:.1f} s."))

from django.core.management.base import BaseCommand, CommandError

from spil.core import clock
from spil.core.errors import DomainError
from spil.logbook import tracing
from spil.privacy import services


class Command(BaseCommand):
    help = (
        "Toon de gesloten casussen waarvan de bewaartermijn is verstreken (standaard, er verandert niets) "
        "of vernietig ze met --destroy. Bedoeld om dagelijks te draaien (cron of systemd-timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--destroy", action="store_true", help="Vernietig de casussen die aan vernietiging toe zijn.")

    def handle(self, destroy=False, **options):
        today = clock.today()
        due = list(services.due_for_destruction(today).select_related("case_type", "house"))
        verb = "te vernietigen" if destroy else "aan vernietiging toe (proefdraai; vernietig met --destroy)"
        self.stdout.write(f"{today:%d-%m-%Y}: {len(due)} casus(sen) {verb}")
        for case in due:
            self.stdout.write(
                f"  {case.number}  {case.case_type}  gesloten {case.closed_at:%d-%m-%Y}  "
                f"bewaren t/m {case.keep_until:%d-%m-%Y}  aan vernietiging toe sinds {services.due_since(case):%d-%m-%Y}"
            )
        if not destroy:
            return
        failed = 0
        for index, case in enumerate(due, start=1):
            # Each destruction is its own transaction and trace: one failure does not undo or block the others.
            with tracing.traced():
                try:
                    result = services.destroy(case, today=today)
                except DomainError as error:
                    failed += 1
                    self.stderr.write(f"[{index}/{len(due)}] {case.number} overgeslagen: {error.message}")
                    continue
                except Exception as error:  # one broken dossier must not stop the daily run
                    failed += 1
                    # Only the error's kind: its text may quote rows (names) and this output ends up in system logs.
                    self.stderr.write(
                        f"[{index}/{len(due)}] {case.number} mislukt: {type(error).__name__}; niets van deze casus verwijderd"
                    )
                    continue
            report = f" met melding {result.report_number}" if result.report_number else ""
            self.stdout.write(
                f"[{index}/{len(due)}] {result.case_number}{report} vernietigd: "
                f"{result.persons_removed} personen verwijderd, {result.persons_kept} elders gekoppeld"
            )
        if failed:
            raise CommandError(f"{failed} van {len(due)} casussen niet vernietigd")

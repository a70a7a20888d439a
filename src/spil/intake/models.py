from django.conf import settings
from django.db import models
from django.db.models.expressions import RawSQL

from spil.core import clock

from spil.casetypes.models import CaseType
from spil.core.models import VersionedModel
from spil.intake import channels
from spil.organisations.models import House, IntakeRegion, Partner
from spil.persons.models import Person


class ReportStatus(models.TextChoices):
    RECEIVED = "ontvangen", "Ontvangen"
    ENRICHING = "in_verrijking", "In verrijking"
    READY = "gereed", "Gereed voor weging"
    TRIAGED = "gewogen", "Gewogen"


class Channel(models.TextChoices):
    PHONE = "telefoon", "Telefoon"
    EMAIL = "email", "E-mail (beveiligd)"
    FORM = "formulier", "Meldformulier"
    MEETING = "overleg", "Vanuit een overleg"
    SYSTEM = "koppeling", "Systeemkoppeling"
    OTHER = "anders", "Anders"


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_reports(self, user)


class Report(VersionedModel):
    """A melding from a ketenpartner at the central intake."""

    number = models.CharField("meldingnummer", max_length=20, unique=True, editable=False)
    house = models.ForeignKey(House, models.PROTECT, related_name="reports", verbose_name="ZVH")
    status = models.CharField("status", max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED)
    source_partner = models.ForeignKey(Partner, models.PROTECT, related_name="+", verbose_name="melder (organisatie)")
    reporter_name = models.CharField("naam melder", max_length=120)
    reporter_contact = models.CharField("bereikbaarheid melder", max_length=120, blank=True, help_text="Telefoonnummer of e-mailadres.")
    channel = models.CharField("kanaal", max_length=20, choices=Channel.choices)
    received_on = models.DateField("datum ontvangen")
    reason = models.TextField("aanleiding", help_text="Wat is er aan de hand? Waarom lukt het niet in de reguliere aanpak?")
    request = models.TextField("hulpvraag / doel", help_text="Wat vraagt de melder van het Zorg- en Veiligheidshuis?")
    requested_case_type = models.ForeignKey(CaseType, models.PROTECT, related_name="+", verbose_name="gevraagde aanpak (thema)")
    persons = models.ManyToManyField(Person, through="ReportPerson", related_name="reports", verbose_name="personen")
    intake_region = models.ForeignKey(
        IntakeRegion, models.PROTECT, null=True, blank=True, related_name="reports", verbose_name="intakeregio"
    )
    form = models.CharField(
        "meldformulier", max_length=40, default="algemeen", help_text="De soort melding (`intake/fixtures/channels.toml`)."
    )
    details = models.JSONField("gegevens van het meldformulier", default=dict, blank=True)
    criminal_law = models.BooleanField(
        "strafrechtelijk kader", default=False, help_text="Er is een strafrechtelijk kader (telt mee bij de routering)."
    )
    routing_note = models.TextField(
        "routering", blank=True, help_text="Hoe het huis is bepaald: de regel, of de keuze van de intake met reden."
    )
    ready_at = models.DateTimeField("gereed voor weging sinds", null=True, blank=True)
    # Indexed with received_on below: the inbox's "my own meldingen" newest first, and the houses they are in.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", db_index=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "melding"
        verbose_name_plural = "meldingen"
        ordering = ["-received_on", "-number"]
        indexes = [
            models.Index(fields=["house", "status", "ready_at"]),
            # The inbox's first page (newest first, per house) and its "melder" filter choices.
            models.Index(fields=["house", "-received_on"], name="intake_report_house_received"),
            # The same with the inbox's theme filter: without it PostgreSQL combined the house's and the theme's tens of
            # thousands of meldingen and sorted them (13 ms in the national dataset).
            models.Index(fields=["house", "requested_case_type", "-received_on"], name="intake_report_house_theme"),
            models.Index(fields=["source_partner", "house"], name="intake_report_partner_house"),
            models.Index(fields=["created_by", "-received_on"], include=["house"], name="intake_report_creator_received"),
            # The detention notices, a few among hundreds of thousands: the nazorg signal looks for them on every refresh
            # of signals, also after each change, and scanned every melding to find them (80 ms in the national dataset).
            models.Index(fields=["received_on"], condition=models.Q(form=channels.DETENTION), name="intake_report_detention"),
        ]

    def __str__(self):
        return self.number

    @classmethod
    def source_partners(cls, house_ids: list[int]) -> models.QuerySet:
        """The partners that reported to these houses, asked partner by partner: an index probe each on (source_partner,
        house). Written as a plain EXISTS, PostgreSQL joins instead and reads every melding of the houses (7 ms for a
        large house, against 1); OFFSET 0 keeps the subquery from being flattened into that join."""
        partners, reports = Partner._meta.db_table, cls._meta.db_table
        reported = RawSQL(
            f"SELECT p.id FROM {partners} p WHERE EXISTS "
            f"(SELECT 1 FROM {reports} r WHERE r.source_partner_id = p.id AND r.house_id = ANY(%s) OFFSET 0)",
            [house_ids],
        )
        return Partner.objects.filter(pk__in=reported)


class ReportPerson(models.Model):
    report = models.ForeignKey(Report, models.CASCADE, related_name="report_persons")
    person = models.ForeignKey(Person, models.PROTECT, related_name="report_links")
    relation = models.CharField("rol in de melding", max_length=60, blank=True, help_text="Bijvoorbeeld: betrokkene, partner, kind, ouder.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["report", "person"], name="unique_report_person")]


class ForwardingStatus(models.TextChoices):
    PENDING = "aangeboden", "Aangeboden"
    ACCEPTED = "geaccepteerd", "Geaccepteerd"
    DECLINED = "afgewezen", "Afgewezen"


class Forwarding(models.Model):
    """A melding offered to another house with a reason; it moves when the receiving house accepts."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="forwardings")
    from_house = models.ForeignKey(House, models.PROTECT, related_name="+", verbose_name="van ZVH")
    to_house = models.ForeignKey(House, models.PROTECT, related_name="+", verbose_name="naar ZVH")
    reason = models.TextField("reden")
    status = models.CharField("status", max_length=20, choices=ForwardingStatus.choices, default=ForwardingStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=clock.now, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("toelichting op het besluit", blank=True)

    class Meta:
        verbose_name = "doorzending"
        verbose_name_plural = "doorzendingen"
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report"], condition=models.Q(status="aangeboden"), name="one_pending_forwarding_per_report")
        ]


class Enrichment(models.Model):
    """Verrijking: information asked of (and answered by) one partner about the melding."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="enrichments")
    partner = models.ForeignKey(Partner, models.PROTECT, related_name="+", verbose_name="ketenpartner")
    requested_on = models.DateField("opgevraagd op")
    question = models.TextField("gevraagde informatie")
    answered_on = models.DateField("antwoord ontvangen op", null=True, blank=True)
    summary = models.TextField("samenvatting antwoord", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "verrijking"
        verbose_name_plural = "verrijkingen"
        ordering = ["requested_on", "pk"]

    @property
    def answered(self) -> bool:
        return self.answered_on is not None


class Handover(models.Model):
    """Nazorg: a detention notice the ZVH does not take up, handed over to the gemeente (`intake.nazorg`)."""

    report = models.OneToOneField(Report, models.CASCADE, related_name="handover", verbose_name="melding")
    municipality = models.ForeignKey("organisations.Municipality", models.PROTECT, related_name="+", verbose_name="gemeente")
    reason = models.TextField("reden", help_text="Waarom het ZVH de nazorg niet zelf oppakt, en wat de gemeente moet weten.")
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="overgedragen door")
    handed_over_at = models.DateTimeField("overgedragen op", default=clock.now, editable=False)

    class Meta:
        verbose_name = "overdracht aan de gemeente"
        verbose_name_plural = "overdrachten aan de gemeente"

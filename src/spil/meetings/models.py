"""Casusoverleg: meeting types (national data), their set-up per house, meetings, agenda items and minutes.

Who sees what is decided in `spil.access.policy` (`visible_meetings`, `visible_agenda_items`): a meeting is seen by
the bedrijfsbureau of its house, its chair and its participants; an agenda item only by the bedrijfsbureau of the
house (when it may see the case), the chair (idem) and the attendees named on that item who may see the case
(seed 004, note 14: a participant sees only the cases in which they have a role).
"""

from django.conf import settings
from django.db import models

from spil.core import clock
from spil.core.models import VersionedModel
from spil.organisations.models import House, Municipality


class MeetingType(models.Model):
    """A kind of casusoverleg (weegtafel, PGA-overleg, jeugdbeschermingstafel, ...): loaded from
    `fixtures/meeting_types.toml`."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("naam", max_length=120, unique=True)
    description = models.TextField("omschrijving", blank=True)
    default_rhythm_days = models.PositiveIntegerField(
        "standaardritme (dagen)", help_text="Om de hoeveel dagen dit overleg gewoonlijk plaatsvindt."
    )
    billable = models.BooleanField(
        "gefactureerd per tafel", default=False, help_text="Gehouden overleggen worden per tafel aan de gemeente gefactureerd."
    )
    per_municipality = models.BooleanField(
        "per gemeente", default=False, help_text="Een overleg van dit type wordt voor één gemeente gehouden."
    )
    active = models.BooleanField("actief", default=True)

    class Meta:
        verbose_name = "soort overleg"
        verbose_name_plural = "soorten overleg"
        ordering = ["name"]

    def __str__(self):
        return self.name


class MeetingSetup(VersionedModel):
    """How one house runs one meeting type: its chair, regular members and rhythm. Kept by the bedrijfsbureau."""

    house = models.ForeignKey(House, models.CASCADE, related_name="meeting_setups", verbose_name="ZVH")
    meeting_type = models.ForeignKey(MeetingType, models.PROTECT, related_name="setups", verbose_name="soort overleg")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="voorzitter")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name="vaste deelnemers")
    rhythm_days = models.PositiveIntegerField(
        "ritme (dagen)", null=True, blank=True, help_text="Leeg: het standaardritme van deze soort overleg."
    )
    location = models.CharField("locatie", max_length=120, blank=True)
    active = models.BooleanField("actief", default=True)

    class Meta:
        verbose_name = "inrichting overleg"
        verbose_name_plural = "inrichting overleggen"
        ordering = ["house", "meeting_type__name"]
        constraints = [models.UniqueConstraint(fields=["house", "meeting_type"], name="unique_meeting_setup")]

    def __str__(self):
        return f"{self.meeting_type} – {self.house}"

    @property
    def rhythm(self) -> int:
        return self.rhythm_days or self.meeting_type.default_rhythm_days


class MeetingStatus(models.TextChoices):
    PLANNED = "gepland", "Gepland"
    HELD = "gehouden", "Gehouden"
    FINALISED = "vastgesteld", "Notulen vastgesteld"
    CANCELLED = "geannuleerd", "Geannuleerd"


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_meetings(self, user)


class Meeting(VersionedModel):
    number = models.CharField("nummer", max_length=20, unique=True, editable=False)
    house = models.ForeignKey(House, models.PROTECT, related_name="meetings", verbose_name="ZVH")
    meeting_type = models.ForeignKey(MeetingType, models.PROTECT, related_name="meetings", verbose_name="soort overleg")
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name="gemeente",
        help_text="De gemeente waarvoor dit overleg (bijvoorbeeld een jeugdbeschermingstafel) wordt gehouden.",
    )
    starts_at = models.DateTimeField("datum en tijd")
    location = models.CharField("locatie", max_length=120, blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="voorzitter")
    status = models.CharField("status", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    held_at = models.DateTimeField("gehouden op", null=True, blank=True)
    external_participants = models.TextField(
        "overige deelnemers", blank=True, help_text="Deelnemers zonder account, één per regel met hun organisatie."
    )
    general_notes = models.TextField(
        "algemene notulen", blank=True, help_text="Geen persoonsgegevens: die horen bij het agendapunt van de casus."
    )
    minutes_finalised_at = models.DateTimeField("notulen vastgesteld op", null=True, blank=True)
    minutes_finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="vastgesteld door"
    )
    cancel_reason = models.TextField("reden annulering", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "casusoverleg"
        verbose_name_plural = "casusoverleggen"
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["house", "status", "starts_at"]),
            models.Index(fields=["meeting_type", "held_at"]),
        ]

    def __str__(self):
        return f"{self.meeting_type} {clock.local_text(self.starts_at, '%d-%m-%Y')} ({self.number})"


class Attendance(models.TextChoices):
    EXPECTED = "verwacht", "Verwacht"
    PRESENT = "aanwezig", "Aanwezig"
    APOLOGISED = "afgemeld", "Afgemeld"
    ABSENT = "afwezig", "Afwezig zonder bericht"


class Participant(models.Model):
    """A user invited to a meeting, with their attendance once it is held."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="participants", verbose_name="overleg")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="meeting_participations", verbose_name="deelnemer")
    attendance = models.CharField("aanwezigheid", max_length=20, choices=Attendance.choices, default=Attendance.EXPECTED)

    class Meta:
        verbose_name = "deelnemer"
        verbose_name_plural = "deelnemers"
        ordering = ["meeting", "user__last_name", "user__first_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="unique_meeting_participant")]

    def __str__(self):
        return f"{self.user} – {self.get_attendance_display()}"


class AgendaItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_agenda_items(self, user)


class AgendaItem(VersionedModel):
    """One case on a meeting's agenda, with who discusses it and, after the meeting, what was said and decided."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="items", verbose_name="overleg")
    case = models.ForeignKey("cases.Case", models.PROTECT, related_name="agenda_items", verbose_name="casus")
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    question = models.TextField("aanleiding / vraag aan het overleg", blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="meeting_agenda_items",
        blank=True,
        verbose_name="bespreken dit punt",
        help_text="Alleen leden van het casusteam; zij zien dit agendapunt en de notulen ervan.",
    )
    summary = models.TextField("samenvatting bespreking", blank=True)
    decisions = models.TextField("besluiten", blank=True)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = "agendapunt"
        verbose_name_plural = "agendapunten"
        ordering = ["meeting", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="unique_case_per_meeting")]

    def __str__(self):
        return f"{self.meeting.number} – {self.case.number}"


class ItemAction(models.Model):
    """A new action agreed on an agenda item, added to the case's plan van aanpak (`plans.services.add_action`)."""

    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="new_actions", verbose_name="agendapunt")
    action = models.OneToOneField("plans.Action", models.CASCADE, related_name="meeting_item", verbose_name="actie")

    class Meta:
        verbose_name = "nieuwe actie uit overleg"
        verbose_name_plural = "nieuwe acties uit overleg"
        ordering = ["item", "pk"]


class ReviewOutcome(models.TextChoices):
    """How the meeting judged an open or overdue action. "Niet mogelijk" (it could not be done, nobody's fault) is
    kept apart from "niet uitgevoerd door partner" (the partner did not deliver what it confirmed)."""

    DONE = "gereed", "Uitgevoerd"
    ON_TRACK = "loopt", "Loopt volgens afspraak"
    DELAYED = "vertraagd", "Vertraagd, loopt door"
    IMPOSSIBLE = "niet_mogelijk", "Niet mogelijk"
    NOT_DONE_BY_PARTNER = "niet_uitgevoerd", "Niet uitgevoerd door partner"


class ActionReview(models.Model):
    """The meeting's review of one open or overdue action of the case's plan, on the item of that case."""

    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="action_reviews", verbose_name="agendapunt")
    action = models.ForeignKey("plans.Action", models.CASCADE, related_name="meeting_reviews", verbose_name="actie")
    outcome = models.CharField("beoordeling", max_length=20, choices=ReviewOutcome.choices)
    note = models.TextField("toelichting", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "bespreking actie"
        verbose_name_plural = "besprekingen acties"
        ordering = ["item", "action__due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "action"], name="one_review_per_action_per_item")]

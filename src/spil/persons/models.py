from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from spil.core import clock

from spil.organisations.models import House, Municipality
from spil.persons.bsn import bsn_hash, is_valid_bsn, normalise, validate_bsn
from spil.persons import names
from spil.persons.listed import full_name


# A shorter text is a whole name, not a fragment: "a" occurs in nearly every name, and as a fragment it had PostgreSQL
# check every person known in the user's houses (0.7-0.9 s nationally), while "Li" and "Wu" are surnames.
SHORTEST_FRAGMENT = 3


class PersonQuerySet(models.QuerySet):
    def matching(self, text: str):
        """The search box: a fragment of at least three letters of a first name or surname, a whole name, or an exact
        BSN. Accents and particles are ignored ("van der Berg", "Berg, van der" and "Bérg" find Berg), through the
        normalised name keys (`names`), which trigram indexes serve; a BSN is looked up by its keyed hash, also indexed."""
        text = text.strip()
        if _is_bsn(text):
            return self.filter(bsn_hash=bsn_hash(text))
        found = models.Q(pk__in=[])
        if key := names.surname_key(text):
            found |= _name_condition("name_key", key)
        if key := names.first_name_key(text):
            found |= _name_condition("first_name_key", key)
        return self.filter(found)

    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_persons(self, user)

    def found_by(self, text: str, user):
        """What the search box finds for `user`: `matching` among the persons they may see."""
        from spil.access import policy

        return policy.visible_persons(self.matching(text), user, narrow=not _is_bsn(text.strip()))


def _name_condition(field: str, key: str) -> models.Q:
    return models.Q(**{f"{field}__contains" if len(key) >= SHORTEST_FRAGMENT else field: key})


def _is_bsn(text: str) -> bool:
    return is_valid_bsn(normalise(text))


class Person(models.Model):
    """A betrokkene: the subject of a melding or case."""

    bsn = models.CharField("BSN", max_length=9, blank=True, validators=[validate_bsn])
    bsn_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    first_names = models.CharField("voornamen", max_length=120)
    surname_prefix = models.CharField("tussenvoegsel", max_length=20, blank=True)
    surname = models.CharField("achternaam", max_length=120)
    birth_date = models.DateField("geboortedatum", null=True, blank=True)
    address = models.CharField("adres", max_length=200, blank=True, help_text="Straat en huisnummer.")
    postcode = models.CharField("postcode", max_length=7, blank=True)
    city = models.CharField("woonplaats", max_length=80, blank=True)
    municipality = models.ForeignKey(Municipality, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="gemeente")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    # Normalised names for matching and search (`names.py`), computed on save.
    name_key = models.CharField(max_length=160, blank=True, editable=False)
    first_name_key = models.CharField(max_length=120, blank=True, editable=False)
    match_pending = models.BooleanField(
        default=False, editable=False, help_text="Nieuw bij een melding; de intake heeft nog niet vergeleken met bekende personen."
    )
    merged_into = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, editable=False, related_name="absorbed_records", verbose_name="opgenomen in"
    )
    # The houses of every melding and case that ever named this person, kept by database triggers (migration 0005) and
    # never shrunk: a superset, so a search may narrow its candidates to the houses whose rows the user can see before
    # checking each one's visibility exactly (`policy.visible_persons`). Never a reason to see anybody.
    known_in_houses = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "persoon"
        verbose_name_plural = "personen"
        ordering = ["surname", "first_names"]
        indexes = [
            # The search narrows a name fragment to the persons known in the user's houses: with both in one index,
            # PostgreSQL skips through a house's tens of thousands of persons instead of intersecting two bitmaps.
            # A condition on the name alone (matching, the list filters) uses the same indexes.
            # Without `fastupdate` a new person goes into the indexes at once (0.05 ms more per person). With it, new
            # entries wait in a pending list that every search and every registration's matching reads through, until
            # a vacuum or its 4 MB limit: nationally a vacuum of a million persons comes after 200,000 new ones, and
            # 9,000 waiting entries tripled the index's part of a name search (3.7 -> 10.5 ms).
            GinIndex(
                fields=["known_in_houses", "name_key"],
                opclasses=["array_ops", "gin_trgm_ops"],
                name="person_houses_name_key",
                fastupdate=False,
            ),
            GinIndex(
                fields=["known_in_houses", "first_name_key"],
                opclasses=["array_ops", "gin_trgm_ops"],
                name="person_houses_first_name_key",
                fastupdate=False,
            ),
            GinIndex(fields=["known_in_houses"], name="person_known_in_houses", fastupdate=False),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_key = names.surname_key(self.surname_prefix, self.surname)
        self.first_name_key = names.first_name_key(self.first_names)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key", "first_name_key"}
        super().save(*args, **kwargs)

    def with_absorbed(self) -> list["Person"]:
        """This record and every record merged into it (also through a chain of merges): all records of one person."""
        records, frontier = [self], [self]
        while frontier:
            frontier = list(Person.objects.filter(merged_into__in=frontier))
            records += frontier
        return records

    @property
    def full_name(self) -> str:
        return full_name(self.first_names, self.surname_prefix, self.surname)


class PersonMerge(models.Model):
    """Two records of one person joined: the absorbed record's meldingen and cases now name the survivor.

    Reversible: the link rows that moved are remembered (`report_links`: `intake.ReportPerson` ids, `case_links`: ids
    of the case-person rows), as are the blanks of the survivor filled from the absorbed record (`filled`), so
    `services.unmerge` restores exactly what the merge changed. Ids, not foreign keys: a dossier destroyed after its
    retention term takes its link rows with it, and the merge then simply has less to restore.
    """

    survivor = models.ForeignKey(Person, models.PROTECT, related_name="merges", verbose_name="blijft bestaan")
    absorbed = models.ForeignKey(Person, models.PROTECT, related_name="merged_away", verbose_name="opgenomen")
    reason = models.TextField("reden")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=clock.now)
    report_links = models.JSONField(default=list, editable=False)
    case_links = models.JSONField(default=list, editable=False)
    filled = models.JSONField(default=dict, editable=False)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField("reden ongedaan maken", blank=True)

    class Meta:
        verbose_name = "samenvoeging van personen"
        verbose_name_plural = "samenvoegingen van personen"
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["absorbed"], condition=models.Q(undone_at__isnull=True), name="one_active_merge_per_absorbed"),
            models.CheckConstraint(condition=~models.Q(survivor=models.F("absorbed")), name="merge_two_records"),
        ]

    @property
    def active(self) -> bool:
        return self.undone_at is None


class Discrepancy(models.Model):
    """A melding gave other data for a person already known by BSN. The recorded data is not overwritten silently:
    the intake takes the given value over or keeps the recorded one (`services.resolve_discrepancy`)."""

    report = models.ForeignKey(
        "intake.Report", models.CASCADE, null=True, blank=True, related_name="person_discrepancies", verbose_name="melding"
    )
    person = models.ForeignKey(Person, models.CASCADE, related_name="discrepancies")
    field = models.CharField(max_length=40)
    recorded = models.JSONField(null=True)
    given = models.JSONField(null=True)
    noted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    noted_at = models.DateTimeField(default=clock.now)
    accepted = models.BooleanField(null=True, help_text="Overgenomen (ja) of vastgelegde gegevens gehouden (nee).")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "afwijkend gegeven"
        verbose_name_plural = "afwijkende gegevens"
        ordering = ["noted_at", "pk"]

    @property
    def label(self) -> str:
        return str(Person._meta.get_field(self.field).verbose_name)

    @staticmethod
    def shown(field: str, value) -> str:
        if value in (None, ""):
            return "(leeg)"
        if field == "municipality":
            return str(Municipality.objects.filter(pk=value).first() or "")
        if field == "birth_date":
            year, month, day = str(value).split("-")
            return f"{int(day)}-{int(month)}-{year}"
        return str(value)

    @property
    def recorded_text(self) -> str:
        return self.shown(self.field, self.recorded)

    @property
    def given_text(self) -> str:
        return self.shown(self.field, self.given)


class HitCheck(models.Model):
    """At registration: was a person of the melding (with a BSN) known in an open case at another house? The answer
    is kept as given then (`KnownElsewhere`, nothing for no hit), never more than house, contact and PGA."""

    report = models.ForeignKey("intake.Report", models.CASCADE, related_name="hit_checks")
    person = models.ForeignKey(Person, models.CASCADE, related_name="+")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "hit/no-hit-bevraging"
        verbose_name_plural = "hit/no-hit-bevragingen"
        ordering = ["pk"]


class KnownElsewhere(models.Model):
    hit_check = models.ForeignKey(HitCheck, models.CASCADE, related_name="hits")
    house = models.ForeignKey(House, models.PROTECT, related_name="+", verbose_name="ZVH")
    pga_active = models.BooleanField("PGA actief")
    contact = models.CharField("contact", max_length=200, blank=True)

    class Meta:
        verbose_name = "bekend bij ander huis"
        verbose_name_plural = "bekend bij andere huizen"
        ordering = ["house__name"]

from django.db import models

from spil.core import clock

from spil.organisations.models import Municipality
from spil.persons.bsn import normalise, validate_bsn


class PersonQuerySet(models.QuerySet):
    def matching(self, text: str):
        """The search box: a fragment of a first name or surname (accents ignored), or an exact BSN."""
        text = text.strip()
        return self.filter(
            models.Q(surname__unaccent__icontains=text)
            | models.Q(first_names__unaccent__icontains=text)
            | models.Q(bsn=normalise(text))
        )

    def visible_to(self, user):
        from spil.access import policy

        return policy.visible_persons(self, user)


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
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="gemeente"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "persoon"
        verbose_name_plural = "personen"
        ordering = ["surname", "first_names"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in [self.first_names, self.surname_prefix, self.surname] if part)

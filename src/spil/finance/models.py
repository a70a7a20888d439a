"""Bedrijfsvoering of a house: budget with its revisions, inwonerbijdrage, jaarplan and plustaken contracts.

Nothing here holds personal data: amounts, populations, fte, and counts or numbers of cases and meetings.
Who sees what is decided in `spil.access.policy` (`visible_finance`): managers and the bedrijfsbureau of a house
see and keep all of it (`finance.manage`); the stuurgroep reads the budget, the inwonerbijdrage and the jaarplan
(`finance.view`), never contracts or billing.

Money is `Decimal` everywhere. Computed figures (totals, differences, percentages, contributions per municipality,
invoice lines) are never stored: `spil.finance.calculations` derives them from what was entered.
"""

from django.conf import settings
from django.db import models

from spil.core import clock
from spil.core.models import VersionedModel
from spil.organisations.models import House, Municipality

MONEY = {"max_digits": 12, "decimal_places": 2}


class FinanceQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "finance.view"):
        from spil.access import policy

        return policy.visible_finance(self, user, action)


class HouseYear(models.Model):
    """Something a house keeps once per year."""

    house = models.ForeignKey(House, models.PROTECT, related_name="+", verbose_name="ZVH")
    year = models.PositiveSmallIntegerField("jaar")

    objects = FinanceQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name.capitalize()} {self.year} – {self.house}"


# Begroting ------------------------------------------------------------------------------------------------------


class Budget(HouseYear):
    class Meta:
        verbose_name = "begroting"
        verbose_name_plural = "begrotingen"
        ordering = ["house", "-year"]
        constraints = [models.UniqueConstraint(fields=["house", "year"], name="unique_budget_per_year")]


class BudgetVersion(models.Model):
    """A column of the budget: the primary budget (number 0) or its n-th revision (bijstelling n).

    Once adopted (vastgesteld) its amounts are frozen; later changes go into a new revision, which starts as a copy.
    """

    budget = models.ForeignKey(Budget, models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("volgnummer", help_text="0: primaire begroting; 1, 2, …: bijstellingen.")
    note = models.TextField("toelichting", blank=True)
    adopted_on = models.DateField("vastgesteld op", null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "begrotingsversie"
        verbose_name_plural = "begrotingsversies"
        ordering = ["budget", "number"]
        constraints = [models.UniqueConstraint(fields=["budget", "number"], name="unique_budget_version_number")]

    def __str__(self):
        return self.label

    @property
    def house(self):
        return self.budget.house

    @property
    def label(self) -> str:
        return "Primaire begroting" if self.number == 0 else f"{self.number}e bijstelling"

    @property
    def adopted(self) -> bool:
        return self.adopted_on is not None


class Kind(models.TextChoices):
    INCOME = "baten", "Baten"
    EXPENSE = "lasten", "Lasten"


class Nature(models.TextChoices):
    STRUCTURAL = "structureel", "Structureel"
    INCIDENTAL = "incidenteel", "Incidenteel"


class BudgetLine(VersionedModel):
    budget = models.ForeignKey(Budget, models.CASCADE, related_name="lines")
    kind = models.CharField("soort", max_length=10, choices=Kind.choices)
    nature = models.CharField("aard", max_length=12, choices=Nature.choices, default=Nature.STRUCTURAL)
    group = models.CharField(
        "groep", max_length=120, help_text="De tabel in de begroting waar de regel onder valt, bijvoorbeeld ‘Personeel’."
    )
    description = models.CharField("omschrijving", max_length=200)
    funder = models.CharField("financier", max_length=160, blank=True, help_text="Wie de baten betaalt, bijvoorbeeld ‘Gemeente Heerlen’.")
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        verbose_name = "begrotingsregel"
        verbose_name_plural = "begrotingsregels"
        ordering = ["budget", "kind", "order", "pk"]

    def __str__(self):
        return self.description

    @property
    def house(self):
        return self.budget.house


class BudgetAmount(models.Model):
    """The amount of a line in one version. No amount, or `amount` empty (PM, pro memorie), counts as zero."""

    line = models.ForeignKey(BudgetLine, models.CASCADE, related_name="amounts")
    version = models.ForeignKey(BudgetVersion, models.CASCADE, related_name="amounts")
    amount = models.DecimalField("bedrag", null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = "begrotingsbedrag"
        verbose_name_plural = "begrotingsbedragen"
        constraints = [models.UniqueConstraint(fields=["line", "version"], name="unique_budget_amount")]


# Inwonerbijdrage ------------------------------------------------------------------------------------------------


class Contribution(HouseYear, VersionedModel):
    """The inwonerbijdrage of a year: the total, split over the municipalities by the populations snapshotted here."""

    total = models.DecimalField("totale inwonerbijdrage", **MONEY)
    population_basis = models.CharField(
        "bron inwoneraantallen", max_length=120, blank=True, help_text="Bijvoorbeeld ‘CBS, 1 januari 2024’."
    )
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "inwonerbijdrage"
        verbose_name_plural = "inwonerbijdragen"
        ordering = ["house", "-year"]
        constraints = [models.UniqueConstraint(fields=["house", "year"], name="unique_contribution_per_year")]


class ContributionShare(models.Model):
    """A municipality's population as used for one contribution year: a later CBS update does not change it."""

    contribution = models.ForeignKey(Contribution, models.CASCADE, related_name="shares")
    municipality = models.ForeignKey(Municipality, models.PROTECT, related_name="+", verbose_name="gemeente")
    population = models.PositiveIntegerField("inwoners")

    class Meta:
        verbose_name = "inwoneraantal"
        verbose_name_plural = "inwoneraantallen"
        ordering = ["contribution", "municipality__name"]
        constraints = [models.UniqueConstraint(fields=["contribution", "municipality"], name="unique_contribution_share")]


# Jaarplan -------------------------------------------------------------------------------------------------------


class AnnualPlan(HouseYear):
    introduction = models.TextField("inleiding", blank=True)

    class Meta:
        verbose_name = "jaarplan"
        verbose_name_plural = "jaarplannen"
        ordering = ["house", "-year"]
        constraints = [models.UniqueConstraint(fields=["house", "year"], name="unique_annual_plan_per_year")]


class Activity(VersionedModel):
    """A theme or product of the jaarplan: what we do, what it yields, what it costs."""

    plan = models.ForeignKey(AnnualPlan, models.CASCADE, related_name="activities")
    theme = models.CharField(
        "ontwikkellijn of thema", max_length=160, blank=True, help_text="Bijvoorbeeld ‘Personen met een hoog veiligheidsrisico’."
    )
    name = models.CharField("activiteit", max_length=160)
    what_we_do = models.TextField("wat gaan we doen")
    what_it_yields = models.TextField("wat levert het op", blank=True)
    planned_output = models.PositiveIntegerField("beoogde productie", null=True, blank=True)
    output_unit = models.CharField("eenheid", max_length=60, blank=True, help_text="Bijvoorbeeld ‘casussen’ of ‘tafels’.")
    case_type = models.ForeignKey(
        "casetypes.CaseType",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="casustype",
        help_text="Gerealiseerd: het aantal casussen van dit type dat in het jaar is geopend.",
    )
    meeting_type = models.ForeignKey(
        "meetings.MeetingType",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="soort overleg",
        help_text="Gerealiseerd: het aantal overleggen van deze soort dat in het jaar is gehouden.",
    )
    cost = models.DecimalField("kosten", null=True, blank=True, help_text="In euro’s, naast de inzet in fte.", **MONEY)
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        verbose_name = "activiteit"
        verbose_name_plural = "activiteiten"
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.name

    @property
    def house(self):
        return self.plan.house


class StaffAllocation(models.Model):
    activity = models.ForeignKey(Activity, models.CASCADE, related_name="staff")
    role = models.CharField("functie", max_length=80, help_text="Bijvoorbeeld ‘nazorgcoördinatie’ of ‘procesregie’.")
    fte = models.DecimalField("fte", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "formatie"
        verbose_name_plural = "formatie"
        ordering = ["activity", "pk"]
        constraints = [models.UniqueConstraint(fields=["activity", "role"], name="unique_role_per_activity")]

    def __str__(self):
        return f"{self.fte} fte {self.role}"


# Plustaken ------------------------------------------------------------------------------------------------------


class Pricing(models.TextChoices):
    PER_YEAR = "per_jaar", "Per jaar"
    PER_DELIVERY = "per_levering", "Per levering"


class Contract(VersionedModel):
    """A plustaak: extra work commissioned and paid by a municipality or a region of municipalities.

    Per delivery: every meeting of `meeting_type` held (or case of `case_type` opened) for one of `municipalities`
    within the contract period is an invoice line at `price`. Per year: `price` is the yearly amount, billed in
    four quarterly instalments.
    """

    house = models.ForeignKey(House, models.PROTECT, related_name="+", verbose_name="ZVH")
    name = models.CharField("naam", max_length=160)
    commissioner = models.CharField(
        "opdrachtgever", max_length=200, help_text="Wie de opdracht geeft en de factuur krijgt, bijvoorbeeld ‘Gemeente Heerlen’."
    )
    municipalities = models.ManyToManyField(
        Municipality,
        related_name="+",
        verbose_name="gemeenten",
        help_text="De gemeente of de gemeenten (regio) waarvoor de opdracht geldt.",
    )
    pricing = models.CharField("bekostiging", max_length=20, choices=Pricing.choices)
    price = models.DecimalField("prijs", help_text="Per jaar of per levering, in euro’s.", **MONEY)
    meeting_type = models.ForeignKey(
        "meetings.MeetingType",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="levering: gehouden overleg",
    )
    case_type = models.ForeignKey(
        "casetypes.CaseType", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="levering: geopende casus"
    )
    starts_on = models.DateField("ingangsdatum")
    ends_on = models.DateField("einddatum", null=True, blank=True, help_text="Leeg: loopt door.")
    description = models.TextField("omschrijving opdracht", blank=True)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    objects = FinanceQuerySet.as_manager()

    class Meta:
        verbose_name = "plustaak"
        verbose_name_plural = "plustaken"
        ordering = ["house", "name"]

    def __str__(self):
        return self.name

    @property
    def per_delivery(self) -> bool:
        return self.pricing == Pricing.PER_DELIVERY

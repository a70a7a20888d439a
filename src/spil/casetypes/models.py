"""Case types (aanpakken, producten, thema's) are configuration: loaded from `fixtures/case_types.toml`."""

from django.db import models


class LifeDomain(models.Model):
    """A leefgebied on which shortfalls are described and plan goals are set."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("naam", max_length=80)
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        verbose_name = "leefgebied"
        verbose_name_plural = "leefgebieden"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


DEFAULT_EVALUATION_INTERVAL_DAYS = 90
DEFAULT_STAGNATION_DAYS = 28


class CaseTypeQuerySet(models.QuerySet):
    def for_intake(self):
        """The themes a melding can ask for: active products, not labels such as Top-X."""
        return self.filter(active=True, label_for__isnull=True)


class CaseType(models.Model):
    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("naam", max_length=120, unique=True)
    description = models.TextField("omschrijving", blank=True)
    restricted = models.BooleanField(
        "afgeschermd",
        default=False,
        help_text="Alleen zichtbaar voor met naam genoemde teamleden (bijv. radicalisering, mensenhandel).",
    )
    separate_dossiers = models.BooleanField(
        "aparte dossiers per persoon",
        default=False,
        help_text="Elke persoon van de melding krijgt een eigen, ongekoppeld dossier (bijv. slachtoffer en dader bij mensenhandel).",
    )
    label_for = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="labels",
        verbose_name="label bij",
        help_text="Een label (zoals Top-X) dat op casussen van dit type wordt gezet, in plaats van een eigen casustype.",
    )
    lead_time_days = models.PositiveIntegerField("standaard doorlooptijd (dagen)")
    processing_activity = models.ForeignKey(
        "logbook.ProcessingActivity",
        models.PROTECT,
        related_name="case_types",
        verbose_name="verwerkingsactiviteit",
        help_text="De verwerking in het verwerkingsregister waaronder de gegevens van deze casussen vallen.",
    )
    life_domains = models.ManyToManyField(LifeDomain, verbose_name="leefgebieden", blank=True)
    evaluation_interval_days = models.PositiveIntegerField(
        "evaluatieritme (dagen)",
        default=DEFAULT_EVALUATION_INTERVAL_DAYS,
        help_text="Om de hoeveel dagen een plan van aanpak in uitvoering wordt geëvalueerd.",
    )
    stagnation_days = models.PositiveIntegerField(
        "stagnatie na (dagen)",
        default=DEFAULT_STAGNATION_DAYS,
        help_text="Een open casus zonder voortgang gedurende zoveel dagen geeft een signaal.",
    )
    measure_days = models.PositiveIntegerField(
        "duur maatregel (dagen)",
        null=True,
        blank=True,
        help_text="Bijvoorbeeld een huisverbod: 10 dagen vanaf het opleggen. Leeg: geen maatregel.",
    )
    measure_max_days = models.PositiveIntegerField(
        "maximale duur maatregel met verlenging (dagen)",
        null=True,
        blank=True,
        help_text="Bijvoorbeeld een huisverbod: in totaal 28 dagen.",
    )
    active = models.BooleanField("actief", default=True)

    objects = CaseTypeQuerySet.as_manager()

    class Meta:
        verbose_name = "casustype"
        verbose_name_plural = "casustypen"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def first_phase(self):
        return self.phases.order_by("order").first()


class Phase(models.Model):
    case_type = models.ForeignKey(CaseType, models.CASCADE, related_name="phases", verbose_name="casustype")
    code = models.SlugField("code", max_length=40)
    name = models.CharField("naam", max_length=80)
    order = models.PositiveSmallIntegerField("volgorde")
    lead_time_days = models.PositiveIntegerField("standaard doorlooptijd (dagen)")

    class Meta:
        verbose_name = "fase"
        verbose_name_plural = "fasen"
        ordering = ["case_type", "order"]
        constraints = [
            models.UniqueConstraint(fields=["case_type", "code"], name="unique_phase_code"),
            models.UniqueConstraint(fields=["case_type", "order"], name="unique_phase_order"),
        ]

    def __str__(self):
        return self.name

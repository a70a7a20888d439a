import datetime

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, models

from spil.core.kept import kept


class IntakeRegion(models.Model):
    """One central intake (loket) serving several houses, e.g. Zuid-Limburg. Its intake team sees the region's
    meldingen; routing (`intake.routing`) then decides which house owns each one."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("naam", max_length=120, unique=True)

    class Meta:
        verbose_name = "intakeregio"
        verbose_name_plural = "intakeregio's"
        ordering = ["name"]

    def __str__(self):
        return self.name


class House(models.Model):
    """A Zorg- en Veiligheidshuis: the tenant that owns meldingen and cases."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("naam", max_length=120, unique=True)
    intake_region = models.ForeignKey(
        IntakeRegion,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="houses",
        verbose_name="intakeregio",
        help_text="Het centrale loket waar meldingen voor dit huis binnenkomen (leeg: het huis heeft een eigen intake).",
    )
    contact = models.CharField(
        "contact voor ketenpartners",
        max_length=200,
        blank=True,
        help_text="Telefoonnummer of e-mailadres dat andere huizen en partners krijgen bij een hit (bekend bij dit huis).",
    )
    triage_cutoff_weekday = models.PositiveSmallIntegerField(
        "sluitingsdag agenda weegtafel",
        default=0,
        choices=[(0, "maandag"), (1, "dinsdag"), (2, "woensdag"), (3, "donderdag"), (4, "vrijdag"), (5, "zaterdag"), (6, "zondag")],
        help_text="Meldingen die vóór dit moment gereed zijn voor weging, komen op de agenda van de eerstvolgende weegtafel.",
    )
    triage_cutoff_time = models.TimeField("sluitingstijd agenda weegtafel", default=datetime.time(12, 0))

    class Meta:
        verbose_name = "Zorg- en Veiligheidshuis"
        verbose_name_plural = "Zorg- en Veiligheidshuizen"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    cbs_code = models.CharField("CBS-code", max_length=6, unique=True, help_text="Bijvoorbeeld GM0917.")
    name = models.CharField("naam", max_length=120, unique=True)
    population = models.PositiveIntegerField("inwoners", help_text="Aantal inwoners volgens het CBS.")
    house = models.ForeignKey(House, models.PROTECT, related_name="municipalities", verbose_name="ZVH")

    class Meta:
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"
        ordering = ["name"]

    def __str__(self):
        return self.name


class RoutingRule(models.Model):
    """An exception to "a gemeente's meldingen go to its own house": for this gemeente and theme another house owns
    the melding (Mook en Middelaar: some themes go to Gelderland), unless criminal law is involved."""

    municipality = models.ForeignKey(Municipality, models.CASCADE, related_name="routing_rules", verbose_name="gemeente")
    case_type = models.ForeignKey("casetypes.CaseType", models.CASCADE, related_name="+", verbose_name="thema")
    house = models.ForeignKey(House, models.PROTECT, related_name="+", verbose_name="ZVH")
    unless_criminal_law = models.BooleanField(
        "niet bij strafrechtelijk kader",
        default=False,
        help_text="Geldt niet als er een strafrechtelijk kader is; dan gaat de melding naar het huis van de gemeente.",
    )
    note = models.CharField("toelichting", max_length=200, blank=True)

    class Meta:
        verbose_name = "routeringsregel"
        verbose_name_plural = "routeringsregels"
        ordering = ["municipality", "case_type"]
        constraints = [models.UniqueConstraint(fields=["municipality", "case_type"], name="unique_routing_rule")]

    def __str__(self):
        return f"{self.municipality} – {self.case_type} → {self.house}"


class PartnerType(models.TextChoices):
    POLICE = "politie", "Politie"
    PROSECUTION = "om", "Openbaar Ministerie"
    PROBATION = "reclassering", "Reclassering"
    CHILD_PROTECTION = "rvdk", "Raad voor de Kinderbescherming"
    PRISON = "pi_dji", "PI / DJI"
    MENTAL_HEALTH = "ggz", "GGZ"
    ADDICTION = "verslavingszorg", "Verslavingszorg"
    DOMESTIC_VIOLENCE = "veilig_thuis", "Veilig Thuis"
    YOUTH_CARE = "jeugdzorg", "Jeugdzorg"
    MUNICIPALITY = "gemeente", "Gemeente"
    HOUSING = "woningcorporatie", "Woningcorporatie"
    PUBLIC_HEALTH = "ggd", "GGD"
    SHELTER = "maatschappelijke_opvang", "Maatschappelijke opvang"
    VICTIM_SUPPORT = "slachtofferhulp", "Slachtofferhulp"
    ZVH = "zvh", "Zorg- en Veiligheidshuis"
    OTHER = "anders", "Anders"


class Partner(models.Model):
    """A ketenpartner organisation (police unit, GGZ institution, municipality, ...)."""

    name = models.CharField("naam", max_length=160, unique=True)
    type = models.CharField("soort", max_length=30, choices=PartnerType.choices)

    class Meta:
        verbose_name = "ketenpartner"
        verbose_name_plural = "ketenpartners"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    INTAKE = "intake", "Intakemedewerker"
    TRIAGE = "weger", "Weger (weegtafel)"
    PROCESS_DIRECTOR = "procesregisseur", "Procesregisseur"
    CASE_DIRECTOR = "casusregisseur", "Casusregisseur (ketenpartner)"
    BACK_OFFICE = "bedrijfsbureau", "Bedrijfsbureau"
    PRIVACY_OFFICER = "privacy", "Privacy officer"
    MANAGER = "manager", "Manager"
    PROFESSIONAL = "professional", "Professional (ketenpartner)"
    OOV_OFFICER = "oov", "OOV-functionaris (gemeente)"
    STEERING_GROUP = "stuurgroep", "Lid stuurgroep"
    NATIONAL_MONITOR = "landelijk", "Landelijke monitor"
    API_CLIENT = "koppeling", "Koppeling (systeem van een ketenpartner)"


class Membership(models.Model):
    """A user's role in one house; a user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name="gebruiker")
    house = models.ForeignKey(House, models.CASCADE, related_name="memberships", verbose_name="ZVH")
    role = models.CharField("rol", max_length=20, choices=Role.choices)
    partner = models.ForeignKey(
        Partner,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name="organisatie",
        help_text="De ketenpartner waarvoor deze gebruiker werkt (leeg: medewerker van het ZVH).",
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name="gemeente",
        help_text="Voor een OOV-functionaris: de gemeente waarvoor deze gebruiker werkt.",
    )

    class Meta:
        verbose_name = "lidmaatschap"
        verbose_name_plural = "lidmaatschappen"
        constraints = [models.UniqueConstraint(fields=["user", "house", "role"], name="unique_membership_role")]
        # `technical_users`, which every list of a house's people excludes, reads only this.
        indexes = [models.Index(fields=["user"], condition=models.Q(role=Role.API_CLIENT), name="membership_technical_user")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.house}"


# Written out rather than built with the ORM: nearly every request reads it, and Django took about 1 ms to build and
# compile the joined values query, three times what PostgreSQL needs for it.
_MEMBERSHIPS_SQL = """
    SELECT membership.house_id, membership.role, house.intake_region_id, COALESCE(partner.name, house.name)
      FROM organisations_membership membership
      JOIN organisations_house house ON house.id = membership.house_id
      LEFT JOIN organisations_partner partner ON partner.id = membership.partner_id
     WHERE membership.user_id = %s
"""


def memberships_of(user) -> list[tuple[int, str, int | None, str]]:
    """The user's memberships as (house, role, intake region, organisation) rows, in one query kept per request
    (`core.kept`): the access rules and the logs' organisation (the partner's name, else the house's) both need them."""

    def read():
        with connection.cursor() as cursor:
            cursor.execute(_MEMBERSHIPS_SQL, [user.pk])
            return cursor.fetchall()

    return kept(("memberships", user.pk), read)


def members(houses, roles=None):
    """People holding one of `roles` (any role when None) in a house or any house of a queryset: the choices for a
    case team, a responsible person, a meeting. A partner system's technical user (`API_CLIENT`) is never one."""
    from django.contrib.auth import get_user_model

    memberships = Membership.objects.filter(house__in=houses if isinstance(houses, models.QuerySet) else [houses])
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    # Technical users are left out among these memberships, not among all users: `NOT IN` on the users table made
    # PostgreSQL read every user.
    memberships = memberships.exclude(user_id__in=technical_users())
    # The members' ids as an array first (`= ANY(ARRAY(...))`), then each looked up by key: as `IN (subquery)`
    # PostgreSQL hashed the house's dozens of members and read all 5,000 users past them (2 ms against 0.6).
    return get_user_model().objects.filter(pk__any=ArraySubquery(memberships.values("user_id"))).order_by("last_name", "first_name")


def member_choices(houses, roles=None) -> list[tuple[str, str]]:
    """`members` as (id, full name) choices for a select, read as plain rows: a filter lists a house's dozens of
    regisseurs on every page it is on. The label is the one `web.forms.UserChoiceMixin` gives a user instance (full name,
    else username), written on the row's columns because this layer does not import the web forms."""
    people = members(houses, roles).values_list("pk", "first_name", "last_name", "username")
    return [(str(pk), f"{first_name} {last_name}".strip() or username) for pk, first_name, last_name, username in people]


def technical_users():
    """The ids of partner systems' technical users (the partner API's clients): no person logs in as one."""
    return Membership.objects.filter(role=Role.API_CLIENT).values("user_id")

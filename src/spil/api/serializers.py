"""What goes in and out of the API, with Dutch field names and descriptions: they become the OpenAPI schema, so the
serializers' docstrings and help texts are in Dutch (for the partners' developers) and their components get Dutch names.

Outgoing representations carry no more than the partner may know: a melding's status (never its content or
persons), an action of the partner (never the rest of the plan or dossier), an enrichment question and the melding
number it is about, and the ZSM hit/no-hit in exactly three fields.
"""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from spil.casetypes.models import CaseType
from spil.core import clock
from spil.intake.models import Report, ReportStatus
from spil.organisations.models import House, IntakeRegion, Municipality
from spil.persons.bsn import is_valid_bsn, normalise
from spil.plans.models import ActionStatus

BSN_HELP = "Burgerservicenummer: 9 cijfers (punten en spaties worden genegeerd), gecontroleerd met de 11-proef."


def clean_bsn(value: str) -> str:
    bsn = normalise(value)
    if not is_valid_bsn(bsn):
        raise serializers.ValidationError("Dit is geen geldig BSN: het moet uit 9 cijfers bestaan en voldoen aan de 11-proef.")
    return bsn


def not_in_future(value, what: str):
    if value and value > clock.today():
        raise serializers.ValidationError(f"{what} kan niet in de toekomst liggen.")
    return value


class CodeField(serializers.SlugRelatedField):
    """A code that names a row (huis, intakeregio, gemeente, thema). Text PostgreSQL cannot compare (a NUL character, a
    lone surrogate) is invalid input, not a database error."""

    def to_internal_value(self, data):
        if isinstance(data, str) and ("\x00" in data or _unencodable(data)):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.encode("utf-8", "replace").decode())
        return super().to_internal_value(data)


def _unencodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# ---------------------------------------------------------------------------------------------------- meldingen


@extend_schema_serializer(component_name="PersoonInvoer")
class PersonIn(serializers.Serializer):
    """Een persoon om wie de melding gaat."""

    bsn = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text=BSN_HELP)
    voornamen = serializers.CharField(max_length=120, help_text="Voornamen (of voorletters) van de persoon.")
    tussenvoegsel = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text="Bijvoorbeeld 'van der'.")
    achternaam = serializers.CharField(max_length=120)
    geboortedatum = serializers.DateField(required=False, allow_null=True, help_text="Datum in de vorm JJJJ-MM-DD.")
    adres = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Straat en huisnummer.")
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=7)
    woonplaats = serializers.CharField(required=False, allow_blank=True, max_length=80)
    gemeente = CodeField(
        slug_field="cbs_code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text="CBS-code van de gemeente van inschrijving, bijvoorbeeld GM0917. Telt mee bij de routering.",
    )
    rol = serializers.CharField(
        required=False, allow_blank=True, max_length=60, help_text="Rol in de melding, bijvoorbeeld: betrokkene, partner, kind."
    )

    def validate_bsn(self, value):
        return clean_bsn(value) if value.strip() else ""

    def validate_geboortedatum(self, value):
        return not_in_future(value, "De geboortedatum")


def person_data(d: dict) -> dict:
    """A validated `PersonIn` as `intake.services.register_report` takes a person."""
    return {
        "bsn": d.get("bsn", ""),
        "first_names": d["voornamen"],
        "surname_prefix": d.get("tussenvoegsel", ""),
        "surname": d["achternaam"],
        "birth_date": d.get("geboortedatum"),
        "address": d.get("adres", ""),
        "postcode": d.get("postcode", ""),
        "city": d.get("woonplaats", ""),
        "municipality": d.get("gemeente"),
        "relation": d.get("rol", ""),
    }


@extend_schema_serializer(component_name="MeldingInvoer")
class ReportIn(serializers.Serializer):
    """Een nieuwe melding."""

    huis = CodeField(
        slug_field="code",
        queryset=House.objects.all(),
        required=False,
        allow_null=True,
        help_text="Code van het Zorg- en Veiligheidshuis, als bekend is welk huis de melding krijgt. Geef anders `intakeregio`.",
    )
    intakeregio = CodeField(
        slug_field="code",
        queryset=IntakeRegion.objects.all(),
        required=False,
        allow_null=True,
        help_text="Code van het centrale loket (bijvoorbeeld zuid-limburg); de routeringsregels bepalen dan het huis.",
    )
    thema = CodeField(
        slug_field="code",
        queryset=CaseType.objects.for_intake(),
        help_text="De gevraagde aanpak (code van het casustype), bijvoorbeeld pga.",
    )
    formulier = serializers.CharField(
        required=False, default="algemeen", max_length=40, help_text="Het meldformulier (standaard 'algemeen')."
    )
    gegevens = serializers.DictField(
        required=False, default=dict, help_text="De extra velden van het meldformulier, bijvoorbeeld detentiedata bij een detentiemelding."
    )
    strafrechtelijk_kader = serializers.BooleanField(
        required=False, default=False, help_text="Er is een strafrechtelijk kader (telt mee bij de routering)."
    )
    melder_naam = serializers.CharField(max_length=120, help_text="Naam van de professional die meldt.")
    melder_bereikbaarheid = serializers.CharField(
        required=False, allow_blank=True, max_length=120, help_text="Telefoonnummer of e-mailadres van de melder."
    )
    aanleiding = serializers.CharField(help_text="Wat is er aan de hand? Waarom lukt het niet in de reguliere aanpak?")
    hulpvraag = serializers.CharField(help_text="Wat vraagt de melder van het Zorg- en Veiligheidshuis?")
    routering_toelichting = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Waarom dit huis, als de routeringsregels het niet kunnen bepalen (bijv. geen vaste woonplaats).",
    )
    personen = PersonIn(many=True, help_text="De personen om wie het gaat; minstens één.")

    def validate_personen(self, value):
        if not value:
            raise serializers.ValidationError("Een melding gaat over minstens één persoon.")
        return value

    def validate(self, attrs):
        if not attrs.get("huis") and not attrs.get("intakeregio"):
            raise serializers.ValidationError({"huis": "Geef het huis of de intakeregio van de melding."})
        return attrs


@extend_schema_serializer(component_name="Melding")
class ReportOut(serializers.ModelSerializer):
    """De status van een melding voor de koppeling die haar indiende: geen inhoud, geen personen, geen weging."""

    nummer = serializers.CharField(source="number", help_text="Het meldingnummer, bijvoorbeeld M-2026-000123.")
    status = serializers.ChoiceField(choices=ReportStatus.choices, help_text="ontvangen, in_verrijking, gereed (voor weging) of gewogen.")
    status_omschrijving = serializers.CharField(source="get_status_display", help_text="De status in woorden.")
    ontvangen_op = serializers.DateField(source="received_on", help_text="De datum waarop het huis de melding ontving.")
    geregistreerd_op = serializers.DateTimeField(source="created_at", help_text="Het moment van registratie in Spil.")
    formulier = serializers.CharField(source="form", help_text="Het meldformulier.")
    huis = serializers.CharField(source="house.code", help_text="Code van het huis dat de melding nu heeft.")
    huis_naam = serializers.CharField(source="house.name", help_text="Naam van het huis.")
    casus_geopend = serializers.SerializerMethodField(help_text="Of de weegtafel op deze melding een casus heeft geopend.")

    class Meta:
        model = Report
        fields = [
            "nummer",
            "status",
            "status_omschrijving",
            "ontvangen_op",
            "geregistreerd_op",
            "formulier",
            "huis",
            "huis_naam",
            "casus_geopend",
        ]

    def get_casus_geopend(self, report) -> bool:
        opened = getattr(report, "case_opened", None)
        return opened if opened is not None else report.cases.exists()


# ---------------------------------------------------------------------------------------------------- acties


@extend_schema_serializer(component_name="Leefgebied")
class LifeDomainOut(serializers.Serializer):
    """Het leefgebied waarop de actie betrekking heeft."""

    code = serializers.CharField(help_text="Bijvoorbeeld huisvesting.")
    naam = serializers.CharField(source="name", help_text="Bijvoorbeeld Huisvesting.")


@extend_schema_serializer(component_name="Voortgang")
class ActionUpdateOut(serializers.Serializer):
    """Een eerdere voortgangsmelding."""

    status = serializers.ChoiceField(choices=ActionStatus.choices, help_text="De gemelde status.")
    resultaat = serializers.CharField(source="result", help_text="Het gemelde resultaat of de toelichting.")
    op = serializers.DateTimeField(source="at", help_text="Wanneer de voortgang is gemeld.")


@extend_schema_serializer(component_name="Actie")
class ActionOut(serializers.Serializer):
    """Een actie van uw organisatie in een plan van aanpak: wat, wanneer, en hoe ver."""

    id = serializers.IntegerField(help_text="Het nummer van de actie in de API.")
    casusnummer = serializers.CharField(
        source="plan.case.number", help_text="De casus waarin de actie is afgesproken, bijvoorbeeld C-2026-000042."
    )
    planversie = serializers.IntegerField(source="plan.version_number", help_text="De versie van het plan van aanpak.")
    leefgebied = LifeDomainOut(source="life_domain")
    omschrijving = serializers.CharField(source="description", help_text="Wat er gedaan wordt.")
    partner = serializers.CharField(source="partner.name", help_text="De verantwoordelijke organisatie (uw organisatie).")
    start = serializers.DateField(source="start_on", help_text="Startdatum.")
    gereed_uiterlijk = serializers.DateField(source="due_on", help_text="Uiterlijke datum waarop de actie gereed is.")
    status = serializers.ChoiceField(choices=ActionStatus.choices, help_text="open, loopt, gereed, niet_mogelijk of niet_uitgevoerd.")
    status_omschrijving = serializers.CharField(source="get_status_display", help_text="De status in woorden.")
    resultaat = serializers.CharField(source="result", help_text="Het laatst gemelde resultaat.")
    herkomst = serializers.CharField(source="origin", help_text="Bijvoorbeeld het casusoverleg waarin de actie is afgesproken.")
    versie = serializers.IntegerField(source="version", help_text="Verandert bij elke wijziging; de ETag is hiervan afgeleid.")


@extend_schema_serializer(component_name="ActieMetVoortgang")
class ActionDetailOut(ActionOut):
    """Een actie van uw organisatie met haar eerdere voortgangsmeldingen."""

    voortgang = ActionUpdateOut(source="updates", many=True, help_text="Eerdere voortgangsmeldingen, oudste eerst.")


@extend_schema_serializer(component_name="VoortgangInvoer")
class ProgressIn(serializers.Serializer):
    """Nieuwe status en resultaat van een actie."""

    status = serializers.ChoiceField(choices=ActionStatus.choices, help_text="De nieuwe status van de actie.")
    resultaat = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Het resultaat of de toelichting; verplicht bij niet_mogelijk en niet_uitgevoerd.",
    )


# ---------------------------------------------------------------------------------------------------- verrijking


@extend_schema_serializer(component_name="Verrijkingsverzoek")
class EnrichmentOut(serializers.Serializer):
    """Een vraag van een Zorg- en Veiligheidshuis aan uw organisatie over een melding: de vraag en het meldingnummer, meer niet."""

    id = serializers.IntegerField(help_text="Het nummer van het verzoek in de API.")
    meldingnummer = serializers.CharField(source="report.number", help_text="De melding waarover de vraag gaat.")
    huis = serializers.CharField(source="report.house.code", help_text="Code van het huis dat de vraag stelt.")
    huis_naam = serializers.CharField(source="report.house.name", help_text="Naam van het huis dat de vraag stelt.")
    vraag = serializers.CharField(source="question", help_text="De gevraagde informatie.")
    gevraagd_op = serializers.DateField(source="requested_on", help_text="Datum van de vraag.")
    beantwoord_op = serializers.DateField(source="answered_on", allow_null=True, help_text="Datum van het antwoord; leeg zolang open.")


@extend_schema_serializer(component_name="VerrijkingAntwoord")
class EnrichmentAnswerIn(serializers.Serializer):
    """Het antwoord op een verrijkingsverzoek."""

    antwoord = serializers.CharField(help_text="Het antwoord op de vraag (de informatie van uw organisatie).")


# ---------------------------------------------------------------------------------------------------- ZSM


@extend_schema_serializer(component_name="ZsmBevraging")
class ZsmQuestionIn(serializers.Serializer):
    """De vraag van ZSM: alleen het BSN."""

    bsn = serializers.CharField(max_length=20, help_text=BSN_HELP)

    def validate_bsn(self, value):
        return clean_bsn(value)


@extend_schema_serializer(component_name="ZsmAntwoord")
class ZsmAnswerOut(serializers.Serializer):
    """Hit/no-hit: precies deze drie velden, nooit inhoud of casusnummers."""

    bekend = serializers.BooleanField(help_text="Of de persoon bekend is in een lopende casus van een Zorg- en Veiligheidshuis.")
    pga_actief = serializers.BooleanField(help_text="Of er een Persoonsgerichte Aanpak (PGA) loopt.")
    contact = serializers.CharField(help_text="Het huis en hoe het te bereiken is; leeg als de persoon niet bekend is.")


@extend_schema_serializer(component_name="ZsmBeslissing")
class ZsmDecisionIn(serializers.Serializer):
    """Een beslissing van ZSM over een verdachte."""

    bsn = serializers.CharField(max_length=20, help_text=BSN_HELP)
    beslissing = serializers.CharField(
        max_length=2000, help_text="De ZSM-beslissing, bijvoorbeeld 'OM-strafbeschikking, taakstraf 40 uur'."
    )
    parketnummer = serializers.CharField(max_length=40, help_text="Het parketnummer of een andere referentie van ZSM.")
    datum = serializers.DateField(help_text="De datum van de beslissing.")

    def validate_bsn(self, value):
        return clean_bsn(value)

    def validate_datum(self, value):
        return not_in_future(value, "De datum van de beslissing")


@extend_schema_serializer(component_name="ZsmOntvangen")
class ZsmDecisionOut(serializers.Serializer):
    """Bevestiging van ontvangst."""

    verwerkt = serializers.BooleanField(help_text="De beslissing staat in de tijdlijn van de lopende casus(sen) van de persoon.")


# ---------------------------------------------------------------------------------------------------- token


@extend_schema_serializer(component_name="TokenAanvraag")
class TokenIn(serializers.Serializer):
    """OAuth2 client credentials (RFC 6749, 4.4)."""

    grant_type = serializers.ChoiceField(choices=[("client_credentials", "client_credentials")], help_text="Altijd client_credentials.")
    client_id = serializers.CharField(required=False, help_text="Of via HTTP Basic-authenticatie.")
    client_secret = serializers.CharField(required=False, help_text="Of via HTTP Basic-authenticatie.")


@extend_schema_serializer(component_name="Toegangstoken")
class TokenOut(serializers.Serializer):
    """Een kortlevend toegangstoken."""

    access_token = serializers.CharField(help_text="Het token, voor `Authorization: Bearer <token>`.")
    token_type = serializers.CharField(help_text="Altijd 'Bearer'.")
    expires_in = serializers.IntegerField(help_text="Geldigheid in seconden.")

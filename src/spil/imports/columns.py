"""The columns of an import file, per kind: one row is one melding about one person.

The melding's and the person's columns have Dutch names. A kind with its own meldformulier (detentiemeldingen: the
form `detentie`) adds that form's fields as columns, named as in `intake/fixtures/channels.toml` (the same names as
the partner API uses), so a field added there is a column here without code. A form's default theme and channel
make those columns optional.
"""

from dataclasses import dataclass, replace

from spil.imports.models import ImportKind
from spil.intake import channels

FORMS = {ImportKind.REPORTS: channels.GENERAL, ImportKind.DETENTION: channels.DETENTION}


@dataclass(frozen=True)
class Column:
    name: str  # the header in the file
    label: str  # Dutch, for the column list
    kind: str  # how a cell is read: text, date, bsn, bool, partner, case_type, municipality, channel, detail
    target: str  # "report", "person" or "details"
    field: str  # the key in the service's arguments
    required: bool = False
    max_length: int | None = None
    example: str = ""
    help: str = ""
    past: bool = False  # a date that may not lie in the future


REPORT = [
    Column(
        "ontvangen_op",
        "Datum ontvangen",
        "date",
        "report",
        "received_on",
        required=True,
        example="02-03-2026",
        help="dd-mm-jjjj of jjjj-mm-dd; niet in de toekomst.",
    ),
    Column(
        "melder_organisatie",
        "Melder (organisatie)",
        "partner",
        "report",
        "source_partner",
        required=True,
        example="Politie Limburg",
        help="De naam van een ketenpartner, zoals die in Spil staat.",
    ),
    Column("naam_melder", "Naam melder", "text", "report", "reporter_name", required=True, max_length=120, example="A. Wijkagent"),
    Column(
        "bereikbaarheid_melder",
        "Bereikbaarheid melder",
        "text",
        "report",
        "reporter_contact",
        max_length=120,
        example="06-12345678",
        help="Telefoonnummer of e-mailadres.",
    ),
    Column(
        "kanaal",
        "Kanaal",
        "channel",
        "report",
        "channel",
        example="email",
        help="telefoon, email, formulier, overleg, koppeling of anders.",
    ),
    Column(
        "thema",
        "Gevraagde aanpak (thema)",
        "case_type",
        "report",
        "requested_case_type",
        required=True,
        example="pga",
        help="De code of de naam van het thema, bijvoorbeeld pga of nazorg. Afgeschermde thema's kunnen niet via een import.",
    ),
    Column(
        "aanleiding",
        "Aanleiding",
        "text",
        "report",
        "reason",
        required=True,
        example="Herhaaldelijk overlast en zorgen over de thuissituatie.",
    ),
    Column("hulpvraag", "Hulpvraag / doel", "text", "report", "request", required=True, example="Procesregie op zorg en veiligheid."),
    Column(
        "strafrechtelijk_kader", "Strafrechtelijk kader", "bool", "report", "criminal_law", example="nee", help="ja of nee; leeg is nee."
    ),
]
PERSON = [
    Column("bsn", "BSN", "bsn", "person", "bsn", example="111222333", help="9 cijfers, 11-proef; mag leeg."),
    Column("voornamen", "Voornamen", "text", "person", "first_names", required=True, max_length=120, example="Jan"),
    Column("tussenvoegsel", "Tussenvoegsel", "text", "person", "surname_prefix", max_length=20, example="van der"),
    Column("achternaam", "Achternaam", "text", "person", "surname", required=True, max_length=120, example="Berg"),
    Column(
        "geboortedatum", "Geboortedatum", "date", "person", "birth_date", example="17-05-1990", help="dd-mm-jjjj of jjjj-mm-dd.", past=True
    ),
    Column("adres", "Adres", "text", "person", "address", max_length=200, example="Dorpsstraat 1"),
    Column("postcode", "Postcode", "text", "person", "postcode", max_length=7, example="6411 AB"),
    Column("woonplaats", "Woonplaats", "text", "person", "city", max_length=80, example="Heerlen"),
    Column(
        "gemeente",
        "Gemeente",
        "municipality",
        "person",
        "municipality",
        example="Heerlen",
        help="De naam of de CBS-code (GM0917) van de gemeente.",
    ),
    Column("rol", "Rol in de melding", "text", "person", "relation", max_length=60, example="betrokkene"),
]

# Examples for the sample files, per field of a form (fields without one get an empty cell).
DETAIL_EXAMPLES = {
    "article": "art-18",
    "establishment": "PI Limburg Zuid",
    "detention_start": "01-09-2025",
    "expected_release": "15-06-2026",
    "offence_category": "ernstig-geweld",
    "adult": "ja",
}


def form_of(kind: str) -> str:
    return FORMS[ImportKind(kind)]


def default_texts(kind: str) -> dict[str, str]:
    """Aanleiding and hulpvraag of a kind whose form explains the melding itself (a detention notice)."""
    if ImportKind(kind) != ImportKind.DETENTION:
        return {}
    name = channels.get(form_of(kind)).name
    return {
        "reason": f"{name}, ingelezen uit een bulkimport.",
        "request": "Beoordelen of het Zorg- en Veiligheidshuis de nazorg of de risico-inventarisatie oppakt.",
    }


def columns(kind: str) -> list[Column]:
    """Every column of a kind, in the order of the sample files."""
    definition = channels.get(form_of(kind))
    defaults = default_texts(kind)
    result = []
    for column in REPORT:
        if column.field == "requested_case_type" and definition.case_type:
            column = replace(column, required=False, example=definition.case_type, help=f"{column.help} Leeg: {definition.case_type}.")
        elif column.field == "channel":
            column = replace(column, help=f"{column.help} Leeg: {definition.channel or 'anders'}.")
        elif column.field in defaults:
            column = replace(column, required=False, help=f"Leeg: “{defaults[column.field]}”")
        result.append(column)
    result += PERSON
    for field in definition.fields:
        help_text = field.help
        if field.choices:
            help_text = f"{help_text} Een van: {', '.join(value for value, _ in field.choices)}.".strip()
        elif field.type == "bool":
            help_text = f"{help_text} ja of nee; leeg is nee.".strip()
        elif field.type == "date":
            help_text = f"{help_text} dd-mm-jjjj of jjjj-mm-dd.".strip()
        result.append(
            Column(
                field.name,
                field.label,
                "detail",
                "details",
                field.name,
                required=field.required,
                max_length=field.max_length,
                example=DETAIL_EXAMPLES.get(field.name, ""),
                help=help_text,
            )
        )
    return result

"""Figures from the seed documents, used by the demo and by the tests that check Spil reproduces them.

Seed 001: ZVH Parkstad, bijstelling begroting 2025 (versie 5.0, vastgesteld 2 juli 2025): baten and lasten per line,
primary budget and first revision, and the inwonerbijdrage per municipality. Seed 002: ZVH Noord-Limburg jaarplan
2024 (activities with their fte) and its plustaken.

Two things the seed itself does not add up on, kept as they are so Spil shows them:
- Its percentage column of the inwonerbijdrage (Heerlen 33,9 %, Beekdaelen 14,1 %, Simpelveld 4,1 %, Voerendaal
  4,9 %) does not follow from its own populations (34,1 %, 14,0 %, 4,0 %, 4,8 %); its euro column does, exactly.
- The lasten lines of the revision add up to € 3.570.436, while the document states total lasten of € 3.563.176
  (€ 7.260 less, equal to its baten). Spil computes totals from the lines, so the revision shows that difference.
"""

from decimal import Decimal

from spil.finance.models import Kind, Nature

PARKSTAD_YEAR = 2025
PARKSTAD_CONTRIBUTION = Decimal("1658940")
PARKSTAD_POPULATION_BASIS = "CBS, inwoners 2024"
# seed 001, "Bijdrage per gemeente 2025": municipality -> (inhabitants 2024, euro amount in the seed)
PARKSTAD_CONTRIBUTION_TABLE = {
    "Heerlen": (87_461, Decimal("566370")),
    "Kerkrade": (45_311, Decimal("293420")),
    "Beekdaelen": (35_896, Decimal("232451")),
    "Landgraaf": (37_112, Decimal("240325")),
    "Simpelveld": (10_255, Decimal("66408")),
    "Voerendaal": (12_375, Decimal("80137")),
    "Brunssum": (27_770, Decimal("179830")),
}
PARKSTAD_STATED_TOTALS = {"baten": (Decimal("3158300"), Decimal("3563176")), "lasten": (Decimal("3158300"), Decimal("3563176"))}
PARKSTAD_REVISION_NOTE = (
    "Eerste begrotingswijziging 2025 (versie 5.0), vastgesteld door het algemeen bestuur op 2 juli 2025. "
    "Het document noemt totale lasten van € 3.563.176; de regels tellen op tot € 3.570.436."
)

S, I = Nature.STRUCTURAL, Nature.INCIDENTAL
HEERLEN_PARKSTAD = "Gemeente Heerlen (centrumgemeente) t.b.v. Parkstad"

# (kind, nature, group, description, funder, primary, revision); None is PM (pro memorie)
PARKSTAD_BUDGET_LINES = [
    (Kind.INCOME, S, "Structurele baten", "Inwonerbijdrage", "Deelnemende gemeenten", 1_658_940, 1_658_940),
    (
        Kind.INCOME,
        S,
        "Structurele baten",
        "Rijksbijdrage J&V (via centrumgemeente Maastricht)",
        "Ministerie van Justitie en Veiligheid",
        111_925,
        111_925,
    ),
    (Kind.INCOME, S, "Structurele baten", "Bijdrage centrumgemeente Heerlen GIA", "Gemeente Heerlen", 120_000, 120_000),
    (Kind.INCOME, S, "Structurele baten", "POK-gelden", "Rijk (POK-middelen)", 145_372, 145_372),
    (Kind.INCOME, S, "Structurele baten", "Mensenhandel / zorgcoördinatie centrumgemeenten", "Centrumgemeenten", 100_012, 100_012),
    (Kind.INCOME, S, "Structurele baten", "Extra inzet 1 fte procesregie gemeente Kerkrade", "Gemeente Kerkrade", 99_814, 99_814),
    (Kind.INCOME, S, "Structurele baten", "Heerlen Noord Sociaal Veilig", "Gemeente Heerlen", 184_000, 184_000),
    (
        Kind.INCOME,
        I,
        "Incidentele baten via centrumgemeente Heerlen t.b.v. Parkstad",
        "Beschermingstafel",
        HEERLEN_PARKSTAD,
        27_509,
        27_509,
    ),
    (
        Kind.INCOME,
        I,
        "Incidentele baten via centrumgemeente Heerlen t.b.v. Parkstad",
        "Regie radicalisering",
        HEERLEN_PARKSTAD,
        35_000,
        35_000,
    ),
    (
        Kind.INCOME,
        I,
        "Incidentele baten via centrumgemeente Heerlen t.b.v. Parkstad",
        "Preventie met Gezag",
        HEERLEN_PARKSTAD,
        333_076,
        608_261,
    ),
    (
        Kind.INCOME,
        I,
        "Incidentele baten via centrumgemeente Heerlen t.b.v. Parkstad",
        "Bijdrage Wonen-werken ex-gedetineerden",
        "Ministerie van Justitie en Veiligheid (via Heerlen)",
        100_000,
        85_154,
    ),
    (
        Kind.INCOME,
        I,
        "Incidentele baten via centrumgemeente Heerlen t.b.v. Parkstad",
        "Bestuurlijk Akkoord Nazorg",
        HEERLEN_PARKSTAD,
        135_062,
        139_519,
    ),
    (Kind.INCOME, I, "Incidentele baten gemeente Heerlen", "Heerlen Noord Sociaal Veilig", "Gemeente Heerlen", 86_000, 86_000),
    (Kind.INCOME, I, "Incidentele baten Parkstad", "RIO-gelden", "Gemeenten Parkstad", 0, 140_080),
    (Kind.INCOME, I, "Incidentele baten Zuid-Limburg", "VIA procesregie", "Gemeente Heerlen (via Sittard-Geleen)", 21_590, 21_590),
    (Kind.EXPENSE, S, "Personeel", "Loonsom medewerkers", "", 2_764_551, 3_001_271),
    (Kind.EXPENSE, S, "Personeel", "Dienstreisvergoeding", "", 15_000, 10_000),
    (Kind.EXPENSE, S, "Personeel", "Opleidingen personeel", "", 20_000, 40_000),
    (Kind.EXPENSE, S, "Personeel", "Vrijval generatiepact / voorziening personeel", "", 58_579, 58_579),
    (Kind.EXPENSE, S, "Personeel", "Op te lossen strategisch personeelsbeleid", "", -174_507, -37_244),
    (Kind.EXPENSE, S, "Locatiekosten en faciliteiten", "Huur", "", 45_507, 49_075),
    (Kind.EXPENSE, S, "Locatiekosten en faciliteiten", "Diensten en middelen (facilitaire kosten)", "", 45_228, 43_855),
    (Kind.EXPENSE, S, "Locatiekosten en faciliteiten", "Inhuur uren P&O en financiën", "", 40_000, 32_500),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Communicatie", "", 2_715, 1_000),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Cliëntgebonden werkbudget", "", 10_000, 10_000),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Organisatiegebonden werkbudget", "", 25_000, 84_846),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Bijdrage Wonen-werken ex-gedetineerden", "", 100_000, 85_154),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "ICT-kosten", "", 110_000, 85_000),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Licentiekosten software (AFAS, PGAx)", "", 8_951, 16_000),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Accountant", "", 25_000, 13_200),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Fiscalist", "", 0, 6_800),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Verzekeringen", "", None, 20_000),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Archivering", "", 9_776, 5_000),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Facilities randapparatuur buiten contracten", "", 10_000, 6_400),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Transitie GR", "", 0, 0),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Organisatieactiviteiten", "", 7_500, 7_500),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Samenwerking ZLZVH-organisaties", "", 5_000, 1_500),
    (Kind.EXPENSE, S, "Werkbudget bedrijfsvoering", "Onvoorzien", "", 30_000, 30_000),
]
# The seed's subtotals, to check the lines against: group -> (primary, revision)
PARKSTAD_GROUP_SUBTOTALS = {
    "Structurele baten": (Decimal("2420063"), Decimal("2420063")),
    "Incidentele baten via centrumgemeente Heerlen t.b.v. Parkstad": (Decimal("630647"), Decimal("895443")),
    "Incidentele baten gemeente Heerlen": (Decimal("86000"), Decimal("86000")),
    "Incidentele baten Parkstad": (Decimal("0"), Decimal("140080")),
    "Incidentele baten Zuid-Limburg": (Decimal("21590"), Decimal("21590")),
    "Personeel": (Decimal("2683623"), Decimal("3072606")),
    "Locatiekosten en faciliteiten": (Decimal("130735"), Decimal("125430")),
    "Werkbudget bedrijfsvoering": (Decimal("343942"), Decimal("372400")),
}


def parkstad_budget_lines():
    """(fields, primary amount, revision amount) per line, in the seed's order, amounts as Decimal."""
    for order, (kind, nature, group, description, funder, primary, revision) in enumerate(PARKSTAD_BUDGET_LINES):
        fields = {"kind": kind, "nature": nature, "group": group, "description": description, "funder": funder, "order": order}
        yield fields, None if primary is None else Decimal(primary), None if revision is None else Decimal(revision)


# Seed 002 (jaarplan ZVH Noord-Limburg 2024), adapted as a jaarplan: (theme, name, what we do, what it yields,
# planned output, unit, case type code, meeting type code, staff)
PERSONS_AT_RISK = "Personen met een hoog veiligheidsrisico"
JAARPLAN_ACTIVITIES = [
    (
        PERSONS_AT_RISK,
        "Nazorg ex-gedetineerden",
        "Triage en analyse detentiemeldingen; outreachende nazorgcoördinatie; samenwerking met lokale gemeenten; "
        "onderzoek naar één team nazorg voor Noord- en Midden-Limburg; kennis delen rondom 18b-meldingen.",
        "Elke detentiemelding wordt afgewogen en verrijkt; gedetineerden worden van ‘binnen naar buiten’ begeleid.",
        60,
        "casussen",
        "nazorg",
        None,
        [("Nazorgcoördinatie", "1"), ("Projectmedewerker", "0.4"), ("Procesondersteuning", "0.3"), ("Procesregie", "0.2")],
    ),
    (
        PERSONS_AT_RISK,
        "Persoonsgerichte aanpak (procesregie)",
        "Onafhankelijke procesregie op complexe casuïstiek in AVE 3 en 4, met een plan van aanpak en een casusregisseur.",
        "Een doorbraak in vastgelopen casuïstiek op het snijvlak van zorg en veiligheid.",
        120,
        "casussen",
        "pga",
        None,
        [("Procesregie", "4"), ("Procesondersteuning", "1")],
    ),
    (
        "Jeugd",
        "Voorzitterschap jeugdbeschermingstafels",
        "Onafhankelijk voorzitterschap van de jeugdbeschermingstafel, met agenda’s en verslaglegging.",
        "Een besluit over het al dan niet starten van een onderzoek door de Raad voor de Kinderbescherming.",
        90,
        "tafels",
        None,
        "jeugdbeschermingstafel",
        [("Procesregie", "0.6"), ("Procesondersteuning", "0.2")],
    ),
    (
        "Huis op orde",
        "Privacy en informatievoorziening",
        "Privacyteam, register van verwerkingen, datalekbeheer, DPIA’s; doorontwikkeling van het informatiesysteem.",
        "Veilige en rechtmatige gegevensdeling met de ketenpartners.",
        None,
        "",
        None,
        None,
        [("Privacy officer", "0.5"), ("Projectmedewerker", "0.3")],
    ),
]

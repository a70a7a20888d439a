"""Static data for the demo: the Limburg Zorg- en Veiligheidshuizen, their municipalities and ketenpartners.

Parkstad's populations are the CBS 2024 figures from seed 001 (budget revision 2025) and are exact
(total 256,180). The other populations are approximate (CBS 2024, rounded to hundreds); good enough for
demo counts, not for billing. CBS codes are the real gemeentecodes.

The area split follows the houses' own descriptions:
- ZVH Westelijke Mijnstreek: Beek, Sittard-Geleen and Stein (not Echt-Susteren).
- ZVH Noord-Limburg: the 8 municipalities that govern it (Beesel, Bergen, Gennep, Horst aan de Maas,
  Mook en Middelaar, Peel en Maas, Venlo, Venray).
- ZVH Midden-Limburg: Echt-Susteren, Leudal, Maasgouw, Nederweert, Roerdalen, Roermond, Weert.
  Together with Noord-Limburg these are the 15 municipalities of Noord- en Midden-Limburg (Veiligheidsregio
  Limburg-Noord) that seed 002 refers to ("de 14 gemeenten (Mook en Middelaar niet)").
"""

from dataclasses import dataclass

from spil.organisations.models import PartnerType

ZUID = "zuid-limburg"
NOORD = "noord-midden-limburg"


@dataclass(frozen=True)
class MunicipalityData:
    cbs_code: str
    name: str
    population: int
    postcode: int  # a representative 4-digit postcode area, for fictitious addresses
    places: tuple[str, ...]  # woonplaatsen (kernen) used for fictitious addresses


@dataclass(frozen=True)
class HouseData:
    code: str
    name: str
    region: str
    municipalities: tuple[MunicipalityData, ...]
    share: float  # share of the demo meldingen that lands in this house


M = MunicipalityData

HOUSES: tuple[HouseData, ...] = (
    HouseData(
        code="parkstad",
        name="ZVH Parkstad",
        region=ZUID,
        share=0.52,
        municipalities=(
            M("GM1954", "Beekdaelen", 35_896, 6361, ("Nuth", "Schinnen", "Schinveld", "Amstenrade", "Oirsbeek")),
            M("GM0899", "Brunssum", 27_770, 6441, ("Brunssum",)),
            M("GM0917", "Heerlen", 87_461, 6411, ("Heerlen", "Hoensbroek")),
            M("GM0928", "Kerkrade", 45_311, 6461, ("Kerkrade", "Eygelshoven")),
            M("GM0882", "Landgraaf", 37_112, 6371, ("Landgraaf", "Schaesberg", "Nieuwenhagen")),
            M("GM0965", "Simpelveld", 10_255, 6369, ("Simpelveld", "Bocholtz")),
            M("GM0986", "Voerendaal", 12_375, 6367, ("Voerendaal", "Klimmen", "Ubachsberg")),
        ),
    ),
    HouseData(
        code="westelijke-mijnstreek",
        name="ZVH Westelijke Mijnstreek",
        region=ZUID,
        share=0.13,
        municipalities=(
            M("GM0888", "Beek", 15_900, 6191, ("Beek", "Spaubeek", "Neerbeek")),
            M("GM1883", "Sittard-Geleen", 91_400, 6131, ("Sittard", "Geleen", "Born", "Munstergeleen")),
            M("GM0971", "Stein", 24_900, 6171, ("Stein", "Elsloo", "Urmond")),
        ),
    ),
    HouseData(
        code="maastricht-heuvelland",
        name="ZVH Maastricht-Heuvelland",
        region=ZUID,
        share=0.14,
        municipalities=(
            M("GM1903", "Eijsden-Margraten", 25_600, 6245, ("Eijsden", "Margraten", "Cadier en Keer")),
            M("GM1729", "Gulpen-Wittem", 14_200, 6271, ("Gulpen", "Wittem", "Mechelen")),
            M("GM0935", "Maastricht", 123_000, 6211, ("Maastricht",)),
            M("GM0938", "Meerssen", 18_800, 6231, ("Meerssen", "Bunde")),
            M("GM0981", "Vaals", 10_000, 6291, ("Vaals", "Lemiers")),
            M("GM0994", "Valkenburg aan de Geul", 16_500, 6301, ("Valkenburg", "Berg en Terblijt", "Schin op Geul")),
        ),
    ),
    HouseData(
        code="noord-limburg",
        name="ZVH Noord-Limburg",
        region=NOORD,
        share=0.12,
        municipalities=(
            M("GM0889", "Beesel", 13_500, 5951, ("Reuver", "Beesel", "Offenbeek")),
            M("GM0893", "Bergen (L.)", 13_200, 5854, ("Bergen", "Afferden", "Well")),
            M("GM0907", "Gennep", 17_500, 6591, ("Gennep", "Ottersum", "Milsbeek")),
            M("GM1507", "Horst aan de Maas", 43_600, 5961, ("Horst", "America", "Sevenum", "Grubbenvorst")),
            M("GM0944", "Mook en Middelaar", 7_900, 6585, ("Mook", "Middelaar", "Molenhoek")),
            M("GM1894", "Peel en Maas", 45_100, 5981, ("Panningen", "Baarlo", "Kessel", "Maasbree")),
            M("GM0983", "Venlo", 103_000, 5911, ("Venlo", "Blerick", "Tegelen")),
            M("GM0984", "Venray", 44_900, 5801, ("Venray", "Oostrum", "Ysselsteyn")),
        ),
    ),
    HouseData(
        code="midden-limburg",
        name="ZVH Midden-Limburg",
        region=NOORD,
        share=0.09,
        municipalities=(
            M("GM1711", "Echt-Susteren", 32_000, 6101, ("Echt", "Susteren", "Pey")),
            M("GM1640", "Leudal", 36_400, 6093, ("Heythuysen", "Haelen", "Roggel", "Horn")),
            M("GM1641", "Maasgouw", 24_100, 6051, ("Maasbracht", "Thorn", "Wessem")),
            M("GM0946", "Nederweert", 17_400, 6031, ("Nederweert", "Ospel")),
            M("GM1669", "Roerdalen", 21_000, 6074, ("Herkenbosch", "Melick", "Vlodrop", "Sint Odiliënberg")),
            M("GM0957", "Roermond", 59_400, 6041, ("Roermond", "Swalmen", "Herten")),
            M("GM0988", "Weert", 50_800, 6001, ("Weert", "Stramproy")),
        ),
    ),
)

HOUSE_BY_CODE = {house.code: house for house in HOUSES}

# A house outside Limburg that Limburg's routing rules name (seed 002: Mook en Middelaar's themes handled in
# Gelderland). It gets organisations, an intake account and the meldingen routed or forwarded to it, no history of
# its own. Populations approximate (CBS 2024).
GELDERLAND_ZUID = HouseData(
    code="gelderland-zuid",
    name="ZVH Gelderland-Zuid",
    region="gelderland",
    share=0.0,
    municipalities=(
        M("GM0268", "Nijmegen", 182_000, 6511, ("Nijmegen", "Lent")),
        M("GM0252", "Heumen", 17_000, 6581, ("Malden", "Heumen", "Overasselt")),
        M("GM1945", "Berg en Dal", 35_700, 6571, ("Groesbeek", "Berg en Dal", "Ooij")),
        M("GM0296", "Wijchen", 41_900, 6601, ("Wijchen", "Batenburg")),
    ),
)
OTHER_HOUSES: tuple[HouseData, ...] = (GELDERLAND_ZUID,)


@dataclass(frozen=True)
class IntakeRegionData:
    code: str
    name: str
    houses: tuple[str, ...]  # house codes


# Central intakes (domain.md section 2): one loket for the three Zuid-Limburg houses. Noord-Limburg routes by its own
# rules (Mook en Middelaar, `organisations/fixtures/routing.toml`), so its intake is a region of one house; Midden-Limburg
# keeps a plain intake of its own.
INTAKE_REGIONS: tuple[IntakeRegionData, ...] = (
    IntakeRegionData("zuid-limburg", "Zuid-Limburg", ("parkstad", "westelijke-mijnstreek", "maastricht-heuvelland")),
    IntakeRegionData("noord-limburg", "Noord-Limburg", ("noord-limburg",)),
)

# What another house gets to hear on a hit ("bekend bij ZVH X, contact: ..."). Fictitious addresses.
HOUSE_CONTACTS = {
    "parkstad": "Centraal loket Zuid-Limburg, 045 000 00 10, loket@zuid-limburg.demo.spil.invalid",
    "westelijke-mijnstreek": "Centraal loket Zuid-Limburg, 045 000 00 10, loket@zuid-limburg.demo.spil.invalid",
    "maastricht-heuvelland": "Centraal loket Zuid-Limburg, 045 000 00 10, loket@zuid-limburg.demo.spil.invalid",
    "noord-limburg": "Intake ZVH Noord-Limburg, 077 000 00 20, intake@noord-limburg.demo.spil.invalid",
    "midden-limburg": "Intake ZVH Midden-Limburg, 0475 000 030, intake@midden-limburg.demo.spil.invalid",
    "gelderland-zuid": "Intake ZVH Gelderland-Zuid, 024 000 00 40, intake@gelderland-zuid.demo.spil.invalid",
}


@dataclass(frozen=True)
class PartnerData:
    name: str
    type: str
    regions: tuple[str, ...] = (ZUID, NOORD)  # where it reports from and is asked for information
    reporter: bool = True  # brings in meldingen (not every partner does)


P = PartnerData
BOTH = (ZUID, NOORD)

PARTNERS: tuple[PartnerData, ...] = (
    # Justice
    P("Politie eenheid Limburg, district Parkstad", PartnerType.POLICE, (ZUID,)),
    P("Politie eenheid Limburg, district Zuid-West-Limburg", PartnerType.POLICE, (ZUID,)),
    P("Politie eenheid Limburg, district Noord- en Midden-Limburg", PartnerType.POLICE, (NOORD,)),
    P("Openbaar Ministerie, arrondissementsparket Limburg", PartnerType.PROSECUTION, BOTH),
    P("ZSM Limburg", PartnerType.PROSECUTION, BOTH),
    P("Reclassering Nederland, regio Limburg", PartnerType.PROBATION, BOTH),
    P("Verslavingsreclassering GGZ (SVG)", PartnerType.PROBATION, BOTH),
    P("Leger des Heils Jeugdbescherming & Reclassering", PartnerType.PROBATION, BOTH),
    P("Raad voor de Kinderbescherming, regio Limburg", PartnerType.CHILD_PROTECTION, BOTH),
    P("PI Limburg Zuid", PartnerType.PRISON, (ZUID,)),
    P("PI Roermond", PartnerType.PRISON, (NOORD,)),
    P("PI Venray", PartnerType.PRISON, (NOORD,)),
    # Care
    P("Mondriaan", PartnerType.MENTAL_HEALTH, (ZUID,)),
    P("Vincent van Gogh voor geestelijke gezondheid", PartnerType.MENTAL_HEALTH, (NOORD,)),
    P("MET ggz", PartnerType.MENTAL_HEALTH, (NOORD,)),
    P("Mondriaan Verslavingszorg", PartnerType.ADDICTION, (ZUID,)),
    P("Vincent van Gogh Verslavingszorg", PartnerType.ADDICTION, (NOORD,)),
    P("Veilig Thuis Zuid-Limburg", PartnerType.DOMESTIC_VIOLENCE, (ZUID,)),
    P("Veilig Thuis Limburg-Noord", PartnerType.DOMESTIC_VIOLENCE, (NOORD,)),
    P("Bureau Jeugdzorg Limburg", PartnerType.YOUTH_CARE, BOTH),
    P("Koraal", PartnerType.YOUTH_CARE, BOTH),
    P("GGD Zuid Limburg", PartnerType.PUBLIC_HEALTH, (ZUID,)),
    P("GGD Limburg-Noord", PartnerType.PUBLIC_HEALTH, (NOORD,)),
    P("Leger des Heils Limburg (maatschappelijke opvang)", PartnerType.SHELTER, BOTH),
    P("Slachtofferhulp Nederland", PartnerType.VICTIM_SUPPORT, BOTH, reporter=False),
    # Housing
    P("Weller", PartnerType.HOUSING, (ZUID,)),
    P("HEEMwonen", PartnerType.HOUSING, (ZUID,)),
    P("Woonpunt", PartnerType.HOUSING, (ZUID,)),
    P("Servatius", PartnerType.HOUSING, (ZUID,)),
    P("ZOwonen", PartnerType.HOUSING, (ZUID,)),
    P("Wonen Limburg", PartnerType.HOUSING, BOTH),
    P("Woonwenz", PartnerType.HOUSING, (NOORD,)),
    P("Antares", PartnerType.HOUSING, (NOORD,)),
    # Other
    P("RIEC Limburg", PartnerType.OTHER, BOTH, reporter=False),
    P("Halt", PartnerType.OTHER, BOTH),
    P("Zorg- en Veiligheidshuis Gelderland-Zuid", PartnerType.ZVH, (), reporter=False),
)


def municipality_partner_name(municipality_name: str) -> str:
    return f"Gemeente {municipality_name}"


def house_partner_name(house: HouseData) -> str:
    return house.name.replace("ZVH ", "Zorg- en Veiligheidshuis ")


def all_partners() -> list[PartnerData]:
    """The fixed partners plus every municipality and every house as a partner (they report and route too)."""
    partners = list(PARTNERS)
    for house in HOUSES:
        partners.append(P(house_partner_name(house), PartnerType.ZVH, (house.region,), reporter=False))
        for municipality in house.municipalities:
            partners.append(P(municipality_partner_name(municipality.name), PartnerType.MUNICIPALITY, (house.region,)))
    return partners


@dataclass(frozen=True)
class AccountData:
    username: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]
    houses: tuple[str, ...]  # house codes; the user holds every role in every listed house
    partner: str | None = None  # the ketenpartner a casusregisseur works for
    municipality: str | None = None  # the gemeente an OOV officer works for


def _zuid_houses() -> tuple[str, ...]:
    return tuple(h.code for h in HOUSES if h.region == ZUID)


# The demo accounts. Zuid-Limburg has one central intake and one shared weegploeg for its three houses
# (domain.md §2), so "intake" and "weger" hold their role in all three; each house has its own procesregie.
ACCOUNTS: tuple[AccountData, ...] = (
    AccountData("intake", "Sanne", "Janssen", ("intake",), _zuid_houses()),
    AccountData("weger", "Ruud", "Hermans", ("weger",), _zuid_houses()),
    AccountData("regisseur", "Marieke", "Smeets", ("procesregisseur",), ("parkstad",)),
    AccountData("casusregisseur", "Tom", "Vliegen", ("casusregisseur",), ("parkstad",), "Reclassering Nederland, regio Limburg"),
    AccountData("bedrijfsbureau", "Ingrid", "Lemmens", ("bedrijfsbureau",), ("parkstad",)),
    AccountData("privacy", "Paul", "Huijnen", ("privacy",), ("parkstad",)),
    AccountData("manager", "Esther", "Coenen", ("manager",), ("parkstad",)),
    AccountData("oov-heerlen", "Bart", "Ploumen", ("oov",), ("parkstad",), municipality="Heerlen"),  # sees the Top-X list of Heerlen
    AccountData("stuurgroep", "Harm", "Douven", ("stuurgroep",), ("parkstad",)),
    AccountData("landelijk", "Wendy", "Bosman", ("landelijk",), ("parkstad",)),  # sees every house: national monitor
    AccountData("intake-noord", "Bram", "Peeters", ("intake",), ("noord-limburg",)),
    # The central loket of Zuid-Limburg with one membership: registering via the region counts for its three houses.
    AccountData("loket", "Noor", "Bastiaens", ("intake",), ("parkstad",)),
    AccountData("intake-gelderland", "Joost", "Verbeek", ("intake",), ("gelderland-zuid",)),  # receives Mook en Middelaar's themes
    # Colleagues, so the work is shared as it is in a real house.
    AccountData("regisseur-2", "Jeroen", "Houben", ("procesregisseur",), ("parkstad",)),
    AccountData("regisseur-3", "Linda", "Schreurs", ("procesregisseur",), ("parkstad",)),
    AccountData("casusregisseur-2", "Nicole", "Brouns", ("casusregisseur",), ("parkstad",), "Mondriaan"),
    AccountData("regisseur-wm", "Maud", "Dassen", ("procesregisseur",), ("westelijke-mijnstreek",)),
    AccountData("regisseur-mh", "Luc", "Wolfs", ("procesregisseur",), ("maastricht-heuvelland",)),
    AccountData("weger-noord", "Anouk", "Kusters", ("weger",), ("noord-limburg",)),
    AccountData("regisseur-noord", "Stefan", "Gielen", ("procesregisseur",), ("noord-limburg",)),
    AccountData("intake-midden", "Femke", "Vossen", ("intake",), ("midden-limburg",)),
    AccountData("weger-midden", "Rob", "Ramakers", ("weger",), ("midden-limburg",)),
    AccountData("regisseur-midden", "Yvonne", "Crombach", ("procesregisseur",), ("midden-limburg",)),
)

# Who does what in each house's demo history (usernames from ACCOUNTS; a name listed twice gets twice the work).
STAFF = {
    "parkstad": {
        "intake": ["intake"],
        "planner": "bedrijfsbureau",  # plans the weegtafels and keeps their agenda
        "deciders": ["weger", "weger", "weger", "regisseur"],
        "directors": ["regisseur", "regisseur", "regisseur-2", "regisseur-3"],
        "case_directors": ["casusregisseur", "casusregisseur", "casusregisseur-2"],
        "assigner": "bedrijfsbureau",  # names the casusregisseur
    },
    "westelijke-mijnstreek": {
        "intake": ["intake"],
        "planner": "weger",
        "deciders": ["weger"],
        "directors": ["regisseur-wm"],
        "case_directors": [],
        "assigner": "regisseur-wm",
    },
    "maastricht-heuvelland": {
        "intake": ["intake"],
        "planner": "weger",
        "deciders": ["weger"],
        "directors": ["regisseur-mh"],
        "case_directors": [],
        "assigner": "regisseur-mh",
    },
    "noord-limburg": {
        "intake": ["intake-noord"],
        "planner": "weger-noord",
        "deciders": ["weger-noord"],
        "directors": ["regisseur-noord"],
        "case_directors": [],
        "assigner": "regisseur-noord",
    },
    "midden-limburg": {
        "intake": ["intake-midden"],
        "planner": "weger-midden",
        "deciders": ["weger-midden"],
        "directors": ["regisseur-midden"],
        "case_directors": [],
        "assigner": "regisseur-midden",
    },
}

# External members of the weegtafel (no account), per region.
TABLE_GUESTS = {
    ZUID: "Politie eenheid Limburg (wijkagent)\nOM Limburg (officier van justitie)\nReclassering Nederland\nMondriaan (GGZ)",
    NOORD: "Politie eenheid Limburg (wijkagent)\nOM Limburg (officier van justitie)\nReclassering Nederland\nVincent van Gogh (GGZ)",
}

"""The shipped configuration (`fixtures/case_types.toml`) and what the migrations make of it."""

import re

import pytest

from spil.casetypes import config
from spil.casetypes.models import CaseType, LifeDomain, Phase

# Every product and theme the Zorg- en Veiligheidshuizen run (domain brief §5), by code.
PRODUCTS = {
    "pga",
    "pga-jeugd",
    "pga-radicalisering",
    "top-x",
    "consult-advies",
    "bij",
    "nazorg",
    "rio",
    "jpp",
    "kernteam-jeugd",
    "wth",
    "mda",
    "zoco-mensenhandel",
    "jeugdbeschermingstafel",
    "routeertafel-vt",
    "levensloop",
    "via",
    "zsm",
    "regieteam",
    "riec-ondermijning",
    "arbeidsmigranten",
    "ret",
    "ketenregie-mo-bw",
}
RESTRICTED = {"pga-radicalisering", "zoco-mensenhandel"}
NAZORG_DOMAINS = {"werk-inkomen", "huisvesting", "identiteitspapieren", "financien", "gezondheid", "sociaal-netwerk"}
VEILIGHEIDSHUIS_MODEL_DOMAINS = {
    "identiteitspapieren",
    "huisvesting",
    "werk-inkomen",
    "educatie",
    "gezondheid",
    "zelfredzaamheid",
    "financien",
}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def shipped():
    return config.read()


@pytest.fixture(scope="module")
def types(shipped):
    return {entry["code"]: entry for entry in shipped["case_type"]}


def test_shipped_file_is_valid(shipped):
    config.validate(shipped)


def test_every_product_and_theme_is_configured(types):
    assert PRODUCTS - set(types) == set()


def test_consult_en_advies_has_the_code_triage_relies_on(types):
    assert types["consult-advies"]["name"] == "Consult & Advies (C&A)"


def test_top_x_is_a_label_on_pga_not_a_product(types):
    assert types["top-x"]["label_for"] == "pga"
    assert [code for code, entry in types.items() if entry.get("label_for")] == ["top-x"]


def test_only_radicalisering_and_mensenhandel_are_restricted(types):
    assert {code for code, entry in types.items() if entry.get("restricted")} == RESTRICTED


def test_life_domains_merge_the_veiligheidshuis_model_and_the_nazorg_criteria(shipped, types):
    codes = {domain["code"] for domain in shipped["life_domain"]}
    assert VEILIGHEIDSHUIS_MODEL_DOMAINS | NAZORG_DOMAINS <= codes
    assert {"psychische-gezondheid", "verslaving", "dagbesteding", "justitie", "gezin-opvoeding", "veiligheid"} <= codes
    assert set(types["nazorg"]["life_domains"]) == NAZORG_DOMAINS


def test_phases_start_after_the_weging(types):
    for code, entry in types.items():
        phase_codes = {phase["code"] for phase in entry["phases"]}
        assert not phase_codes & {"melding", "aanmelding", "intake", "weging", "triage"}, code


def test_a_case_types_lead_time_is_the_sum_of_its_phases(types):
    for code, entry in types.items():
        assert entry["lead_time_days"] == sum(phase["lead_time_days"] for phase in entry["phases"]), code


def test_wth_follows_the_legal_deadlines(types):
    wth = types["wth"]
    days = [phase["lead_time_days"] for phase in wth["phases"]]
    assert sum(days[:2]) == 10, "advice on extension before the ban's tenth day"
    assert sum(days[:3]) == 28, "an extended ban lasts 28 days in total"


def test_codes_and_names_fit_the_database(shipped):
    """validate() does not check these; the database would refuse them halfway through a load."""

    def fits(entry, model):
        code_max, name_max = (model._meta.get_field(field).max_length for field in ("code", "name"))
        return SLUG.match(entry["code"]) and len(entry["code"]) <= code_max and len(entry["name"]) <= name_max

    names = [entry["name"] for entry in shipped["case_type"]]
    assert len(names) == len(set(names)), "case-type names are unique"
    assert [d["code"] for d in shipped["life_domain"] if not fits(d, LifeDomain)] == []
    assert [c["code"] for c in shipped["case_type"] if not fits(c, CaseType)] == []
    assert [(c["code"], p["code"]) for c in shipped["case_type"] for p in c["phases"] if not fits(p, Phase)] == []


def test_migrations_load_every_case_type_with_its_phases_in_order(db, shipped):
    assert CaseType.objects.count() == len(shipped["case_type"])
    assert Phase.objects.count() == sum(len(entry["phases"]) for entry in shipped["case_type"])
    pga = CaseType.objects.get(code="pga")
    assert list(pga.phases.order_by("order").values_list("code", flat=True)) == [
        "analyse",
        "plan-van-aanpak",
        "uitvoering",
        "afschalen",
    ]
    assert list(pga.phases.values_list("order", flat=True)) == [1, 2, 3, 4]
    assert pga.first_phase.name == "Analyse en diagnose"
    for entry in shipped["case_type"]:
        case_type = CaseType.objects.get(code=entry["code"])
        assert list(case_type.phases.values_list("code", flat=True)) == [p["code"] for p in entry["phases"]]


def test_migrations_load_labels_restriction_and_life_domains(db, shipped):
    assert CaseType.objects.get(code="top-x").label_for == CaseType.objects.get(code="pga")
    assert set(CaseType.objects.filter(restricted=True).values_list("code", flat=True)) == RESTRICTED
    assert list(LifeDomain.objects.values_list("code", flat=True)) == [d["code"] for d in shipped["life_domain"]]
    assert set(CaseType.objects.get(code="nazorg").life_domains.values_list("code", flat=True)) == NAZORG_DOMAINS


def test_a_melding_can_ask_for_every_product_but_not_for_a_label(db):
    for_intake = set(CaseType.objects.for_intake().values_list("code", flat=True))
    assert "top-x" not in for_intake
    assert PRODUCTS - {"top-x"} <= for_intake

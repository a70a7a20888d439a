"""config.load creates or updates by code, and the load_case_types command refuses a bad file."""

import copy

import pytest
from django.core.management import CommandError, call_command

from spil.casetypes import config
from spil.casetypes.models import CaseType, LifeDomain, Phase


@pytest.fixture
def shipped():
    return config.read()


def entry(data, code):
    return next(e for e in data["case_type"] if e["code"] == code)


def snapshot():
    """Everything the loader writes, keyed by code so that primary keys are compared too."""
    return {
        "life_domains": list(LifeDomain.objects.order_by("code").values_list("pk", "code", "name", "order")),
        "case_types": list(
            CaseType.objects.order_by("code").values_list(
                "pk", "code", "name", "description", "restricted", "label_for__code", "lead_time_days", "active"
            )
        ),
        "phases": list(
            Phase.objects.order_by("case_type__code", "order").values_list(
                "pk", "case_type__code", "code", "name", "order", "lead_time_days"
            )
        ),
        "case_type_life_domains": sorted(CaseType.life_domains.through.objects.values_list("casetype__code", "lifedomain__code")),
    }


def phases_of(code):
    return list(Phase.objects.filter(case_type__code=code).order_by("order").values_list("code", "name", "order"))


def test_loading_the_shipped_file_again_changes_nothing(db, shipped):
    after_migrations = snapshot()
    config.load(shipped)
    config.load(shipped)
    assert snapshot() == after_migrations


def test_loading_twice_creates_no_duplicates(db, shipped):
    data = copy.deepcopy(shipped)
    data["life_domain"].append({"code": "vrije-tijd", "name": "Vrije tijd"})
    data["case_type"].append(
        {
            "code": "pip",
            "name": "Pleger in positie (PIP)",
            "processing_activity": "procesregie",
            "lead_time_days": 30,
            "life_domains": ["vrije-tijd"],
            "phases": [{"code": "bijeenkomst", "name": "Themabijeenkomst", "lead_time_days": 30}],
        }
    )
    config.load(data)
    once = snapshot()
    config.load(data)
    assert snapshot() == once
    assert CaseType.objects.filter(code="pip").count() == 1
    assert phases_of("pip") == [("bijeenkomst", "Themabijeenkomst", 1)]


def test_a_type_is_updated_in_place_by_code(db, shipped):
    pga = CaseType.objects.get(code="pga")
    data = copy.deepcopy(shipped)
    entry(data, "pga").update(
        name="Persoonsgerichte Aanpak",
        description="  Nieuwe omschrijving.  ",
        lead_time_days=300,
        restricted=True,
        life_domains=["huisvesting"],
    )
    config.load(data)
    pga.refresh_from_db()
    assert (pga.name, pga.description, pga.lead_time_days, pga.restricted) == (
        "Persoonsgerichte Aanpak",
        "Nieuwe omschrijving.",
        300,
        True,
    )
    assert list(pga.life_domains.values_list("code", flat=True)) == ["huisvesting"]


def test_a_renamed_phase_keeps_its_row(db, shipped):
    analyse = Phase.objects.get(case_type__code="pga", code="analyse")
    data = copy.deepcopy(shipped)
    entry(data, "pga")["phases"][0].update(name="Analyse, diagnose en risicotaxatie", lead_time_days=30)
    config.load(data)
    analyse.refresh_from_db()
    assert (analyse.name, analyse.lead_time_days, analyse.order) == ("Analyse, diagnose en risicotaxatie", 30, 1)


def test_reordering_phases_renumbers_the_same_rows(db, shipped):
    pks = dict(Phase.objects.filter(case_type__code="pga").values_list("code", "pk"))
    data = copy.deepcopy(shipped)
    entry(data, "pga")["phases"].reverse()
    config.load(data)
    assert [code for code, _, _ in phases_of("pga")] == ["afschalen", "uitvoering", "plan-van-aanpak", "analyse"]
    assert dict(Phase.objects.filter(case_type__code="pga").values_list("code", "pk")) == pks
    assert CaseType.objects.get(code="pga").first_phase.code == "afschalen"


def test_a_new_phase_is_inserted_where_the_file_puts_it(db, shipped):
    data = copy.deepcopy(shipped)
    entry(data, "pga")["phases"].insert(2, {"code": "check", "name": "Check bij de partners", "lead_time_days": 7})
    config.load(data)
    assert [(code, order) for code, _, order in phases_of("pga")] == [
        ("analyse", 1),
        ("plan-van-aanpak", 2),
        ("check", 3),
        ("uitvoering", 4),
        ("afschalen", 5),
    ]


def test_new_phases_can_come_before_reordered_ones(db, shipped):
    data = copy.deepcopy(shipped)
    phases = entry(data, "pga")["phases"]
    phases.reverse()
    phases[:0] = [
        {"code": "kennismaking", "name": "Kennismaking", "lead_time_days": 7},
        {"code": "check", "name": "Check bij de partners", "lead_time_days": 7},
    ]
    config.load(data)
    assert [(code, order) for code, _, order in phases_of("pga")] == [
        ("kennismaking", 1),
        ("check", 2),
        ("afschalen", 3),
        ("uitvoering", 4),
        ("plan-van-aanpak", 5),
        ("analyse", 6),
    ]


def test_a_phase_left_out_of_the_file_is_kept_after_the_configured_ones(db, shipped):
    """Cases may still be in it (PROTECT), so the loader does not delete it; it stays valid on every load."""
    data = copy.deepcopy(shipped)
    entry(data, "pga")["phases"].pop(1)
    for _ in range(5):
        config.load(data)
    assert phases_of("pga") == [
        ("analyse", "Analyse en diagnose", 1),
        ("uitvoering", "Uitvoering en monitoring", 2),
        ("afschalen", "Afschalen en afsluiten", 3),
        ("plan-van-aanpak", "Plan van aanpak (maatwerkplan)", 4),
    ]


def test_a_label_can_be_moved_and_removed(db, shipped):
    data = copy.deepcopy(shipped)
    entry(data, "top-x")["label_for"] = "pga-jeugd"
    config.load(data)
    assert CaseType.objects.get(code="top-x").label_for.code == "pga-jeugd"
    del entry(data, "top-x")["label_for"]
    config.load(data)
    assert CaseType.objects.get(code="top-x").label_for is None


def test_the_command_loads_the_shipped_file(db, capsys):
    before = snapshot()
    call_command("load_case_types")
    assert f"{CaseType.objects.count()} casustypen geladen" in capsys.readouterr().out
    assert snapshot() == before


def test_the_command_refuses_a_bad_file_naming_the_entry_and_writes_nothing(db, tmp_path):
    path = tmp_path / "case_types.toml"
    path.write_text(
        """
[[case_type]]
code = "pga"
name = "PGA hernoemd"
processing_activity = "procesregie"
lead_time_days = 365
phases = [{ code = "analyse", name = "Analyse", lead_time_days = 42 }]

[[case_type]]
code = "wth"
name = "Tijdelijk huisverbod"
processing_activity = "huiselijk-geweld-jeugd"
lead_time_days = 0
phases = [{ code = "verbod", name = "Huisverbod", lead_time_days = 10 }]
""",
        encoding="utf-8",
    )
    before = snapshot()
    with pytest.raises(CommandError, match=r"case_type\[1\] 'wth'.*lead_time_days"):
        call_command("load_case_types", str(path))
    assert snapshot() == before


def test_the_command_refuses_invalid_toml(db, tmp_path):
    path = tmp_path / "kapot.toml"
    path.write_text("[[case_type]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="kapot.toml: geen geldige TOML"):
        call_command("load_case_types", str(path))


def test_the_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("load_case_types", str(tmp_path / "bestaat-niet.toml"))

"""The routing rules file: checked as a whole, errors name the entry, loading makes it the truth per gemeente."""

import io
import textwrap

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from spil.casetypes.models import CaseType
from spil.organisations import routing_rules
from spil.organisations.models import RoutingRule
from spil.testing.factories import HouseFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

RULE = {"municipality": "GM0944", "house": "gelderland-zuid", "case_types": ["levensloop"], "unless_criminal_law": True}


@pytest.fixture
def mook(other_house):
    gelderland = HouseFactory(code="gelderland-zuid", name="ZVH Gelderland-Zuid")
    return MunicipalityFactory(name="Mook en Middelaar", cbs_code="GM0944", house=other_house), gelderland


def write(tmp_path, text: str):
    path = tmp_path / "routing.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "data, message",
    [
        ({"regel": []}, "onbekende sectie(s) regel"),
        ({"rule": [{**RULE, "thema": "x"}]}, "rule[0] 'GM0944': onbekende sleutel(s) thema"),
        ({"rule": [{"municipality": "GM0944", "house": "x"}]}, "rule[0] 'GM0944': ontbrekende sleutel(s) case_types"),
        ({"rule": [{**RULE, "municipality": "Mook"}]}, "rule[0] 'Mook': 'municipality' moet een CBS-gemeentecode zijn"),
        ({"rule": [{**RULE, "case_types": []}]}, "'case_types' moet een niet-lege lijst"),
        ({"rule": [{**RULE, "unless_criminal_law": "ja"}]}, "'unless_criminal_law' moet true of false zijn"),
        ({"rule": [{**RULE, "note": "x" * 201}]}, "'note' moet een tekst van hoogstens 200 tekens zijn"),
        (
            {"rule": [RULE, {**RULE, "case_types": ["wth", "levensloop"]}]},
            "rule[1] 'GM0944': thema 'levensloop' heeft al een regel voor deze gemeente (rule[0])",
        ),
    ],
)
def test_an_invalid_file_names_the_entry(data, message):
    with pytest.raises(routing_rules.RoutingConfigError) as error:
        routing_rules.validate(data)
    assert message in str(error.value)


def test_the_shipped_file_is_valid_and_uses_existing_case_types():
    data = routing_rules.read()
    codes = {code for rule in data["rule"] for code in rule["case_types"]}
    assert codes <= set(CaseType.objects.values_list("code", flat=True))
    assert len(codes) == 10


def test_loading_refuses_unknown_houses_and_case_types_and_pointless_rules(mook, other_house):
    with pytest.raises(routing_rules.RoutingConfigError, match="rule\\[0\\] 'GM0944': onbekend huis 'gelre'"):
        routing_rules.load({"rule": [{**RULE, "house": "gelre"}]})
    with pytest.raises(routing_rules.RoutingConfigError, match="onbekend casustype 'levenslang'"):
        routing_rules.load({"rule": [{**RULE, "case_types": ["levenslang"]}]})
    with pytest.raises(routing_rules.RoutingConfigError, match="Mook en Middelaar hoort al bij ZVH Noord-Limburg"):
        routing_rules.load({"rule": [{**RULE, "house": other_house.code}]})
    assert not RoutingRule.objects.exists()


def test_loading_makes_the_file_the_truth_for_its_gemeenten(mook, house):
    municipality, gelderland = mook
    heerlen = house.municipalities.get()
    kept = RoutingRule.objects.create(municipality=heerlen, case_type=CaseType.objects.get(code="wth"), house=gelderland)
    stale = RoutingRule.objects.create(municipality=municipality, case_type=CaseType.objects.get(code="pga"), house=gelderland)
    result = routing_rules.load({"rule": [RULE, {**RULE, "case_types": ["wth"], "unless_criminal_law": False, "note": "Huisverbod"}]})
    assert result.rules == 2 and result.removed == 1 and result.skipped == []
    assert not RoutingRule.objects.filter(pk=stale.pk).exists() and RoutingRule.objects.filter(pk=kept.pk).exists()
    wth = RoutingRule.objects.get(municipality=municipality, case_type__code="wth")
    assert wth.house == gelderland and not wth.unless_criminal_law and wth.note == "Huisverbod"
    routing_rules.load({"rule": [RULE]})  # again: no duplicates, and the rule left out is gone
    assert list(RoutingRule.objects.filter(municipality=municipality).values_list("case_type__code", flat=True)) == ["levensloop"]


def test_the_command_loads_and_skips_gemeenten_this_installation_does_not_have(mook, tmp_path):
    path = write(
        tmp_path,
        """
        [[rule]]
        municipality = "GM0944"
        house = "gelderland-zuid"
        case_types = ["levensloop", "jpp"]
        unless_criminal_law = true

        [[rule]]
        municipality = "GM0001"
        house = "gelderland-zuid"
        case_types = ["jpp"]
    """,
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("load_routing_rules", str(path), stdout=out, stderr=err)
    assert "2 routeringsregels geladen" in out.getvalue()
    assert "Gemeente GM0001 bestaat niet in deze installatie" in err.getvalue()
    with pytest.raises(CommandError, match="geen geldige TOML"):
        call_command("load_routing_rules", str(write(tmp_path, "[[rule]\n")), stdout=out)


def test_the_admin_refuses_a_rule_to_the_gemeentes_own_house(admin_client, mook, other_house):
    municipality, gelderland = mook
    url = reverse("admin:organisations_routingrule_add")
    data = {"municipality": municipality.pk, "case_type": CaseType.objects.get(code="levensloop").pk, "house": other_house.pk, "note": ""}
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "hoort al bij ZVH Noord-Limburg" in response.content.decode()
    assert admin_client.post(url, {**data, "house": gelderland.pk, "unless_criminal_law": "on"}).status_code == 302
    assert RoutingRule.objects.get().unless_criminal_law
    for name in [
        "admin:organisations_routingrule_changelist",
        "admin:organisations_intakeregion_changelist",
        "admin:organisations_house_changelist",
    ]:
        assert admin_client.get(reverse(name)).status_code == 200

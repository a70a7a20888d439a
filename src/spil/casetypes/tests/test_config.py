"""config.validate / config.read refuse a bad case-type file and say which entry is wrong."""

import copy

import pytest

from spil.casetypes import config
from spil.casetypes.config import CaseTypeConfigError

VALID = {
    "life_domain": [
        {"code": "huisvesting", "name": "Huisvesting en woonruimte"},
        {"code": "financien", "name": "Financiën en schulden"},
    ],
    "case_type": [
        {
            "code": "pga",
            "name": "Persoonsgerichte Aanpak (PGA)",
            "processing_activity": "procesregie",
            "description": "Integrale aanpak.",
            "lead_time_days": 365,
            "life_domains": ["huisvesting", "financien"],
            "phases": [
                {"code": "analyse", "name": "Analyse en diagnose", "lead_time_days": 42},
                {"code": "uitvoering", "name": "Uitvoering en monitoring", "lead_time_days": 323},
            ],
        },
        {
            "code": "top-x",
            "name": "Top X",
            "processing_activity": "procesregie",
            "label_for": "pga",
            "lead_time_days": 182,
            "phases": [{"code": "op-lijst", "name": "Op de lijst", "lead_time_days": 182}],
        },
        {
            "code": "consult-advies",
            "name": "Consult & Advies (C&A)",
            "processing_activity": "consult-advies",
            "restricted": False,
            "lead_time_days": 28,
            "phases": [{"code": "advies", "name": "Advies", "lead_time_days": 28}],
        },
    ],
}


def config_with(change):
    data = copy.deepcopy(VALID)
    change(data)
    return data


def pga(data):
    return data["case_type"][0]


def rejected(data) -> str:
    with pytest.raises(CaseTypeConfigError) as exc:
        config.validate(data)
    return str(exc.value)


def test_the_example_is_valid():
    config.validate(copy.deepcopy(VALID))


def test_unknown_key_on_a_case_type_is_named():
    message = rejected(config_with(lambda d: pga(d).update(colour="rood")))
    assert "'pga'" in message and "onbekende sleutel" in message and "colour" in message


def test_unknown_key_on_a_phase_names_case_type_and_phase():
    message = rejected(config_with(lambda d: pga(d)["phases"][1].update(owner="politie")))
    assert "'pga'" in message and "'uitvoering'" in message and "owner" in message


def test_unknown_key_on_a_life_domain_is_named():
    message = rejected(config_with(lambda d: d["life_domain"][1].update(colour="rood")))
    assert "'financien'" in message and "colour" in message


def test_unknown_section_is_refused():
    assert "casetype" in rejected(config_with(lambda d: d.update(casetype=[])))


def test_a_case_type_without_phases_is_refused():
    message = rejected(config_with(lambda d: pga(d).pop("phases")))
    assert "'pga'" in message and "ontbrekende sleutel" in message and "phases" in message


def test_a_case_type_with_an_empty_phase_list_is_refused():
    message = rejected(config_with(lambda d: pga(d).update(phases=[])))
    assert "'pga'" in message and "minstens één fase" in message


@pytest.mark.parametrize("missing", ["code", "name", "lead_time_days"])
def test_a_case_type_needs_code_name_and_lead_time(missing):
    message = rejected(config_with(lambda d: d["case_type"][2].pop(missing)))
    assert "case_type[2]" in message and missing in message


def test_a_phase_needs_a_name():
    message = rejected(config_with(lambda d: pga(d)["phases"][0].pop("name")))
    assert "'pga'" in message and "'analyse'" in message and "name" in message


def test_an_empty_name_is_refused():
    message = rejected(config_with(lambda d: pga(d).update(name="  ")))
    assert "'pga'" in message and "'name'" in message


def test_a_file_without_case_types_is_refused():
    assert "case_type" in rejected(config_with(lambda d: d.update(case_type=[])))


def test_duplicate_case_type_codes_are_named():
    def duplicate(d):
        d["case_type"][2]["code"] = "pga"

    message = rejected(config_with(duplicate))
    assert "'pga'" in message and "dubbel" in message


def test_duplicate_phase_codes_name_the_case_type_and_the_phase():
    message = rejected(config_with(lambda d: pga(d)["phases"][1].update(code="analyse")))
    assert "'pga'" in message and "'analyse'" in message and "dubbel" in message


def test_duplicate_life_domain_codes_are_named():
    message = rejected(config_with(lambda d: d["life_domain"][1].update(code="huisvesting")))
    assert "'huisvesting'" in message and "dubbel" in message


@pytest.mark.parametrize("days", [0, -14, 1.5, "14", True, None])
def test_a_case_types_lead_time_must_be_a_positive_whole_number_of_days(days):
    message = rejected(config_with(lambda d: pga(d).update(lead_time_days=days)))
    assert "'pga'" in message and "lead_time_days" in message and repr(days) in message


@pytest.mark.parametrize("days", [0, -1, 2.5])
def test_a_phases_lead_time_must_be_a_positive_whole_number_of_days(days):
    message = rejected(config_with(lambda d: pga(d)["phases"][1].update(lead_time_days=days)))
    assert "'pga'" in message and "'uitvoering'" in message and "lead_time_days" in message


def test_restricted_must_be_true_or_false():
    message = rejected(config_with(lambda d: pga(d).update(restricted="ja")))
    assert "'pga'" in message and "restricted" in message


def test_an_unknown_life_domain_is_named():
    message = rejected(config_with(lambda d: pga(d)["life_domains"].append("woonruimte")))
    assert "'pga'" in message and "onbekend leefgebied 'woonruimte'" in message


def test_a_label_must_point_to_an_existing_case_type():
    message = rejected(config_with(lambda d: d["case_type"][1].update(label_for="pga-jeugd")))
    assert "'top-x'" in message and "label_for" in message and "'pga-jeugd'" in message


def test_a_label_cannot_be_put_on_another_label():
    def label_on_label(d):
        d["case_type"].append(
            {
                "code": "top-10",
                "name": "Top 10",
                "processing_activity": "procesregie",
                "label_for": "top-x",
                "lead_time_days": 30,
                "phases": [{"code": "op-lijst", "name": "Op de lijst", "lead_time_days": 30}],
            }
        )

    message = rejected(config_with(label_on_label))
    assert "'top-10'" in message and "label_for" in message and "'top-x'" in message


def test_a_label_cannot_be_put_on_itself():
    message = rejected(config_with(lambda d: d["case_type"][1].update(label_for="top-x")))
    assert "'top-x'" in message and "label_for" in message


def test_read_refuses_invalid_toml_and_names_the_file(tmp_path):
    path = tmp_path / "kapot.toml"
    path.write_text('[[case_type]]\ncode = "pga\n', encoding="utf-8")
    with pytest.raises(CaseTypeConfigError) as exc:
        config.read(path)
    assert "kapot.toml" in str(exc.value) and "geen geldige TOML" in str(exc.value)


def test_read_validates_what_it_parsed(tmp_path):
    path = tmp_path / "zonder-fasen.toml"
    path.write_text('[[case_type]]\ncode = "pga"\nname = "PGA"\nlead_time_days = 365\n', encoding="utf-8")
    with pytest.raises(CaseTypeConfigError, match="'pga'.*phases"):
        config.read(path)


def test_duplicate_names_and_wrong_types_are_named():
    base = {
        "code": "a",
        "name": "A",
        "processing_activity": "procesregie",
        "lead_time_days": 1,
        "phases": [{"code": "p", "name": "P", "lead_time_days": 1}],
    }
    for data, message in [
        ({"case_type": [base, {**base, "code": "b"}]}, "case_type 'b': naam 'A' komt dubbel voor"),
        ({"case_type": [{**base, "description": 3}]}, "'description' moet een tekst zijn"),
        ({"case_type": [{**base, "life_domains": "huisvesting"}]}, "'life_domains' moet een lijst"),
    ]:
        with pytest.raises(CaseTypeConfigError, match=message):
            config.validate(data)

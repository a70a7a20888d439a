"""The meldformulieren as data: the configuration file is checked before use, and `clean_details` validates and
normalises each form's values the same way for the web, the API and the bulk import."""

import copy
import datetime

import pytest

from spil.casetypes.models import CaseType
from spil.core import clock
from spil.core.errors import DomainError
from spil.intake import channels
from spil.intake.channels import ChannelConfigError, DetailsError, clean_details

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def fixed_today():
    with clock.travel_to(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)):
        yield


def detention(**overrides) -> dict:
    details = {
        "article": "art-18",
        "establishment": "PI Limburg Zuid",
        "detention_start": "2025-06-01",
        "expected_release": "2026-03-20",
        "offence_category": "ernstig-geweld",
        "adult": True,
    }
    details.update(overrides)
    return details


def errors_of(form: str, details: dict) -> dict:
    with pytest.raises(DetailsError) as raised:
        clean_details(form, details)
    return raised.value.errors


# --- the file ---------------------------------------------------------------------------------------------------


def test_the_shipped_file_defines_every_channel_with_valid_defaults():
    definitions = channels.definitions()
    assert list(definitions) == ["algemeen", "detentie", "i28", "routeertafel-vt", "zsm", "radicalisering", "mensenhandel"]
    for definition in definitions.values():
        if definition.case_type:
            assert CaseType.objects.for_intake().filter(code=definition.case_type).exists(), definition.code
    assert definitions["algemeen"].fields == ()
    assert {code for code, d in definitions.items() if d.restricted} == {"radicalisering", "mensenhandel"}
    assert [code for code, d in definitions.items() if d.one_person] == ["mensenhandel"]
    assert CaseType.objects.get(code=definitions["mensenhandel"].case_type).separate_dossiers


def test_the_detention_form_asks_what_issue_6_names():
    fields = {f.name: f for f in channels.get("detentie").fields}
    assert dict(fields["article"].choices).keys() == {"art-18", "art-18b", "bij"}
    assert dict(fields["offence_category"].choices).keys() == {"ernstig-geweld", "zeden", "tbs", "anders"}
    # one short text per nazorg leefgebied (werk en inkomen, woonruimte, ID-bewijs, schulden, zorg, sociaal netwerk)
    assert [name for name in fields if name.startswith("risk_")] == [
        "risk_work_income",
        "risk_housing",
        "risk_id",
        "risk_debts",
        "risk_care",
        "risk_social_network",
    ]
    assert {"detention_start", "expected_release", "mayor_advice", "oov_contact", "advice_given_on", "adult"} <= fields.keys()


@pytest.fixture
def data():
    return copy.deepcopy(channels.read())


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["form"].pop(0), "'algemeen' ontbreekt"),
        (lambda d: d["form"][1].update(colour="rood"), "form[1] 'detentie': onbekende sleutel(s) colour"),
        (lambda d: d["form"][1].update(code="Detentie!"), "form[1] 'Detentie!': 'code' mag alleen"),
        (lambda d: d["form"][2].update(code="detentie"), "form[2] 'detentie': code komt dubbel voor"),
        (lambda d: d["form"][1].update(case_type="bestaat-niet"), "form[1] 'detentie': onbekend casustype 'bestaat-niet'"),
        (lambda d: d["form"][1].update(case_type="top-x"), "'top-x' is een label"),
        (
            lambda d: d["form"][5].update(case_type="pga"),
            "form[5] 'radicalisering': een afgeschermd formulier heeft een afgeschermd casustype nodig",
        ),
        (lambda d: d["form"][1].update(channel="fax"), "onbekend kanaal 'fax'"),
        (lambda d: d["form"][1].update(source_partner_types=["bakker"]), "'source_partner_types' moet een lijst zijn"),
        (lambda d: d["form"][1].update(restricted="ja"), "'restricted' moet true of false zijn"),
        (lambda d: d["form"][1]["field"][0].update(type="kleur"), "form[1] 'detentie' field[0] 'article': onbekend type 'kleur'"),
        (lambda d: d["form"][1]["field"][1].update(name="article"), "field[1] 'article': naam komt dubbel voor"),
        (lambda d: d["form"][1]["field"][1].update(name="Inrichting"), "'name' moet met een kleine letter beginnen"),
        (lambda d: d["form"][1]["field"][0].update(choices=[]), "field[0] 'article': 'choices' moet een niet-lege lijst"),
        (
            lambda d: d["form"][1]["field"][0]["choices"].append({"value": "bij", "label": "Nog eens"}),
            "een waarde in 'choices' komt dubbel voor",
        ),
        (
            lambda d: d["form"][1]["field"][1].update(choices=[{"value": "a", "label": "A"}]),
            "'choices' hoort alleen bij choice en multichoice",
        ),
        (lambda d: d["form"][1]["field"][5].update(required=True), "field[5] 'adult': een ja/nee-veld kan niet verplicht zijn"),
        (
            lambda d: d["form"][1]["field"][3].update(not_before="establishment"),
            "field[3] 'expected_release': 'not_before' moet een ander datumveld",
        ),
        (lambda d: d["form"][1]["field"][1].update(past=True), "past past niet bij type 'text'"),
        (lambda d: d["form"][3]["field"][2].update(min=30), "'min' is groter dan 'max'"),
        (lambda d: d["form"][1]["field"][1].update(max_length=0), "'max_length' moet een positief geheel getal zijn"),
        (lambda d: d["form"][1]["field"][1].pop("label"), "field[1] 'establishment': ontbrekende sleutel(s) label"),
    ],
)
def test_a_wrong_edit_fails_naming_the_form_and_field(data, change, message):
    channels.validate(data)  # the shipped file is valid
    change(data)
    with pytest.raises(ChannelConfigError) as raised:
        channels.validate(data)
    assert message in str(raised.value)


def test_a_broken_toml_file_is_reported(tmp_path):
    path = tmp_path / "channels.toml"
    path.write_text("[[form]\ncode =", encoding="utf-8")
    with pytest.raises(ChannelConfigError, match="channels.toml: geen geldige TOML"):
        channels.read(path)


# --- clean_details: per field type ------------------------------------------------------------------------------


def test_good_detention_details_are_normalised_for_json():
    cleaned = clean_details(
        "detentie",
        detention(
            establishment="  PI   Limburg Zuid ",
            detention_start=datetime.date(2025, 6, 1),
            expected_release="20-03-2026",
            offence_category="Ernstig geweld",
            adult="ja",
            risk_housing="",
            mayor_advice="Regel 1\r\nRegel 2  ",
        ),
    )
    assert cleaned == {
        "article": "art-18",
        "establishment": "PI Limburg Zuid",
        "detention_start": "2025-06-01",
        "expected_release": "2026-03-20",
        "offence_category": "ernstig-geweld",
        "adult": True,
        "mayor_advice": "Regel 1\nRegel 2",
    }
    assert clean_details("detentie", cleaned) == cleaned  # what is stored passes again unchanged


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"article": None}, "article", "'Soort detentiemelding' is verplicht."),
        ({"article": "art-99"}, "article", "'Soort detentiemelding' heeft een onbekende waarde 'art-99'"),
        ({"article": 18}, "article", "moet een van de keuzes zijn"),
        ({"establishment": "   "}, "establishment", "'Penitentiaire inrichting' is verplicht."),
        ({"establishment": 12}, "establishment", "'Penitentiaire inrichting' moet een tekst zijn."),
        ({"establishment": "x" * 121}, "establishment", "is te lang: hoogstens 120 tekens, nu 121"),
        ({"detention_start": "31-02-2025"}, "detention_start", "'Begin detentie' is geen geldige datum"),
        ({"detention_start": "2025/06/01"}, "detention_start", "is geen geldige datum"),
        ({"detention_start": datetime.datetime(2025, 6, 1, 12)}, "detention_start", "is geen geldige datum"),
        ({"detention_start": "2026-03-11"}, "detention_start", "'Begin detentie' kan niet in de toekomst liggen."),
        ({"expected_release": "2025-05-31"}, "expected_release", "'Verwachte datum vrijlating' kan niet vóór 'Begin detentie' liggen."),
        (
            {"adult": "misschien"},
            "adult",
            "'De gedetineerde is 18 jaar of ouder (nazorg volgens het Bestuurlijk Akkoord)' moet ja of nee zijn.",
        ),
        ({"colour": "rood"}, "colour", "'colour' is geen veld van dit formulier."),
    ],
)
def test_bad_detention_details_name_the_field_in_dutch(overrides, field, message):
    errors = errors_of("detentie", detention(**overrides))
    assert message in errors[field]
    assert set(errors) == {field}


def test_every_error_is_reported_at_once_and_in_the_message():
    with pytest.raises(DetailsError) as raised:
        clean_details("detentie", {"article": "x"})
    error = raised.value
    assert set(error.errors) == {"article", "establishment", "detention_start", "expected_release", "offence_category"}
    assert error.message.startswith("Detentiemelding (art. 18/18b, BIJ): ")
    assert isinstance(error, DomainError)


def test_bool_fields_are_always_stored_and_accept_dutch_yes_and_no():
    assert clean_details("radicalisering", {})["violence_indications"] is False
    for given, stored in [(True, True), ("ja", True), ("Nee", False), ("1", True), (0, False), ("", False), (None, False)]:
        assert clean_details("radicalisering", {"violence_indications": given})["violence_indications"] is stored
    assert "moet ja of nee zijn" in errors_of("radicalisering", {"violence_indications": 2})["violence_indications"]


def test_multichoice_keeps_the_configured_order_and_accepts_a_list_or_text():
    base = {"vt_reference": "VT-1"}
    cleaned = clean_details("routeertafel-vt", {**base, "violence_types": ["kindermishandeling", "partnergeweld", "partnergeweld"]})
    assert cleaned["violence_types"] == ["partnergeweld", "kindermishandeling"]
    assert clean_details("routeertafel-vt", {**base, "violence_types": "Kindermishandeling; partnergeweld"})["violence_types"] == [
        "partnergeweld",
        "kindermishandeling",
    ]
    assert errors_of("routeertafel-vt", {**base, "violence_types": []})["violence_types"] == "'Soort geweld' is verplicht."
    assert "onbekende waarde 'stalking'" in errors_of("routeertafel-vt", {**base, "violence_types": ["stalking"]})["violence_types"]
    assert "moet een lijst van keuzes zijn" in errors_of("routeertafel-vt", {**base, "violence_types": 3})["violence_types"]


@pytest.mark.parametrize(
    "given, stored, message",
    [
        (2, 2, None),
        ("3", 3, None),
        (0, 0, None),
        (-1, None, "moet minstens 0 zijn"),
        (21, None, "mag hoogstens 20 zijn"),
        ("twee", None, "moet een geheel getal zijn"),
        (2.5, None, "moet een geheel getal zijn"),
        (True, None, "moet een geheel getal zijn"),
    ],
)
def test_integer_fields(given, stored, message):
    details = {"vt_reference": "VT-1", "violence_types": ["partnergeweld"], "children": given}
    if message is None:
        assert clean_details("routeertafel-vt", details)["children"] == stored
    else:
        assert message in errors_of("routeertafel-vt", details)["children"]


def test_each_channel_accepts_its_own_good_input():
    good = {
        "algemeen": {},
        "detentie": detention(),
        "i28": {"code": "e33", "incident_on": "2026-03-09", "police_unit": "Basisteam Heerlen", "screening_outcome": "bemoeizorg"},
        "routeertafel-vt": {"vt_reference": "VT-123456", "violence_types": ["partnergeweld"], "children": 2},
        "zsm": {"offence": "Winkeldiefstal", "concern": "Verward en dakloos.", "zsm_decision": "sepot", "parket_number": "03/123456-26"},
        "radicalisering": {"ideology": "jihadistisch", "signal_on": "2026-03-01"},
        "mensenhandel": {"role": "slachtoffer", "exploitation": "arbeid"},
    }
    for form, details in good.items():
        cleaned = clean_details(form, details)
        assert {key: value for key, value in cleaned.items() if value is not False}.keys() <= details.keys(), form


def test_i28_zsm_and_mensenhandel_refuse_what_is_missing_or_unknown():
    assert set(errors_of("i28", {"code": "e99", "incident_on": "2026-04-01"})) == {"code", "incident_on", "police_unit"}
    assert set(errors_of("zsm", {"parket_number": "03/1"})) == {"offence", "concern"}
    assert errors_of("mensenhandel", {"role": "getuige", "exploitation": "seksueel"}).keys() == {"role"}
    assert (
        clean_details("mensenhandel", {"role": "Vermoedelijke dader", "exploitation": "Criminele uitbuiting"})["role"]
        == "vermoedelijke-dader"
    )


def test_an_unknown_form_or_details_that_are_not_fields_are_refused():
    with pytest.raises(DomainError, match="Onbekend meldformulier: bestaat-niet."):
        clean_details("bestaat-niet", {})
    with pytest.raises(DomainError, match="velden met waarden"):
        clean_details("detentie", ["art-18"])


def test_restricted_and_one_person_forms_check_the_melding_when_given():
    shielded, open_theme = CaseType.objects.get(code="zoco-mensenhandel"), CaseType.objects.get(code="pga")
    details = {"role": "slachtoffer", "exploitation": "seksueel"}
    assert clean_details("mensenhandel", details, case_type=shielded, persons=[{"surname": "A"}])["role"] == "slachtoffer"
    with pytest.raises(DetailsError) as raised:
        clean_details("mensenhandel", details, case_type=open_theme, persons=[{"surname": "A"}, {"surname": "B"}])
    message = raised.value.errors[None]
    assert "afgeschermd thema" in message and "Zorgcoördinatie mensenhandel (ZOCO)" in message
    assert "precies één persoon" in message
    # Other forms take any theme and any number of persons.
    assert clean_details("detentie", detention(), case_type=open_theme, persons=[{}, {}])


def test_display_uses_the_labels_of_the_definition():
    rows = dict(channels.display("detentie", clean_details("detentie", detention(risk_id="Geen ID-kaart"))))
    assert rows["Soort detentiemelding"] == "Artikel 18 Penitentiaire beginselenwet"
    assert rows["Verwachte datum vrijlating"] == "20 maart 2026"
    assert rows["Delictcategorie"] == "Ernstig geweld"
    assert rows["Risico's ID-bewijs"] == "Geen ID-kaart"
    assert rows["De gedetineerde is 18 jaar of ouder (nazorg volgens het Bestuurlijk Akkoord)"] == "ja"
    multi = dict(channels.display("routeertafel-vt", {"violence_types": ["partnergeweld", "eergerelateerd"]}))
    assert multi["Soort geweld"] == "Partnergeweld, Eergerelateerd geweld"
    # A value of a field that is no longer configured is still shown, under its own name.
    assert channels.display("detentie", {"oud_veld": "x"}) == [("oud_veld", "x")]

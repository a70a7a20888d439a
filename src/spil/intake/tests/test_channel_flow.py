"""Each meldformulier through the web: choose it, fill in its own fields (errors beside the field and in the summary),
register, and find the details with their labels on the melding's page; the inbox filters on the form."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils import timezone

from spil.casetypes.models import CaseType
from spil.intake import channels
from spil.intake.models import Channel, Report
from spil.organisations.models import PartnerType, Role
from spil.testing.factories import PartnerFactory, member, person_data, register_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(house):
    return member(house, Role.INTAKE)


@pytest.fixture
def logged_in(client, worker):
    client.force_login(worker)
    return client


def today(days=0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# What each form is filled in with, and what its melding page then shows (label, text).
CHANNELS = {
    "algemeen": ({}, []),
    "detentie": (
        {
            "article": "art-18b",
            "establishment": "PI Limburg Zuid",
            "detention_start": today(-200),
            "expected_release": today(30),
            "offence_category": "zeden",
            "adult": "on",
            "risk_housing": "Geen woning na vrijlating",
            "oov_contact": "J. Smeets (OOV)",
        },
        [
            ("Soort detentiemelding", "Artikel 18b Penitentiaire beginselenwet"),
            ("Delictcategorie", "Zeden"),
            ("Risico&#x27;s woonruimte", "Geen woning na vrijlating"),
            ("Contactfunctionaris OOV", "J. Smeets (OOV)"),
            ("De gedetineerde is 18 jaar of ouder (nazorg volgens het Bestuurlijk Akkoord)", "ja"),
        ],
    ),
    "i28": (
        {"code": "e14", "incident_on": today(-1), "police_unit": "Basisteam Heerlen"},
        [("Meldingscode", "E14 – suïcidepoging"), ("Politie-eenheid of basisteam", "Basisteam Heerlen")],
    ),
    "routeertafel-vt": (
        {"vt_reference": "VT-778899", "violence_types": ["partnergeweld", "kindermishandeling"], "children": "3"},
        [("Soort geweld", "Partnergeweld, Kindermishandeling"), ("Aantal minderjarige kinderen in het gezin", "3")],
    ),
    "zsm": (
        {"offence": "Bedreiging", "concern": "Slaapt buiten, mijdt zorg.", "zsm_decision": "sepot"},
        [("Feit waarvan de persoon wordt verdacht", "Bedreiging"), ("Beslissing van ZSM", "Sepot")],
    ),
    "radicalisering": (
        {"ideology": "links-extremistisch", "violence_indications": "on"},
        [("Soort zorg", "Links-extremistisch"), ("Er zijn aanwijzingen voor geweld of wapenbezit", "ja")],
    ),
    "mensenhandel": (
        {"role": "slachtoffer", "exploitation": "crimineel", "shelter_needed": "on"},
        [("Rol van de persoon", "(Vermoedelijk) slachtoffer"), ("Vorm van uitbuiting", "Criminele uitbuiting")],
    ),
}


def post_data(house, form_code, details: dict, **overrides) -> dict:
    definition = channels.get(form_code)
    theme = CaseType.objects.get(code=definition.case_type or "pga")
    data = {
        "house": house.pk,
        "source_partner": PartnerFactory().pk,
        "reporter_name": "W. Agent",
        "channel": definition.channel or Channel.PHONE,
        "received_on": today(),
        "requested_case_type": theme.pk,
        "reason": "Zorgen",
        "request": "Regie",
        "persons-TOTAL_FORMS": "1",
        "persons-INITIAL_FORMS": "0",
        "persons-0-first_names": "Jan",
        "persons-0-surname": "Jansen",
        **{f"details-{name}": value for name, value in details.items()},
    }
    data.update(overrides)
    return data


def test_new_melding_starts_by_choosing_a_form(logged_in):
    response = logged_in.get(reverse("intake:create"))
    assert response.status_code == 200
    content = response.content.decode()
    for definition in channels.definitions().values():
        assert reverse("intake:create-form", args=[definition.code]) in content
        assert definition.name in content
    assert "Meestal van: PI / DJI, Reclassering" in content
    assert "Afgeschermd" in content and "Eén persoon per melding" in content


def test_choosing_needs_the_right_to_register(client, house):
    client.force_login(member(house, Role.PROCESS_DIRECTOR))
    assert client.get(reverse("intake:create")).status_code == 403


def test_a_form_presets_its_theme_and_channel_and_shows_its_fields(logged_in):
    response = logged_in.get(reverse("intake:create-form", args=["detentie"]))
    assert response.status_code == 200
    form, details = response.context["form"], response.context["details"]
    assert form.initial["requested_case_type"] == CaseType.objects.get(code="nazorg").pk
    assert form.initial["channel"] == "email"
    assert details.legend == "Detentiemelding (art. 18/18b, BIJ)"
    content = response.content.decode()
    assert 'name="details-expected_release"' in content and "Verwachte datum vrijlating" in content
    assert logged_in.get(reverse("intake:create-form", args=["bestaat-niet"])).status_code == 404


@pytest.mark.parametrize("form_code", list(CHANNELS))
def test_each_channel_registers_its_details_and_shows_them_on_the_melding(logged_in, house, form_code):
    details, shown = CHANNELS[form_code]
    response = logged_in.post(reverse("intake:create-form", args=[form_code]), post_data(house, form_code, details))
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == reverse("intake:detail", args=[report.number])
    assert report.form == form_code
    ticked = {name: True if value == "on" else value for name, value in details.items()}  # a ticked checkbox posts "on"
    assert report.details == channels.clean_details(form_code, ticked)
    page = logged_in.get(response.url).content.decode()
    if form_code == "algemeen":
        assert 'id="meldformulier"' not in page
    else:
        assert channels.get(form_code).name in page
    for label, text in shown:
        assert f"<dt>{label}</dt><dd>{text}</dd>" in page


def test_bad_details_are_shown_beside_the_field_and_in_the_summary_and_nothing_is_saved(logged_in, house):
    details = {
        "article": "",
        "establishment": "PI",
        "detention_start": today(-10),
        "expected_release": today(-20),
        "offence_category": "tbs",
    }
    response = logged_in.post(reverse("intake:create-form", args=["detentie"]), post_data(house, "detentie", details))
    assert response.status_code == 200 and not Report.objects.exists()
    content = response.content.decode()
    assert "Er zijn 2 fouten gevonden" in content
    assert 'href="#id_details-article"' in content and 'href="#id_details-expected_release"' in content
    assert escape("'Verwachte datum vrijlating' kan niet vóór 'Begin detentie' liggen.") in content
    assert 'id="id_details-expected_release_error"' in content  # beside the field
    assert 'value="PI"' in content  # what was typed stays


def test_adding_a_person_keeps_the_details_typed_so_far(logged_in, house):
    details = {"vt_reference": "VT-1", "violence_types": ["partnergeweld", "ouderenmishandeling"], "children": "1"}
    response = logged_in.post(
        reverse("intake:create-form", args=["routeertafel-vt"]), {**post_data(house, "routeertafel-vt", details), "add_person": "1"}
    )
    assert response.status_code == 200
    form = response.context["details"]
    assert form.initial == {"vt_reference": "VT-1", "violence_types": ["partnergeweld", "ouderenmishandeling"], "children": "1"}
    assert response.context["persons"].total_form_count() == 2


def test_a_one_person_form_offers_no_second_person(logged_in):
    content = logged_in.get(reverse("intake:create-form", args=["mensenhandel"])).content.decode()
    assert 'name="add_person"' not in content and "Eén persoon per melding" in content
    assert 'name="add_person"' in logged_in.get(reverse("intake:create-form", args=["detentie"])).content.decode()


def test_posting_to_the_old_address_registers_on_the_general_form(logged_in, house):
    response = logged_in.post(reverse("intake:create"), post_data(house, "algemeen", {}))
    assert response.status_code == 302
    assert Report.objects.get().form == "algemeen"


def test_the_inbox_filters_on_the_form(logged_in, house, worker):
    register_report(worker, house, persons=[person_data(surname="Algemeen")])
    detention = channels.clean_details(
        "detentie",
        {
            "article": "bij",
            "establishment": "PI Sittard",
            "detention_start": today(-100),
            "expected_release": today(100),
            "offence_category": "tbs",
        },
    )
    from spil.intake import services

    services.register_report(
        actor=worker,
        house=house,
        persons=[person_data(surname="Gedetineerd")],
        details=detention,
        fields={**_fields(PartnerType.PRISON), "form": "detentie", "requested_case_type": CaseType.objects.get(code="bij")},
    )
    content = logged_in.get(reverse("intake:inbox"), {"form": "detentie"}).content.decode()
    assert "Gedetineerd" in content and "Algemeen" not in content.split("<tbody")[1]
    assert 'value="detentie"' in content  # the filter offers every form


def _fields(partner_type) -> dict:
    from spil.testing.factories import report_fields

    return report_fields(source_partner=PartnerFactory(type=partner_type))

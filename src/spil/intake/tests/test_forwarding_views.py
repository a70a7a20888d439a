"""The pages of regional intake and forwarding: the new-melding form, the routing panel, the offers list and the
pages to offer, accept and decline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spil.casetypes.models import CaseType
from spil.core import clock
from spil.intake import forwarding as forwarding_services
from spil.intake.models import Forwarding, ForwardingStatus, Report
from spil.logbook.models import Action, ProcessingRecord
from spil.logbook.services import subject_of
from spil.organisations.models import Role
from spil.testing.factories import PartnerFactory, member, person_data

from .routing_world import limburg_fixture  # noqa: F401 (the fixture `limburg`)

pytestmark = pytest.mark.django_db


def new_melding(limburg, municipality=None, **overrides) -> dict:
    data = {
        "source_partner": PartnerFactory().pk,
        "reporter_name": "W. Agent",
        "channel": "telefoon",
        "received_on": clock.today().isoformat(),
        "requested_case_type": CaseType.objects.get(code="levensloop").pk,
        "reason": "Verward gedrag op straat",
        "request": "Procesregie",
        "persons-TOTAL_FORMS": "1",
        "persons-INITIAL_FORMS": "0",
        "persons-0-first_names": "Jan",
        "persons-0-surname": "Jansen",
        "persons-0-municipality": limburg.municipality(municipality).pk if municipality else "",
    }
    data.update(overrides)
    return data


def test_the_loket_lets_the_routing_rules_choose_the_house(client, limburg):
    client.force_login(limburg.intake_noord)
    page = client.get(reverse("intake:create-form", args=["algemeen"])).content.decode()
    assert "Bepalen via de routeringsregels" in page and "Strafrechtelijk kader" in page and "Reden van de keuze" in page
    response = client.post(reverse("intake:create-form", args=["algemeen"]), new_melding(limburg, "Mook en Middelaar", house=""))
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == reverse("intake:detail", args=[report.number])
    assert report.house == limburg.gelderland and report.intake_region == limburg.noord_region
    detail = client.get(response.url).content.decode()
    assert "Regel: Mook en Middelaar, Levensloopaanpak (ketenveldnorm) → ZVH Gelderland-Zuid" in detail
    assert "Noord-Limburg" in detail


def test_criminal_law_keeps_mook_en_middelaar_in_noord_limburg(client, limburg):
    client.force_login(limburg.intake_noord)
    client.post(reverse("intake:create-form", args=["algemeen"]), new_melding(limburg, "Mook en Middelaar", house="", criminal_law="on"))
    assert Report.objects.get().house == limburg.noord


def test_the_form_asks_for_a_reason_with_a_chosen_house_and_for_a_house_without_a_gemeente(client, limburg):
    client.force_login(limburg.loket)
    response = client.post(reverse("intake:create-form", args=["algemeen"]), new_melding(limburg, "Heerlen", house=limburg.maastricht.pk))
    assert "Geef de reden waarom u het huis zelf kiest" in response.content.decode()
    response = client.post(reverse("intake:create-form", args=["algemeen"]), new_melding(limburg, None, house=""))
    assert "Van geen van de personen is de gemeente bekend" in response.content.decode()
    assert not Report.objects.exists()
    response = client.post(
        reverse("intake:create-form", args=["algemeen"]),
        new_melding(limburg, None, house=limburg.maastricht.pk, routing_reason="Dakloos, verblijft in Maastricht"),
    )
    report = Report.objects.get()
    assert response.status_code == 302 and report.house == limburg.maastricht
    assert report.routing_note == "Keuze intake: Dakloos, verblijft in Maastricht"


def test_a_house_without_a_region_keeps_the_plain_house_choice(client, limburg):
    client.force_login(limburg.intake_midden)
    page = client.get(reverse("intake:create-form", args=["algemeen"])).content.decode()
    assert "Bepalen via de routeringsregels" not in page and "Strafrechtelijk kader" not in page
    client.post(reverse("intake:create-form", args=["algemeen"]), new_melding(limburg, "Roermond", house=limburg.midden.pk))
    report = Report.objects.get()
    assert report.house == limburg.midden and report.routing_note == ""


def test_offer_accept_and_see_it_on_both_sides(client, limburg):
    report = limburg.register(limburg.intake_noord, house=limburg.noord, municipality="Venlo")
    client.force_login(limburg.intake_noord)
    detail = client.get(reverse("intake:detail", args=[report.number])).content.decode()
    assert reverse("intake:forward", args=[report.number]) in detail
    response = client.post(reverse("intake:forward", args=[report.number]), {"to_house": limburg.midden.pk, "reason": ""})
    assert "Dit veld is verplicht" in response.content.decode()
    response = client.post(
        reverse("intake:forward", args=[report.number]), {"to_house": limburg.midden.pk, "reason": "Verhuisd naar Roermond"}
    )
    assert response.status_code == 302
    forwarding = Forwarding.objects.get()

    client.force_login(limburg.intake_midden)
    offers = client.get(reverse("intake:forwardings")).content.decode()
    assert report.number in offers and "Jan van der Berg" in offers and "Verhuisd naar Roermond" in offers
    assert reverse("intake:forwarding-accept", args=[forwarding.pk]) in offers
    detail = client.get(reverse("intake:detail", args=[report.number])).content.decode()
    assert "Aangeboden aan ZVH Midden-Limburg" in detail and reverse("intake:forwarding-accept", args=[forwarding.pk]) in detail
    confirm = client.get(reverse("intake:forwarding-accept", args=[forwarding.pk])).content.decode()
    assert "overnemen?" in confirm and "Accepteren en overnemen" in confirm
    response = client.post(reverse("intake:forwarding-accept", args=[forwarding.pk]), {"note": ""})
    assert response.status_code == 302 and response.url == reverse("intake:detail", args=[report.number])
    report.refresh_from_db()
    assert report.house == limburg.midden
    # Accepting again is refused politely.
    response = client.get(reverse("intake:forwarding-accept", args=[forwarding.pk]))
    assert response.status_code == 302

    # The one who offered it sees the outcome in the list of their house's offers, and the timeline.
    client.force_login(limburg.intake_noord)
    outgoing = client.get(reverse("intake:forwardings"), {"richting": "uit", "status": ""}).content.decode()
    assert report.number in outgoing and "Geaccepteerd" in outgoing
    assert "Doorzending geaccepteerd door ZVH Midden-Limburg" in client.get(reverse("intake:detail", args=[report.number])).content.decode()


def test_a_colleague_of_the_old_house_sees_the_outcome_but_not_the_melding(client, limburg):
    report = limburg.register(limburg.intake_noord, house=limburg.noord, municipality="Venlo")
    forwarding = forwarding_services.forward(report, actor=limburg.intake_noord, to_house=limburg.midden, reason="Verhuisd")
    forwarding_services.accept(forwarding, actor=limburg.intake_midden)
    colleague = member(limburg.noord, Role.INTAKE)
    client.force_login(colleague)
    assert client.get(reverse("intake:detail", args=[report.number])).status_code == 404
    outgoing = client.get(reverse("intake:forwardings"), {"richting": "uit", "status": ""}).content.decode()
    assert report.number in outgoing and "niet meer zichtbaar" in outgoing and "Jan van der Berg" not in outgoing
    assert reverse("intake:detail", args=[report.number]) not in outgoing


def test_decline_needs_a_reason(client, limburg):
    report = limburg.register(limburg.intake_noord, house=limburg.noord, municipality="Venlo")
    forwarding = forwarding_services.forward(report, actor=limburg.intake_noord, to_house=limburg.midden, reason="Verhuisd")
    client.force_login(limburg.intake_midden)
    assert "Reden van afwijzen" in client.get(reverse("intake:forwarding-decline", args=[forwarding.pk])).content.decode()
    response = client.post(reverse("intake:forwarding-decline", args=[forwarding.pk]), {"reason": ""})
    assert response.status_code == 200 and "Dit veld is verplicht" in response.content.decode()
    response = client.post(reverse("intake:forwarding-decline", args=[forwarding.pk]), {"reason": "Woont nog in Venlo"})
    assert response.status_code == 302
    forwarding.refresh_from_db()
    assert forwarding.status == ForwardingStatus.DECLINED


def test_a_third_house_sees_no_offer_and_cannot_open_one(client, limburg):
    report = limburg.register(limburg.intake_noord, house=limburg.noord, municipality="Venlo")
    forwarding = forwarding_services.forward(report, actor=limburg.intake_noord, to_house=limburg.midden, reason="Verhuisd")
    client.force_login(limburg.intake_gelderland)
    page = client.get(reverse("intake:forwardings"), {"richting": "in", "status": ""}).content.decode()
    assert report.number not in page and "Er zijn geen meldingen" in page
    for name in ["intake:forwarding-accept", "intake:forwarding-decline"]:
        assert client.get(reverse(name, args=[forwarding.pk])).status_code == 404
    assert client.get(reverse("intake:forward", args=[report.number])).status_code == 404
    # The house that offered it sees the offer, but does not decide on it.
    client.force_login(member(limburg.noord, Role.INTAKE))
    assert client.get(reverse("intake:forwarding-accept", args=[forwarding.pk])).status_code == 403
    # Without intake or bedrijfsbureau there is no list at all.
    client.force_login(member(limburg.midden, Role.PROCESS_DIRECTOR))
    assert client.get(reverse("intake:forwardings")).status_code == 403


def test_the_offers_list_logs_the_persons_it_shows(client, limburg):
    report = limburg.register(limburg.intake_noord, house=limburg.noord, municipality="Venlo")
    forwarding_services.forward(report, actor=limburg.intake_noord, to_house=limburg.midden, reason="Verhuisd")
    client.force_login(limburg.intake_midden)
    client.get(reverse("intake:forwardings"))
    person = report.persons.get()
    assert ProcessingRecord.objects.filter(subject=subject_of(person), action=Action.READ, object_ref="lijst meldingen").exists()


def test_the_offers_list_has_an_empty_state_and_keeps_its_query_count(client, limburg):
    client.force_login(limburg.intake_midden)
    assert "Er zijn geen meldingen die op uw besluit wachten" in client.get(reverse("intake:forwardings")).content.decode()

    def offer(count):
        for i in range(count):
            report = limburg.register(
                limburg.intake_noord, house=limburg.noord, persons=[person_data(first_names=f"P{i}"), person_data(first_names=f"Q{i}")]
            )
            forwarding_services.forward(report, actor=limburg.intake_noord, to_house=limburg.midden, reason="Verhuisd")

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("intake:forwardings"), {"status": ""}).status_code == 200
        return len(context)

    offer(2)
    few = queries()
    offer(6)
    assert queries() == few


def test_the_menu_counts_the_offers_waiting_for_the_user(client, limburg):
    report = limburg.register(limburg.intake_noord, house=limburg.noord, municipality="Venlo")
    forwarding_services.forward(report, actor=limburg.intake_noord, to_house=limburg.midden, reason="Verhuisd")
    client.force_login(limburg.intake_midden)
    assert "Doorgezonden (1" in client.get(reverse("web:my-work")).content.decode()
    client.force_login(limburg.intake_noord)
    page = client.get(reverse("web:my-work")).content.decode()
    assert reverse("intake:forwardings") in page and "Doorgezonden (" not in page
    client.force_login(member(limburg.midden, Role.TRIAGE))
    assert reverse("intake:forwardings") not in client.get(reverse("web:my-work")).content.decode()

"""Hit/no-hit across houses at registration: the melding learns only "bekend bij <ZVH>, contact" (and whether a PGA
runs); the other house is told that a person of its case was reported, with the contact; both sides are logged."""

import pytest
from django.urls import reverse

from spil.casetypes.models import CaseType
from spil.logbook.models import Action, ProcessingRecord
from spil.logbook.services import subject_of
from spil.organisations.models import Role
from spil.persons.models import HitCheck, KnownElsewhere
from spil.testing.factories import member, person_data, register_report
from spil.web.models import Notification

pytestmark = pytest.mark.django_db

# Not names the test data generator gives users: a page shows the logged-in user's own name.
SECRETS = ["Geheimstraat", "Geheimnaam", "Nazorg ex-gedetineerden", "Zorgen over terugval"]


@pytest.fixture
def noord(other_house):
    other_house.contact = "077-1234567 (bedrijfsbureau)"
    other_house.save()
    return {
        "worker": member(other_house, Role.INTAKE),
        "bureau": member(other_house, Role.BACK_OFFICE),
        "director": member(other_house, Role.PROCESS_DIRECTOR),
    }


@pytest.fixture
def known_in_noord(noord, other_house, open_case, bsns):
    """A person with a BSN in an open nazorg case in Noord-Limburg, with data Parkstad must never see."""
    bsn = next(bsns)
    case = open_case(
        noord["worker"],
        other_house,
        code="nazorg",
        director=noord["director"],
        persons=[person_data(first_names="Geheimnaam", bsn=bsn, address="Geheimstraat 9", city="Venlo")],
    )
    return {"case": case, "bsn": bsn}


def register_in_parkstad(worker, house, bsn, **overrides):
    return register_report(worker, house, persons=[person_data(bsn=bsn)], **overrides)


def test_a_hit_tells_only_house_and_contact(client, intake_worker, house, other_house, known_in_noord):
    report = register_in_parkstad(intake_worker, house, known_in_noord["bsn"], reason="Overlast in de wijk.")
    hit = KnownElsewhere.objects.get(hit_check__report=report)
    assert (hit.house, hit.pga_active, hit.contact) == (other_house, False, "077-1234567 (bedrijfsbureau)")
    client.force_login(intake_worker)
    page = client.get(reverse("intake:detail", args=[report.number])).content.decode()
    assert "Bekend bij ZVH Noord-Limburg" in page and "077-1234567 (bedrijfsbureau)" in page
    assert "PGA actief" not in page
    for secret in [known_in_noord["case"].number, known_in_noord["case"].report.number, *SECRETS]:
        assert secret not in page


def test_an_active_pga_is_mentioned(intake_worker, house, noord, other_house, open_case, bsns):
    bsn = next(bsns)
    open_case(noord["worker"], other_house, code="pga", persons=[person_data(bsn=bsn)])
    report = register_in_parkstad(intake_worker, house, bsn)
    assert KnownElsewhere.objects.get(hit_check__report=report).pga_active


def test_the_other_house_is_notified_without_the_person_or_the_melding(intake_worker, house, noord, known_in_noord):
    report = register_in_parkstad(intake_worker, house, known_in_noord["bsn"], reason="Zorgen over terugval.")
    case = known_in_noord["case"]
    notes = Notification.objects.filter(key=f"hit:{report.pk}:{case.pk}")
    assert {n.user for n in notes} == {noord["bureau"], noord["director"]}
    for note in notes:
        assert note.text == f"Een persoon uit casus {case.number} is gemeld bij ZVH Parkstad."
        assert note.url == reverse("cases:detail", args=[case.number])
        for secret in [report.number, "Berg", "Jan", *SECRETS]:
            assert secret not in note.text
    assert not Notification.objects.filter(user=intake_worker).exists()


def test_the_notification_gives_the_melding_houses_contact(intake_worker, house, noord, known_in_noord):
    house.contact = "045-7654321"
    house.save()
    register_in_parkstad(intake_worker, house, known_in_noord["bsn"])
    assert Notification.objects.get(user=noord["bureau"]).text.endswith("is gemeld bij ZVH Parkstad; contact: 045-7654321.")


def test_both_sides_are_logged(intake_worker, house, known_in_noord):
    report = register_in_parkstad(intake_worker, house, known_in_noord["bsn"])
    ours, theirs = report.persons.get(), known_in_noord["case"].persons.get()
    assert ProcessingRecord.objects.filter(
        action=Action.SEARCH, subject=subject_of(ours), object_ref=f"hit/no-hit {report.number}"
    ).exists()
    case = known_in_noord["case"]
    logged = ProcessingRecord.objects.get(action=Action.SEARCH, subject=subject_of(theirs), object_ref=case.number)
    assert logged.activity == case.case_type.processing_activity


def test_no_hit(client, intake_worker, house, bsns):
    report = register_in_parkstad(intake_worker, house, next(bsns))
    assert HitCheck.objects.filter(report=report).count() == 1 and not KnownElsewhere.objects.exists()
    client.force_login(intake_worker)
    assert (
        "niet bekend in een lopende casus bij een ander huis" in client.get(reverse("intake:detail", args=[report.number])).content.decode()
    )
    assert not Notification.objects.exists()


def test_without_bsn_nothing_is_asked(client, intake_worker, house):
    report = register_report(intake_worker, house, persons=[person_data()])
    assert not HitCheck.objects.exists()
    client.force_login(intake_worker)
    assert "zonder BSN niet nagegaan" in client.get(reverse("intake:detail", args=[report.number])).content.decode()


@pytest.mark.parametrize("code", ["pga-radicalisering"])
def test_restricted_cases_never_give_a_hit(intake_worker, house, noord, other_house, open_case, bsns, code):
    bsn = next(bsns)
    open_case(noord["bureau"], other_house, code=code, persons=[person_data(bsn=bsn)])
    register_in_parkstad(intake_worker, house, bsn)
    assert not KnownElsewhere.objects.exists() and not Notification.objects.exists()


def test_closed_cases_and_the_own_house_give_no_hit(intake_worker, house, noord, other_house, open_case, bsns):
    from spil.cases import services as case_services

    bsn = next(bsns)
    closed = open_case(noord["worker"], other_house, persons=[person_data(bsn=bsn)], director=noord["director"])
    case_services.close_case(closed, actor=noord["director"], result="doel_bereikt", note="", expected_version=closed.version)
    open_case(intake_worker, house, persons=[person_data(bsn=bsn)])
    register_in_parkstad(intake_worker, house, bsn)
    assert not KnownElsewhere.objects.exists()


def test_a_restricted_melding_gets_its_answer_but_the_other_house_is_not_told(intake_worker, house, known_in_noord):
    report = register_in_parkstad(
        intake_worker, house, known_in_noord["bsn"], requested_case_type=CaseType.objects.get(code="pga-radicalisering")
    )
    assert KnownElsewhere.objects.filter(hit_check__report=report).exists()
    assert not Notification.objects.exists()
    # Still logged on the other side: the person's inzage shows who asked.
    assert ProcessingRecord.objects.filter(object_ref=known_in_noord["case"].number, action=Action.SEARCH).exists()

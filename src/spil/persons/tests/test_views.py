"""The screens: candidates on the melding page with link/new, the person page (visible persons only), merge and
un-merge with confirmation, and differences noted at a melding."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spil.api.testing import open_case
from spil.casetypes.models import CaseType
from spil.intake.models import ReportPerson
from spil.logbook.models import Action, ProcessingRecord
from spil.logbook.services import subject_of
from spil.organisations.models import Role
from spil.persons.models import Person, PersonMerge
from spil.testing.factories import member, person_data, register_report
from spil.timeline.models import Event

pytestmark = pytest.mark.django_db

BORN = datetime.date(1990, 5, 17)


@pytest.fixture
def earlier(intake_worker, house):
    return register_report(
        intake_worker, house, persons=[person_data(first_names="Jan", surname_prefix="van der", surname="Jansen", birth_date=BORN)]
    )


@pytest.fixture
def new(intake_worker, house, earlier):
    """A new melding naming "J. Jansen, van der" again, without BSN: a new person with one candidate."""
    return register_report(
        intake_worker, house, persons=[person_data(first_names="J.", surname_prefix="", surname="Jansen, van der", birth_date=BORN)]
    )


def page(client, user, report):
    client.force_login(user)
    return client.get(reverse("intake:detail", args=[report.number])).content.decode()


def test_the_melding_page_shows_candidates_and_logs_them(client, intake_worker, earlier, new):
    shown = page(client, intake_worker, new)
    assert "Dit is dezelfde persoon" in shown and earlier.number in shown and "Nieuwe persoon" in shown
    known = earlier.persons.get()
    assert ProcessingRecord.objects.filter(action=Action.SEARCH, subject=subject_of(known), object_ref=f"vergelijken {new.number}").exists()


def test_candidates_only_for_who_registers_meldingen_of_the_house(client, house, earlier, new, open_case):
    from spil.cases import services as case_services

    director = member(house, Role.PROCESS_DIRECTOR)
    case_services.open_case(
        actor=director,
        house=house,
        case_type=new.requested_case_type,
        report=new,
        persons=list(new.persons.all()),
        ave_level=3,
        reason="x",
        process_director=director,
    )
    shown = page(client, director, new)  # sees the melding through the case team
    assert "Dit is dezelfde persoon" not in shown and earlier.number not in shown


def test_candidates_of_another_house_are_never_shown(client, intake_worker, house, other_house):
    theirs = register_report(member(other_house, Role.INTAKE), other_house, persons=[person_data()])
    ours = register_report(intake_worker, house, persons=[person_data()])
    shown = page(client, intake_worker, ours)
    assert theirs.number not in shown and "Dit is dezelfde persoon" not in shown


def test_nieuwe_persoon_records_the_decision(client, intake_worker, earlier, new):
    link = ReportPerson.objects.get(report=new)
    client.force_login(intake_worker)
    response = client.post(reverse("persons:match", args=[link.pk]), {"decision": "nieuw"})
    assert response.status_code == 302
    assert not Person.objects.get(pk=link.person_id).match_pending
    assert Event.objects.filter(report=new, text__contains="is een nieuwe persoon").exists()
    assert "Dit is dezelfde persoon" not in page(client, intake_worker, new)


def test_dezelfde_persoon_links_the_melding_to_the_known_person(client, intake_worker, earlier, new):
    link = ReportPerson.objects.get(report=new)
    newcomer, known = link.person, earlier.persons.get()
    client.force_login(intake_worker)
    confirm = client.get(reverse("persons:match", args=[link.pk]) + f"?kandidaat={known.pk}")
    assert confirm.status_code == 200 and "Ja, dit is dezelfde persoon" in confirm.content.decode()
    client.post(reverse("persons:match", args=[link.pk]), {"decision": "zelfde", "known": known.pk})
    assert list(new.persons.all()) == [known]
    assert Person.objects.get(pk=newcomer.pk).merged_into == known
    merged = PersonMerge.objects.get()
    assert new.number in merged.reason
    assert "Dit is dezelfde persoon" not in page(client, intake_worker, new)


def test_linking_to_a_person_of_another_house_is_impossible(client, intake_worker, house, other_house, new):
    theirs = register_report(member(other_house, Role.INTAKE), other_house, persons=[person_data()]).persons.get()
    link = ReportPerson.objects.get(report=new)
    client.force_login(intake_worker)
    assert client.get(reverse("persons:match", args=[link.pk]) + f"?kandidaat={theirs.pk}").status_code == 404
    assert client.post(reverse("persons:match", args=[link.pk]), {"decision": "zelfde", "known": theirs.pk}).status_code == 404
    assert not PersonMerge.objects.exists()


def test_the_person_page_shows_only_what_the_user_may_see(client, intake_worker, house, other_house, earlier, bureau):
    person = earlier.persons.get()
    restricted = register_report(
        bureau, house, persons=[person_data()], requested_case_type=CaseType.objects.get(code="pga-radicalisering")
    )
    ReportPerson.objects.filter(report=restricted).update(person=person)
    client.force_login(intake_worker)
    response = client.get(reverse("persons:detail", args=[person.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert earlier.number in content and restricted.number not in content
    assert ProcessingRecord.objects.filter(action=Action.READ, subject=subject_of(person), object_ref="persoonsoverzicht").exists()
    client.force_login(bureau)
    assert restricted.number in client.get(reverse("persons:detail", args=[person.pk])).content.decode()
    for outsider in [member(other_house, Role.INTAKE, Role.BACK_OFFICE), member(house, Role.TRIAGE)]:
        client.force_login(outsider)
        assert client.get(reverse("persons:detail", args=[person.pk])).status_code == 404


def test_merge_and_unmerge_through_the_person_page(client, intake_worker, earlier, new):
    survivor, absorbed = earlier.persons.get(), new.persons.get()
    client.force_login(intake_worker)
    detail = client.get(reverse("persons:detail", args=[survivor.pk])).content.decode()
    assert f"?met={absorbed.pk}" in detail
    merge_url = reverse("persons:merge", args=[survivor.pk])
    assert client.get(merge_url).status_code == 200
    confirm = client.get(merge_url + f"?met={absorbed.pk}")
    assert "Samenvoegen bevestigen" in confirm.content.decode()
    refused = client.post(merge_url, {"met": absorbed.pk, "reason": ""})
    assert refused.status_code == 200 and not PersonMerge.objects.exists()
    assert client.post(merge_url, {"met": absorbed.pk, "reason": "Zelfde geboortedatum."}).status_code == 302
    merged = PersonMerge.objects.get()
    history = client.get(reverse("persons:detail", args=[survivor.pk])).content.decode()
    assert "Zelfde geboortedatum." in history and new.number in history
    unmerge_url = reverse("persons:unmerge", args=[merged.pk])
    assert client.get(unmerge_url).status_code == 200
    assert client.post(unmerge_url, {"reason": "Toch twee personen."}).status_code == 302
    assert list(new.persons.all()) == [absorbed]
    assert "Ongedaan gemaakt" in client.get(reverse("persons:detail", args=[survivor.pk])).content.decode()


def test_an_absorbed_record_has_no_page_of_its_own(client, intake_worker, earlier, new):
    from spil.persons import services

    services.merge(earlier.persons.get(), new.persons.get(), actor=intake_worker, reason="x")
    client.force_login(intake_worker)
    assert client.get(reverse("persons:detail", args=[Person.objects.get(merged_into__isnull=False).pk])).status_code == 404


def test_a_difference_is_taken_over_or_kept(client, intake_worker, house, bsns):
    bsn = next(bsns)
    first = register_report(intake_worker, house, persons=[person_data(bsn=bsn, address="Markt 1")])
    second = register_report(intake_worker, house, persons=[person_data(bsn=bsn, address="Kerkstraat 2", first_names="Piet")])
    shown = page(client, intake_worker, second)
    assert "Afwijkende gegevens" in shown and "Kerkstraat 2" in shown
    address, first_names = second.person_discrepancies.order_by("field")
    assert (address.field, first_names.field) == ("address", "first_names")
    client.post(reverse("persons:discrepancy", args=[address.pk]), {"decision": "overnemen"})
    client.post(reverse("persons:discrepancy", args=[first_names.pk]), {"decision": "houden"})
    person = first.persons.get()
    assert (person.address, person.first_names) == ("Kerkstraat 2", "Jan")
    assert Event.objects.filter(report=second, text__contains="gewijzigd van 'Markt 1' in 'Kerkstraat 2'").exists()
    assert Event.objects.filter(report=second, text__contains="voornamen van Jan van der Berg behouden").exists()
    assert "Afwijkende gegevens" not in page(client, intake_worker, second)


def test_the_person_page_query_count_does_not_grow_with_its_dossiers(client, intake_worker, house):
    person = register_report(intake_worker, house, persons=[person_data()]).persons.get()

    def more(count):
        for _ in range(count):
            report = register_report(intake_worker, house, persons=[person_data(first_names="Ander")])
            ReportPerson.objects.filter(report=report).update(person=person)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("persons:detail", args=[person.pk])).status_code == 200
        return len(context)

    client.force_login(intake_worker)
    more(2)
    few = queries()
    more(6)
    assert queries() == few


def test_a_summary_member_sees_only_what_the_case_overview_shows(client, intake_worker, house, bureau, open_case, bsns):
    from spil.cases import services as case_services
    from spil.cases.models import AccessLevel, TeamRole
    from spil.testing.factories import PartnerFactory

    bsn = next(bsns)
    case = open_case(intake_worker, house, persons=[person_data(bsn=bsn, address="Markt 1")])
    partner = member(house, Role.CASE_DIRECTOR, partner=PartnerFactory(name="Reclassering"))
    case_services.add_team_member(case, actor=bureau, user=partner, role=TeamRole.PROFESSIONAL, access=AccessLevel.SUMMARY)
    client.force_login(partner)
    content = client.get(reverse("persons:detail", args=[case.persons.get().pk])).content.decode()
    assert "Jan van der Berg" in content and case.number in content
    for hidden in [bsn, "Markt 1", case.report.number, "Samengevoegde registraties"]:
        assert hidden not in content


def test_the_person_page_logs_its_read_under_the_activity_of_each_case_shown(client, intake_worker, house):
    director = member(house, Role.PROCESS_DIRECTOR)
    case = open_case(house, intake=intake_worker, director=director)
    person = case.persons.get()
    client.force_login(director)
    assert case.number in client.get(reverse("persons:detail", args=[person.pk])).content.decode()
    logged = ProcessingRecord.objects.filter(action=Action.READ, subject=subject_of(person), object_ref="persoonsoverzicht")
    assert case.case_type.processing_activity_id in set(logged.values_list("activity_id", flat=True))

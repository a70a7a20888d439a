"""Merging two records of one person is logged and reversible: un-merge restores exactly what the merge changed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from spil.cases.models import Case
from spil.casetypes.models import CaseType
from spil.core.errors import DomainError, IllegalTransition
from spil.intake.models import ReportPerson
from spil.logbook.models import Action, ProcessingRecord
from spil.logbook.services import subject_of
from spil.organisations.models import Municipality, Role
from spil.persons import services
from spil.persons.models import Person, PersonMerge
from spil.testing.factories import member, person_data, register_report
from spil.timeline.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(intake_worker, house, open_case, bsns):
    """One person registered twice: A (melding + case, no BSN, no address) and B (another melding, with BSN and
    address)."""
    case = open_case(intake_worker, house, persons=[person_data(first_names="Jan", surname="Berg", birth_date=None)])
    bsn = next(bsns)
    heerlen = Municipality.objects.get(name="Heerlen")
    later = register_report(
        intake_worker,
        house,
        persons=[
            person_data(
                first_names="J.", surname="Berg", bsn=bsn, address="Markt 1", postcode="6411AB", city="Heerlen", municipality=heerlen
            )
        ],
    )
    return {"a": case.persons.get(), "b": later.persons.get(), "case": case, "first": case.report, "later": later, "bsn": bsn}


def snapshot():
    """Every link row and every person's data: what an un-merge must give back exactly."""
    reports = sorted(ReportPerson.objects.values_list("pk", "report_id", "person_id", "relation", "order"))
    cases = sorted(Case.persons.through.objects.values_list("pk", "case_id", "person_id"))
    persons = sorted(
        Person.objects.values_list(
            "pk",
            "bsn",
            "bsn_hash",
            "first_names",
            "surname",
            "birth_date",
            "address",
            "postcode",
            "city",
            "municipality_id",
            "merged_into_id",
        )
    )
    return reports, cases, persons


def test_merge_moves_the_absorbed_records_dossiers_and_fills_blanks(twins, intake_worker):
    a, b = twins["a"], twins["b"]
    merged = services.merge(a, b, actor=intake_worker, reason="Zelfde geboortedatum en adres volgens de wijkagent.")
    assert list(twins["later"].persons.all()) == [a]
    assert list(twins["first"].persons.all()) == [a] and list(twins["case"].persons.all()) == [a]
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into == a
    assert (a.first_names, a.bsn, a.address, a.postcode) == ("Jan", twins["bsn"], "Markt 1", "6411AB")  # blanks filled, names kept
    assert a.bsn_hash == b.bsn_hash
    assert merged.active and merged.merged_by == intake_worker
    assert list(Person.objects.visible_to(intake_worker).filter(pk=b.pk)) == []


def test_merge_writes_every_dossiers_timeline_and_the_log_for_both_persons(twins, intake_worker):
    a, b = twins["a"], twins["b"]
    services.merge(a, b, actor=intake_worker, reason="Zelfde persoon.")
    for dossier in [
        Event.objects.filter(report=twins["first"]),
        Event.objects.filter(report=twins["later"]),
        Event.objects.filter(case=twins["case"]),
    ]:
        assert dossier.filter(
            text__startswith="Dubbele registratie samengevoegd: J. van der Berg, geboren 17-05-1990 is dezelfde persoon als Jan van der Berg"
        ).exists()
    for ref in [twins["first"].number, twins["later"].number, twins["case"].number]:
        logged = set(ProcessingRecord.objects.filter(action=Action.UPDATE, object_ref=ref).values_list("subject", flat=True))
        assert {subject_of(a), subject_of(b)} <= logged, ref


def test_unmerge_restores_exactly(twins, intake_worker, bureau):
    before = snapshot()
    merged = services.merge(twins["a"], twins["b"], actor=intake_worker, reason="Zelfde persoon.")
    assert snapshot() != before
    services.unmerge(merged, actor=bureau, reason="Toch twee personen: andere geboortedatum bij de BRP.")
    assert snapshot() == before
    merged.refresh_from_db()
    assert merged.undone_by == bureau and merged.undo_reason.startswith("Toch twee")
    assert Event.objects.filter(report=twins["later"], text__startswith="Samenvoeging ongedaan gemaakt").exists()
    logged = set(ProcessingRecord.objects.filter(action=Action.UPDATE, object_ref=twins["later"].number).values_list("subject", flat=True))
    assert {subject_of(twins["a"]), subject_of(twins["b"])} <= logged


def test_unmerge_keeps_what_was_changed_or_added_after_the_merge(twins, intake_worker, house, open_case):
    a, b = twins["a"], twins["b"]
    merged = services.merge(a, b, actor=intake_worker, reason="Zelfde persoon.")
    a.refresh_from_db()
    a.address = "Nieuwstraat 5"
    a.save()
    later_case = open_case(intake_worker, house, persons=[person_data()])
    Case.persons.through.objects.filter(case=later_case).update(person=a)  # a case about the merged person
    services.unmerge(merged, actor=intake_worker, reason="Toch twee personen.")
    a.refresh_from_db()
    assert a.address == "Nieuwstraat 5" and a.bsn == ""  # changed since: kept; filled and untouched: emptied
    assert list(later_case.persons.all()) == [a]
    assert list(twins["later"].persons.all()) == [b]


def test_chained_merges_undo_in_reverse_order(twins, intake_worker, house):
    a, b = twins["a"], twins["b"]
    c = register_report(
        intake_worker, house, persons=[person_data(first_names="Jan", surname="Berg", birth_date=datetime.date(1990, 5, 17))]
    ).persons.get()
    before = snapshot()
    first = services.merge(a, b, actor=intake_worker, reason="Zelfde persoon.")
    second = services.merge(c, a, actor=intake_worker, reason="Zelfde persoon.")
    assert Person.objects.get(pk=b.pk).merged_into == a and Person.objects.get(pk=a.pk).merged_into == c
    with pytest.raises(IllegalTransition, match="eerst ongedaan"):
        services.unmerge(first, actor=intake_worker, reason="Te vroeg.")
    services.unmerge(second, actor=intake_worker, reason="Twee personen.")
    services.unmerge(first, actor=intake_worker, reason="Twee personen.")
    assert snapshot() == before


def test_refusals(twins, intake_worker, house, bsns):
    a, b = twins["a"], twins["b"]
    other_bsn = register_report(intake_worker, house, persons=[person_data(bsn=next(bsns))]).persons.get()
    with pytest.raises(DomainError, match="verschillend BSN"):
        services.merge(b, other_bsn, actor=intake_worker, reason="x")
    with pytest.raises(DomainError, match="reden"):
        services.merge(a, b, actor=intake_worker, reason="  ")
    with pytest.raises(DomainError, match="zichzelf"):
        services.merge(a, a, actor=intake_worker, reason="x")
    merged = services.merge(a, b, actor=intake_worker, reason="x")
    third = register_report(intake_worker, house, persons=[person_data()]).persons.get()
    with pytest.raises(IllegalTransition, match="al opgenomen"):
        services.merge(b, third, actor=intake_worker, reason="into an absorbed record")
    with pytest.raises(IllegalTransition, match="al opgenomen"):
        services.merge(third, b, actor=intake_worker, reason="absorbed twice")
    services.unmerge(merged, actor=intake_worker, reason="x")
    with pytest.raises(IllegalTransition, match="al ongedaan"):
        services.unmerge(merged, actor=intake_worker, reason="x")
    assert PersonMerge.objects.count() == 1


def test_two_persons_of_one_melding_are_not_merged(intake_worker, house):
    report = register_report(
        intake_worker, house, persons=[person_data(first_names="Jan"), person_data(first_names="Jan", surname_prefix="")]
    )
    first, second = report.persons.all()
    with pytest.raises(DomainError, match=f"samen in {report.number}"):
        services.merge(first, second, actor=intake_worker, reason="x")


def test_only_intake_or_bedrijfsbureau_of_a_house_that_knows_both(twins, house, other_house, regisseur):
    a, b = twins["a"], twins["b"]
    for outsider in [regisseur, member(house, Role.TRIAGE), member(other_house, Role.INTAKE, Role.BACK_OFFICE)]:
        with pytest.raises(PermissionDenied):
            services.merge(a, b, actor=outsider, reason="x")
    foreign = register_report(member(other_house, Role.INTAKE), other_house, persons=[person_data()]).persons.get()
    both_houses = member(house, Role.INTAKE)
    member(other_house, Role.INTAKE, user=both_houses)
    with pytest.raises(PermissionDenied):  # known in different houses: no single house knows both
        services.merge(a, foreign, actor=both_houses, reason="x")
    assert not PersonMerge.objects.exists()


def test_a_restricted_dossier_moves_along_without_showing_itself(intake_worker, house, bureau):
    """The merge is of the person, so a restricted melding about the absorbed record follows it; the worker who merges
    cannot see it and is not told of it."""
    mine = register_report(intake_worker, house, persons=[person_data()]).persons.get()
    restricted = register_report(
        bureau, house, persons=[person_data()], requested_case_type=CaseType.objects.get(code="pga-radicalisering")
    )
    other = register_report(bureau, house, persons=[person_data()]).persons.get()
    ReportPerson.objects.filter(report=restricted).update(person=other)  # the same record in a restricted melding
    merged = services.merge(mine, other, actor=intake_worker, reason="x")
    assert list(restricted.persons.all()) == [mine]
    services.unmerge(merged, actor=intake_worker, reason="x")
    assert list(restricted.persons.all()) == [other]

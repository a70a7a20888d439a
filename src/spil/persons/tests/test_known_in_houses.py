"""`Person.known_in_houses`, the search's prefilter, is kept by the database and only ever grows: a house missing from
it would hide a person from a user who may see them."""

import pytest

from spil.intake import forwarding
from spil.intake.models import ReportPerson
from spil.organisations.models import Role
from spil.persons import services
from spil.persons.models import Person
from spil.testing.factories import member, person_data, register_report

pytestmark = pytest.mark.django_db


def houses_of(person) -> set[int]:
    return set(Person.objects.get(pk=person.pk).known_in_houses)


def test_a_melding_makes_its_persons_known_in_its_house(intake_worker, house):
    person = register_report(intake_worker, house, persons=[person_data(surname="Maas")]).persons.get()
    assert houses_of(person) == {house.pk}


def test_a_melding_taken_over_by_another_house_adds_that_house_and_keeps_the_first(intake_worker, house, other_house):
    report = register_report(intake_worker, house, persons=[person_data(surname="Maas")])
    taker = member(other_house, Role.INTAKE)
    forwarding.accept(forwarding.forward(report, actor=intake_worker, to_house=other_house, reason="Verhuisd"), actor=taker)
    person = report.persons.get()
    assert houses_of(person) == {house.pk, other_house.pk}
    # Both the taking house and the worker who registered it find the person by name.
    for user in (taker, intake_worker):
        assert list(Person.objects.visible_to(user).matching("Maas")) == [person]


def test_a_case_makes_its_persons_known_in_its_house(intake_worker, house, open_case):
    case = open_case(intake_worker, house, persons=[person_data(surname="Maas")])
    assert houses_of(case.persons.get()) == {house.pk}


def test_a_merge_makes_the_survivor_known_where_the_absorbed_record_was(intake_worker, house, other_house):
    survivor = register_report(intake_worker, house, persons=[person_data(first_names="Jan", surname="Maas")]).persons.get()
    absorbed = register_report(intake_worker, house, persons=[person_data(first_names="J.", surname="Maas")]).persons.get()
    elsewhere = register_report(member(other_house, Role.INTAKE), other_house, persons=[person_data(surname="Anders")])
    ReportPerson.objects.create(report=elsewhere, person=absorbed, order=1)
    services.merge(survivor, absorbed, actor=intake_worker, reason="Zelfde persoon")
    assert houses_of(survivor) == {house.pk, other_house.pk}


def test_saving_an_older_copy_of_a_person_loses_no_house(intake_worker, house, other_house):
    person = register_report(intake_worker, house, persons=[person_data(surname="Maas")]).persons.get()
    stale = Person.objects.get(pk=person.pk)
    Person.objects.filter(pk=person.pk).update(known_in_houses=[house.pk, other_house.pk])
    stale.city = "Heerlen"
    stale.save()
    assert houses_of(person) == {house.pk, other_house.pk}


def test_a_person_named_only_elsewhere_is_not_found_by_name(intake_worker, house, other_house):
    register_report(member(other_house, Role.INTAKE), other_house, persons=[person_data(surname="Maas")])
    assert not Person.objects.visible_to(intake_worker).matching("Maas").exists()

"""Matching a person given at intake against the known persons. (Scaffold: always a new person.)"""

from spil.persons.services import create_person


def person_for(data: dict, *, actor):
    return create_person(data)

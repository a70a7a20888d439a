"""List screens cost a fixed number of queries, however many rows they show (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spil.cases import services as case_services
from spil.casetypes.models import CaseType
from spil.organisations.models import Role
from spil.testing.factories import member, person_data, register_report

pytestmark = pytest.mark.django_db


def add_rows(user, house, count):
    pga = CaseType.objects.get(code="pga")
    for i in range(count):
        report = register_report(user, house, persons=[person_data(first_names=f"P{i}"), person_data(first_names=f"Q{i}")])
        case_services.open_case(
            actor=user, house=house, case_type=pga, report=report, persons=list(report.persons.all()),
            ave_level=3, reason="x", process_director=user,
        )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("url_name", ["intake:inbox", "cases:list", "web:my-work", "triage:list"])
def test_list_query_count_does_not_grow_with_rows(client, house, url_name):
    user = member(house, Role.INTAKE, Role.PROCESS_DIRECTOR)
    client.force_login(user)
    add_rows(user, house, 2)
    few = queries_for(client, reverse(url_name))
    add_rows(user, house, 8)
    assert queries_for(client, reverse(url_name)) == few

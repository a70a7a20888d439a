"""The case list pages through the cases the user may see, and counts all of them."""

import re

import pytest
from django.urls import reverse

from spil.api.testing import open_case
from spil.logbook.models import Action, ProcessingRecord
from spil.logbook.services import subject_of
from spil.organisations.models import Role
from spil.testing.factories import UserFactory, member


@pytest.fixture
def listed(house, other_house, settings):
    settings.PAGE_SIZE = 2
    user = member(house, Role.INTAKE, Role.PROCESS_DIRECTOR, Role.BACK_OFFICE)
    numbers = [open_case(house, intake=user, director=user).number for _ in range(5)]
    stranger = member(other_house, Role.INTAKE, Role.PROCESS_DIRECTOR)
    open_case(other_house, intake=stranger, director=stranger)  # not the user's to see, nor to count
    return user, numbers


def shown(client, query: str) -> tuple[list[str], str, str]:
    html = client.get(f"{reverse('cases:list')}{query}").content.decode()
    numbers = re.findall(r'href="/casussen/([^/"]+)/"', html)
    count = re.search(r'class="spil-count"[^>]*>([^<]*)<', html).group(1)
    page = re.search(r"Pagina \d+ van \d+", html).group(0)
    return numbers, count, page


def test_the_pages_show_every_visible_case_once_and_count_them_all(client, listed):
    user, numbers = listed
    client.force_login(user)
    pages = [shown(client, f"?page={n}") for n in (1, 2, 3)]
    assert [page for _numbers, _count, page in pages] == ["Pagina 1 van 3", "Pagina 2 van 3", "Pagina 3 van 3"]
    assert {count for _numbers, count, _page in pages} == {"5 casussen"}
    listed_numbers = [number for numbers_on_page, _count, _page in pages for number in numbers_on_page]
    assert sorted(listed_numbers) == sorted(numbers)


@pytest.mark.parametrize("page, expected", [("99", "Pagina 3 van 3"), ("nul", "Pagina 1 van 3"), ("-1", "Pagina 3 van 3")])
def test_a_page_out_of_range_shows_the_nearest(client, listed, page, expected):
    user, _numbers = listed
    client.force_login(user)
    numbers, count, shown_page = shown(client, f"?page={page}")
    assert (shown_page, count) == (expected, "5 casussen")
    assert numbers


def test_a_row_names_its_persons_and_regisseur_and_logs_each_person_under_the_case_types_activity(client, house):
    user = member(house, Role.INTAKE, Role.PROCESS_DIRECTOR, user=UserFactory(first_name="Ria", last_name="Regisseur"))
    persons = [{"first_names": "Bert", "surname_prefix": "van der", "surname": "Zwaan"}, {"first_names": "Anna", "surname": "Appel"}]
    case = open_case(house, intake=user, director=user, persons=persons)
    client.force_login(user)
    html = client.get(reverse("cases:list")).content.decode()
    row = re.search(rf'<tr class="utrecht-table__row">\s*<td[^>]*><a[^>]*>{case.number}</a></td>(.*?)</tr>', html, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[0] == case.case_type.name and cells[1] == "Anna Appel, Bert van der Zwaan"
    assert cells[5] == "Ria Regisseur" and cells[7] == "Open"
    logged = ProcessingRecord.objects.filter(action=Action.SEARCH, object_ref="lijst casussen")
    assert {(record.subject, record.activity_id) for record in logged} == {
        (subject_of(person), case.case_type.processing_activity_id) for person in case.persons.all()
    }

"""The case list pages through the cases the user may see, and counts all of them."""

import re

import pytest
from django.urls import reverse

from spil.api.testing import open_case
from spil.organisations.models import Role
from spil.testing.factories import member


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

"""The filter forms of the inbox and the case list are rendered once a minute for each set of houses and filled-in
values, and shared by the web server processes (`OptionsKeptForAMinute`); what they show must still be right for each
of them."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from spil.cases.forms import CaseFilterForm
from spil.intake.forms import InboxFilterForm
from spil.organisations.models import Role
from spil.testing.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def rendered(form_class, query: str, houses) -> tuple[str, int]:
    form = form_class(QueryDict(query) if query else None, houses=[house.pk for house in houses])
    form.is_valid()
    with CaptureQueriesContext(connection) as queries:
        html = str(form)
    return html, len(queries)


@pytest.mark.parametrize("form_class", [InboxFilterForm, CaseFilterForm])
def test_the_same_filters_are_rendered_once_and_then_read_nothing(form_class, house):
    member(house, Role.PROCESS_DIRECTOR, user=UserFactory(first_name="Rosa", last_name="Regisseur"))
    first, _ = rendered(form_class, "", [house])
    again, queries = rendered(form_class, "", [house])
    assert again == first and queries == 0
    assert "Heerlen" in first
    if form_class is CaseFilterForm:  # its options read when rendered
        assert "Rosa Regisseur" in first
        assert first.split('name="phase"')[1].split("</select>")[0].count("<option") > 1


@pytest.mark.parametrize("form_class", [InboxFilterForm, CaseFilterForm])
def test_another_process_reads_the_rendering_from_the_shared_table(form_class, house):
    first, _ = rendered(form_class, "", [house])
    caches["filter_forms"].local.clear()  # what a process that did not render it has
    again, queries = rendered(form_class, "", [house])
    assert again == first and queries == 1
    assert rendered(form_class, "", [house])[1] == 0  # and from then on its own copy


@pytest.mark.parametrize("form_class", [InboxFilterForm, CaseFilterForm])
def test_the_chosen_values_are_shown_with_their_own_rendering(form_class, house):
    rendered(form_class, "", [house])
    html, _ = rendered(form_class, "status=gesloten" if form_class is CaseFilterForm else "status=gewogen", [house])
    assert "selected>" in html.split('name="status"')[1].split("</select>")[0]


@pytest.mark.parametrize("form_class", [InboxFilterForm, CaseFilterForm])
def test_typed_text_is_not_kept(form_class, house):
    first, _ = rendered(form_class, "q=Jansen", [house])
    again, queries = rendered(form_class, "q=Jansen", [house])
    assert 'value="Jansen"' in first and again == first
    assert queries > 0


def test_a_chosen_date_is_kept_with_its_own_rendering(house):
    rendered(InboxFilterForm, "", [house])
    first, _ = rendered(InboxFilterForm, "received_from=2026-01-01", [house])
    again, queries = rendered(InboxFilterForm, "received_from=2026-01-01", [house])
    assert 'value="2026-01-01"' in first and again == first and queries == 0


@pytest.mark.parametrize("form_class", [InboxFilterForm, CaseFilterForm])
def test_other_houses_get_their_own_options(form_class, house, other_house):
    parkstad, _ = rendered(form_class, "", [house])
    noord, _ = rendered(form_class, "", [other_house])
    assert "Heerlen" in parkstad and "Venlo" not in parkstad
    assert "Venlo" in noord and "Heerlen" not in noord


def test_a_form_with_errors_is_rendered_afresh_with_its_error(house):
    rendered(InboxFilterForm, "received_from=2026-01-01", [house])
    html, queries = rendered(InboxFilterForm, "received_from=gisteren", [house])
    assert "Voer een geldige datum in" in html and 'value="gisteren"' in html
    assert queries > 0

"""The person search box in the browser: the results appear while the user types (htmx), and the address follows, so
the search can be bookmarked and the back button works."""

import re

from playwright.sync_api import expect

from spil.organisations.models import Role
from spil.testing.factories import member, person_data, register_report


def test_the_results_appear_while_typing(page, log_in, assert_accessible, house):
    worker = member(house, Role.INTAKE)
    register_report(worker, house, persons=[person_data(first_names="Anna", surname_prefix="", surname="Vriesema")])
    log_in(page, worker)
    page.goto("/personen/")

    with page.expect_response(lambda response: "q=vries" in response.url) as searched:
        page.get_by_label("Naam of BSN").press_sequentially("vries", delay=50)
    assert searched.value.request.headers.get("hx-target") == "zoekresultaten"
    results = page.locator("#zoekresultaten")
    expect(results.get_by_role("link", name="Anna Vriesema")).to_be_visible()
    expect(results.get_by_role("status")).to_have_text("1 persoon gevonden")
    expect(page).to_have_url(re.compile(r"/personen/\?q=vries$"))
    assert_accessible(page, "gevonden")

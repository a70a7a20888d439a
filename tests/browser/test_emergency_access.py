"""Doorbreken in the browser: a procesregisseur outside the case team finds nothing, takes emergency access with a
reason, sees the dossier under a warning; the privacy officer judges the access afterwards."""

from playwright.sync_api import expect

from spil.cases.models import EmergencyAccess, Review
from spil.cases.services import open_case
from spil.casetypes.models import CaseType
from spil.organisations.models import Role
from spil.testing.factories import member, person_data, register_report


def test_emergency_access_opens_a_dossier_and_the_privacy_officer_judges_it(page, new_context, log_in, assert_accessible, house):
    director = member(house, Role.PROCESS_DIRECTOR)
    colleague = member(house, Role.PROCESS_DIRECTOR)
    officer = member(house, Role.PRIVACY_OFFICER)
    report = register_report(member(house, Role.INTAKE), house, persons=[person_data(first_names="Sanne", surname="Dekker")])
    case = open_case(
        actor=director,
        house=house,
        case_type=CaseType.objects.get(code="pga"),
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="Weegtafel",
        process_director=director,
    )

    log_in(page, colleague)
    response = page.goto(f"/casussen/{case.number}/")
    assert response.status == 404
    expect(page.get_by_text("Dekker")).to_have_count(0)
    assert_accessible(page, "niet-gevonden")

    page.goto("/")
    page.get_by_role("link", name="Noodtoegang tot een dossier vragen").click()
    page.get_by_label("Casusnummer").fill(case.number)
    page.get_by_label("Reden").fill("Regisseur ziek; de politie heeft nu de contactgegevens nodig")
    assert_accessible(page, "noodtoegang-vragen")
    page.get_by_role("button", name="Dossier openen met noodtoegang").click()
    expect(page).to_have_url(f"/casussen/{case.number}/")
    expect(page.get_by_role("alert").filter(has_text="Noodtoegang.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Sanne van der Dekker")
    assert_accessible(page, "casus-met-noodtoegang")

    review = new_context().new_page()
    log_in(review, officer)
    review.goto("/")
    review.get_by_role("link", name="Noodtoegang beoordelen").click()
    assert_accessible(review, "noodtoegang-beoordelen")
    review.get_by_role("link", name=f"Beoordelen noodtoegang {case.number}").click()
    review.get_by_label("Terecht", exact=True).check()
    assert_accessible(review, "noodtoegang-oordeel")
    review.get_by_role("button", name="Oordeel vastleggen").click()
    expect(review.get_by_role("status").filter(has_text="De beoordeling is vastgelegd.")).to_be_visible()
    access = EmergencyAccess.objects.get()
    assert (access.user, access.case, access.review, access.reviewed_by) == (colleague, case, Review.JUSTIFIED, officer)

"""The melding form, the intake's daily work: by keyboard alone, and in a browser without JavaScript."""

from playwright.sync_api import expect

from spil.intake.models import Report
from spil.organisations.models import Role
from spil.testing.factories import PartnerFactory, member

FORM = "/meldingen/nieuw/algemeen/"


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; const style = getComputedStyle(e);
        return {name: e.name || "", id: e.id, text: (e.innerText || "").trim(), outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)}; }"""
    )


def tab_to(page, *, name: str = "", text: str = "", limit: int = 60) -> dict:
    """Press Tab until the field `name` (or the link or button reading `text`) has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if (name and now["name"] == name) or (text and now["text"] == text):
            return now
    raise AssertionError(f"Tab never reached {name or text!r}")


def choose(page, option: str, limit: int = 40) -> None:
    """Arrow down through the focused select (closed, as a keyboard user does) until `option` is chosen."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.selectedOptions[0].text") == option:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the select has no option {option!r}")


def assert_focus_visible(element: dict) -> None:
    assert element["outline"] != "none" and element["outlineWidth"] >= 2, f"no visible focus on {element}"


def skip_to_content(page) -> None:
    """The first Tab shows the skip link; Enter moves the focus to the page's main content."""
    skip = tab_to(page, text="Direct naar de inhoud", limit=1)
    assert_focus_visible(skip)
    box = page.get_by_role("link", name="Direct naar de inhoud").bounding_box()
    assert box and box["y"] >= 0 and box["width"] > 1 and box["height"] > 1, "the skip link stays off screen when focused"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "inhoud"


def test_a_melding_with_two_persons_by_keyboard_only(page, log_in, assert_accessible, house):
    PartnerFactory(name="Politie Limburg")
    log_in(page, member(house, Role.INTAKE))
    page.goto(FORM)
    skip_to_content(page)
    assert_accessible(page, "toetsenbord-skiplink")
    # Submitted empty: the errors are summarised on top and given beside each field. (The page comes back at
    # #inhoud, where the skip link led, so Tab goes on from the main content.)
    tab_to(page, text="Melding registreren")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="fouten gevonden")).to_be_visible()
    assert_accessible(page, "melding-fouten")

    assert_focus_visible(tab_to(page, name="source_partner"))
    choose(page, "Politie Limburg")
    assert_focus_visible(tab_to(page, name="reporter_name"))
    page.keyboard.type("W. Agent")
    tab_to(page, name="channel")
    choose(page, "Telefoon")
    tab_to(page, name="requested_case_type")
    choose(page, "Persoonsgerichte Aanpak (PGA)")
    tab_to(page, name="reason")
    page.keyboard.type("Overlast en zorgen")
    tab_to(page, name="request")
    page.keyboard.type("Procesregie")
    tab_to(page, name="persons-0-first_names")
    page.keyboard.type("Jan")
    tab_to(page, name="persons-0-surname")
    page.keyboard.type("Jansen")
    assert_focus_visible(tab_to(page, text="Nog een persoon toevoegen"))
    assert_accessible(page, "toetsenbord-melding")
    page.keyboard.press("Enter")

    # A second person row; what was typed is still there.
    expect(page.get_by_role("group", name="Persoon 2")).to_be_visible()
    expect(page.get_by_role("group", name="Persoon 1").get_by_label("Achternaam")).to_have_value("Jansen")
    tab_to(page, name="persons-1-first_names")
    page.keyboard.type("Els")
    tab_to(page, name="persons-1-surname")
    page.keyboard.type("Jansen")
    assert_focus_visible(tab_to(page, text="Melding registreren"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").filter(has_text="is geregistreerd")).to_be_visible()
    report = Report.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(report.number)
    assert report.source_partner.name == "Politie Limburg" and report.channel == "telefoon"
    assert report.requested_case_type.code == "pga" and report.reason == "Overlast en zorgen"
    assert sorted(report.persons.values_list("first_names", "surname")) == [("Els", "Jansen"), ("Jan", "Jansen")]


def test_without_javascript_the_melding_form_still_adds_a_person_and_registers(new_context, log_in, house):
    PartnerFactory(name="Politie Limburg")
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, member(house, Role.INTAKE))
    page.goto(FORM)

    # Checked by the server alone (axe-core needs JavaScript: the keyboard test checks this page with errors).
    page.get_by_role("button", name="Melding registreren").click()
    expect(page.get_by_role("heading", name="fouten gevonden")).to_be_visible()

    page.get_by_label("Melder (organisatie)").select_option(label="Politie Limburg")
    page.get_by_label("Naam melder").fill("W. Agent")
    page.get_by_label("Kanaal").select_option("telefoon")
    page.get_by_label("Gevraagde aanpak (thema)").select_option(label="Persoonsgerichte Aanpak (PGA)")
    page.get_by_label("Aanleiding").fill("Overlast")
    page.get_by_label("Hulpvraag / doel").fill("Procesregie")
    for number, (first_names, surname) in enumerate([("Jan", "Jansen"), ("Piet", "Pietersen")], start=1):
        if number > 1:
            page.get_by_role("button", name="Nog een persoon toevoegen").click()
        person = page.get_by_role("group", name=f"Persoon {number}")
        person.get_by_label("Voornamen").fill(first_names)
        person.get_by_label("Achternaam").fill(surname)
    page.get_by_role("button", name="Melding registreren").click()

    expect(page.get_by_role("status").filter(has_text="is geregistreerd")).to_be_visible()
    report = Report.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(report.number)
    assert sorted(report.persons.values_list("surname", flat=True)) == ["Jansen", "Pietersen"]

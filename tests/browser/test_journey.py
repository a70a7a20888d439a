"""The main journey in a real browser, every page checked with axe-core:

melding with two persons → weegtafel (agenda, decision) → casus with a plan (goal and action) → casusoverleg with
minutes → casus afgesloten.
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from spil.cases.models import Case
from spil.casetypes.models import CaseType
from spil.intake.models import Report
from spil.organisations.models import Role
from spil.testing.factories import PartnerFactory, member


def heading(page):
    return page.get_by_role("heading", level=1)


def done(page, message: str) -> None:
    """The page after a form: it confirms what was done (only then has the server committed it)."""
    expect(page.get_by_role("status").filter(has_text=message)).to_be_visible()


def test_melding_to_closed_case_with_plan_and_casusoverleg(page, log_in, assert_accessible, house):
    user = member(house, Role.INTAKE, Role.TRIAGE, Role.BACK_OFFICE, Role.PROCESS_DIRECTOR)
    PartnerFactory(name="Politie Limburg")
    PartnerFactory(name="GGZ Zuid")
    # The live server runs in real time: the agenda closes tomorrow at 00:00, the weegtafel meets tomorrow at 10:00.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    house.triage_cutoff_weekday = tomorrow.weekday()
    house.triage_cutoff_time = datetime.time(0, 0)
    house.save()
    log_in(page, user)

    page.goto("/")
    expect(heading(page)).to_have_text("Mijn werk")
    assert_accessible(page, "mijn-werk")

    # Melding with two persons
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Meldingen").click()
    assert_accessible(page, "meldingen")
    page.get_by_role("link", name="Nieuwe melding").first.click()
    assert_accessible(page, "melding-formulier-kiezen")
    page.get_by_role("link", name="Algemene melding").click()
    page.get_by_label("Melder (organisatie)").select_option(label="Politie Limburg")
    page.get_by_label("Naam melder").fill("W. Agent")
    page.get_by_label("Kanaal").select_option("telefoon")
    page.get_by_label("Datum ontvangen").fill(timezone.localdate().isoformat())
    page.get_by_label("Gevraagde aanpak (thema)").select_option(str(CaseType.objects.get(code="pga").pk))
    page.get_by_label("Aanleiding").fill("Overlast en zorgen in de straat")
    page.get_by_label("Hulpvraag / doel").fill("Procesregie")
    first = page.get_by_role("group", name="Persoon 1")
    first.get_by_label("Voornamen").fill("Jan")
    first.get_by_label("Achternaam").fill("Jansen")
    page.get_by_role("button", name="Nog een persoon toevoegen").click()
    expect(page.get_by_role("group", name="Persoon 1").get_by_label("Achternaam")).to_have_value("Jansen")
    second = page.get_by_role("group", name="Persoon 2")
    second.get_by_label("Voornamen").fill("Els")
    second.get_by_label("Achternaam").fill("Jansen")
    assert_accessible(page, "melding-registreren")
    page.get_by_role("button", name="Melding registreren").click()
    done(page, "is geregistreerd en de ontvangst is bevestigd")
    report = Report.objects.get()
    expect(heading(page)).to_contain_text(report.number)
    assert sorted(report.persons.values_list("first_names", flat=True)) == ["Els", "Jan"]
    assert_accessible(page, "melding")
    page.get_by_role("button", name="Gereed voor weging").click()
    done(page, "Gereed voor weging")

    # Weegtafel: planning puts the melding on the agenda; the decision opens a case
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Weegtafels").click()
    assert_accessible(page, "weegtafels")
    page.get_by_role("link", name="Weegtafel plannen").first.click()
    page.get_by_label("Datum en tijd").fill(f"{tomorrow.isoformat()}T10:00")
    page.get_by_label(user.get_full_name()).check()
    assert_accessible(page, "weegtafel-plannen")
    page.get_by_role("button", name="Weegtafel plannen").click()
    expect(page.get_by_role("link", name=report.number, exact=True)).to_be_visible()
    assert_accessible(page, "weegtafel")
    page.get_by_role("link", name=f"Wegen {report.number}").click()
    page.get_by_label("Multiproblematiek op meer dan één leefgebied").check()
    page.get_by_label("Meer dan één keten nodig").check()
    page.get_by_label("AVE 3 – zorg en veiligheid").check()
    page.get_by_label("Procesregie / PGA bij het ZVH").check()
    page.get_by_label("Procesregisseur").select_option(label=user.get_full_name())
    page.get_by_label("Motivering").fill("Zorg en veiligheid lopen door elkaar")
    assert_accessible(page, "wegen")
    page.get_by_role("button", name="Besluit vastleggen").click()
    done(page, f"Besluit over melding {report.number} vastgelegd.")
    case = Case.objects.get()
    assert case.process_director == user and case.ave_level == 3 and case.persons.count() == 2
    page.get_by_role("link", name=case.number, exact=True).click()
    expect(heading(page)).to_contain_text(case.number)
    assert_accessible(page, "casus")

    # Plan van aanpak: a goal on one life domain and an action for a partner
    page.get_by_role("link", name="Plan van aanpak opstellen").click()
    assert_accessible(page, "plan-opstellen")
    page.get_by_role("button", name="Concept aanmaken").click()
    assert_accessible(page, "plan-concept")
    domain = case.case_type.life_domains.first()
    page.get_by_text("Een leefgebied toevoegen").click()
    page.get_by_role("link", name=domain.name, exact=True).click()
    page.get_by_label("Situatie en tekort").fill("Schulden lopen op")
    page.get_by_label(re.compile("^Doel")).fill("Schulden stabiel binnen drie maanden")
    assert_accessible(page, "plan-doel")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("link", name="Actie toevoegen").first.click()
    page.get_by_label("Leefgebied").select_option(label=domain.name)
    page.get_by_label("Actie", exact=True).fill("Aanmelden bij schuldhulpverlening")
    page.get_by_label("Verantwoordelijke partner").select_option(label="GGZ Zuid")
    page.get_by_label("Gereed uiterlijk").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    assert_accessible(page, "plan-actie")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("link", name="Aanmelden bij schuldhulpverlening", exact=True)).to_be_visible()
    assert_accessible(page, "plan")
    plan = case.plans.get()
    assert plan.goals.get().goal == "Schulden stabiel binnen drie maanden" and plan.actions.get().partner.name == "GGZ Zuid"

    # Casusoverleg: planned an hour ago, the case on the agenda, held, minutes taken and fixed
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overleggen").click()
    assert_accessible(page, "overleggen")
    page.get_by_role("link", name="Overleg plannen").first.click()
    page.get_by_label("Soort overleg").select_option(label="PGA-overleg")
    started = timezone.localtime() - datetime.timedelta(hours=1)
    page.get_by_label("Datum en tijd").fill(started.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Voorzitter").select_option(label=user.get_full_name())
    assert_accessible(page, "overleg-plannen")
    page.get_by_role("button", name="Overleg plannen").click()
    page.get_by_role("link", name="Casus agenderen").click()
    page.get_by_label("Casus").select_option(str(case.pk))
    assert_accessible(page, "overleg-agenderen")
    page.get_by_role("button", name="Op de agenda zetten").click()
    page.get_by_label(user.get_full_name()).check()  # who discusses the item: members of the case team
    assert_accessible(page, "overleg-agendapunt")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("link", name="Vastleggen: gehouden").click()
    assert_accessible(page, "overleg-gehouden")
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_role("link", name=f"Notuleren {case.number}").click()
    page.get_by_label("Samenvatting bespreking").fill("Schuldhulp is gestart; de buurt is rustiger.")
    page.get_by_label("Besluiten").fill("Over zes weken opnieuw bespreken.")
    assert_accessible(page, "overleg-notuleren")
    page.get_by_role("button", name="Notulen opslaan").click()
    expect(page.get_by_text("Over zes weken opnieuw bespreken.")).to_be_visible()
    assert_accessible(page, "overleg")
    page.get_by_role("link", name="Notulen vaststellen").click()
    assert_accessible(page, "overleg-vaststellen")
    page.get_by_role("button", name="Notulen vaststellen").click()
    done(page, "De notulen zijn vastgesteld.")
    meeting = case.agenda_items.get().meeting
    assert meeting.status == "vastgesteld"

    # Afsluiten
    page.goto(f"/casussen/{case.number}/")
    page.get_by_role("link", name="Casus afsluiten").click()
    page.get_by_label("Doel bereikt").check()
    assert_accessible(page, "casus-afsluiten")
    page.get_by_role("button", name="Casus afsluiten").click()
    done(page, "De casus is gesloten.")
    case.refresh_from_db()
    assert not case.is_open
    assert_accessible(page, "casus-gesloten")

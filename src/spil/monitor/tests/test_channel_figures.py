"""The monitor's detention and ZOCO figures against a hand-built half year (1 January - 30 June 2025) of meldingen on
the detention and mensenhandel forms, with noise outside it."""

import datetime

import pytest

from spil.cases import services as case_services
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.intake import services as intake_services
from spil.intake.models import Handover
from spil.monitor.figures import Period, dashboard
from spil.monitor.suppression import HIDDEN
from spil.monitor.tests.conftest import PERIOD, at
from spil.organisations.models import Role
from spil.testing.factories import member, person_data, report_fields
from spil.triage.models import TriageItem, TriageSession

pytestmark = pytest.mark.django_db

START, END = PERIOD
AFTER = END + datetime.timedelta(days=10)
ART_18, ART_18B, BIJ = (
    "Artikel 18 Penitentiaire beginselenwet",
    "Artikel 18b Penitentiaire beginselenwet",
    "BIJ (Bestuurlijke Informatievoorziening Justitiabelen)",
)


@pytest.fixture
def channel_dataset(house, other_house):
    """Detention notices in the period: art. 18: six, of which three taken up as a case, one weighed (lokaal) and handed
    over, one weighed without action, one whose case opened only after the period (so no outcome yet at its end);
    art. 18b: two, one handed over in the period and one only after it; BIJ: one taken up. Not counted: a notice
    before the period, one in another house, and a general melding about BIJ.

    Mensenhandel in the period: victims of sexual exploitation (two) and of labour exploitation (one), a suspected
    perpetrator (sexual); a victim before the period. ZOCO cases opened in the period: of one sexual-exploitation
    victim, of the suspect (never counted) and of a general melding (exploitation not recorded); the labour victim's
    case opens after the period.
    """
    director = member(house, Role.INTAKE, Role.PROCESS_DIRECTOR, Role.TRIAGE)
    heerlen = house.municipalities.get()
    nazorg, bij, zoco = (CaseType.objects.get(code=code) for code in ("nazorg", "bij", "zoco-mensenhandel"))
    session = TriageSession.objects.create(house=house, starts_at=at(START), cutoff_at=at(START), created_by=director)

    def melding(day, form="algemeen", details=None, theme=nazorg, house_=house, actor=director):
        with clock.travel_to(at(day)):
            return intake_services.register_report(
                actor=actor,
                house=house_,
                persons=[person_data()],
                details=details,
                fields={**report_fields(received_on=day, requested_case_type=theme), "form": form},
            )

    def notice(day, article, **kwargs):
        details = {
            "article": article,
            "establishment": "PI Limburg Zuid",
            "detention_start": "2024-01-01",
            "expected_release": "2025-12-31",
            "offence_category": "anders",
            "adult": True,
        }
        return melding(day, "detentie", details, **kwargs)

    def case(report, day, theme=nazorg):
        with clock.travel_to(at(day)):
            case_services.open_case(
                actor=director,
                house=house,
                case_type=theme,
                report=report,
                persons=list(report.persons.all()),
                ave_level=3,
                reason="x",
                process_director=director,
            )

    def weighed(report, day, outcome):
        TriageItem.objects.create(
            session=session, report=report, order=report.pk, decided_at=at(day), decided_by=director, outcome=outcome, ave_level=2
        )

    def handed_over(report, day):
        Handover.objects.create(report=report, municipality=heerlen, reason="Enkelvoudig.", handed_over_by=director, handed_over_at=at(day))

    day = START + datetime.timedelta(days=20)
    for i in range(3):
        taken_up = notice(day, "art-18")
        weighed(taken_up, day + datetime.timedelta(days=3), "procesregie")
        case(taken_up, day + datetime.timedelta(days=3 + i))
    local = notice(day, "art-18")
    weighed(local, day + datetime.timedelta(days=3), "lokaal")
    handed_over(local, day + datetime.timedelta(days=4))
    weighed(notice(day, "art-18"), day + datetime.timedelta(days=3), "geen_actie")
    case(notice(END, "art-18"), AFTER)
    handed_over(notice(day, "art-18b"), day + datetime.timedelta(days=30))
    handed_over(notice(END, "art-18b"), AFTER)
    case(notice(day, "bij", theme=bij), day + datetime.timedelta(days=10), theme=bij)
    notice(START - datetime.timedelta(days=1), "art-18")
    notice(day, "art-18", house_=other_house, actor=member(other_house, Role.INTAKE))
    melding(day, theme=bij)

    def trafficking(day_, role, exploitation):
        return melding(day_, "mensenhandel", {"role": role, "exploitation": exploitation}, theme=zoco)

    victim = trafficking(day, "slachtoffer", "seksueel")
    trafficking(day, "slachtoffer", "seksueel")
    labour = trafficking(day, "slachtoffer", "arbeid")
    suspect = trafficking(day, "vermoedelijke-dader", "seksueel")
    trafficking(START - datetime.timedelta(days=5), "slachtoffer", "seksueel")
    case(victim, day + datetime.timedelta(days=7), theme=zoco)
    case(suspect, day + datetime.timedelta(days=7), theme=zoco)
    case(melding(day, theme=zoco), day + datetime.timedelta(days=7), theme=zoco)
    case(labour, AFTER, theme=zoco)


def rows(figure):
    return [list(row) for row in figure.rows]


def test_detention_notices_per_kind_with_their_nazorg_outcome_at_the_end_of_the_period(settings, house, channel_dataset):
    settings.SPIL_MONITOR_MIN_COUNT = 1  # the counts themselves; suppression below
    figure = dashboard([house.pk], Period(*PERIOD)).figures["detentie"]
    assert figure.header == [
        "Soort melding",
        "Meldingen",
        "Casus geopend",
        "Overgedragen aan de gemeente",
        "Geen actie",
        "Nog geen uitkomst",
    ]
    assert rows(figure) == [
        [ART_18, 6, 3, 1, 1, 1],
        [ART_18B, 2, 0, 1, 0, 1],
        [BIJ, 1, 1, 0, 0, 0],
    ]
    assert figure.total == ["Totaal", 9, 4, 2, 1, 2]


def test_zoco_counts_victims_per_exploitation_type_and_never_suspects(settings, house, channel_dataset):
    settings.SPIL_MONITOR_MIN_COUNT = 1
    figure = dashboard([house.pk], Period(*PERIOD)).figures["zoco"]
    assert figure.header == ["Uitbuitingsvorm", "Gemelde slachtoffers", "Nieuwe casussen"]
    assert rows(figure) == [
        ["Seksuele uitbuiting", 2, 1],
        ["Arbeidsuitbuiting", 1, 0],
        ["Uitbuitingsvorm niet vastgelegd", 0, 1],
    ]


def test_both_figures_hide_small_counts_and_what_reveals_them(house, channel_dataset):
    figures = dashboard([house.pk], Period(*PERIOD)).figures
    detention, zoco = figures["detentie"], figures["zoco"]
    assert rows(detention) == [
        [ART_18, 6, "< 5", "< 5", "< 5", "< 5"],
        [ART_18B, "< 5", 0, "< 5", 0, "< 5"],
        [BIJ, "< 5", "< 5", 0, 0, 0],
    ]
    assert rows(zoco) == [
        ["Seksuele uitbuiting", "< 5", "< 5"],
        ["Arbeidsuitbuiting", "< 5", 0],
        ["Uitbuitingsvorm niet vastgelegd", 0, "< 5"],
    ]
    for figure in (detention, zoco):
        for row in [*figure.rows, figure.total]:
            assert not any(isinstance(cell, int) and 0 < cell < 5 for cell in row[1:]), row
    # Two notices of 1 (or a single 1) add up to a total that gives them away: that total is hidden too.
    assert detention.total == ["Totaal", 9, "< 5", HIDDEN, HIDDEN, HIDDEN]
    assert zoco.total == ["Totaal", "< 5", HIDDEN]


def test_other_houses_and_periods_and_the_general_form_do_not_count(other_house, channel_dataset, settings):
    settings.SPIL_MONITOR_MIN_COUNT = 1
    figures = dashboard([other_house.pk], Period(*PERIOD)).figures
    assert rows(figures["detentie"]) == [[ART_18, 1, 0, 0, 0, 1]]
    assert rows(figures["zoco"]) == []
    earlier = dashboard([other_house.pk], Period(datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))).figures
    assert rows(earlier["detentie"]) == []

"""Every figure of the monitor against the hand-built half year of `conftest.dataset`."""

import pytest

from spil.monitor.figures import Period, dashboard
from spil.monitor.tests.conftest import PERIOD

pytestmark = pytest.mark.django_db

S, X = "< 5", "x"


@pytest.fixture
def figures(house, dataset):
    return dashboard([house.pk], Period(*PERIOD))


def rows(figure):
    return [list(row) for row in figure.rows]


def test_meldingen_per_partner_channel_theme_and_gemeente_hide_the_small_one_and_what_reveals_it(figures):
    f = figures.figures
    # 7 + 2 = 9: with the total shown, the 7 would give away the 2, so both are hidden (subtraction case).
    assert rows(f["meldingen-bron"]) == [["Politie Limburg", X], ["GGZ Mondriaan", S]]
    assert f["meldingen-bron"].total == ["Totaal", 9]
    assert rows(f["meldingen-kanaal"]) == [["Telefoon", X], ["E-mail (beveiligd)", S]]
    assert rows(f["meldingen-thema"]) == [["Persoonsgerichte Aanpak (PGA)", X], ["BIJ en art. 18/18b-meldingen", S]]
    assert rows(f["meldingen-gemeente"]) == [["Heerlen", X], ["Onbekend", S]]
    assert dict(figures.headline)["Meldingen"] == 9


def test_triage_outcomes_and_ave_at_triage(figures):
    f = figures.figures
    # 5 + 1 = 6 can only be split one way once the 1 is known to be 1 to 4 and the other 5 or more: all hidden.
    assert rows(f["weging-uitkomst"]) == [["Procesregie / PGA bij het ZVH", X], ["Geen actie", S]]
    assert f["weging-uitkomst"].total == ["Totaal", X]
    assert rows(f["weging-ave"]) == [["AVE 2 – zorgen", S], ["AVE 3 – zorg en veiligheid", X]]


def test_cases_by_type_result_ave_and_scaling(figures):
    f = figures.figures
    assert rows(f["casussen-aanpak"]) == [["Persoonsgerichte Aanpak (PGA)", 6, 5, S]]
    assert f["casussen-aanpak"].total == ["Totaal", 6, 5, X]
    assert rows(f["casussen-resultaat"]) == [["Doel bereikt", 5]]
    assert rows(f["casussen-ave"]) == [["AVE 2 – zorgen", S], ["AVE 3 – zorg en veiligheid", S]]  # 1 + 1: the case of 2024 is AVE 3
    assert rows(f["casussen-schalen"]) == [["Opgeschaald", S], ["Afgeschaald", S]]
    headline = dict(figures.headline)
    assert (headline["Casussen geopend"], headline["Casussen gesloten"], headline["Open casussen aan einde periode"]) == (6, 5, X)


def test_lead_times_are_median_and_p90_from_postgresql(figures):
    lead = {row[0]: row[1:] for row in figures.figures["doorlooptijden"].rows}
    # 1, 2, 3, 4, 10, 20 days: median (3 + 4) / 2; p90 at rank 0.9 * 5 = 4.5, between 10 and 20.
    assert lead["Melding → weging"] == [6, 3.5, 15]
    # 10, 20, 30, 40, 100 days: median 30; p90 at rank 3.6: 40 + 0.6 * 60.
    assert lead["Duur van de gesloten casussen"] == [5, 30, 76]
    # Weging → first plan offered: 5, 6, 7, 8, 9 days; offered → accepted: 1, 1, 2, 3, 10 days.
    assert lead["Weging → eerste plan aangeboden"] == [5, 7, 8.6]
    assert lead["Plan aangeboden → geaccepteerd"] == [5, 2, 7.2]


def test_caseload_topx_and_themes(figures):
    f = figures.figures
    assert rows(f["caseload"]) == [["Marieke Smeets", S]]
    assert rows(f["topx"]) == []
    assert rows(f["detentie"]) == []  # the BIJ meldingen are on the general form, not detention notices (test_channel_figures)
    assert rows(f["zoco"]) == [] and rows(f["jeugdbeschermingstafels"]) == []


def test_trend_per_month_with_the_same_month_a_year_earlier(figures):
    trend = rows(figures.figures["trend"])
    assert [row[0] for row in trend] == ["jan 2025", "feb 2025", "mrt 2025", "apr 2025", "mei 2025", "jun 2025"]
    # Meldingen 4, 4, 1: three small cells summing to 9 cannot be told apart; a year earlier only March (3), which
    # its total would give away: the total is hidden. Opened: 6 in January. Closed: 2, 2, 0, 1 (sum 5, undetermined).
    assert [row[1] for row in trend] == [S, S, S, 0, 0, 0]
    assert [row[2] for row in trend] == [0, 0, S, 0, 0, 0]
    assert [row[3] for row in trend] == [6, 0, 0, 0, 0, 0]
    assert [row[5] for row in trend] == [S, S, 0, S, 0, 0]
    assert figures.figures["trend"].total == ["Totaal", 9, X, 6, 0, 5, 0]


def test_other_houses_and_other_periods_do_not_count(house, other_house, dataset):
    assert dict(dashboard([other_house.pk], Period(*PERIOD)).headline)["Meldingen"] == S  # its one melding
    together = dashboard([house.pk, other_house.pk], Period(*PERIOD))
    assert dict(together.headline)["Meldingen"] == 10
    assert rows(together.figures["per-huis"]) == [["ZVH Noord-Limburg", S, 0, 0], ["ZVH Parkstad", X, 6, S]]

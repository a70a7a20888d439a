"""Spil's `date` filter (spil.web.templatetags.dates) gives the text Django's gives, for every format the templates use."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.template import Context, Engine, Template, defaultfilters
from django.utils import translation

from spil.web.templatetags import dates

SRC = Path(__file__).resolve().parents[1] / "src" / "spil"
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def template_formats() -> set[str]:
    found = set()
    for path in SRC.rglob("templates/**/*.html"):
        for match in re.finditer(r"""\|date:(?:"([^"]*)"|'([^']*)')""", path.read_text()):
            found.add(match[1] if match[1] is not None else match[2])
    return found


MOMENTS = [
    datetime.datetime(2026, 1, 1, 0, 5, tzinfo=AMSTERDAM),
    datetime.datetime(2026, 3, 9, 9, 0, 7, 123456, tzinfo=AMSTERDAM),  # maart: "mrt"
    datetime.datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM),  # the hour that happens twice
    datetime.datetime(2027, 12, 31, 23, 59, tzinfo=datetime.UTC),
    datetime.datetime(2026, 5, 17, 14, 3),  # naive
    *(datetime.datetime(2026, 6, day, 8, 15, tzinfo=AMSTERDAM) for day in range(1, 8)),  # every weekday
    *(datetime.datetime(2026, month, 2, 17, 45, tzinfo=AMSTERDAM) for month in range(1, 13)),  # every month
]
DAYS = [moment.date() for moment in MOMENTS]


def test_the_templates_use_formats_the_filter_writes_itself():
    formats = template_formats()
    assert {"j F Y", "j M Y"} <= formats
    assert all(dates._pieces(format_string) is not None for format_string in formats)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_template_format_gives_djangos_text(language):
    with translation.override(language):
        # The timeline's items (web.templatetags.timeline) call the filter with "c" and "j F Y H:i".
        for format_string in sorted(template_formats()) + ["c", "j F Y H:i", "d-m-Y", r"\Y\e\a\r Y", "l j F"]:
            _split, has_time = dates._pieces(format_string)
            for value in MOMENTS + ([] if has_time else DAYS):
                assert dates.date(value, format_string) == defaultfilters.date(value, format_string), (format_string, value)


def test_other_formats_and_values_go_to_djangos_filter():
    moment = MOMENTS[1]
    assert dates._pieces("P") is None and dates.date(moment, "P") == defaultfilters.date(moment, "P")
    assert dates.date(moment) == defaultfilters.date(moment)  # DATE_FORMAT
    assert dates.date(None, "j F Y") == dates.date("", "j F Y") == dates.date("gisteren", "j F Y") == ""
    with pytest.raises(TypeError, match="time-related"):
        dates.date(moment.date(), "j F Y H:i")


def test_templates_use_it_in_local_time():
    date_filters = [library.filters["date"] for library in Engine.get_default().template_builtins if "date" in library.filters]
    assert date_filters[-1] is dates.date  # the last one loaded is the one templates use
    with translation.override("nl"):
        page = Template('{{ moment|date:"j F Y H:i" }}').render(
            Context({"moment": datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.UTC)})
        )
    assert page == "9 maart 2026 09:00"

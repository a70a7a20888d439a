"""Django's `date` filter for the formats Spil's pages use, without its cost per call. A template builtin
(settings.TEMPLATES), so `{{ value|date:"j F Y" }}` in every template is this filter.

A dossier shows a hundred moments on its timeline and a list page about fifty dates. Django's filter took 30–40 µs for
each: it splits the format string with a regular expression every time, builds a formatter object and resolves the
lazily translated month and day names again. About 4 ms of a dossier page. This filter splits each format string once
and reads the names once per language, and gives the same text (tests/test_dates.py compares it with Django's for every
format in the templates). Formats with other letters, no format, and values that are not dates go to Django's filter.
"""

import datetime
from functools import cache

from django import template
from django.template import defaultfilters
from django.utils import dates, translation
from django.utils.dateformat import re_escaped, re_formatchars

register = template.Library()


# Each format letter as Django's DateFormat writes it; `names` are the language's month and day names.
_DATE_LETTERS = {
    "d": lambda value, names: "%02d" % value.day,
    "j": lambda value, names: str(value.day),
    "D": lambda value, names: names["D"][value.weekday()],
    "l": lambda value, names: names["l"][value.weekday()],
    "m": lambda value, names: "%02d" % value.month,
    "n": lambda value, names: str(value.month),
    "F": lambda value, names: names["F"][value.month],
    "M": lambda value, names: names["M"][value.month],
    "Y": lambda value, names: "%04d" % value.year,
    "c": lambda value, names: value.isoformat(),
}
_TIME_LETTERS = {
    "H": lambda value, names: "%02d" % value.hour,
    "i": lambda value, names: "%02d" % value.minute,
}
_LETTERS = _DATE_LETTERS | _TIME_LETTERS


@cache
def _pieces(format_string: str) -> tuple[tuple, bool] | None:
    """The format as literal texts and letter functions, and whether it has a time letter; None when a letter is not
    one of `_LETTERS`. Split as Django splits it: a backslash makes a letter literal."""
    pieces, has_time = [], False
    for index, piece in enumerate(re_formatchars.split(format_string)):
        if index % 2:
            if piece not in _LETTERS:
                return None
            pieces.append(_LETTERS[piece])
            has_time = has_time or piece in _TIME_LETTERS
        elif piece:
            pieces.append(re_escaped.sub(r"\1", piece))
    return tuple(pieces), has_time


@cache
def _names(language: str | None) -> dict:
    """The month and day names in `language`, which is the active language when this is called."""
    return {
        "F": {month: str(name) for month, name in dates.MONTHS.items()},
        "M": {month: str(name).title() for month, name in dates.MONTHS_3.items()},
        "l": {day: str(name) for day, name in dates.WEEKDAYS.items()},
        "D": {day: str(name) for day, name in dates.WEEKDAYS_ABBR.items()},
    }


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    split = _pieces(arg) if isinstance(arg, str) and isinstance(value, datetime.date) else None
    # A date with a time letter goes to Django's filter as well, which refuses it as it always did.
    if split is None or (split[1] and not isinstance(value, datetime.datetime)):
        return defaultfilters.date(value, arg)
    names = _names(translation.get_language())
    return "".join(piece if isinstance(piece, str) else piece(value, names) for piece in split[0])

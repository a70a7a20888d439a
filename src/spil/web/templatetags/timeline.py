"""The events of a timeline (`timeline.rows`) as list items, written in Python rather than by the template engine.

A dossier shows up to fifty events on a page, each with two renderings of its moment, its kind, its actor and its text.
The engine took about 110 µs an event (2.8 ms for 25), resolving and escaping every variable through its nodes; this
writes the same HTML (tests/test_timeline_items.py compares them) in a tenth of that.
"""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from spil.web.templatetags.dates import date

register = template.Library()

_ITEM = """  <li class="spil-timeline__item spil-timeline__item--{kind}">
    <div class="spil-timeline__meta"><time datetime="{iso}">{moment}</time> · {label} · {actor}</div>
    <p class="utrecht-paragraph">{text}</p>
  </li>
"""


@register.simple_tag
def timeline_items(events) -> SafeString:
    items = []
    for event in events:
        at = timezone.template_localtime(event.at)  # as the `date` filter receives it in a template
        items.append(
            _ITEM.format(
                kind=escape(event.kind),
                iso=date(at, "c"),
                moment=escape(date(at, "j F Y H:i")),
                label=escape(event.kind_label),
                actor=escape(event.actor),
                text=linebreaksbr(event.text),  # escaped, as in a template
            )
        )
    return mark_safe("".join(items))

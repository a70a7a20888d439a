"""The timeline's items written in Python (spil.web.templatetags.timeline) are the HTML the template wrote before."""

import datetime
import re
import zoneinfo

from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from spil.timeline.models import EventKind
from spil.timeline.rows import TimelineRow

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")

# The items as the template wrote them until the tag replaced it.
TEMPLATE_ITEMS = """<ol class="spil-timeline">
{% for event in events %}
  <li class="spil-timeline__item spil-timeline__item--{{ event.kind }}">
    <div class="spil-timeline__meta"><time datetime="{{ event.at|date:'c' }}">{{ event.at|date:"j F Y H:i" }}</time> · {{ event.kind_label }} · {{ event.actor }}</div>
    <p class="utrecht-paragraph">{{ event.text|linebreaksbr }}</p>
  </li>
{% empty %}
  <li class="spil-empty">Nog geen gebeurtenissen.</li>
{% endfor %}
</ol>"""

EVENTS = [
    TimelineRow(
        datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),
        EventKind.NOTE,
        "Gesprek <b>gehad</b> & \"afspraak\"\r\nmet 'moeder'.\n\nVervolg.",
        "Ria O'Brien",
    ),
    TimelineRow(datetime.datetime(2026, 3, 9, 9, 0, 7, tzinfo=AMSTERDAM), EventKind.STATUS, "Fase gewijzigd.", "<script>x</script>"),
    TimelineRow(datetime.datetime(2027, 1, 1, 23, 59, tzinfo=datetime.UTC), EventKind.NOTE, "", "beheer"),
]


def items(html: str) -> str:
    """The timeline's list, without the whitespace between its tags."""
    listed = html[html.index('<ol class="spil-timeline">') : html.index("</ol>") + len("</ol>")]
    return re.sub(r">\s+<", "><", listed)


def test_the_tag_writes_the_items_the_template_wrote():
    with translation.override("nl"):
        for events in (EVENTS, EVENTS[:1], []):
            page = Paginator(events, 50).get_page(1) if events else []
            assert items(render_to_string("web/timeline.html", {"events": page})) == items(
                Template(TEMPLATE_ITEMS).render(Context({"events": page}))
            )


def test_the_text_is_escaped_and_its_lines_kept():
    with translation.override("nl"):
        html = render_to_string("web/timeline.html", {"events": Paginator(EVENTS, 50).get_page(1)})
    assert "Gesprek &lt;b&gt;gehad&lt;/b&gt; &amp; &quot;afspraak&quot;<br>met &#x27;moeder&#x27;.<br><br>Vervolg." in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert '<time datetime="2026-10-25T02:30:00+02:00">25 oktober 2026 02:30</time>' in html

"""`select_options` renders a select's options in Python: it must give what Django's own option templates give."""

import re

from django import forms

from spil.web.forms import StyledForm


class Choices(StyledForm, forms.Form):
    plain = forms.ChoiceField(choices=[("", "Alle"), ("a", "Tom & Jerry"), ("b", '"Aanhalingstekens" <b>')])
    grouped = forms.MultipleChoiceField(choices=[("Noord", [("1", "Groningen"), ("2", "Assen")]), ("Zuid", [("3", "Maastricht")])])


def _options(html: str) -> str:
    return re.sub(r">\s+<", "><", html[html.index(">") + 1 : html.rindex("</select>")].strip())


def test_the_options_are_those_django_renders():
    form = Choices(data={"plain": "a", "grouped": ["1", "3"]})
    for name in ("plain", "grouped"):
        widget = form[name].field.widget
        ours = form[name].as_widget()
        widget.template_name = type(widget).template_name  # Django's own select.html and its option template
        theirs = form[name].as_widget()
        assert _options(ours) == _options(theirs)


def test_labels_are_escaped_and_the_choice_is_selected():
    html = Choices(data={"plain": "b"})["plain"].as_widget()
    assert '<option value="b" selected>&quot;Aanhalingstekens&quot; &lt;b&gt;</option>' in html
    assert '<option value="a">Tom &amp; Jerry</option>' in html

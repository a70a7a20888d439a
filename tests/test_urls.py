"""Spil's `url` tag (spil.web.templatetags.urls) gives the URLs Django's gives, and reverses each only once."""

import pytest
from django.template import Context, Engine, Template
from django.urls import NoReverseMatch, path, reverse, set_script_prefix

from spil.web.templatetags import urls


@pytest.fixture(autouse=True)
def nothing_kept():
    urls._kept.cache_clear()
    yield
    urls._kept.cache_clear()


def render(text: str, **context) -> str:
    return Template(text).render(Context(context))


def test_templates_use_it():
    tags = [library.tags["url"] for library in Engine.get_default().template_builtins if "url" in library.tags]
    assert tags[-1] is urls.url  # the last one loaded is the one templates use


def test_it_gives_djangos_urls():
    assert render("{% url 'web:my-work' %}") == reverse("web:my-work")
    assert render("{% url 'cases:detail' number %}", number="Z-2026-000001") == reverse("cases:detail", args=["Z-2026-000001"])
    assert render("{% url 'cases:detail' number=number %}", number="Z-2026-000002") == reverse(
        "cases:detail", kwargs={"number": "Z-2026-000002"}
    )
    assert render("{% url 'triage:detail' pk %}", pk=7) == reverse("triage:detail", args=[7])
    assert render("{% url 'cases:detail' number as link %}[{{ link }}]", number="Z-1") == f"[{reverse('cases:detail', args=['Z-1'])}]"


def test_a_url_that_does_not_exist_fails_as_with_django():
    with pytest.raises(NoReverseMatch):
        render("{% url 'cases:detail' %}")
    assert render("{% url 'cases:detail' as link %}[{{ link }}]") == "[]"


def test_each_url_is_reversed_once(monkeypatch):
    calls = []

    def counting(*args, **kwargs):
        calls.append(args)
        return reverse(*args, **kwargs)

    monkeypatch.setattr(urls, "reverse", counting)
    for _ in range(3):
        assert render("{% url 'cases:detail' number %}", number="Z-2026-000003") == "/casussen/Z-2026-000003/"
    assert len(calls) == 1
    render("{% url 'cases:detail' number %}", number="Z-2026-000004")
    assert len(calls) == 2


def test_other_values_are_reversed_each_time(monkeypatch):
    calls = []
    monkeypatch.setattr(urls, "reverse", lambda *args, **kwargs: calls.append(args) or reverse(*args, **kwargs))

    class Number:
        def __str__(self):
            return "Z-2026-000005"

    for _ in range(2):
        assert render("{% url 'cases:detail' number %}", number=Number()) == "/casussen/Z-2026-000005/"
    assert len(calls) == 2


class Here:
    urlpatterns = [path("hier/", lambda request: None, name="plain")]


class There:
    urlpatterns = [path("daar/", lambda request: None, name="plain")]


def test_the_script_prefix_and_the_url_configuration_are_part_of_the_key(settings):
    assert render("{% url 'web:my-work' %}") == "/"
    set_script_prefix("/spil/")
    try:
        assert render("{% url 'web:my-work' %}") == "/spil/"
    finally:
        set_script_prefix("/")
    settings.ROOT_URLCONF = Here
    assert render("{% url 'plain' %}") == "/hier/"
    settings.ROOT_URLCONF = There  # as a test may set another
    assert render("{% url 'plain' %}") == "/daar/"

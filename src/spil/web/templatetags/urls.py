"""Django's `url` tag, with the URLs it reverses kept per process. A template builtin (settings.TEMPLATES), so
`{% url %}` in every template is this tag.

A list links each of its rows and the menu a dozen pages: 30 to 50 links a page. Django's `reverse` took 30–90 µs for
each (it asks for the active language, the script prefix and the URL configuration, and checks the arguments against
the pattern every time), 1–3 ms of a page. The URL configuration does not change while Spil runs, so the same view name
and arguments give the same URL; the key holds what may change it (the script prefix, and the URL configuration a
request or a test sets). Only text and whole numbers are kept as arguments; any other value goes to `reverse` itself.
"""

from functools import lru_cache

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

KEPT_URLS = 20_000  # a few MB at most: the menu's pages and the rows users open, each once


@lru_cache(maxsize=KEPT_URLS)
def _kept(view_name: str, args: tuple, kwargs: tuple, current_app, _prefix: str, _resolver) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def url_for(view_name: str, args: tuple = (), kwargs: tuple = (), current_app=None) -> str:
    """`reverse`, kept per process for arguments that are text or whole numbers; `kwargs` as (name, value) pairs."""
    values = (*args, *(value for _name, value in kwargs))
    if not all(type(value) in (str, int) for value in values):
        return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)
    return _kept(view_name, args, kwargs, current_app, get_script_prefix(), get_resolver(get_urlconf()))


def _current_app(context):
    """The namespace instance to prefer, as Django's tag finds it."""
    request = getattr(context, "request", None)
    if hasattr(request, "current_app"):
        return request.current_app
    return getattr(getattr(request, "resolver_match", None), "namespace", None)


class KeptURLNode(defaulttags.URLNode):
    def render(self, context):
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((name, value.resolve(context)) for name, value in self.kwargs.items())
        try:
            url = url_for(self.view_name.resolve(context), args, kwargs, _current_app(context))
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)

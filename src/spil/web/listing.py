"""Shared behaviour of the list screens: filters in the URL, sorting, pagination."""

from django.conf import settings
from django.core.paginator import Paginator


def sort(queryset, request, allowed: dict[str, str], default: str):
    """Order by the `sort` query parameter ('-' prefix for descending) if it names an allowed column."""
    key = request.GET.get("sort", default)
    field = allowed.get(key.lstrip("-"))
    if field is None:
        key, field = default, allowed[default.lstrip("-")]
    return queryset.order_by(f"-{field}" if key.startswith("-") else field, "-pk"), key


def paginate(request, queryset):
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


TIMELINE_PAGE_SIZE = 50


def timeline_page(request, events):
    """A timeline shows its latest events; earlier ones page by page (`?tijdlijn=N`): a case that runs for years
    gathers hundreds, and the dossier must not cost more as it grows."""
    paginator = Paginator(events, TIMELINE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("tijdlijn") or paginator.num_pages)

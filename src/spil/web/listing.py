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


def paginate_by_ids(request, queryset, *, limit: int | None = None):
    """`paginate` for lists that may hold thousands of rows: the page's ids are sorted and sliced first, and only the
    page's own rows are read whole, because sorting thousands of ids is cheap and sorting the wide joined rows that
    `select_related` reads is not. With `limit`, one query finds at most that many matches and nothing counts the rest
    (`page.paginator.truncated` says whether there were more): for searches, where more hits mean a vaguer question."""
    ids = queryset.values_list("pk", flat=True)
    truncated = False
    if limit is not None:
        ids = list(ids[: limit + 1])
        truncated, ids = len(ids) > limit, ids[:limit]
    paginator = Paginator(ids, settings.PAGE_SIZE)
    paginator.truncated = truncated
    page = paginator.get_page(request.GET.get("page"))
    rows = queryset.in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list]
    return page


TIMELINE_PAGE_SIZE = 50


def timeline_page(request, events):
    """A timeline shows its latest events; earlier ones page by page (`?tijdlijn=N`): a case that runs for years
    gathers hundreds, and the dossier must not cost more as it grows."""
    paginator = Paginator(events, TIMELINE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("tijdlijn") or paginator.num_pages)

"""Shared behaviour of the list screens: filters in the URL, sorting, pagination.

A long list finds the ids of its page with the user's visibility rule, and reads the page's rows by those ids alone
(`read`, e.g. `cases.rows.case_rows`): the ids are what the user may see, and applying the rule a second time to read 25
rows cost Django 2-3 ms to compile it and PostgreSQL as much to check it (docs/performance.md, round eleven).
"""

from functools import partial

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

from spil.timeline import rows as timeline


def sort(queryset, request, allowed: dict[str, str], default: str):
    """Order by the `sort` query parameter ('-' prefix for descending) if it names an allowed column."""
    key = request.GET.get("sort", default)
    field = allowed.get(key.lstrip("-"))
    if field is None:
        key, field = default, allowed[default.lstrip("-")]
    return queryset.order_by(f"-{field}" if key.startswith("-") else field, "-pk"), key


def paginate(request, queryset, *, ids_first: bool = False, read=None):
    """A page of the queryset. With `ids_first` the count, the sort and the slice run on the ids alone, and only the
    page's own rows are read with their joins: for lists whose rows join many tables (the case list), where sorting the
    joined rows of every match costs more than the one query extra. `read(ids)` reads those rows in the order of the
    ids; by default they are the queryset's model instances."""
    if not ids_first:
        return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page = _page_of_ids(request, queryset)
    page.object_list = (read or partial(_instances, queryset))(list(page.object_list))
    return page


def counted(queryset):
    """The queryset with `listed_total` on each row: how many rows it holds in all, before any slice (a window count).
    A list then shows its total without a second query that has Django compile and PostgreSQL plan its conditions again."""
    return queryset.annotate(listed_total=Window(Count("pk")))


def first_rows(queryset, limit: int, *, read=None) -> tuple[list, int]:
    """The first `limit` rows of the queryset and how many it holds in all, the ids counted and sorted before any
    row is read whole (`first_ids`; `read` as for `paginate`). For a regisseur's 170 open cases, counting and
    sorting them with their joins in one query took PostgreSQL 6 ms (it expected one row and joined each in a nested
    loop), the ids alone under 1 ms."""
    ids, total = first_ids(queryset, limit)
    return (read or partial(_instances, queryset))(ids), total


def first_ids(queryset, limit: int) -> tuple[list, int]:
    """The ids of `first_rows`, for a caller that reads their rows together with others."""
    return _ids_with_total(queryset, 0, limit)


def _ids_with_total(queryset, start: int, stop: int) -> tuple[list, int]:
    """The queryset's ids from `start` to `stop` in its order, with how many it holds in all (`counted`): the ids are
    sorted in full for the slice anyway."""
    rows = list(counted(queryset).values_list("pk", "listed_total")[start:stop])
    return [pk for pk, _total in rows], rows[0][1] if rows else 0


def _page_of_ids(request, queryset) -> Page:
    """The requested page of the queryset's ids, with their total."""
    paginator = Paginator(queryset.values_list("pk", flat=True), settings.PAGE_SIZE)
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 1
    start = (number - 1) * settings.PAGE_SIZE
    ids, total = _ids_with_total(queryset, start, start + settings.PAGE_SIZE) if number >= 1 else ([], 0)
    if not ids and number != 1:
        return paginator.get_page(number)  # out of range: the page `Paginator.get_page` shows instead
    paginator.count = total
    return Page(ids, number, paginator)


def paginate_by_ids(request, queryset, *, limit: int, ids: list | None = None, read=None):
    """`paginate` for lists that may hold thousands of rows (the inbox, person search): one query finds the ids of at
    most `limit` rows in order, and only the page's own rows are read whole, because sorting ids is cheap and sorting
    the wide joined rows that `select_related` reads is not. Nothing counts beyond `limit`; `page.paginator.truncated`
    says whether there were more, so the page can ask for filters or a sharper search. `ids` (at most `limit + 1`, in
    order, found with the user's visibility rule) replaces that first query when the caller finds them in a better way;
    `read` as for `paginate`: for a search whose conditions serve finding many rows but not reading a few, the rows by
    their ids alone."""
    ids = list(queryset.values_list("pk", flat=True)[: limit + 1]) if ids is None else ids
    paginator = Paginator(ids[:limit], settings.PAGE_SIZE)
    paginator.truncated = len(ids) > limit
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = (read or partial(_instances, queryset))(list(page.object_list))
    return page


def _instances(queryset, ids: list) -> list:
    rows = queryset.in_bulk(ids)
    return [rows[pk] for pk in ids]


TIMELINE_PAGE_SIZE = 50


def timeline_page(request, events):
    """A timeline shows its latest events; earlier ones page by page (`?tijdlijn=N`): a case that runs for years
    gathers hundreds, and the dossier must not cost more as it grows. The page's events are `timeline.rows`."""
    paginator = Paginator(events.values_list(*timeline.COLUMNS), TIMELINE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("tijdlijn") or paginator.num_pages)
    page.object_list = timeline.timeline_rows(page.object_list)
    return page

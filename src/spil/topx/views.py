from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Subquery
from django.shortcuts import get_object_or_404, redirect, render

from spil.access import policy
from spil.access.processing import log_lists_shown
from spil.cases.models import Case
from spil.core import clock
from spil.logbook.models import Action
from spil.topx import forms, progress, services
from spil.topx.models import Ranking, RankingEntry, TopXList
from spil.web.forms import submitted


def visible_list(request, pk) -> TopXList:
    return get_object_or_404(TopXList.objects.visible_to(request.user).select_related("house", "municipality"), pk=pk)


def object_ref(topx_list: TopXList) -> str:
    """How the processing log names the list (its object field holds 40 characters)."""
    return f"Top-X-lijst {topx_list.name}"[:40]


def log_shown(action: Action, topx_list: TopXList, cases, actor) -> None:
    """The page showed these cases (persons prefetched): one record per person, under each case type's activity."""
    log_lists_shown(action, actor, cases=cases, case_ref=object_ref(topx_list))


def _entries(rankings):
    """Entries per ranking id, with what the list shows of each case."""
    entries = defaultdict(list)
    for entry in (
        RankingEntry.objects.filter(ranking__in=rankings)
        .select_related("case__case_type", "case__phase")
        .prefetch_related("case__persons")
        .order_by("rank")
    ):
        entries[entry.ranking_id].append(entry)
    return entries


@login_required
def list_index(request):
    lists = list(
        TopXList.objects.visible_to(request.user)
        .select_related("house", "municipality")
        .annotate(last_decided_at=Max("rankings__decided_at"), current_ranking=Subquery(services.latest_ranking_id("pk")))
        .order_by("house__name", "name")
    )
    sizes = dict(
        Ranking.objects.filter(pk__in=[topx_list.current_ranking for topx_list in lists if topx_list.current_ranking])
        .annotate(size=Count("entries"))
        .values_list("pk", "size")
    )
    now = clock.now()
    for topx_list in lists:
        topx_list.size = sizes.get(topx_list.current_ranking) or 0
        topx_list.renewal_due = services.renewal_due(topx_list, topx_list.last_decided_at)
        topx_list.outdated = topx_list.renewal_due <= now
    return render(request, "topx/list_index.html", {"lists": lists, "can_create": policy.may_somewhere(request.user, "topx.manage")})


@login_required
def list_create(request):
    houses = policy.houses_for(request.user, "topx.manage")
    if not houses.exists():
        raise PermissionDenied("Alleen het bedrijfsbureau en procesregisseurs maken Top-X-lijsten aan.")
    form = forms.ListForm(request.POST or None, houses=houses)
    if submitted(request, form, lambda data: services.create_list(actor=request.user, **data)):
        messages.success(request, f"De Top-X-lijst '{form.result}' is aangemaakt. Leg de eerste rangorde vast na het overleg.")
        return redirect("topx:detail", pk=form.result.pk)
    return render(request, "topx/list_form.html", {"form": form})


@login_required
def list_detail(request, pk):
    """House staff see the current list with links to the dossiers they may open, and its history; the OOV officer
    of the municipality sees the current list at summary level (no reasons, notes or dossier contents)."""
    topx_list = visible_list(request, pk)
    staff = policy.can(request.user, "topx.view", topx_list.house)
    rankings = list(topx_list.rankings.select_related("meeting__meeting_type", "decided_by").order_by("-decided_at", "-pk"))
    entries = _entries(rankings)
    current = rankings[0] if rankings else None
    rows = entries[current.pk] if current else []
    since = _on_list_since(rankings, entries)
    for entry in rows:
        entry.since = since.get(entry.case_id)
    progress_of = progress.for_cases(entry.case_id for entry in rows)
    for entry in rows:
        entry.progress = progress_of[entry.case_id]
    due = services.renewal_due(topx_list, current.decided_at if current else None)
    context = {"topx_list": topx_list, "current": current, "rows": rows, "renewal_due": due, "outdated": due <= clock.now()}
    if not staff:  # the OOV officer: no link into any dossier
        context["openable"] = frozenset()
        log_shown(Action.READ, topx_list, [entry.case for entry in rows], request.user)
        return render(request, "topx/oov_list.html", context)
    history = [
        (ranking, services.movements(entries[rankings[i + 1].pk] if i + 1 < len(rankings) else [], entries[ranking.pk]))
        for i, ranking in enumerate(rankings)
    ]
    shown = {entry.case_id: entry.case for ranking_entries in entries.values() for entry in ranking_entries}
    log_shown(Action.READ, topx_list, shown.values(), request.user)
    context |= {
        "history": history,
        "openable": set(Case.objects.visible_to(request.user).filter(pk__in=shown).values_list("pk", flat=True)),
        "can_manage": policy.can(request.user, "topx.manage", topx_list.house),
    }
    return render(request, "topx/list_detail.html", context)


def _on_list_since(rankings, entries) -> dict:
    """Per case on the latest ranking: the decision date from which it has been on the list without interruption."""
    since = {}
    for ranking in reversed(rankings):  # oldest first
        on = {entry.case_id for entry in entries[ranking.pk]}
        since = {case_id: since.get(case_id, ranking.decided_at) for case_id in on}
    return since


@login_required
def rerank(request, pk):
    topx_list = visible_list(request, pk)
    policy.require(request.user, "topx.manage", topx_list.house)
    current = services.current_ranking(topx_list)
    on_list = [entry.case for entry in _entries([current])[current.pk]] if current else []
    elsewhere = services.current_entries().filter(ranking__topx_list__house=topx_list.house_id).exclude(ranking__topx_list=topx_list)
    candidates = (
        services.eligible_cases(topx_list)
        .visible_to(request.user)
        .exclude(pk__in=[case.pk for case in on_list])
        .exclude(pk__in=elsewhere.values("case_id"))
        .select_related("case_type", "phase")
        .prefetch_related("persons")
        .order_by("number")
    )
    rows = on_list + list(candidates)
    form = forms.RerankForm(request.POST or None, topx_list=topx_list, rows=rows, current=current)

    def decide(data):
        based_on = Ranking.objects.filter(topx_list=topx_list, pk=data["based_on"]).first() if data["based_on"] else None
        return services.rerank(
            topx_list, actor=request.user, meeting=data["meeting"], entries=data["entries"], note=data["note"], based_on=based_on
        )

    if submitted(request, form, decide):
        messages.success(request, f"De rangorde van '{topx_list}' is vastgelegd als besluit van overleg {form.result.meeting.number}.")
        return redirect("topx:detail", pk=topx_list.pk)
    log_shown(Action.SEARCH, topx_list, rows, request.user)
    return render(request, "topx/rerank.html", {"topx_list": topx_list, "form": form, "current": current})

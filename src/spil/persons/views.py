"""Person pages: one person with the meldingen and cases the user may see and its merge history; merging two records
and undoing that; the intake's decision on a new person of a melding; differences noted at a melding.

A person is fetched from `Person.objects.visible_to(user)` (invisible: 404). Every page that shows persons writes the
processing log: a person page an *inzien* (under the intake activity, and under the activity of each case shown),
candidates a *zoeken* per candidate shown.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from spil.access import policy
from spil.access.processing import intake_activity_id
from spil.cases.models import Case
from spil.intake.models import Report, ReportPerson
from spil.logbook.models import Action
from spil.logbook.services import log_spans
from spil.persons import matching, services
from spil.persons.forms import DiscrepancyForm, MatchDecisionForm, MergeForm, UnmergeForm
from spil.persons.models import Discrepancy, Person, PersonMerge
from spil.persons.rows import person_rows
from spil.web.forms import attempt, submitted
from spil.web.listing import paginate_by_ids

PAGE_REF = "persoonsoverzicht"


def visible_person(request, pk) -> Person:
    return get_object_or_404(Person.objects.visible_to(request.user).select_related("municipality"), pk=pk)


def log_shown(action: Action, persons, actor, object_ref: str) -> None:
    persons = list({person.pk: person for person in persons}.values())
    if persons:
        log_spans(action, actor=actor, spans=[(intake_activity_id(), persons, object_ref)])


def with_reports(user, found: list[matching.Candidate]) -> list[dict]:
    """Candidates with the numbers of their meldingen that the user may see (and nothing of the others)."""
    numbers = defaultdict(list)
    links = ReportPerson.objects.filter(person__in=[c.person for c in found], report__in=Report.objects.visible_to(user)).order_by(
        "report__received_on", "report__number"
    )
    for person_id, number in links.values_list("person_id", "report__number"):
        numbers[person_id].append(number)
    return [{"candidate": c, "person": c.person, "reports": numbers[c.person.pk]} for c in found]


def merge_houses(user) -> list[int]:
    return policy.house_ids_for(user, "person.merge")


@login_required
def person_detail(request, pk):
    person = visible_person(request, pk)
    user = request.user
    reports = Report.objects.visible_to(user).filter(report_persons__person=person).select_related("house", "requested_case_type")
    cases = list(Case.objects.visible_to(user).filter(persons=person).select_related("house", "case_type"))
    # BSN, address and merge history as a melding or the full dossier shows them; a summary-level team member sees
    # what the case overview shows (name, birth date, gemeente).
    details = reports.exists() or policy.full_dossier_cases(user).filter(persons=person).exists()
    merges = list(person.merges.select_related("absorbed", "merged_by", "undone_by")) if details else []
    can_merge = details and matching.known_to(user, merge_houses(user), narrow=False).filter(pk=person.pk).exists()
    candidates = []
    if can_merge:
        candidates = with_reports(user, matching.candidates(person, within=matching.known_to(user, merge_houses(user))))
        log_shown(Action.SEARCH, [row["person"] for row in candidates], user, PAGE_REF)
    discrepancies = person.discrepancies.filter(resolved_at__isnull=True, report__in=Report.objects.visible_to(user)).select_related(
        "report"
    )
    log_shown(Action.READ, [person, *(m.absorbed for m in merges)], user, PAGE_REF)
    activity_ids = {case.case_type.processing_activity_id for case in cases}
    log_spans(Action.READ, actor=user, spans=[(activity_id, [person], PAGE_REF) for activity_id in sorted(activity_ids)])
    return render(
        request,
        "persons/person_detail.html",
        {
            "person": person,
            "details": details,
            "reports": reports,
            "cases": cases,
            "merges": merges,
            "candidates": candidates,
            "can_merge": can_merge,
            "discrepancies": discrepancies,
        },
    )


@login_required
def merge(request, pk):
    """Choose the record to take in (the page's person stays), then confirm with a reason."""
    survivor = visible_person(request, pk)
    user = request.user
    if not merge_houses(user):
        raise PermissionDenied(f"U heeft geen rechten om {policy.ACTION_DESCRIPTIONS['person.merge']}.")
    within = matching.known_to(user, merge_houses(user))
    other_pk = request.POST.get("met") or request.GET.get("met")
    if not other_pk:
        candidates = with_reports(user, matching.candidates(survivor, within=within))
        log_shown(Action.SEARCH, [survivor] + [row["person"] for row in candidates], user, PAGE_REF)
        return render(request, "persons/merge_choose.html", {"person": survivor, "candidates": candidates})
    if not str(other_pk).isdigit():
        raise PermissionDenied("Onbekende persoon.")
    absorbed = get_object_or_404(within.select_related("municipality"), pk=other_pk)
    form = MergeForm(request.POST or None)
    if submitted(request, form, lambda data: services.merge(survivor, absorbed, actor=user, reason=data["reason"])):
        messages.success(request, f"{absorbed.full_name} is samengevoegd met {survivor.full_name}.")
        return redirect("persons:detail", pk=survivor.pk)
    log_shown(Action.READ, [survivor, absorbed], user, PAGE_REF)
    return render(
        request,
        "persons/merge_confirm.html",
        {"person": survivor, "absorbed": absorbed, "form": form, "rows": with_reports(user, [matching.Candidate(absorbed, 0)])},
    )


@login_required
def unmerge(request, pk):
    merged = get_object_or_404(
        PersonMerge.objects.filter(survivor__in=Person.objects.visible_to(request.user)).select_related("survivor", "absorbed"), pk=pk
    )
    if not merge_houses(request.user):
        raise PermissionDenied(f"U heeft geen rechten om {policy.ACTION_DESCRIPTIONS['person.merge']}.")
    form = UnmergeForm(request.POST or None)
    if submitted(request, form, lambda data: services.unmerge(merged, actor=request.user, reason=data["reason"])):
        messages.success(request, f"De samenvoeging is ongedaan gemaakt: {merged.absorbed.full_name} is weer een aparte persoon.")
        return redirect("persons:detail", pk=merged.survivor_id)
    log_shown(Action.READ, [merged.survivor, merged.absorbed], request.user, PAGE_REF)
    return render(request, "persons/unmerge.html", {"merge": merged, "form": form})


@login_required
def match(request, pk):
    """A new person of a melding against the known persons: GET shows the candidates (or, with ?kandidaat=, one of
    them beside the new person to confirm); POST records "zelfde" (merge into the known person) or "nieuw"."""
    link = get_object_or_404(
        ReportPerson.objects.filter(report__in=Report.objects.visible_to(request.user)).select_related(
            "report__house", "person__municipality"
        ),
        pk=pk,
    )
    report, person, user = link.report, link.person, request.user
    policy.require(user, "report.register", report.house)
    if request.method == "POST":
        form = MatchDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Kies of dit dezelfde persoon is of een nieuwe persoon.")
        elif form.cleaned_data["decision"] == "nieuw":
            attempt(request, lambda: services.keep_new(link, actor=user), f"{person.full_name} is vastgelegd als nieuwe persoon.")
        else:
            known = get_object_or_404(matching.known_to(user), pk=form.cleaned_data["known"] or 0)
            attempt(
                request,
                lambda: services.link(link, known, actor=user),
                f"{person.full_name} is gekoppeld aan de bekende persoon {known.full_name}.",
            )
        return redirect("intake:detail", number=report.number)
    within = matching.known_to(user).exclude(report_links__report=report)
    chosen = request.GET.get("kandidaat")
    if chosen and chosen.isdigit():
        known = get_object_or_404(within.select_related("municipality"), pk=chosen)
        rows = with_reports(user, [matching.Candidate(known, 0)])
        log_shown(Action.READ, [person, known], user, f"vergelijken {report.number}")
        return render(
            request, "persons/match_confirm.html", {"link": link, "report": report, "person": person, "known": known, "rows": rows}
        )
    rows = with_reports(user, matching.candidates(person, within=within)) if person.match_pending else []
    log_shown(Action.SEARCH, [person] + [row["person"] for row in rows], user, f"vergelijken {report.number}")
    return render(request, "persons/match.html", {"link": link, "report": report, "person": person, "rows": rows})


@login_required
@require_POST
def discrepancy(request, pk):
    noted = get_object_or_404(
        Discrepancy.objects.filter(report__in=Report.objects.visible_to(request.user)).select_related("report__house"), pk=pk
    )
    policy.require(request.user, "report.register", noted.report.house)
    form = DiscrepancyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kies of u het opgegeven gegeven overneemt of het vastgelegde houdt.")
    else:
        accept = form.cleaned_data["decision"] == "overnemen"
        attempt(
            request,
            lambda: services.resolve_discrepancy(noted, actor=request.user, accept=accept),
            f"{noted.label} {'overgenomen' if accept else 'behouden'}.",
        )
    return redirect("intake:detail", number=noted.report.number)


SEARCH_REF = "personen zoeken"
SEARCH_RESULTS = "zoekresultaten"  # the id of the element the search box fills (persons/search.html)


# A name fragment can match thousands of persons nationally; beyond this many the search asks for a sharper question
# instead of counting them all.
SEARCH_LIMIT = 200


@login_required
def search(request):
    """Find a person by a fragment of the name or by BSN, among the persons the user may see (their meldingen and
    cases); each person shown is logged as a search. Without a search text nothing is listed. The search box asks
    while the user types (htmx) and gets the results alone, without the page around them."""
    text = request.GET.get("q", "").strip()
    page = None
    if text:
        # The page's rows are read by the ids that `found_by` gave, among the persons the user may see. Read with the
        # search's conditions again, PostgreSQL intersected the 25 ids with every person known in the user's houses (8 ms);
        # with the visibility rule again, it checked the same meldingen and cases a second time (4 ms, and 3 to compile).
        page = paginate_by_ids(
            request,
            Person.objects.found_by(text, request.user).order_by("surname", "first_names", "pk"),
            limit=SEARCH_LIMIT,
            read=person_rows,
        )
        log_shown(Action.SEARCH, page.object_list, request.user, SEARCH_REF)
    # Only the search box's own requests get the results alone: htmx restoring a page from history asks for it whole.
    box = request.headers.get("HX-Request") and request.headers.get("HX-Target") == SEARCH_RESULTS
    response = render(request, "persons/_search_results.html" if box else "persons/search.html", {"q": text, "page_obj": page})
    patch_vary_headers(response, ["HX-Target"])
    return response

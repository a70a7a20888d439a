"""Casusoverleg screens. Every page that shows an agenda item's case data logs a read of that case; the agenda, the
meeting page and the minutes PDF show a user only the items `AgendaItem.objects.visible_to(user)` gives them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from spil.access import policy
from spil.access.processing import log_case
from spil.core import clock
from spil.logbook.models import Action
from spil.meetings import forms, services
from spil.meetings.models import ActionReview, AgendaItem, ItemAction, Meeting, MeetingSetup, MeetingStatus, MeetingType
from spil.organisations.models import House
from spil.web.forms import attempt, submitted
from spil.web.listing import paginate
from spil.web.pdf import pdf_response


def visible_meeting(request, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("house", "meeting_type", "municipality", "chair", "minutes_finalised_by"),
        pk=pk,
    )


def visible_items(user, meeting):
    return (
        AgendaItem.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("case__case_type", "case__phase")
        .prefetch_related(
            "case__persons",
            "attendees",
            Prefetch("new_actions", queryset=ItemAction.objects.select_related("action__partner", "action__life_domain")),
            Prefetch("action_reviews", queryset=ActionReview.objects.select_related("action__partner")),
        )
        .order_by("order", "pk")
    )


def visible_item(request, meeting, item_pk) -> AgendaItem:
    return get_object_or_404(visible_items(request.user, meeting), pk=item_pk)


def _secretary_item(request, pk, item_pk):
    """An item the user may see, of a meeting whose agenda and minutes the user keeps (403 otherwise)."""
    meeting = visible_meeting(request, pk)
    item = visible_item(request, meeting, item_pk)
    services.require_secretary(request.user, meeting)
    log_case(Action.READ, item.case, request.user)
    return meeting, item


@login_required
def meeting_list(request):
    meetings = Meeting.objects.visible_to(request.user).select_related("house", "meeting_type", "municipality", "chair")
    filters = forms.MeetingFilterForm(request.GET or None)
    if filters.is_valid():
        meetings = filters.filter(meetings)
    meetings = meetings.annotate(items_count=Count("items")).order_by("-starts_at", "-pk")
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page_obj": paginate(request, meetings),
            "filters": filters,
            "can_plan": policy.may_somewhere(request.user, "meeting.plan"),
            "can_setup": policy.may_somewhere(request.user, "meeting.setup"),
        },
    )


@login_required
def meeting_create(request):
    houses = policy.houses_for(request.user, "meeting.plan")
    if not houses:
        raise PermissionDenied("U heeft geen rechten om casusoverleggen te plannen.")
    form = forms.MeetingForm(request.POST or None, houses=houses)
    if submitted(request, form, lambda data: services.plan_meeting(actor=request.user, **data)):
        messages.success(request, f"Overleg {form.result.number} is gepland. Zet nu casussen op de agenda.")
        return redirect("meetings:detail", pk=form.result.pk)
    return render(request, "meetings/meeting_form.html", {"form": form})


@login_required
def meeting_detail(request, pk):
    meeting = visible_meeting(request, pk)
    user = request.user
    items = list(visible_items(user, meeting))
    for item in items:
        log_case(Action.READ, item.case, user)
    secretary = services.is_secretary(user, meeting)
    review = []
    if secretary and meeting.status in {MeetingStatus.HELD, MeetingStatus.FINALISED}:
        review = [(item, list(services.actions_to_review(item))) for item in items]
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "hidden_items": meeting.items.count() - len(items),
            "participants": meeting.participants.select_related("user"),
            "secretary": secretary,
            "is_chair": user.pk == meeting.chair_id,
            "review": review,
            "minutes_due": services.minutes_due(meeting),
            "minutes_overdue": services.minutes_overdue(meeting),
            "started": meeting.starts_at <= clock.now(),
        },
    )


@login_required
def item_add(request, pk):
    meeting = visible_meeting(request, pk)
    services.require_secretary(request.user, meeting)
    form = forms.AddItemForm(request.POST or None, meeting=meeting, user=request.user)
    if submitted(request, form, lambda data: services.add_item(meeting, actor=request.user, **data)):
        messages.success(request, f"Casus {form.result.case.number} staat op de agenda. Kies wie dit punt bespreekt.")
        return redirect("meetings:item-edit", pk=pk, item_pk=form.result.pk)
    return render(request, "meetings/item_add.html", {"meeting": meeting, "form": form})


@login_required
def item_edit(request, pk, item_pk):
    meeting, item = _secretary_item(request, pk, item_pk)
    form = forms.ItemForm(request.POST or None, item=item)

    def save(data):
        return services.update_item(
            item, actor=request.user, attendees=data["attendees"], question=data["question"], expected_version=data["version"]
        )

    if submitted(request, form, save):
        messages.success(request, f"Agendapunt {item.case.number} is bijgewerkt.")
        return redirect("meetings:detail", pk=pk)
    return render(
        request,
        "meetings/item_form.html",
        {"meeting": meeting, "item": item, "form": form, "title": "Agendapunt bewerken", "button": "Opslaan"},
    )


@login_required
def item_remove(request, pk, item_pk):
    meeting, item = _secretary_item(request, pk, item_pk)
    if request.method == "POST":
        attempt(request, lambda: services.remove_item(item, actor=request.user), f"Casus {item.case.number} is van de agenda gehaald.")
        return redirect("meetings:detail", pk=pk)
    return render(
        request,
        "meetings/confirm.html",
        {
            "meeting": meeting,
            "title": f"Casus {item.case.number} van de agenda halen",
            "warning": "Het punt verdwijnt van de agenda; in de tijdlijn van de casus blijft staan dat het geagendeerd was.",
            "button": "Van de agenda halen",
        },
    )


@login_required
def item_minutes(request, pk, item_pk):
    meeting, item = _secretary_item(request, pk, item_pk)
    form = forms.MinutesForm(request.POST or None, item=item)

    def save(data):
        return services.write_minutes(
            item, actor=request.user, summary=data["summary"], decisions=data["decisions"], expected_version=data["version"]
        )

    if submitted(request, form, save):
        messages.success(request, f"De notulen van {item.case.number} zijn opgeslagen.")
        return redirect("meetings:detail", pk=pk)
    return render(
        request,
        "meetings/item_form.html",
        {"meeting": meeting, "item": item, "form": form, "title": "Bespreking notuleren", "button": "Notulen opslaan"},
    )


@login_required
def item_action(request, pk, item_pk):
    meeting, item = _secretary_item(request, pk, item_pk)
    form = forms.NewActionForm(request.POST or None, item=item)
    if submitted(request, form, lambda data: services.add_action(item, actor=request.user, **data)):
        messages.success(request, f"De actie is toegevoegd aan het plan van aanpak van {item.case.number}.")
        return redirect("meetings:detail", pk=pk)
    return render(
        request,
        "meetings/item_form.html",
        {"meeting": meeting, "item": item, "form": form, "title": "Nieuwe actie in het plan van aanpak", "button": "Actie toevoegen"},
    )


@login_required
def item_review(request, pk, item_pk):
    meeting, item = _secretary_item(request, pk, item_pk)
    actions = services.actions_to_review(item)
    reviews = {review.action_id: review for review in item.action_reviews.all()}
    form = forms.ReviewForm(request.POST or None, actions=actions, reviews=reviews)
    if submitted(request, form, lambda data: services.review_actions(item, actor=request.user, reviews=form.reviews())):
        messages.success(request, f"{len(form.result)} actie(s) besproken.")
        return redirect("meetings:detail", pk=pk)
    return render(request, "meetings/item_review.html", {"meeting": meeting, "item": item, "form": form})


@login_required
def general_notes(request, pk):
    meeting = visible_meeting(request, pk)
    services.require_secretary(request.user, meeting)
    form = forms.GeneralNotesForm(request.POST or None, meeting=meeting)

    def save(data):
        return services.write_general_notes(
            meeting, actor=request.user, general_notes=data["general_notes"], expected_version=data["version"]
        )

    if submitted(request, form, save):
        messages.success(request, "De algemene notulen zijn opgeslagen.")
        return redirect("meetings:detail", pk=pk)
    return render(request, "meetings/item_form.html", {"meeting": meeting, "form": form, "title": "Algemene notulen", "button": "Opslaan"})


@login_required
def held(request, pk):
    meeting = visible_meeting(request, pk)
    services.require_secretary(request.user, meeting)
    participants = meeting.participants.select_related("user")
    form = forms.HeldForm(request.POST or None, meeting=meeting, participants=participants)

    def save(data):
        return services.record_held(
            meeting,
            actor=request.user,
            held_at=data["held_at"],
            attendance=form.attendance(),
            external_participants=data["external_participants"],
        )

    if submitted(request, form, save):
        messages.success(request, "Het overleg is vastgelegd als gehouden, met de aanwezigheid.")
        return redirect("meetings:detail", pk=pk)
    return render(
        request, "meetings/item_form.html", {"meeting": meeting, "form": form, "title": "Gehouden en aanwezigheid", "button": "Vastleggen"}
    )


@login_required
def finalise(request, pk):
    """The chair finalises the minutes, after confirming; others see who can."""
    meeting = visible_meeting(request, pk)
    if request.method == "POST":
        attempt(request, lambda: services.finalise_minutes(meeting, actor=request.user), "De notulen zijn vastgesteld.")
        return redirect("meetings:detail", pk=pk)
    return render(
        request,
        "meetings/confirm.html",
        {
            "meeting": meeting,
            "title": "Notulen vaststellen",
            "warning": "Na het vaststellen kan niemand de notulen meer wijzigen. De besluiten komen in de tijdlijn van elke besproken casus.",
            "button": "Notulen vaststellen",
            "allowed": request.user.pk == meeting.chair_id,
            "refusal": f"Alleen de voorzitter ({meeting.chair.get_full_name() or meeting.chair.username}) kan de notulen vaststellen.",
        },
    )


@login_required
def cancel(request, pk):
    meeting = visible_meeting(request, pk)
    services.require_secretary(request.user, meeting)
    form = forms.CancelForm(request.POST or None)
    if submitted(request, form, lambda data: services.cancel_meeting(meeting, actor=request.user, reason=data["reason"])):
        messages.success(request, "Het overleg is geannuleerd.")
        return redirect("meetings:detail", pk=pk)
    return render(
        request,
        "meetings/item_form.html",
        {
            "meeting": meeting,
            "form": form,
            "title": "Overleg annuleren",
            "button": "Overleg annuleren",
            "warning": "De agendapunten vervallen; in de tijdlijn van de casussen komt dat het overleg is geannuleerd.",
        },
    )


@login_required
def minutes_pdf(request, pk):
    """'Mijn notulen': the minutes with only the items this user may see."""
    meeting = visible_meeting(request, pk)
    items = list(visible_items(request.user, meeting))
    for item in items:
        log_case(Action.READ, item.case, request.user)
    context = {
        "meeting": meeting,
        "items": items,
        "participants": meeting.participants.select_related("user"),
        "reader": request.user,
        "printed_at": clock.now(),
    }
    return pdf_response(f"notulen {meeting.number}", "meetings/pdf/minutes.html", context)


# --- Set-up per house ---------------------------------------------------------------------------------------------


@login_required
def setup_list(request):
    houses = policy.houses_for(request.user, "meeting.setup")
    if not houses:
        raise PermissionDenied("U heeft geen rechten om soorten casusoverleg in te richten.")
    setups = {
        (s.house_id, s.meeting_type_id): s
        for s in MeetingSetup.objects.filter(house__in=houses).select_related("chair").prefetch_related("members")
    }
    rows = [
        (house, meeting_type, setups.get((house.pk, meeting_type.pk)))
        for house in houses
        for meeting_type in MeetingType.objects.filter(active=True)
    ]
    return render(request, "meetings/setup_list.html", {"rows": rows, "several_houses": len(houses) > 1})


@login_required
def setup_edit(request, house, code):
    house = get_object_or_404(House.objects.filter(pk__in=policy.houses_for(request.user, "meeting.setup")), code=house)
    meeting_type = get_object_or_404(MeetingType, code=code)
    setup = MeetingSetup.objects.filter(house=house, meeting_type=meeting_type).first()
    form = forms.SetupForm(request.POST or None, house=house, meeting_type=meeting_type, setup=setup)

    def save(data):
        version = data.pop("version")
        return services.set_up(actor=request.user, house=house, meeting_type=meeting_type, expected_version=version, **data)

    if submitted(request, form, save):
        messages.success(request, f"{meeting_type} is ingericht voor {house}.")
        return redirect("meetings:setups")
    return render(request, "meetings/setup_form.html", {"house": house, "meeting_type": meeting_type, "form": form})

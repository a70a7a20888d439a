"""New actions from a meeting land in the case's plan; the meeting reviews open and overdue actions."""

import datetime

import pytest
from django.urls import reverse

from spil.casetypes.models import LifeDomain
from spil.core import clock
from spil.core.errors import DomainError, NotAllowed
from spil.meetings import services
from spil.meetings.models import ActionReview, ReviewOutcome
from spil.plans import services as plan_services
from spil.plans.models import ActionStatus

pytestmark = pytest.mark.django_db


def day(offset: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=offset)


@pytest.fixture
def housing(db):
    return LifeDomain.objects.get(code="huisvesting")


@pytest.fixture
def plan(case_a, chair, ggz, reclassering, housing, nurse, probation_officer, back_office):
    """A running plan of case A with two actions; the probation officer joins the team to confirm for Reclassering."""
    from spil.cases import services as case_services
    from spil.cases.models import AccessLevel, TeamRole

    case_services.add_team_member(case_a, actor=back_office, user=probation_officer, role=TeamRole.CASE_DIRECTOR, access=AccessLevel.FULL)
    with clock.travel_to(clock.now() - datetime.timedelta(days=40)):
        plan = plan_services.start_plan(case_a, actor=chair)
        plan_services.add_action(
            plan,
            actor=chair,
            life_domain=housing,
            description="Woning zoeken met corporatie",
            partner=reclassering,
            responsible=None,
            start_on=day(0),
            due_on=day(20),
        )
        plan_services.add_action(
            plan,
            actor=chair,
            life_domain=housing,
            description="Schuldhulp aanmelden",
            partner=ggz,
            responsible=None,
            start_on=day(0),
            due_on=day(90),
        )
        plan.refresh_from_db()
        plan_services.request_confirmations(plan, actor=chair, expected_version=plan.version)
        for confirmation in plan_services.open_confirmations(plan):
            answerer = nurse if confirmation.partner == ggz else probation_officer
            plan_services.answer_confirmation(confirmation, actor=answerer, confirmed=True, reason="")
        plan.refresh_from_db()
        plan_services.offer(plan, actor=chair, offered_on=clock.today(), expected_version=plan.version)
        plan.refresh_from_db()
        plan_services.accept(
            plan, actor=chair, decided_on=clock.today(), agreement="mondeling", note="Akkoord", expected_version=plan.version
        )
        plan.refresh_from_db()
        plan_services.start(plan, actor=chair, started_on=clock.today(), expected_version=plan.version)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def held_now(meeting, agenda, back_office):
    """The meeting happens now (its planned moment moved to an hour ago)."""
    meeting.starts_at = clock.now() - datetime.timedelta(hours=1)
    meeting.save(update_fields=["starts_at"])
    services.record_held(meeting, actor=back_office)
    meeting.refresh_from_db()
    return meeting


def test_a_new_action_lands_in_the_plan_naming_the_meeting(held_now, agenda, plan, chair, ggz, housing):
    item_a, _ = agenda
    link = services.add_action(
        item_a,
        actor=chair,
        life_domain=housing,
        description="Urgentieverklaring aanvragen",
        partner=ggz,
        responsible=None,
        start_on=day(0),
        due_on=day(14),
    )
    action = link.action
    assert action.plan == plan and action.status == ActionStatus.OPEN
    assert held_now.number in action.origin and "PGA-overleg" in action.origin
    assert list(item_a.new_actions.values_list("action", flat=True)) == [action.pk]


def test_only_a_regisseur_adds_actions_and_only_to_an_existing_plan(held_now, agenda, back_office, chair, ggz, housing):
    item_a, item_b = agenda
    with pytest.raises(NotAllowed):
        services.add_action(
            item_a, actor=back_office, life_domain=housing, description="x", partner=ggz, responsible=None, start_on=day(0), due_on=day(1)
        )
    with pytest.raises(DomainError, match="nog geen plan"):
        services.add_action(
            item_b, actor=chair, life_domain=housing, description="x", partner=ggz, responsible=None, start_on=day(0), due_on=day(1)
        )


def test_the_review_lists_open_and_overdue_actions(held_now, agenda, plan):
    item_a, item_b = agenda
    actions = list(services.actions_to_review(item_a))
    assert [a.description for a in actions] == ["Woning zoeken met corporatie", "Schuldhulp aanmelden"]
    assert actions[0].is_overdue and not actions[1].is_overdue
    assert list(services.actions_to_review(item_b)) == []


def test_the_review_keeps_impossible_apart_from_not_done_by_the_partner(held_now, agenda, plan, chair):
    item_a, _ = agenda
    overdue, running = services.actions_to_review(item_a)
    with pytest.raises(DomainError, match="Licht"):
        services.review_actions(item_a, actor=chair, reviews={overdue: (ReviewOutcome.NOT_DONE_BY_PARTNER, "")})
    services.review_actions(
        item_a,
        actor=chair,
        reviews={
            overdue: (ReviewOutcome.NOT_DONE_BY_PARTNER, "Geen contact opgenomen"),
            running: (ReviewOutcome.IMPOSSIBLE, "Wachtlijst gesloten"),
        },
    )
    overdue.refresh_from_db()
    running.refresh_from_db()
    assert overdue.status == ActionStatus.NOT_DONE and running.status == ActionStatus.IMPOSSIBLE
    assert dict(ActionReview.objects.values_list("action_id", "outcome")) == {overdue.pk: "niet_uitgevoerd", running.pk: "niet_mogelijk"}


def test_an_action_closed_since_the_previous_meeting_is_still_reviewed(
    held_now, agenda, plan, chair, back_office, house, pga_overleg, case_a
):
    """Actions that fell due between the previous meeting about the case and this one come back, however they ended."""
    item_a, _ = agenda
    overdue, _running = services.actions_to_review(item_a)
    services.review_actions(item_a, actor=chair, reviews={overdue: (ReviewOutcome.DONE, "")})
    overdue.refresh_from_db()
    assert overdue.status == ActionStatus.DONE
    later = services.plan_meeting(
        actor=back_office, house=house, meeting_type=pga_overleg, chair=chair, starts_at=clock.now() + datetime.timedelta(days=30)
    )
    next_item = services.add_item(later, actor=back_office, case=case_a)
    assert [a.description for a in services.actions_to_review(next_item)] == [
        "Schuldhulp aanmelden"
    ]  # the done one fell due before this meeting
    very_late = services.plan_meeting(
        actor=back_office, house=house, meeting_type=pga_overleg, chair=chair, starts_at=held_now.starts_at - datetime.timedelta(days=60)
    )
    first_item = services.add_item(very_late, actor=back_office, case=case_a)
    assert "Schuldhulp aanmelden" in [a.description for a in services.actions_to_review(first_item)]


def test_a_review_by_the_bedrijfsbureau_is_recorded_and_leaves_closing_to_the_regisseur(held_now, agenda, plan, back_office):
    item_a, _ = agenda
    overdue, _ = services.actions_to_review(item_a)
    services.review_actions(item_a, actor=back_office, reviews={overdue: (ReviewOutcome.IMPOSSIBLE, "Woningmarkt op slot")})
    overdue.refresh_from_db()
    assert overdue.status == ActionStatus.OPEN
    assert ActionReview.objects.get(action=overdue).outcome == "niet_mogelijk"


def test_the_review_and_new_action_pages_work(client, held_now, agenda, plan, chair, ggz, housing):
    item_a, _ = agenda
    overdue, running = services.actions_to_review(item_a)
    client.force_login(chair)
    url = reverse("meetings:item-review", args=[held_now.pk, item_a.pk])
    assert "Woning zoeken" in client.get(url).content.decode()
    response = client.post(url, {f"outcome_{overdue.pk}": "vertraagd", f"note_{overdue.pk}": "Nog twee weken", f"outcome_{running.pk}": ""})
    assert response.status_code == 302
    assert ActionReview.objects.get().outcome == "vertraagd"
    url = reverse("meetings:item-action", args=[held_now.pk, item_a.pk])
    response = client.post(
        url, {"life_domain": housing.pk, "description": "Budgetcoach", "partner": ggz.pk, "start_on": day(0), "due_on": day(30)}
    )
    assert response.status_code == 302
    page = client.get(reverse("meetings:detail", args=[held_now.pk])).content.decode()
    assert "Budgetcoach" in page and "Vertraagd" in page and "verlopen" in page


def test_destroying_the_case_after_its_retention_term_takes_its_meeting_actions_and_reviews(
    held_now, agenda, plan, chair, ggz, housing, case_a
):
    from spil.cases import services as case_services
    from spil.privacy import services as privacy_services

    item_a, _ = agenda
    services.add_action(
        item_a,
        actor=chair,
        life_domain=housing,
        description="Urgentieverklaring aanvragen",
        partner=ggz,
        responsible=None,
        start_on=day(0),
        due_on=day(14),
    )
    open_action = plan.actions.exclude(origin__contains=held_now.number).first()
    services.review_actions(item_a, actor=chair, reviews={open_action: (ReviewOutcome.ON_TRACK, "")})
    case_a.refresh_from_db()
    case_services.close_case(case_a, actor=chair, result="doel_bereikt", note="", expected_version=case_a.version)

    privacy_services.destroy(case_a, today=clock.today() + datetime.timedelta(days=6 * 366))

    assert not ActionReview.objects.exists()
    assert not item_a.new_actions.model.objects.filter(item__case_id=case_a.pk).exists()
    assert held_now.items.count() == 1  # the other case's item stays

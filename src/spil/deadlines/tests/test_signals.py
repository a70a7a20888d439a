"""Signals: detectors (stagnation, phase due), how `refresh` keeps them current, urgency, and who sees them."""

import dataclasses
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spil.cases import services as case_services
from spil.cases.models import AccessLevel, TeamRole
from spil.core import clock
from spil.deadlines import detectors, mine, registry, services, urgency
from spil.deadlines.models import Signal, SignalRecipient
from spil.deadlines.tests.conftest import T0, open_case
from spil.deadlines.urgency import Urgency
from spil.logbook.models import Action, ProcessingRecord
from spil.logbook.services import subject_of
from spil.organisations.models import Role
from spil.testing.factories import member

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
STAGNATION = detectors.STAGNATION.code
STAGNATION_LABEL = detectors.STAGNATION.label


def stagnation_of(case):
    return Signal.objects.open().filter(case=case, kind=STAGNATION).first()


# --- Stagnation -------------------------------------------------------------------------------------------------


def test_a_case_without_progress_for_its_stagnation_term_gets_a_signal(house, regisseur, at):
    with at(T0):
        case = open_case(house, regisseur, "pga")  # stagnation_days 28
    assert case.case_type.stagnation_days == 28
    assert not [d for d in detectors.detect_stagnation(T0 + 28 * DAY - datetime.timedelta(minutes=1)) if d.case_id == case.pk]
    [found] = [d for d in detectors.detect_stagnation(T0 + 28 * DAY) if d.case_id == case.pk]
    assert found.due == T0 + 28 * DAY
    assert found.recipients == {regisseur.pk}
    assert found.key == f"{STAGNATION}:{case.pk}"
    assert "Jansen" not in found.title and case.number in found.title


def test_progress_in_the_timeline_ends_stagnation_and_a_new_standstill_is_a_new_signal(house, regisseur, at):
    with at(T0):
        case = open_case(house, regisseur, "pga")
    services.refresh(T0 + 30 * DAY)
    first = stagnation_of(case)
    assert first is not None and urgency.of(first.due, T0 + 30 * DAY) == Urgency.OVERDUE

    with at(T0 + 31 * DAY):
        case_services.add_note(case, actor=regisseur, text="Gesprek met de cliënt gevoerd.")
    services.refresh(T0 + 31 * DAY)
    first.refresh_from_db()
    assert first.resolved_at == T0 + 31 * DAY and stagnation_of(case) is None

    services.refresh(T0 + 59 * DAY + datetime.timedelta(hours=1))
    second = stagnation_of(case)
    assert second is not None and second.pk != first.pk  # notified again, the first stays as history


def test_stagnation_term_is_per_case_type(house, regisseur, at):
    with at(T0):
        wth_case = open_case(house, regisseur, "wth")  # stagnation_days 3
    assert {d.case_id for d in detectors.detect_stagnation(T0 + 3 * DAY)} >= {wth_case.pk}


def test_stagnation_goes_to_the_bedrijfsbureau_when_there_is_no_procesregisseur(house, at):
    back_office = member(house, Role.BACK_OFFICE)
    with at(T0):
        case = open_case(house, None, "pga")
        restricted = open_case(house, None, "pga-radicalisering")
    found = {d.case_id: d for d in detectors.detect_stagnation(T0 + 29 * DAY)}
    assert found[case.pk].recipients == {back_office.pk}
    # A restricted case is not the bedrijfsbureau's to see, so not to be told about either.
    assert found[restricted.pk].recipients == frozenset()


def test_closed_cases_do_not_stagnate(house, regisseur, at):
    with at(T0):
        case = open_case(house, regisseur, "pga")
        case_services.close_case(case, actor=regisseur, result="doel_bereikt", note="", expected_version=case.version)
    assert case.pk not in {d.case_id for d in detectors.detect_stagnation(T0 + 60 * DAY)}


# --- Phase due ----------------------------------------------------------------------------------------------------


def test_a_phase_due_within_a_week_gets_a_signal_until_the_phase_changes(house, regisseur, at):
    with at(T0):
        case = open_case(house, regisseur, "pga")  # first phase: 42 days
    due_on = case.phase_due_on
    assert case.pk not in {d.case_id for d in detectors.detect_phase_due(T0 + 34 * DAY)}
    services.refresh(T0 + 35 * DAY)
    signal = Signal.objects.open().get(case=case, kind=detectors.PHASE_DUE.code)
    assert signal.due == urgency.end_of_day(due_on)
    assert urgency.of(signal.due, urgency.end_of_day(due_on) - datetime.timedelta(hours=3)) == Urgency.TODAY

    next_phase = case.case_type.phases.get(order=case.phase.order + 1)
    with at(T0 + 36 * DAY):
        case_services.change_phase(case, actor=regisseur, phase=next_phase, note="", expected_version=case.version)
    services.refresh(T0 + 36 * DAY)
    signal.refresh_from_db()
    assert signal.resolved_at is not None
    assert not Signal.objects.open().filter(case=case, kind=detectors.PHASE_DUE.code).exists()


# --- refresh ------------------------------------------------------------------------------------------------------


def test_refresh_opens_updates_and_resolves_and_is_idempotent(house, regisseur, at):
    colleague = member(house, Role.PROCESS_DIRECTOR)
    with at(T0):
        case = open_case(house, regisseur, "pga")
    now = T0 + 30 * DAY
    first = services.refresh(now)
    assert first.opened >= 1
    again = services.refresh(now)
    assert (again.opened, again.updated, again.resolved) == (0, 0, 0)
    assert Signal.objects.filter(case=case, kind=STAGNATION).count() == 1

    # Another procesregisseur takes over: the same signal, new recipient (and only they get a new notification).
    with at(now):
        case_services.assign_directors(case, actor=regisseur, process_director=colleague, case_director=None, expected_version=case.version)
    services.refresh(now + DAY)
    signal = stagnation_of(case)
    if signal is not None:  # assigning wrote the timeline, so the case may no longer stagnate
        assert set(signal.recipients.all()) == {colleague}


def test_a_signal_whose_situation_changes_is_updated_in_place(house, regisseur, at, monkeypatch):
    with at(T0):
        case = open_case(house, regisseur, "pga")
    services.refresh(T0 + 30 * DAY)
    signal = stagnation_of(case)
    detect = detectors.detect_stagnation

    def changed(now):
        return [dataclasses.replace(d, title=f"{d.title} (bijgewerkt)", due=d.due - DAY) for d in detect(now)]

    monkeypatch.setitem(registry._detectors, STAGNATION, changed)
    result = services.refresh(T0 + 30 * DAY)
    assert (result.opened, result.resolved) == (0, 0)
    assert result.updated == Signal.objects.open().filter(kind=STAGNATION).count()
    updated = stagnation_of(case)
    assert (updated.pk, updated.title, updated.due) == (signal.pk, f"{signal.title} (bijgewerkt)", signal.due - DAY)
    assert set(updated.recipients.all()) == {regisseur}


def test_a_refresh_of_some_cases_brings_only_their_signals_in_line(house, regisseur, at):
    with at(T0):
        touched, untouched = open_case(house, regisseur, "pga"), open_case(house, regisseur, "pga")
    services.refresh(T0 + 30 * DAY)
    stagnating = {case: stagnation_of(case) for case in (touched, untouched)}
    assert all(stagnating.values())
    with at(T0 + 31 * DAY):  # progress in both: neither stagnates any more
        for case in (touched, untouched):
            case_services.add_note(case, actor=regisseur, text="Gesprek gevoerd")
    result = services.refresh(T0 + 31 * DAY, cases=[touched.pk])
    assert result.resolved >= 1 and stagnation_of(touched) is None
    assert stagnation_of(untouched) == stagnating[untouched]  # until a refresh of it, or of everything
    services.refresh(T0 + 31 * DAY)
    assert stagnation_of(untouched) is None


def test_a_refresh_of_some_cases_runs_the_kinds_not_about_a_case_whole(house, regisseur, at, monkeypatch):
    with at(T0):
        case, elsewhere = open_case(house, regisseur, "pga"), open_case(house, regisseur, "pga")
    house_wide = registry.Kind("test.house-wide", "Voor het hele huis")

    def detect_house_wide(now):
        yield registry.Detected("test.house-wide:1", house_wide.code, house.pk, now, "Iets voor het huis", "/", frozenset({regisseur.pk}))

    def detect_every_case(now, cases=None):  # a detector that ignores the cases it is asked about
        return detectors.detect_stagnation(now)

    monkeypatch.setitem(registry._kinds, house_wide.code, house_wide)
    monkeypatch.setitem(registry._detectors, house_wide.code, detect_house_wide)
    monkeypatch.setitem(registry._detectors, STAGNATION, detect_every_case)
    services.refresh(T0 + 30 * DAY, cases=[case.pk])
    assert Signal.objects.open().filter(kind=house_wide.code, case=None).count() == 1
    assert stagnation_of(case) is not None
    assert stagnation_of(elsewhere) is None  # what a detector finds outside the cases asked about is left alone


def test_a_refresh_costs_the_same_number_of_queries_however_many_signals(house, regisseur, at):
    def refresh_after_opening(cases: int) -> int:
        with at(T0):
            for _ in range(cases):
                open_case(house, regisseur, "pga")
        with CaptureQueriesContext(connection) as context:
            opened = services.refresh(T0 + 40 * DAY).opened
        assert opened >= cases  # each new case stagnates and its phase is due
        return len(context)

    assert refresh_after_opening(1) == refresh_after_opening(4)


@pytest.mark.parametrize(
    ("viewname", "value"),
    [("cases:detail", "C-2026-000123"), ("cases:detail", "C-2026 é"), ("plans:progress", 42), ("intake:detail", "M-2026-000007")],
)
def test_a_detectors_link_is_the_one_reverse_gives(viewname, value):
    assert registry.link_to(viewname)(value) == reverse(viewname, args=[value])


def test_the_refresh_command_opens_the_signals_the_task_queue_would(house, regisseur, at):
    with at(T0):
        case = open_case(house, regisseur, "pga")
    out = io.StringIO()
    with at(T0 + 30 * DAY):
        call_command("refresh_signals", stdout=out)
    assert stagnation_of(case) is not None and "signalen geopend" in out.getvalue()


def test_a_failing_detector_leaves_its_signals_alone(house, regisseur, at, monkeypatch):
    with at(T0):
        case = open_case(house, regisseur, "pga")
    services.refresh(T0 + 30 * DAY)
    signal = stagnation_of(case)

    def broken(now):
        raise RuntimeError("detector bug")

    monkeypatch.setitem(registry._detectors, STAGNATION, broken)
    result = services.refresh(T0 + 31 * DAY)
    assert result.failed_kinds == {STAGNATION}
    signal.refresh_from_db()
    assert signal.resolved_at is None and set(signal.recipients.all()) == {regisseur}


def test_urgency_boundaries():
    wednesday = T0  # 6 May 2026, 09:00
    assert urgency.of(wednesday - datetime.timedelta(minutes=1), wednesday) == Urgency.OVERDUE
    assert urgency.of(urgency.end_of_day(datetime.date(2026, 5, 6)), wednesday) == Urgency.TODAY
    assert urgency.of(urgency.end_of_day(datetime.date(2026, 5, 10)), wednesday) == Urgency.THIS_WEEK  # Sunday
    assert urgency.of(urgency.end_of_day(datetime.date(2026, 5, 11)), wednesday) == Urgency.LATER  # Monday


def test_mijn_werk_gets_the_most_urgent_signals_with_the_counts_of_all(house):
    wednesday = T0  # 6 May 2026, 09:00
    dues = [
        wednesday + 30 * DAY,
        wednesday - DAY,
        wednesday,  # due now: today, no longer overdue
        urgency.end_of_day(datetime.date(2026, 5, 6)),
        urgency.end_of_day(datetime.date(2026, 5, 10)),  # Sunday: this week
        urgency.end_of_day(datetime.date(2026, 5, 11)),  # Monday: later
    ]
    user = member(house, Role.PROCESS_DIRECTOR)
    signals = []
    for n, due in enumerate(dues):
        signal = Signal.objects.create(key=f"test:{n}", kind=STAGNATION, house=house, due=due, title="Signaal", url="/")
        SignalRecipient.objects.create(signal=signal, user=user)
        signals.append(signal)
    rows, counts = mine.most_urgent(user, wednesday, 3)
    assert [row[:3] for row in rows] == [(signal.pk, signal.kind, signal.due) for signal in (signals[1], signals[2], signals[3])]
    assert counts == {"total": 6, "overdue": 1, "today": 2, "this_week": 1, "later": 2}
    assert counts == urgency.counts(Signal.objects.open(), wednesday)
    assert [urgency.of(signal.due, wednesday) for signal in signals].count(Urgency.TODAY) == counts["today"]
    assert mine.most_urgent(member(house, Role.PROCESS_DIRECTOR), wednesday, 3) == ([], dict.fromkeys(counts, 0))


# --- Who sees them ------------------------------------------------------------------------------------------------


@pytest.fixture
def stagnating(house, other_house, regisseur):
    """Cases that stagnate now: one of the regisseur, one restricted, one of another house."""
    long_ago = clock.now() - 40 * DAY
    with clock.travel_to(long_ago):
        mine = open_case(house, regisseur, "pga", surname="Zichtbaar")
        restricted = open_case(house, member(house, Role.PROCESS_DIRECTOR), "pga-radicalisering", surname="Afgeschermd")
        foreign = open_case(other_house, member(other_house, Role.PROCESS_DIRECTOR), "pga", surname="Elders")
    services.refresh()
    return {"mine": mine, "restricted": restricted, "foreign": foreign}


def test_mijn_werk_shows_my_signals_by_urgency(client, regisseur, stagnating):
    client.force_login(regisseur)
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("web:my-work"))
    page = response.content.decode()
    # The regisseur's cases and the signals' cases are read as case rows together, once.
    assert [case.number for case in response.context["my_cases"]] == [stagnating["mine"].number]
    case_rows_read = [
        query for query in context.captured_queries if query["sql"].startswith('SELECT "cases_case"."id" AS "pk", "cases_case"."number"')
    ]
    assert len(case_rows_read) == 1
    # The signals are found, counted and read in one query.
    assert len([query for query in context.captured_queries if "deadlines_signal" in query["sql"]]) == 1
    assert stagnating["mine"].number in page
    assert stagnating["restricted"].number not in page and stagnating["foreign"].number not in page
    mine = Signal.objects.open().filter(case=stagnating["mine"]).order_by("due", "pk")
    shown = response.context["signals"]
    assert [signal.pk for signal in shown] == [signal.pk for signal in mine]
    assert response.context["signal_counts"] == urgency.counts(mine, clock.now())
    [stagnation] = [signal for signal in shown if signal.kind == STAGNATION]
    assert (stagnation.urgency, stagnation.kind_label, stagnation.case.number) == ("verlopen", STAGNATION_LABEL, stagnating["mine"].number)


def test_a_signal_disappears_from_mijn_werk_when_the_case_is_no_longer_visible(client, house, regisseur, stagnating):
    case = stagnating["mine"]
    partner = member(house, Role.CASE_DIRECTOR)
    case_services.add_team_member(case, actor=regisseur, user=partner, role=TeamRole.PROFESSIONAL, access=AccessLevel.SUMMARY)
    SignalRecipient.objects.create(signal=stagnation_of(case), user=partner)
    client.force_login(partner)
    assert case.number in client.get(reverse("web:my-work")).content.decode()
    # The case is on the page only as the signal's: its persons are logged as shown all the same.
    logged = ProcessingRecord.objects.filter(action=Action.READ, object_ref="lijst casussen")
    assert {record.subject for record in logged} == {subject_of(person) for person in case.persons.all()}
    case_services.revoke_team_member(case.team.get(user=partner), actor=regisseur, reason="Klaar")
    assert case.number not in client.get(reverse("web:my-work")).content.decode()


def test_mijn_werk_finds_the_signals_that_the_queryset_rule_finds(house, other_house, regisseur, stagnating):
    """`deadlines.mine` writes out `visible_to` and `for_user`: both give the same signals to a user with each reason."""
    back_office = member(house, Role.BACK_OFFICE, Role.PROCESS_DIRECTOR)
    with clock.travel_to(clock.now() - 40 * DAY):
        directing = open_case(house, back_office, "pga")
    services.refresh()
    case = stagnating["mine"]
    partner, revoked, stranger = member(house, Role.CASE_DIRECTOR), member(house, Role.CASE_DIRECTOR), member(other_house, Role.INTAKE)
    for user in (partner, revoked):
        case_services.add_team_member(case, actor=regisseur, user=user, role=TeamRole.PROFESSIONAL, access=AccessLevel.SUMMARY)
    case_services.revoke_team_member(case.team.get(user=revoked), actor=regisseur, reason="Klaar")
    without_case = Signal.objects.create(key="test:notulen", kind=STAGNATION, house=house, due=clock.now(), title="Notulen", url="/")
    for user in (partner, revoked, stranger, back_office):
        SignalRecipient.objects.create(signal=stagnation_of(case), user=user)
        SignalRecipient.objects.create(signal=stagnation_of(stagnating["restricted"]), user=user)
    SignalRecipient.objects.create(signal=without_case, user=stranger)
    now = clock.now()
    for user in (regisseur, partner, revoked, stranger, back_office, member(house, Role.BACK_OFFICE)):
        rule = Signal.objects.open().visible_to(user).for_user(user).order_by("due", "pk")
        rows, counts = mine.most_urgent(user, now, 100)
        assert [row[0] for row in rows] == list(rule.values_list("pk", flat=True)), user
        assert counts == urgency.counts(rule, now)
    seen = {user: {row[0] for row in mine.most_urgent(user, now, 100)[0]} for user in (partner, revoked, stranger, back_office)}
    assert stagnation_of(case).pk in seen[partner] and not seen[revoked]
    assert seen[stranger] == {without_case.pk}
    assert {stagnation_of(directing).pk, stagnation_of(case).pk} <= seen[back_office]  # the second by its house
    assert stagnation_of(stagnating["restricted"]).pk not in seen[back_office]


def test_the_bedrijfsbureau_sees_all_signals_of_its_house_except_restricted_cases(client, house, stagnating):
    client.force_login(member(house, Role.BACK_OFFICE))
    response = client.get(reverse("deadlines:list"))
    page = response.content.decode()
    assert stagnating["mine"].number in page
    assert stagnating["restricted"].number not in page and stagnating["foreign"].number not in page
    assert "Zichtbaar" not in page  # signals never name a person
    filtered = client.get(reverse("deadlines:list"), {"kind": detectors.MEASURE_DECISION.code}).content.decode()
    assert stagnating["mine"].number not in filtered
    by_number = client.get(reverse("deadlines:list"), {"q": stagnating["mine"].number[-6:], "urgency": "verlopen"})
    assert [s.case.pk for s in by_number.context["page_obj"]] == [stagnating["mine"].pk]


def test_a_procesregisseur_filters_the_house_signals_on_their_own(client, house, regisseur, stagnating):
    other_case = open_case(house, member(house, Role.PROCESS_DIRECTOR), "pga")
    case_services.add_team_member(other_case, actor=regisseur, user=regisseur, role=TeamRole.SUPPORT, access=AccessLevel.FULL)
    with clock.travel_to(clock.now() + 40 * DAY):
        services.refresh()
        client.force_login(regisseur)
        everything = {s.case.pk for s in client.get(reverse("deadlines:list")).context["page_obj"]}
        mine = {s.case.pk for s in client.get(reverse("deadlines:list"), {"mine": "on"}).context["page_obj"]}
    assert {stagnating["mine"].pk, other_case.pk} <= everything
    assert stagnating["mine"].pk in mine and other_case.pk not in mine


def test_the_house_list_needs_the_role(client, house):
    client.force_login(member(house, Role.INTAKE))
    assert client.get(reverse("deadlines:list")).status_code == 403


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("url_name", ["web:my-work", "deadlines:list"])
def test_signal_lists_cost_the_same_number_of_queries_however_many_signals(client, house, url_name):
    user = member(house, Role.PROCESS_DIRECTOR, Role.BACK_OFFICE)
    client.force_login(user)

    def stagnate(count):
        with clock.travel_to(clock.now() - 40 * DAY):
            for _ in range(count):
                open_case(house, user, "pga")
        services.refresh()

    stagnate(2)
    few = queries_for(client, reverse(url_name))
    stagnate(8)
    assert Signal.objects.open().count() >= 10
    assert queries_for(client, reverse(url_name)) == few


# --- Notifications ------------------------------------------------------------------------------------------------


class UnreachableMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def test_a_failed_email_leaves_the_notification_pending_for_the_next_run(house, regisseur, settings):
    regisseur.email = "regisseur@zvh.example"
    regisseur.save()
    with clock.travel_to(clock.now() - 40 * DAY):
        open_case(house, regisseur, "pga")
    assert regisseur.pk in services.refresh().notify_users

    settings.EMAIL_BACKEND = f"{__name__}.UnreachableMailServer"
    with pytest.raises(ConnectionRefusedError):
        services.notify(regisseur.pk)
    assert not regisseur.notifications.exists()
    assert regisseur.pk in services.refresh().notify_users  # queued again

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.notify(regisseur.pk) > 0
    assert regisseur.notifications.exists() and len(mail.outbox) == 1
    assert regisseur.pk not in services.refresh().notify_users

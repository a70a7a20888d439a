"""Who may see and do what: the one enforcement path for views, exports and (later) the API.

Lists and searches go through the `visible_*` functions (reached as `Model.objects.visible_to(user)`);
single objects are fetched from those same querysets, so an invisible object answers 404, never 403.
Actions on a visible object are checked with `require`, which raises PermissionDenied (403).

Need-to-know: a user sees a melding or case only through a reason.
- Meldingen: the intake and bedrijfsbureau of the melding's house (restricted themes: only the worker who
  registered it and the bedrijfsbureau); the participants of a weegtafel that has it on its agenda, while that
  table is planned; and the full-access team of a case that came from it.
- Cases: the active members of the case team (directors included); the bedrijfsbureau of the house for cases
  that are not restricted; a user with running emergency access. Team members with summary access see the
  overview only (`dossier_parts`).
- Persons: through a visible melding or case. Separate dossiers (mensenhandel) never link to each other.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from spil.core import clock
from spil.organisations.models import House, Role

# Which roles may perform an action within a house.
ACTION_ROLES: dict[str, set[str]] = {
    "report.register": {Role.INTAKE, Role.BACK_OFFICE},
    "report.enrich": {Role.INTAKE, Role.BACK_OFFICE},
    "triage.plan": {Role.BACK_OFFICE, Role.TRIAGE, Role.PROCESS_DIRECTOR},
    "triage.decide": {Role.TRIAGE, Role.PROCESS_DIRECTOR},
    "case.direct": {Role.PROCESS_DIRECTOR, Role.CASE_DIRECTOR},
    "case.assign": {Role.PROCESS_DIRECTOR, Role.BACK_OFFICE},
    "case.team": {Role.BACK_OFFICE, Role.PROCESS_DIRECTOR},
    "case.close": {Role.PROCESS_DIRECTOR},
    "case.emergency": {Role.BACK_OFFICE, Role.PROCESS_DIRECTOR},
    "privacy.review": {Role.PRIVACY_OFFICER},
    "accounts.unlock": {Role.BACK_OFFICE},
    "signals.house": {Role.BACK_OFFICE, Role.PROCESS_DIRECTOR},
    # Bedrijfsvoering (finance): the stuurgroep reads budget, inwonerbijdrage and jaarplan; never plustaken or billing.
    "finance.view": {Role.MANAGER, Role.BACK_OFFICE, Role.STEERING_GROUP},
    "finance.manage": {Role.MANAGER, Role.BACK_OFFICE},
    # Monitor (aggregates only, never a dossier). The landelijk role sees every house: `visible_monitor_houses`.
    "monitor.view": {Role.MANAGER, Role.BACK_OFFICE, Role.STEERING_GROUP, Role.NATIONAL_MONITOR},
    "monitor.report": {Role.MANAGER, Role.BACK_OFFICE, Role.STEERING_GROUP, Role.NATIONAL_MONITOR},
    "monitor.write": {Role.MANAGER},
    "topx.view": {Role.BACK_OFFICE, Role.PROCESS_DIRECTOR},
    "topx.manage": {Role.BACK_OFFICE, Role.PROCESS_DIRECTOR},
    "meeting.plan": {Role.BACK_OFFICE, Role.PROCESS_DIRECTOR},
    "meeting.setup": {Role.BACK_OFFICE},
}

ACTION_DESCRIPTIONS = {
    "report.register": "meldingen te registreren",
    "report.enrich": "meldingen te verrijken",
    "triage.plan": "weegtafels te plannen",
    "triage.decide": "wegingen vast te leggen",
    "case.direct": "casussen bij te werken",
    "case.assign": "regisseurs toe te wijzen",
    "case.team": "casusteams te beheren",
    "case.close": "casussen af te sluiten of te heropenen",
    "case.emergency": "noodtoegang te vragen",
    "privacy.review": "het verwerkingsregister, inzageverzoeken en bewaartermijnen te beheren",
    "accounts.unlock": "geblokkeerde accounts vrij te geven",
    "signals.house": "de signalen (termijnen, stagnatie) van het huis te bekijken",
    "finance.view": "de begroting, de inwonerbijdrage en het jaarplan in te zien",
    "finance.manage": "de bedrijfsvoering (begroting, inwonerbijdrage, jaarplan en plustaken) te beheren",
    "monitor.view": "de kerncijfers (monitor) in te zien",
    "monitor.report": "de halfjaarrapportage voor de stuurgroep in te zien",
    "monitor.write": "de managementtekst van de halfjaarrapportage te schrijven",
    "topx.view": "Top-X-lijsten in te zien",
    "topx.manage": "Top-X-lijsten te beheren en te herijken",
    "meeting.plan": "casusoverleggen te plannen, te agenderen en te notuleren",
    "meeting.setup": "soorten casusoverleg in te richten (voorzitter, vaste deelnemers, ritme)",
}

# Dossier parts by access level; "team" and "overview" are what every visible dossier shows.
# "plan": the whole plan van aanpak; "own_actions": only the actions of the member's own organisation (plans app).
FULL_PARTS = frozenset({"overview", "team", "timeline", "report", "processing", "plan"})
SUMMARY_PARTS = frozenset({"overview", "team", "own_actions"})


def member_house_ids(user, roles: set[str] | None = None) -> QuerySet:
    if not user.is_authenticated:
        return House.objects.none().values("pk")
    memberships = user.memberships.all()
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships.values("house_id")


def houses_for(user, action: str) -> QuerySet:
    return House.objects.filter(pk__in=member_house_ids(user, ACTION_ROLES[action]))


def can(user, action: str, house) -> bool:
    return member_house_ids(user, ACTION_ROLES[action]).filter(house_id=house.pk).exists()


def require(user, action: str, house) -> None:
    if not can(user, action, house):
        raise PermissionDenied(f"U heeft geen rechten om {ACTION_DESCRIPTIONS[action]} voor {house}.")


def _team(user, *, full_only: bool = False):
    from spil.cases.models import AccessLevel, TeamMember

    members = TeamMember.objects.active().filter(user=user.pk)
    return members.filter(access=AccessLevel.FULL) if full_only else members


def _emergency(user):
    from spil.cases.models import EmergencyAccess

    return EmergencyAccess.objects.filter(user=user.pk, expires_at__gt=clock.now())


def visible_reports(qs: QuerySet, user) -> QuerySet:
    from spil.triage.models import SessionStatus, TriageItem

    if not user.is_authenticated:
        return qs.none()
    intake_houses = member_house_ids(user, {Role.INTAKE, Role.BACK_OFFICE})
    back_office_houses = member_house_ids(user, {Role.BACK_OFFICE})
    on_my_agenda = TriageItem.objects.filter(
        report=OuterRef("pk"), session__status=SessionStatus.PLANNED, session__participants=user.pk
    )
    # A case team sees the melding its case came from, except for separate dossiers (it names the others).
    in_my_case = _team(user, full_only=True).filter(case__report=OuterRef("pk"), case__case_type__separate_dossiers=False)
    return qs.filter(
        Q(house_id__in=intake_houses, requested_case_type__restricted=False)
        | Q(house_id__in=back_office_houses)
        | Q(created_by=user.pk)
        | Exists(on_my_agenda)
        | Exists(in_my_case)
    )


def visible_cases(qs: QuerySet, user) -> QuerySet:
    if not user.is_authenticated:
        return qs.none()
    back_office_houses = member_house_ids(user, {Role.BACK_OFFICE})
    return qs.filter(
        Exists(_team(user).filter(case=OuterRef("pk")))
        | Q(house_id__in=back_office_houses, case_type__restricted=False)
        | Exists(_emergency(user).filter(case=OuterRef("pk")))
    )


def visible_triage_sessions(qs: QuerySet, user) -> QuerySet:
    """Sessions themselves hold no personal data; their agenda is filtered by `visible_reports`."""
    from spil.triage.models import TriageSession

    participating = TriageSession.participants.through.objects.filter(triagesession_id=OuterRef("pk"), user_id=user.pk)
    return qs.filter(Exists(participating) | Q(house_id__in=member_house_ids(user, ACTION_ROLES["triage.plan"])))


def visible_persons(qs: QuerySet, user) -> QuerySet:
    from spil.cases.models import Case
    from spil.intake.models import Report

    reports = visible_reports(Report.objects.all(), user).filter(persons=OuterRef("pk"))
    cases = visible_cases(Case.objects.all(), user).filter(persons=OuterRef("pk"))
    return qs.filter(Exists(reports) | Exists(cases))


def dossier_parts(user, case) -> frozenset[str]:
    """Which parts of a (visible) case dossier the user may see."""
    from spil.cases.models import AccessLevel

    member = _team(user).filter(case=case).first()
    if member is not None and member.access == AccessLevel.SUMMARY:
        return SUMMARY_PARTS
    return FULL_PARTS


def running_emergency_access(user, case):
    return _emergency(user).filter(case=case).first()


def visible_meetings(qs: QuerySet, user) -> QuerySet:
    """A casusoverleg is seen by those who plan meetings in its house, its chair and its participants (invited or
    named on an item). The meeting itself names no person; its agenda is filtered by `visible_agenda_items`."""
    from spil.meetings.models import AgendaItem, Participant

    if not user.is_authenticated:
        return qs.none()
    participating = Participant.objects.filter(meeting=OuterRef("pk"), user=user.pk)
    attending = AgendaItem.attendees.through.objects.filter(agendaitem__meeting=OuterRef("pk"), user_id=user.pk)
    return qs.filter(
        Q(house_id__in=member_house_ids(user, ACTION_ROLES["meeting.plan"]))
        | Q(chair=user.pk)
        | Exists(participating)
        | Exists(attending)
    )


def visible_agenda_items(qs: QuerySet, user) -> QuerySet:
    """Seed 004 note 14: not everybody sits at every item. An item is seen by whoever may see its case AND is named
    as an attendee of the item, chairs the meeting, or plans meetings in its house (the bedrijfsbureau keeps the
    agenda and takes the minutes)."""
    from spil.cases.models import Case
    from spil.meetings.models import AgendaItem

    if not user.is_authenticated:
        return qs.none()
    attending = AgendaItem.attendees.through.objects.filter(agendaitem_id=OuterRef("pk"), user_id=user.pk)
    return qs.filter(case__in=visible_cases(Case.objects.all(), user)).filter(
        Exists(attending)
        | Q(meeting__chair=user.pk)
        | Q(meeting__house_id__in=member_house_ids(user, ACTION_ROLES["meeting.plan"]))
    )


def visible_topx_lists(qs: QuerySet, user) -> QuerySet:
    """Top-X lists: the house's bedrijfsbureau and procesregisseurs see its lists (they prepare and record the ranking
    in the Top-X overleg; the list is not a reason to open the dossiers on it; managers see only the monitor's count); an OOV officer sees the list of their own municipality, at
    summary level only (domain.md section 5). A region-wide list is not shown to OOV officers."""
    from spil.organisations.models import Membership

    if not user.is_authenticated:
        return qs.none()
    oov = Membership.objects.filter(
        user=user.pk, role=Role.OOV_OFFICER, house=OuterRef("house_id"), municipality=OuterRef("municipality_id")
    )
    return qs.filter(Q(house_id__in=member_house_ids(user, ACTION_ROLES["topx.view"])) | Exists(oov))


# Plans (spil.plans): a partner with an action in a plan is asked to confirm delivery and reports progress.
# The users who act for a partner in a case: active team members whose membership in the case's house names that
# partner, and (for open cases of a type that is not restricted) the house's casusregisseurs and professionals of
# that partner. They see only that partner's actions and confirmations, not the rest of the dossier.
PARTNER_ROLES = frozenset({Role.CASE_DIRECTOR, Role.PROFESSIONAL})


def partner_users(case, partner) -> QuerySet:
    from django.contrib.auth import get_user_model

    from spil.organisations.models import Membership

    memberships = Membership.objects.filter(house=case.house_id, partner=partner)
    on_team = case.team.active().filter(user__in=memberships.values("user_id")).values("user_id")
    users = Q(pk__in=on_team)
    if case.is_open and not case.case_type.restricted:
        users |= Q(pk__in=memberships.filter(role__in=PARTNER_ROLES).values("user_id"))
    return get_user_model().objects.filter(users, is_active=True)


def acting_for_partner(user, case_ref: str, partner_ref: str):
    """Conditions (for a queryset whose `case_ref` leads to the case) under which `user` acts for `partner_ref`."""
    from spil.cases.models import CaseStatus
    from spil.organisations.models import Membership

    works_for = Membership.objects.filter(user=user.pk, house=OuterRef(f"{case_ref}__house"), partner=OuterRef(partner_ref))
    on_team = _team(user).filter(case=OuterRef(case_ref))
    by_role = Exists(works_for.filter(role__in=PARTNER_ROLES)) & Q(
        **{f"{case_ref}__status": CaseStatus.OPEN, f"{case_ref}__case_type__restricted": False}
    )
    return (Exists(works_for) & Exists(on_team)) | by_role


def full_dossier_cases(user) -> QuerySet:
    from spil.cases.models import AccessLevel, Case

    summary = _team(user).filter(case=OuterRef("pk"), access=AccessLevel.SUMMARY)
    return visible_cases(Case.objects.all(), user).exclude(Exists(summary))


def visible_plans(qs: QuerySet, user) -> QuerySet:
    """A whole plan van aanpak: whoever sees the full dossier of its case."""
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(case__in=full_dossier_cases(user))


def visible_actions(qs: QuerySet, user) -> QuerySet:
    """Actions: the full dossier's readers, the partner's users (see `partner_users`) and the responsible person
    (when they may see the case or it is open and not restricted)."""
    from spil.cases.models import CaseStatus

    if not user.is_authenticated:
        return qs.none()
    responsible = Q(responsible=user.pk) & (
        Exists(_team(user).filter(case=OuterRef("plan__case")))
        | Q(plan__case__status=CaseStatus.OPEN, plan__case__case_type__restricted=False)
    )
    return qs.filter(Q(plan__case__in=full_dossier_cases(user)) | acting_for_partner(user, "plan__case", "partner") | responsible)


def visible_confirmations(qs: QuerySet, user) -> QuerySet:
    """Delivery confirmations: the full dossier's readers and the partner's users."""
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(Q(plan__case__in=full_dossier_cases(user)) | acting_for_partner(user, "plan__case", "partner"))


def visible_monitor_houses(user, action: str = "monitor.view") -> QuerySet:
    """The houses whose aggregate figures (monitor) the user may see for `action`: where the user holds a role for
    it, and every house for a user with the landelijk role (national totals). Figures only, never a dossier."""
    if not user.is_authenticated:
        return House.objects.none()
    if action in {"monitor.view", "monitor.report"} and user.memberships.filter(role=Role.NATIONAL_MONITOR).exists():
        return House.objects.all()
    return houses_for(user, action)


def visible_finance(qs: QuerySet, user, action: str = "finance.view") -> QuerySet:
    """Bedrijfsvoering of a house (no personal data): `finance.view` for budget, inwonerbijdrage and jaarplan,
    `finance.manage` for everything, plustaken and their billing included."""
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(house_id__in=member_house_ids(user, ACTION_ROLES[action]))


def visible_signals(qs: QuerySet, user) -> QuerySet:
    """A signal about a case is seen by whoever may see that case (absent otherwise, also from Mijn werk); a signal
    without a case (e.g. minutes overdue) by its recipients and the bedrijfsbureau of its house."""
    from spil.cases.models import Case
    from spil.deadlines.models import SignalRecipient

    if not user.is_authenticated:
        return qs.none()
    recipient = SignalRecipient.objects.filter(signal=OuterRef("pk"), user=user.pk)
    return qs.filter(
        Q(case__in=visible_cases(Case.objects.all(), user))
        | Q(case__isnull=True, house_id__in=member_house_ids(user, {Role.BACK_OFFICE}))
        | (Q(case__isnull=True) & Exists(recipient))
    )

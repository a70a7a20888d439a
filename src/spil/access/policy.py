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
}

# Dossier parts by access level; "team" and "overview" are what every visible dossier shows.
FULL_PARTS = frozenset({"overview", "team", "timeline", "report", "processing"})
SUMMARY_PARTS = frozenset({"overview", "team"})


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

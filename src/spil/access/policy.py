"""Who may see and do what: the one enforcement path for views, exports and (later) the API.

Lists and searches go through the `visible_*` functions (reached as `Model.objects.visible_to(user)`);
single objects are fetched from those same querysets, so an invisible object answers 404, never 403.
Actions on a visible object are checked with `require`, which raises PermissionDenied (403).

For now visibility is house scoping: a user sees what belongs to the houses they are a member of.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet

from spil.organisations.models import House, Role

# Which roles may perform an action within a house.
ACTION_ROLES: dict[str, set[str]] = {
    "report.register": {Role.INTAKE, Role.BACK_OFFICE},
    "report.enrich": {Role.INTAKE, Role.BACK_OFFICE},
    "triage.plan": {Role.BACK_OFFICE, Role.TRIAGE, Role.PROCESS_DIRECTOR},
    "triage.decide": {Role.TRIAGE, Role.PROCESS_DIRECTOR},
    "case.direct": {Role.PROCESS_DIRECTOR, Role.CASE_DIRECTOR},
    "case.assign": {Role.PROCESS_DIRECTOR, Role.BACK_OFFICE},
    "case.close": {Role.PROCESS_DIRECTOR},
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
    "case.close": "casussen af te sluiten of te heropenen",
    "privacy.review": "het verwerkingsregister, inzageverzoeken en bewaartermijnen te beheren",
    "accounts.unlock": "geblokkeerde accounts vrij te geven",
}


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


def visible_reports(qs: QuerySet, user) -> QuerySet:
    return qs.filter(house_id__in=member_house_ids(user))


def visible_cases(qs: QuerySet, user) -> QuerySet:
    return qs.filter(house_id__in=member_house_ids(user))


def visible_triage_sessions(qs: QuerySet, user) -> QuerySet:
    return qs.filter(house_id__in=member_house_ids(user))


def visible_persons(qs: QuerySet, user) -> QuerySet:
    from spil.cases.models import Case
    from spil.intake.models import Report

    reports = visible_reports(Report.objects.all(), user).filter(persons=OuterRef("pk"))
    cases = visible_cases(Case.objects.all(), user).filter(persons=OuterRef("pk"))
    return qs.filter(Exists(reports) | Exists(cases))

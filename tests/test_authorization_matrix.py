"""The authorization matrix: every URL pattern of the project, for every kind of user, answers as the access
policy says. A new URL pattern that is not classified in ROUTES fails this test, so no view escapes it.

- anonymous: redirected to the login page;
- object the user may not see: 404 (no existence leak); without the role for the action: 403 (or 404);
- otherwise the page works (no 403/404/5xx);
- lists and searches contain only meldingen and cases the user may see.
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.urls import URLResolver, get_resolver, reverse

from spil.access import policy
from spil.cases import services as case_services
from spil.cases.models import AccessLevel, Case, EmergencyAccess, TeamRole
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.intake import services as intake_services
from spil.intake.models import Report, ReportStatus
from spil.organisations.models import Role
from spil.persons.models import Person
from spil.privacy.models import RetentionHold
from spil.testing.factories import PartnerFactory, member, person_data, register_report
from spil.triage import services as triage_services
from spil.triage.models import TriageSession
from spil.web.models import Notification

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    """How to call a URL pattern and what it needs: an object the user must be able to see, a policy action."""

    obj: str | None = None  # key in the world's objects; None: no object in the URL
    action: str | None = None
    method: str = "get"
    public: bool = False
    kwargs: tuple = ()  # extra fixed URL kwargs


CASE_ACTIONS = {"ave": "case.direct", "fase": "case.direct", "notitie": "case.direct", "regie": "case.assign", "team": "case.team", "afsluiten": "case.close", "heropenen": "case.close"}

ROUTES = {
    "login": Route(public=True),
    "logout": Route(public=True, method="post"),
    "web:my-work": Route(),
    "web:notification-read": Route(obj="notification", method="post"),
    "intake:inbox": Route(),
    "intake:create": Route(action="report.register"),
    "intake:detail": Route(obj="report"),
    "intake:edit": Route(obj="report", action="report.register"),
    "intake:status": Route(obj="report", action="report.enrich", method="post"),
    "intake:enrichment-create": Route(obj="report", action="report.enrich"),
    "intake:enrichment-answer": Route(obj="enrichment", action="report.enrich"),
    "triage:list": Route(),
    "triage:create": Route(action="triage.plan"),
    "triage:detail": Route(obj="session"),
    "triage:refresh": Route(obj="session", action="triage.plan", method="post"),
    "triage:close": Route(obj="session", action="triage.plan", method="post"),
    "triage:decide": Route(obj="agenda_item", action="triage.decide"),
    "cases:list": Route(),
    "cases:detail": Route(obj="case"),
    **{f"cases:action:{slug}": Route(obj="case", action=action, kwargs=(("action", slug),)) for slug, action in CASE_ACTIONS.items()},
    "cases:team-revoke": Route(obj="team_member", action="case.team"),
    "cases:emergency-access": Route(action="case.emergency"),
    "cases:emergency-reviews": Route(action="privacy.review"),
    "cases:emergency-review": Route(obj="emergency", action="privacy.review"),
    "privacy:home": Route(action="privacy.review"),
    "privacy:register": Route(action="privacy.review"),
    "privacy:register-export:csv": Route(action="privacy.review", kwargs=(("fmt", "csv"),)),
    "privacy:register-export:pdf": Route(action="privacy.review", kwargs=(("fmt", "pdf"),)),
    "privacy:inzage": Route(action="privacy.review"),
    "privacy:inzage-person": Route(obj="inzage_person", action="privacy.review"),
    "privacy:inzage-export:csv": Route(obj="inzage_person", action="privacy.review", kwargs=(("fmt", "csv"),)),
    "privacy:inzage-export:pdf": Route(obj="inzage_person", action="privacy.review", kwargs=(("fmt", "pdf"),)),
    "privacy:retention": Route(action="privacy.review"),
    "privacy:hold-create": Route(action="privacy.review"),
    "privacy:hold-lift": Route(obj="hold", action="privacy.review"),
    "privacy:extension-create": Route(action="privacy.review"),
    "privacy:destroy": Route(obj="retention_case", action="privacy.review"),
    "accounts:home": Route(),
    "accounts:two-factor-verify": Route(),
    "accounts:two-factor-setup": Route(),
    "accounts:two-factor-reset": Route(),
    "accounts:backup-codes": Route(),
    "accounts:session": Route(public=True),
    "accounts:locked": Route(action="accounts.unlock"),
    "accounts:unlock": Route(obj="account", action="accounts.unlock"),
}
# Routes named 'namespace:name:variant' call one URL pattern with different fixed kwargs.
ADMIN_PREFIX = "beheer/"


def url_patterns():
    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            else:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), prefix + str(pattern.pattern)

    return [(name, path) for name, path in walk(get_resolver().url_patterns) if not path.startswith(ADMIN_PREFIX)]


def test_every_url_pattern_is_classified():
    classified = {name.split(":")[0] + ":" + name.split(":")[1] if name.count(":") > 1 else name for name in ROUTES}
    unclassified = [f"{name} ({path})" for name, path in url_patterns() if name not in classified]
    assert not unclassified, f"Classify these URL patterns in ROUTES: {unclassified}"


# --- The world: two houses, every kind of user, objects with and without a reason to see them -----------------


@pytest.fixture
def world(house, other_house):
    pga = CaseType.objects.get(code="pga")
    restricted = CaseType.objects.get(code="pga-radicalisering")
    users = {
        "intake": member(house, Role.INTAKE),
        "weger": member(house, Role.TRIAGE),
        "pd_team": member(house, Role.PROCESS_DIRECTOR),
        "pd_other": member(house, Role.PROCESS_DIRECTOR),
        "pd_restricted": member(house, Role.PROCESS_DIRECTOR),
        "pd_emergency": member(house, Role.PROCESS_DIRECTOR),
        "partner_summary": member(house, Role.CASE_DIRECTOR, partner=PartnerFactory(name="Reclassering")),
        "back_office": member(house, Role.BACK_OFFICE),
        "privacy": member(house, Role.PRIVACY_OFFICER),
        "manager": member(house, Role.MANAGER),
        "intake_other_house": member(other_house, Role.INTAKE, Role.BACK_OFFICE, Role.PROCESS_DIRECTOR, Role.PRIVACY_OFFICER),
    }
    u = users

    def case_of(house_, code, director, surname):
        creator = u["intake"] if house_ == house else u["intake_other_house"]
        report = register_report(creator, house_, persons=[person_data(surname=surname)], requested_case_type=code)
        return case_services.open_case(
            actor=director, house=house_, case_type=code, report=report, persons=list(report.persons.all()),
            ave_level=3, reason="x", process_director=director,
        )

    case = case_of(house, pga, u["pd_team"], "Gewoon")
    restricted_case = case_of(house, restricted, u["pd_restricted"], "Afgeschermd")
    foreign_case = case_of(other_house, pga, u["intake_other_house"], "Elders")
    summary = case_services.add_team_member(case, actor=u["back_office"], user=u["partner_summary"], role=TeamRole.PROFESSIONAL, access=AccessLevel.SUMMARY)
    case_services.request_emergency_access(actor=u["pd_emergency"], number=case.number, reason="Regisseur onbereikbaar")
    def closed_long_ago(house_, director, surname):
        with clock.travel_to(clock.now() - datetime.timedelta(days=6 * 366)):  # past its retention period
            closed = case_of(house_, pga, director, surname)
            case_services.close_case(closed, actor=director, result="doel_bereikt", note="", expected_version=closed.version)
        return closed

    closed = closed_long_ago(house, u["pd_team"], "Gesloten")
    on_hold = closed_long_ago(house, u["pd_team"], "Bewaard")
    foreign_closed = closed_long_ago(other_house, u["intake_other_house"], "Oud")

    ready = register_report(u["intake"], house, persons=[person_data(surname="Agenda")])
    intake_services.request_enrichment(ready, actor=u["intake"], partner=PartnerFactory(), question="?", requested_on=clock.today())
    intake_services.change_status(ready, actor=u["intake"], to=ReportStatus.READY)
    session = triage_services.plan_session(actor=u["back_office"], house=house, starts_at=clock.now() + datetime.timedelta(days=8), participants=[u["weger"]])
    foreign_report = register_report(u["intake_other_house"], other_house, persons=[person_data(surname="Noord")])
    intake_services.change_status(foreign_report, actor=u["intake_other_house"], to=ReportStatus.READY)
    foreign_session = triage_services.plan_session(actor=u["intake_other_house"], house=other_house, starts_at=clock.now() + datetime.timedelta(days=8))

    objects = {
        "report": [ready, case.report, restricted_case.report, foreign_report],
        "enrichment": [ready.enrichments.get()],
        "session": [session, foreign_session],
        "agenda_item": [session.items.get(), foreign_session.items.get()],
        "case": [case, restricted_case, foreign_case, closed],
        "team_member": [summary],
        "emergency": list(EmergencyAccess.objects.all()),
        "notification": list(Notification.objects.all()),
        "inzage_person": [case.persons.get(), foreign_case.persons.get()],
        "hold": [RetentionHold.objects.create(case=on_hold, reason="Lopend onderzoek", created_by=u["privacy"])],
        "retention_case": [closed, foreign_closed],
        "account": [u["intake"], u["intake_other_house"]],
    }
    return users, objects


def url_args(obj) -> dict:
    match type(obj).__name__:
        case "NoneType":
            return {}
        case "Report" | "Case":
            return {"number": obj.number}
        case "TriageItem":
            return {"pk": obj.session_id, "item_pk": obj.pk}
        case "Enrichment":
            return {"number": obj.report.number, "pk": obj.pk}
        case "TeamMember":
            return {"number": obj.case.number, "member_pk": obj.pk}
        case _:
            return {"pk": obj.pk}


def visible(user, kind: str, obj) -> bool:
    """The policy's answer, computed from the model querysets (not from the views under test)."""
    if kind in {"report", "case", "session"}:
        return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()
    if kind == "enrichment":
        return visible(user, "report", obj.report)
    if kind == "agenda_item":
        return visible(user, "session", obj.session) and visible(user, "report", obj.report)
    if kind == "team_member":
        return visible(user, "case", obj.case)
    if kind == "notification":
        return obj.user_id == user.pk
    if kind == "account":  # the bedrijfsbureau unlocks the accounts of its own house
        return obj.memberships.filter(house__in=policy.houses_for(user, "accounts.unlock")).exists()
    privacy_houses = policy.houses_for(user, "privacy.review")
    if kind == "emergency":
        return obj.case.house in privacy_houses
    if kind in {"hold", "retention_case"}:
        case = obj.case if kind == "hold" else obj
        return case.house in privacy_houses
    if kind == "inzage_person":
        in_scope = Person.objects.filter(pk=obj.pk, reports__house__in=privacy_houses) | Person.objects.filter(pk=obj.pk, cases__house__in=privacy_houses)
        return in_scope.exists()
    raise AssertionError(kind)


def calls(users, objects):
    for name, route in ROUTES.items():
        pattern = ":".join(name.split(":")[:2])
        for obj in objects[route.obj] if route.obj else [None]:
            url = reverse(pattern, kwargs={**url_args(obj), **dict(route.kwargs)})
            yield name, route, obj, url


@pytest.mark.parametrize("actor", ["anonymous", "intake", "weger", "pd_team", "pd_other", "pd_restricted", "pd_emergency", "partner_summary", "back_office", "privacy", "manager", "intake_other_house"])
def test_every_route_answers_as_the_policy_says(client, world, actor):
    users, objects = world
    user = users.get(actor)
    if user is not None:
        client.force_login(user)
    failures = []
    for name, route, obj, url in calls(users, objects):
        if route.public:
            continue
        response = getattr(client, route.method)(url)
        status = response.status_code
        if user is None:
            ok = status == 302 and "/inloggen/" in response.url
        elif route.obj and not visible(user, route.obj, obj):
            ok = status in ({403, 404} if route.action and not policy.houses_for(user, route.action).exists() else {404})
        elif route.action and not policy.can(user, route.action, _house_of(obj, user, route.action)):
            ok = status in {403, 404}
        else:
            ok = status not in {403, 404} and status < 500
        if not ok:
            failures.append(f"{name} {url} as {actor}: {status}")
    assert not failures, "\n".join(failures)


def _house_of(obj, user, action):
    for attribute in ["house", "case", "report", "session"]:
        if obj is not None and hasattr(obj, attribute):
            target = getattr(obj, attribute)
            return target if attribute == "house" else _house_of(target, user, action)
    # No object: the user needs the role in any house.
    return policy.houses_for(user, action).first() or policy.House(pk=0)


NUMBER = re.compile(r"\b[MC]-\d{4}-\d{6}\b")


@pytest.mark.parametrize("actor", ["intake", "weger", "pd_team", "pd_other", "pd_restricted", "pd_emergency", "partner_summary", "back_office", "privacy", "manager", "intake_other_house"])
def test_lists_and_searches_contain_only_what_the_user_may_see(client, world, actor):
    users, objects = world
    user = users[actor]
    client.force_login(user)
    allowed = set(Report.objects.visible_to(user).values_list("number", flat=True)) | set(Case.objects.visible_to(user).values_list("number", flat=True))
    # A notification may name a dossier (e.g. the privacy officer is told of an emergency access to review).
    allowed |= {number for text in user.notifications.values_list("text", flat=True) for number in NUMBER.findall(text)}
    pages = [reverse("web:my-work"), reverse("intake:inbox"), reverse("cases:list"), reverse("triage:list")]
    pages += [reverse("triage:detail", args=[s.pk]) for s in TriageSession.objects.visible_to(user)]
    pages += [f"{reverse(list_name)}?q={surname}" for list_name in ["intake:inbox", "cases:list"] for surname in ["Gewoon", "Afgeschermd", "Elders", "Agenda", "Noord"]]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        shown = set(NUMBER.findall(response.content.decode()))
        assert shown <= allowed, f"{page} shows {sorted(shown - allowed)} to {actor}"

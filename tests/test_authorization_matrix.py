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
from django.db.models import Exists, OuterRef
from django.urls import URLResolver, get_resolver, reverse

from spil.access import policy
from spil.cases import services as case_services
from spil.cases.models import AccessLevel, Case, EmergencyAccess, TeamRole
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.intake import forwarding as forwarding_services
from spil.intake import services as intake_services
from spil.intake.models import Forwarding, Report, ReportStatus
from spil.finance import testing as finance_testing
from spil.imports import testing as imports_testing
from spil.meetings import services as meeting_services
from spil.meetings.models import AgendaItem, Meeting, MeetingType
from spil.organisations.models import Role
from spil.persons import services as person_services
from spil.persons.models import Person
from spil.plans.models import Plan
from spil.plans.testing import matrix_world
from spil.privacy.models import RetentionHold
from spil.testing.factories import PartnerFactory, member, person_data, register_report
from spil.triage import services as triage_services
from spil.topx import services as topx_services
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


CASE_ACTIONS = {
    "ave": "case.direct",
    "fase": "case.direct",
    "notitie": "case.direct",
    "regie": "case.assign",
    "team": "case.team",
    "afsluiten": "case.close",
    "heropenen": "case.close",
}

PLAN_STEPS = ["ter-bevestiging", "terug-naar-concept", "aanbieden", "acceptatie", "weigering", "starten", "evaluatie"]
MONITOR_HALF_YEAR = (("year", datetime.date.today().year - 1), ("half", 2))  # a half year that has passed

ROUTES = {
    "login": Route(public=True),
    "logout": Route(public=True, method="post"),
    "web:my-work": Route(),
    "web:notification-read": Route(obj="notification", method="post"),
    "intake:inbox": Route(),
    "intake:create": Route(action="report.register"),
    **{
        f"intake:create-form:{code}": Route(action="report.register", kwargs=(("form_code", code),))
        for code in ["algemeen", "detentie", "mensenhandel"]
    },
    "intake:handover": Route(obj="report", action="nazorg.handover"),  # GET: the form, or back to the melding saying why not
    "intake:detail": Route(obj="report"),
    "intake:edit": Route(obj="report", action="report.register"),
    "intake:status": Route(obj="report", action="report.enrich", method="post"),
    "intake:enrichment-create": Route(obj="report", action="report.enrich"),
    "intake:enrichment-answer": Route(obj="enrichment", action="report.enrich"),
    "intake:forward": Route(obj="report", action="report.forward"),
    "intake:forwardings": Route(action="report.forward"),
    "intake:forwarding-accept": Route(obj="forwarding", action="report.forward"),  # GET: the confirmation
    "intake:forwarding-decline": Route(obj="forwarding", action="report.forward"),
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
    "persons:search": Route(),  # lists only persons the user may see (persons/tests/test_search.py)
    "persons:detail": Route(obj="person"),
    "persons:merge": Route(obj="person", action="person.merge"),  # GET: choose the record, then the confirmation
    "persons:unmerge": Route(obj="person_merge", action="person.merge"),
    "persons:match": Route(obj="report_person", action="report.register"),
    "persons:discrepancy": Route(obj="discrepancy", action="report.register", method="post"),
    "accounts:home": Route(),
    "accounts:two-factor-verify": Route(),
    "accounts:two-factor-setup": Route(),
    "accounts:two-factor-reset": Route(),
    "accounts:backup-codes": Route(),
    "accounts:session": Route(public=True),
    "accounts:locked": Route(action="accounts.unlock"),
    "accounts:unlock": Route(obj="account", action="accounts.unlock"),
    "plans:confirmations": Route(),
    "plans:confirmation": Route(obj="confirmation"),
    "plans:my-actions": Route(),
    "plans:progress": Route(obj="plan_action"),
    "plans:action-edit": Route(obj="plan_action_edit", action="case.direct"),
    "plans:action-remove": Route(obj="plan_action_edit", action="case.direct"),
    "plans:document": Route(obj="plan_document"),
    "plans:plan": Route(obj="plan_case"),
    "plans:start": Route(obj="plan_case", action="case.direct"),
    "plans:version": Route(obj="plan"),
    "plans:edit": Route(obj="plan", action="case.direct"),
    "plans:goal": Route(obj="plan", action="case.direct", kwargs=(("domain", "huisvesting"),)),
    "plans:action-add": Route(obj="plan", action="case.direct"),
    **{f"plans:step:{slug}": Route(obj="plan", action="case.direct", kwargs=(("step", slug),)) for slug in PLAN_STEPS},
    "topx:index": Route(),
    "topx:create": Route(action="topx.manage"),
    "topx:detail": Route(obj="topx_list"),
    "topx:rerank": Route(obj="topx_list", action="topx.manage"),
    "meetings:list": Route(),
    "meetings:create": Route(action="meeting.plan"),
    "meetings:setups": Route(action="meeting.setup"),
    "meetings:setup": Route(obj="meeting_setup", action="meeting.setup"),
    "meetings:detail": Route(obj="meeting"),
    "meetings:minutes-pdf": Route(obj="meeting"),
    "meetings:finalise": Route(obj="meeting"),  # the page tells a non-chair who can; the service refuses them
    "meetings:item-add": Route(obj="meeting", action="meeting.plan"),
    "meetings:notes": Route(obj="meeting", action="meeting.plan"),
    "meetings:held": Route(obj="meeting", action="meeting.plan"),
    "meetings:cancel": Route(obj="meeting", action="meeting.plan"),
    **{
        f"meetings:item-{name}": Route(obj="meeting_item", action="meeting.plan")
        for name in ["edit", "remove", "minutes", "action", "review"]
    },
    "monitor:dashboard": Route(action="monitor.view"),
    "monitor:export:csv": Route(action="monitor.view", kwargs=(("table", "meldingen-kanaal"), ("fmt", "csv"))),
    "monitor:export:xlsx": Route(action="monitor.view", kwargs=(("table", "alle-tabellen"), ("fmt", "xlsx"))),
    "monitor:recompute": Route(action="monitor.view", method="post"),
    "monitor:reports": Route(action="monitor.report"),
    "monitor:report": Route(obj="monitor_house", kwargs=MONITOR_HALF_YEAR),
    "monitor:report-pdf": Route(obj="monitor_house", kwargs=MONITOR_HALF_YEAR),
    "monitor:report-text": Route(obj="monitor_house", action="monitor.write", kwargs=MONITOR_HALF_YEAR),
    "deadlines:list": Route(action="signals.house"),
    "deadlines:measure": Route(obj="wth_case", action="case.direct"),
    "deadlines:measure-decision": Route(obj="wth_case", action="case.direct"),
    "imports:index": Route(action="report.import"),
    "imports:sample:csv": Route(action="report.import", kwargs=(("kind", "meldingen"), ("fmt", "csv"))),
    "imports:sample:xlsx": Route(action="report.import", kwargs=(("kind", "detentiemeldingen"), ("fmt", "xlsx"))),
    "imports:detail": Route(obj="import_batch"),
    "imports:progress": Route(obj="import_batch"),
    "imports:confirm": Route(obj="import_batch", action="report.import", method="post"),
    "imports:discard": Route(obj="import_batch", action="report.import", method="post"),
    "finance:home": Route(action="finance.view"),
    **{f"finance:{name}": Route(obj="finance_budget") for name in ["year", "budget", "contribution", "plan"]},
    **{
        f"finance:{name}-export:{fmt}": Route(obj="finance_budget", kwargs=(("fmt", fmt),))
        for name in ["budget", "contribution", "plan"]
        for fmt in ["csv", "xlsx"]
    },
    **{
        f"finance:{name}-create": Route(obj="finance_budget", action="finance.manage", method="post", kwargs=(("year", 2031),))
        for name in ["budget", "plan"]
    },
    **{
        f"finance:{name}": Route(obj="finance_budget", action="finance.manage")
        for name in ["budget-line-create", "budget-revision", "contribution-edit", "activity-create", "contracts", "contract-create"]
    },
    "finance:budget-line": Route(obj="finance_line", action="finance.manage"),
    "finance:budget-line-delete": Route(obj="finance_line", action="finance.manage"),  # GET: the confirmation
    "finance:budget-adopt": Route(obj="finance_version", action="finance.manage"),
    "finance:activity": Route(obj="finance_activity", action="finance.manage"),
    "finance:activity-delete": Route(obj="finance_activity", action="finance.manage"),
    "finance:contract": Route(obj="finance_contract", action="finance.manage"),
    "finance:billing": Route(obj="finance_contract", action="finance.manage", kwargs=(("quarter", 1),)),
    **{
        f"finance:billing-export:{fmt}": Route(obj="finance_contract", action="finance.manage", kwargs=(("quarter", 1), ("fmt", fmt)))
        for fmt in ["csv", "xlsx"]
    },
}
# Routes named 'namespace:name:variant' call one URL pattern with different fixed kwargs.
ADMIN_PREFIX = "beheer/"
API_PREFIX = "api/"  # the partner API (bearer tokens, not sessions) has its own matrix: tests/test_api_authorization.py


def url_patterns():
    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            else:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), prefix + str(pattern.pattern)

    return [(name, path) for name, path in walk(get_resolver().url_patterns) if not path.startswith((ADMIN_PREFIX, API_PREFIX))]


def test_every_url_pattern_is_classified():
    classified = {name.split(":")[0] + ":" + name.split(":")[1] if name.count(":") > 1 else name for name in ROUTES}
    unclassified = [f"{name} ({path})" for name, path in url_patterns() if name not in classified]
    assert not unclassified, f"Classify these URL patterns in ROUTES: {unclassified}"


# --- The world: two houses, every kind of user, objects with and without a reason to see them -----------------


@pytest.fixture
def world(house, other_house, settings, tmp_path):
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
        "oov": member(house),  # OOV officer of Heerlen (membership below)
        "stuurgroep": member(house, Role.STEERING_GROUP),
        "landelijk": member(house, Role.NATIONAL_MONITOR),
    }
    u = users
    u["oov"].memberships.create(house=house, role=Role.OOV_OFFICER, municipality=house.municipalities.get(name="Heerlen"))

    def case_of(house_, code, director, surname):
        creator = u["intake"] if house_ == house else u["intake_other_house"]
        report = register_report(creator, house_, persons=[person_data(surname=surname)], requested_case_type=code)
        return case_services.open_case(
            actor=director,
            house=house_,
            case_type=code,
            report=report,
            persons=list(report.persons.all()),
            ave_level=3,
            reason="x",
            process_director=director,
        )

    case = case_of(house, pga, u["pd_team"], "Gewoon")
    restricted_case = case_of(house, restricted, u["pd_restricted"], "Afgeschermd")
    foreign_case = case_of(other_house, pga, u["intake_other_house"], "Elders")
    summary = case_services.add_team_member(
        case, actor=u["back_office"], user=u["partner_summary"], role=TeamRole.PROFESSIONAL, access=AccessLevel.SUMMARY
    )
    case_services.request_emergency_access(actor=u["pd_emergency"], number=case.number, reason="Regisseur onbereikbaar")

    def closed_long_ago(house_, director, surname):
        with clock.travel_to(clock.now() - datetime.timedelta(days=6 * 366)):  # past its retention period
            closed = case_of(house_, pga, director, surname)
            case_services.close_case(closed, actor=director, result="doel_bereikt", note="", expected_version=closed.version)
        return closed

    closed = closed_long_ago(house, u["pd_team"], "Gesloten")
    on_hold = closed_long_ago(house, u["pd_team"], "Bewaard")
    foreign_closed = closed_long_ago(other_house, u["intake_other_house"], "Oud")
    wth = CaseType.objects.get(code="wth")
    wth_case = case_of(house, wth, u["pd_team"], "Huisverbod")
    foreign_wth_case = case_of(other_house, wth, u["intake_other_house"], "Verbod")
    pga_overleg = MeetingType.objects.get(code="pga-overleg")
    meeting_setups = [
        meeting_services.set_up(actor=u["back_office"], house=house, meeting_type=pga_overleg, chair=u["pd_team"]),
        meeting_services.set_up(actor=u["intake_other_house"], house=other_house, meeting_type=pga_overleg, chair=u["intake_other_house"]),
    ]
    meetings = []
    for planner, house_, item_case, attendees in [
        (u["back_office"], house, case, [u["partner_summary"]]),
        (u["intake_other_house"], other_house, foreign_case, []),
    ]:
        held_meeting = meeting_services.plan_meeting(
            actor=planner, house=house_, meeting_type=pga_overleg, starts_at=clock.now() - datetime.timedelta(hours=1)
        )
        meeting_services.add_item(held_meeting, actor=planner, case=item_case, attendees=attendees)
        meeting_services.record_held(held_meeting, actor=planner)
        meetings.append(held_meeting)

    ready = register_report(u["intake"], house, persons=[person_data(surname="Agenda")])
    intake_services.request_enrichment(ready, actor=u["intake"], partner=PartnerFactory(), question="?", requested_on=clock.today())
    intake_services.change_status(ready, actor=u["intake"], to=ReportStatus.READY)
    session = triage_services.plan_session(
        actor=u["back_office"], house=house, starts_at=clock.now() + datetime.timedelta(days=8), participants=[u["weger"]]
    )
    foreign_report = register_report(u["intake_other_house"], other_house, persons=[person_data(surname="Noord")])
    intake_services.change_status(foreign_report, actor=u["intake_other_house"], to=ReportStatus.READY)
    foreign_session = triage_services.plan_session(
        actor=u["intake_other_house"], house=other_house, starts_at=clock.now() + datetime.timedelta(days=8)
    )
    # Forwarding between the houses: an offer each way, and a melding the other house accepted.
    offered_in = register_report(u["intake_other_house"], other_house, persons=[person_data(surname="Aangeboden")])
    forwarding_services.forward(offered_in, actor=u["intake_other_house"], to_house=house, reason="Verhuisd naar Heerlen")
    offered_out = register_report(u["intake"], house, persons=[person_data(surname="Verhuisd")])
    forwarding_services.forward(offered_out, actor=u["intake"], to_house=other_house, reason="Verhuisd naar Venlo")
    moved = register_report(u["back_office"], house, persons=[person_data(surname="Overgedragen")])
    moving = forwarding_services.forward(moved, actor=u["back_office"], to_house=other_house, reason="Verhuisd naar Venlo")
    forwarding_services.accept(moving, actor=u["intake_other_house"])

    # Persons (spil.persons): a merge of two records, and a difference noted at a melding (same BSN), in each house.
    def merged_in(house_, worker):
        survivor, absorbed = (register_report(worker, house_, persons=[person_data(surname="Dubbel")]).persons.get() for _ in range(2))
        return person_services.merge(survivor, absorbed, actor=worker, reason="Zelfde persoon")

    def difference_in(house_, worker, bsn):
        register_report(worker, house_, persons=[person_data(surname="Afwijkend", bsn=bsn, address="Markt 1")])
        return register_report(
            worker, house_, persons=[person_data(surname="Afwijkend", bsn=bsn, address="Kerkstraat 2")]
        ).person_discrepancies.get()

    person_merges = [merged_in(house, u["intake"]), merged_in(other_house, u["intake_other_house"])]
    discrepancies = [difference_in(house, u["intake"], "111222333"), difference_in(other_house, u["intake_other_house"], "123456782")]

    objects = {
        "report": [ready, case.report, restricted_case.report, foreign_report, offered_in, offered_out, moved],
        "forwarding": list(Forwarding.objects.all()),
        "enrichment": [ready.enrichments.get()],
        "person": [case.persons.get(), restricted_case.persons.get(), foreign_case.persons.get()],
        "person_merge": person_merges,
        "report_person": [ready.report_persons.get(), restricted_case.report.report_persons.get(), foreign_report.report_persons.get()],
        "discrepancy": discrepancies,
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
        **matrix_world(u, case=case, restricted_case=restricted_case, foreign_case=foreign_case, settings=settings, tmp_path=tmp_path),
        "topx_list": [
            topx_services.create_list(actor=u["back_office"], house=house, municipality=house.municipalities.get(name="Heerlen")),
            topx_services.create_list(actor=u["intake_other_house"], house=other_house),
        ],
        "monitor_house": [house, other_house],
        "wth_case": [wth_case, foreign_wth_case],
        "meeting": meetings,
        "meeting_item": [m.items.get() for m in meetings],
        "meeting_setup": meeting_setups,
        **finance_testing.matrix_world(house, u["manager"], other_house, u["intake_other_house"]),
        **imports_testing.matrix_world(u, house=house, other_house=other_house, settings=settings, tmp_path=tmp_path),
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
        case "Plan":
            return {"number": obj.case.number, "version": obj.version_number}
        case "AgendaItem":
            return {"pk": obj.meeting_id, "item_pk": obj.pk}
        case "MeetingSetup":
            return {"house": obj.house.code, "code": obj.meeting_type.code}
        case "Budget" | "BudgetLine" | "BudgetVersion" | "Activity" | "Contract":
            return finance_testing.url_args(obj)
        case _:
            return {"pk": obj.pk}


def visible(user, kind: str, obj) -> bool:
    """The policy's answer, computed from the model querysets (not from the views under test)."""
    if kind in {"report", "case", "session", "plan", "plan_action", "confirmation"}:
        return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()
    if kind == "plan_case":  # the plan is part of the full dossier; summary members see only their actions
        return policy.full_dossier_cases(user).filter(pk=obj.pk).exists()
    if kind in {"plan_action_edit", "plan_document"}:
        return Plan.objects.visible_to(user).filter(pk=obj.plan_id).exists()
    if kind == "topx_list":
        return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()
    if kind == "import_batch":  # the intake and bedrijfsbureau of its house
        return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()
    if kind == "wth_case":
        return visible(user, "case", obj)
    if kind == "meeting":
        return Meeting.objects.visible_to(user).filter(pk=obj.pk).exists()
    if kind == "meeting_item":  # seed 004 note 14: only whoever may see the case and is named on the item (or keeps the minutes)
        return visible(user, "meeting", obj.meeting) and AgendaItem.objects.visible_to(user).filter(pk=obj.pk).exists()
    if kind == "meeting_setup":
        return obj.house in policy.houses_for(user, "meeting.setup")
    if kind == "monitor_house":  # aggregate figures only; the landelijk role sees every house
        return policy.visible_monitor_houses(user, "monitor.report").filter(pk=obj.pk).exists()
    if kind in {"finance_budget", "finance_line", "finance_version", "finance_activity"}:  # the stuurgroep reads, never plustaken
        return policy.houses_for(user, "finance.view").filter(pk=obj.house.pk).exists()
    if kind == "finance_contract":
        return policy.houses_for(user, "finance.manage").filter(pk=obj.house.pk).exists()
    if kind == "enrichment":
        return visible(user, "report", obj.report)
    if kind == "person":
        return Person.objects.visible_to(user).filter(pk=obj.pk).exists()
    if kind == "person_merge":  # shown and undone on the survivor's page
        return Person.objects.visible_to(user).filter(pk=obj.survivor_id).exists()
    if kind in {"report_person", "discrepancy"}:
        return visible(user, "report", obj.report)
    if kind == "forwarding":  # both houses see the offer and its outcome; only the receiving house decides (action)
        return policy.visible_forwardings(Forwarding.objects.filter(pk=obj.pk), user).exists()
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
        in_scope = Person.objects.filter(pk=obj.pk, reports__house__in=privacy_houses) | Person.objects.filter(
            pk=obj.pk, cases__house__in=privacy_houses
        )
        return in_scope.exists()
    raise AssertionError(kind)


def calls(users, objects):
    for name, route in ROUTES.items():
        pattern = ":".join(name.split(":")[:2])
        for obj in objects[route.obj] if route.obj else [None]:
            url = reverse(pattern, kwargs={**url_args(obj), **dict(route.kwargs)})
            yield name, route, obj, url


# One test per kind of user checks both the routes and the lists: the world is costly to build.
@pytest.mark.parametrize(
    "actor",
    [
        "anonymous",
        "intake",
        "weger",
        "pd_team",
        "pd_other",
        "pd_restricted",
        "pd_emergency",
        "partner_summary",
        "back_office",
        "privacy",
        "manager",
        "oov",
        "intake_other_house",
        "stuurgroep",
        "landelijk",
    ],
)
def test_every_route_and_list_answers_as_the_policy_says(client, world, actor):
    users, objects = world
    user = users.get(actor)
    if user is not None:
        client.force_login(user)
    every_route_answers_as_the_policy_says(client, users, objects, actor)
    if user is not None:
        lists_and_searches_contain_only_what_the_user_may_see(client, user, actor)


def every_route_answers_as_the_policy_says(client, users, objects, actor):
    user = users.get(actor)
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
    for attribute in ["to_house", "house", "case", "report", "session", "plan"]:  # a forwarding is decided by its to_house
        if obj is not None and hasattr(obj, attribute):
            target = getattr(obj, attribute)
            return target if attribute in {"house", "to_house"} else _house_of(target, user, action)
    # No object: the user needs the role in any house.
    return policy.houses_for(user, action).first() or policy.House(pk=0)


NUMBER = re.compile(r"\b[MC]-\d{4}-\d{6}\b")


def lists_and_searches_contain_only_what_the_user_may_see(client, user, actor):
    allowed = set(Report.objects.visible_to(user).values_list("number", flat=True)) | set(
        Case.objects.visible_to(user).values_list("number", flat=True)
    )
    # A notification may name a dossier (e.g. the privacy officer is told of an emergency access to review).
    allowed |= {number for text in user.notifications.values_list("text", flat=True) for number in NUMBER.findall(text)}
    pages = [reverse("web:my-work"), reverse("intake:inbox"), reverse("cases:list"), reverse("triage:list")]
    pages += [reverse("triage:detail", args=[s.pk]) for s in TriageSession.objects.visible_to(user)]
    pages += [reverse("plans:confirmations"), reverse("plans:my-actions")]
    pages += [reverse("meetings:list")] + [reverse("meetings:detail", args=[m.pk]) for m in Meeting.objects.visible_to(user)]
    pages += [
        f"{reverse(list_name)}?q={surname}"
        for list_name in ["intake:inbox", "cases:list"]
        for surname in ["Gewoon", "Afgeschermd", "Elders", "Agenda", "Noord"]
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        shown = set(NUMBER.findall(response.content.decode()))
        assert shown <= allowed, f"{page} shows {sorted(shown - allowed)} to {actor}"
    if policy.houses_for(user, "report.forward").exists():
        # A forwarding shows its melding's number to both houses, also once the melding moved on (visible_forwardings).
        offers = allowed | set(policy.visible_forwardings(Forwarding.objects.all(), user).values_list("report__number", flat=True))
        for page in [reverse("intake:forwardings"), f"{reverse('intake:forwardings')}?richting=uit&status="]:
            response = client.get(page)
            assert response.status_code == 200, page
            shown = set(NUMBER.findall(response.content.decode()))
            assert shown <= offers, f"{page} shows {sorted(shown - offers)} to {actor}"


def test_person_visibility_is_exactly_the_persons_of_the_visible_meldingen_and_cases(world, house):
    """`visible_persons` narrows by `Person.known_in_houses`, then checks the rule written out in SQL; for every kind
    of user it must give exactly the persons named in `visible_reports` and `visible_cases` (forwarded, offered,
    weighed, emergency and team reasons included), with and without the narrowing, alone, after another condition
    and as a subquery (where Django renames the table)."""
    users, _objects = world
    # A case without a melding: its person is seen through the case alone (its team, the bedrijfsbureau).
    alone = Person.objects.create(first_names="Ria", surname="Zondermelding")
    case_services.open_case(
        actor=users["back_office"],
        house=house,
        case_type=CaseType.objects.get(code="pga"),
        report=None,
        persons=[alone],
        ave_level=2,
        reason="x",
        process_director=users["pd_other"],
    )
    seeing = set()
    for name, user in users.items():
        in_report = Report.objects.visible_to(user).filter(persons=OuterRef("pk"))
        in_case = Case.objects.visible_to(user).filter(persons=OuterRef("pk"))
        exact = set(Person.objects.filter(Exists(in_report) | Exists(in_case)))
        assert set(Person.objects.visible_to(user)) == exact, name
        assert set(policy.visible_persons(Person.objects.all(), user, narrow=False)) == exact, name
        ordinary = Person.objects.filter(surname="Gewoon")
        assert set(ordinary.visible_to(user)) == exact & set(ordinary), name
        in_subquery = Report.objects.filter(persons__in=Person.objects.visible_to(user))
        assert set(in_subquery) == set(Report.objects.filter(persons__in=exact)), name
        seeing |= {name} if exact else set()
    assert {"intake", "weger", "pd_team", "pd_emergency", "partner_summary", "back_office", "intake_other_house"} <= seeing
    assert {name for name, user in users.items() if alone in Person.objects.visible_to(user)} == {"back_office", "pd_other"}


def test_the_inbox_order_per_reason_gives_exactly_the_visible_meldingen_in_order(world):
    """`visible_report_ids_in_order` scans each reason on its own; together they must give what `visible_reports`
    gives, in the same order, for every kind of user and every sort of the inbox."""
    users, _objects = world
    for name, user in users.items():
        for order in (["-received_on", "-pk"], ["number", "-pk"], ["source_partner__name", "-pk"], ["-status", "-pk"]):
            reports = Report.objects.order_by(*order)
            expected = list(Report.objects.visible_to(user).order_by(*order).values_list("pk", flat=True))
            assert policy.visible_report_ids_in_order(reports, user, limit=100) == expected, (name, order)
            assert policy.visible_report_ids_in_order(reports, user, limit=2) == expected[:2], (name, order)

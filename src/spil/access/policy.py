"""Who may see and do what: the one enforcement path for views, exports and (later) the API.

Lists and searches go through the `visible_*` functions (reached as `Model.objects.visible_to(user)`);
single objects are fetched from those same querysets, so an invisible object answers 404, never 403.
Actions on a visible object are checked with `require`, which raises PermissionDenied (403).

Need-to-know: a user sees a melding or case only through a reason.
- Meldingen: the intake and bedrijfsbureau of the melding's house (restricted themes: only the worker who
  registered it and the bedrijfsbureau); the intake of its intake region until it is weighed; the house it is offered
  to while the offer is pending; the participants of a weegtafel that has it on its agenda, while that
  table is planned; and the full-access team of a case that came from it.
- Cases: the active members of the case team (directors included); the bedrijfsbureau of the house for cases
  that are not restricted; a user with running emergency access. Team members with summary access see the
  overview only (`dossier_parts`).
- Persons: through a visible melding or case. Separate dossiers (mensenhandel) never link to each other.
"""

from collections import defaultdict
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q, QuerySet

from spil.access import branches
from spil.core import clock
from spil.core.kept import kept
from spil.core.lookups import IdArray, array_parameter
from spil.organisations.models import House, Role, memberships_of

# Which roles may perform an action within a house.
ACTION_ROLES: dict[str, set[str]] = {
    # API_CLIENT: a ketenpartner's system submits meldingen through the partner API (spil.api), in its houses only.
    "report.register": {Role.INTAKE, Role.BACK_OFFICE, Role.API_CLIENT},
    "report.enrich": {Role.INTAKE, Role.BACK_OFFICE},
    "report.import": {Role.INTAKE, Role.BACK_OFFICE},  # bulk import of meldingen (spil.imports)
    "report.forward": {Role.INTAKE, Role.BACK_OFFICE},  # offer a melding to another house, or decide on an offer
    "nazorg.handover": {Role.INTAKE, Role.BACK_OFFICE},  # a detention notice the ZVH does not take up goes to the gemeente
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
    "person.merge": {Role.INTAKE, Role.BACK_OFFICE},  # join two records of one person, or undo that (spil.persons)
}

ACTION_DESCRIPTIONS = {
    "report.register": "meldingen te registreren",
    "report.enrich": "meldingen te verrijken",
    "report.import": "meldingen in bulk te importeren",
    "report.forward": "meldingen door te zenden aan een ander huis of over een doorzending te beslissen",
    "nazorg.handover": "detentiemeldingen voor nazorg aan de gemeente over te dragen",
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
    "person.merge": "personen samen te voegen of een samenvoeging ongedaan te maken",
}

# A central intake (loket, `IntakeRegion`) works for every house of its region (domain.md section 2): holding one of
# these roles in one house of the region gives the action in all of them. Registering also covers the houses that the
# routing rules of the region's gemeenten name (Mook en Middelaar: Gelderland-Zuid), so the loket can register there
# what the rules send there. Forwarding and deciding on offers stay with the house itself.
REGION_ACTIONS: dict[str, set[str]] = {
    "report.register": {Role.INTAKE, Role.BACK_OFFICE},
    "report.enrich": {Role.INTAKE},
}

# Dossier parts by access level; "team" and "overview" are what every visible dossier shows.
# "plan": the whole plan van aanpak; "own_actions": only the actions of the member's own organisation (plans app).
FULL_PARTS = frozenset({"overview", "team", "timeline", "report", "processing", "plan"})
SUMMARY_PARTS = frozenset({"overview", "team", "own_actions"})


def member_house_ids(user, roles: set[str] | None = None) -> list[int]:
    """The houses in which the user holds one of `roles` (any role when None), from the memberships kept per request."""
    if not user.is_authenticated:
        return []
    held = roles_of(user)
    return held.member_houses if roles is None else held.houses(*roles)


def intake_regions_for(user) -> QuerySet:
    """The intake regions the user may register meldingen for, letting the routing rules pick the house."""
    from spil.organisations.models import IntakeRegion

    regions = roles_of(user).regions(*REGION_ACTIONS["report.register"]) if user.is_authenticated else []
    return IntakeRegion.objects.filter(pk__in=regions)


def houses_for(user, action: str) -> QuerySet:
    return House.objects.filter(pk__in=house_ids_for(user, action))


def house_ids_for(user, action: str) -> list[int]:
    """The houses where the user may perform `action`: those of their roles, for a region action every house of those
    houses' intake regions, and for registering also the houses the regions' routing rules name. Read once per request
    (`core.kept`), from the memberships kept there: asking the houses table for them took Mijn werk 1.3 ms (Django
    compiling the union of the regions' subqueries) for a regisseur who has none."""

    def read():
        if not user.is_authenticated:
            return []
        roles = roles_of(user)
        houses = set(roles.houses(*ACTION_ROLES[action]))
        regions = roles.regions(*REGION_ACTIONS.get(action, ()))
        for region in regions:
            houses.update(_region_houses(region))
        if action == "report.register" and regions:
            from spil.organisations.models import RoutingRule

            routed = RoutingRule.objects.filter(municipality__house__intake_region__in=regions).values_list("house_id", flat=True)
            houses.update(routed)
        return sorted(houses)

    return kept(("houses for", user.pk, action), read)


def can(user, action: str, house) -> bool:
    return house.pk in house_ids_for(user, action)


def may_somewhere(user, action: str) -> bool:
    """Whether the user may perform `action` in at least one house: what shows a menu item or a button. A region
    action's roles are among its house roles, so the memberships alone answer it."""
    return user.is_authenticated and bool(roles_of(user).houses(*ACTION_ROLES[action]))


def require(user, action: str, house) -> None:
    if not can(user, action, house):
        raise PermissionDenied(f"U heeft geen rechten om {ACTION_DESCRIPTIONS[action]} voor {house}.")


def _team(user):
    from spil.cases.models import TeamMember

    return TeamMember.objects.active().filter(user=user.pk)


def _emergency(user):
    from spil.cases.models import EmergencyAccess

    return EmergencyAccess.objects.filter(user=user.pk, expires_at__gt=clock.now())


# The visibility filters below read the user's reasons (houses, regions, cases, agenda items) first and pass them on as
# plain id lists, so every branch of the OR is a condition on the filtered table's own indexed columns and PostgreSQL
# combines them with a BitmapOr. Left as subqueries (EXISTS, or a join to the theme for "restricted") the OR cannot
# use an index, and at national size every list read all 600,000 meldingen (docs/performance.md).
#
# A page asks for them several times (its list, the menu, the counts, the processing log); `core.kept` reads them once
# within a request that changes nothing, and afresh in every request that may grant or revoke access.


class Roles:
    """The houses (and their intake regions) in which a user holds each role."""

    def __init__(self, user):
        self.rows = [(house, role, region) for house, role, region, _organisation in memberships_of(user)]

    def houses(self, *roles: str) -> list[int]:
        return sorted({house for house, role, _region in self.rows if role in roles})

    @property
    def member_houses(self) -> list[int]:
        """The houses in which the user holds any role."""
        return sorted({house for house, _role, _region in self.rows})

    def regions(self, *roles: str) -> list[int]:
        return sorted({region for _house, role, region in self.rows if role in roles and region is not None})

    @property
    def names(self) -> set[str]:
        return {role for _house, role, _region in self.rows}


def roles_of(user) -> Roles:
    return kept(("roles", user.pk), lambda: Roles(user))


def _unrestricted_case_type_ids() -> list[int]:
    def read():
        with connection.cursor() as cursor:  # as `_CASE_REASONS_SQL`: the ORM took twice as long as the query
            cursor.execute("SELECT id FROM casetypes_casetype WHERE NOT restricted")
            return [case_type_id for (case_type_id,) in cursor.fetchall()]

    return kept("unrestricted", read)


def _report_reasons(user) -> IdArray:
    """The meldingen the user sees for a reason of their own rather than their house's: an offer to their house, a
    planned weegtafel they sit at, the case team they are on."""
    return kept(("report reasons", user.pk), lambda: _read_report_reasons(user))


# Written out rather than built with the ORM: every list of meldingen, the menu and Mijn werk ask for it, and building the
# three joined branches and their UNION cost about 4 ms of Python per request, three times what PostgreSQL needs for it.
# `case_report_number` answers the case-team branch from a dossier's team: keep the two alike.
_REPORT_REASONS_SQL = """
    SELECT forwarding.report_id FROM intake_forwarding forwarding
      JOIN intake_report report ON report.id = forwarding.report_id
      JOIN casetypes_casetype theme ON theme.id = report.requested_case_type_id
     WHERE forwarding.status = %(pending)s
       AND (forwarding.to_house_id = ANY(%(intake_houses)s) AND NOT theme.restricted
            OR forwarding.to_house_id = ANY(%(back_office_houses)s))
    UNION
    SELECT item.report_id FROM triage_triageitem item
      JOIN triage_triagesession session ON session.id = item.session_id
      JOIN triage_triagesession_participants participant ON participant.triagesession_id = session.id
     WHERE participant.user_id = %(user)s AND session.status = %(planned)s
    UNION
    SELECT "case".report_id FROM cases_teammember member
      JOIN cases_case "case" ON "case".id = member.case_id
      JOIN casetypes_casetype theme ON theme.id = "case".case_type_id
     WHERE member.user_id = %(user)s AND member.revoked_at IS NULL AND member.access = %(full)s
       AND "case".report_id IS NOT NULL AND NOT theme.separate_dossiers
"""


def _read_report_reasons(user) -> IdArray:
    from spil.cases.models import AccessLevel
    from spil.intake.models import ForwardingStatus
    from spil.triage.models import SessionStatus

    roles = roles_of(user)
    with connection.cursor() as cursor:
        cursor.execute(
            _REPORT_REASONS_SQL,
            {
                # A melding offered to another house (pending forwarding) is seen there by those who decide on the offer.
                "pending": ForwardingStatus.PENDING.value,
                "intake_houses": roles.houses(Role.INTAKE),
                "back_office_houses": roles.houses(Role.BACK_OFFICE),
                # A planned weegtafel's participants see its agenda.
                "planned": SessionStatus.PLANNED.value,
                # A case team sees the melding its case came from, except for separate dossiers (it names the others).
                "full": AccessLevel.FULL.value,
                "user": user.pk,
            },
        )
        return IdArray(report_id for (report_id,) in cursor.fetchall())


def _region_houses(region: int) -> list[int]:
    return kept(("region houses", region), lambda: list(House.objects.filter(intake_region=region).values_list("pk", flat=True)))


def visible_reports(qs: QuerySet, user) -> QuerySet:
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(_visible_report(user))


def _visible_report(user) -> Q:
    """Whether a melding is visible to an authenticated user, as a condition on the melding's own columns."""
    return branches.as_q(_report_branches(user))


def visible_report_ids_in_order(qs: QuerySet, user, *, limit: int) -> list[int]:
    """The ids of the first `limit` meldingen of the ordered `qs` that the user may see. Each reason to see a melding is
    scanned on its own, in order and limited (for the house's meldingen an index scan on (house, received_on)), and only
    those candidates are sorted together: sorting every visible melding of a large house took 40 ms to almost a second,
    depending on the order, and grew with its history."""
    if not qs.ordered or not all(isinstance(name, str) for name in qs.query.order_by):
        raise ValueError("visible_report_ids_in_order takes a queryset ordered by field names")
    if not user.is_authenticated:
        return []
    # Each candidate carries its sort keys, so the candidates are sorted as they come, not read again by id; UNION
    # (not ALL) drops a melding found by two reasons, its keys being the same both times.
    keys = {f"sort_key_{n}": F(name.removeprefix("-")) for n, name in enumerate(qs.query.order_by)}
    order = [f"-{key}" if name.startswith("-") else key for key, name in zip(keys, qs.query.order_by, strict=True)]
    first, *more = (
        qs.filter(branches.as_q([branch])).annotate(**keys).values_list("pk", *keys)[:limit] for branch in _report_branches(user)
    )
    return [pk for pk, *_keys in first.union(*more).order_by(*order)[:limit]]


def _report_branches(user) -> list[branches.Branch]:
    """Each reason to see a melding, as conditions on its own indexed columns."""
    from spil.intake.models import ReportStatus

    roles = roles_of(user)
    unrestricted = _unrestricted_case_type_ids()
    reasons = [
        {"house_id": roles.houses(Role.INTAKE, Role.BACK_OFFICE), "requested_case_type_id": unrestricted},
        {"house_id": roles.houses(Role.BACK_OFFICE)},
        {"created_by_id": user.pk},
        {"id": _report_reasons(user)},
    ]
    # The central intake (loket) of a region: the region's meldingen until they are weighed, while a house of that
    # region owns them (a melding forwarded out of the region, or routed to a house outside it, leaves the loket).
    for region in roles.regions(Role.INTAKE):
        reasons.append(
            {
                "intake_region_id": region,
                "house_id": _region_houses(region),
                "status": [ReportStatus.RECEIVED, ReportStatus.ENRICHING, ReportStatus.READY],
                "requested_case_type_id": unrestricted,
            }
        )
    return reasons


def visible_forwardings(qs: QuerySet, user) -> QuerySet:
    """Doorzendingen (`intake.Forwarding`): seen by the intake and bedrijfsbureau of the sending and of the receiving
    house (restricted themes: the bedrijfsbureau and whoever asked), whatever became of the offer. A forwarding shows
    the melding's number, the houses, the reasons and the decision; the melding itself only through `visible_reports`."""
    if not user.is_authenticated:
        return qs.none()

    def either(houses):
        return Q(from_house_id__in=houses) | Q(to_house_id__in=houses)

    return qs.filter(
        (either(member_house_ids(user, {Role.INTAKE})) & Q(report__requested_case_type__restricted=False))
        | either(member_house_ids(user, {Role.BACK_OFFICE}))
        | Q(requested_by=user.pk)
    )


# `visible_forwardings` over the pending offers to the houses where the user decides on offers, counted: the menu shows
# it on every page of an intake worker, where the ORM took 2 ms to build the count and PostgreSQL 0.1 ms to answer it.
# Keep the two alike (intake/tests/test_forwarding.py compares them).
_OFFERS_WAITING_SQL = """
    SELECT count(*) FROM intake_forwarding forwarding
      JOIN intake_report report ON report.id = forwarding.report_id
      JOIN casetypes_casetype theme ON theme.id = report.requested_case_type_id
     WHERE forwarding.status = %(pending)s AND forwarding.to_house_id = ANY(%(deciding_houses)s)
       AND ((forwarding.from_house_id = ANY(%(intake_houses)s) OR forwarding.to_house_id = ANY(%(intake_houses)s))
              AND NOT theme.restricted
            OR forwarding.from_house_id = ANY(%(back_office_houses)s) OR forwarding.to_house_id = ANY(%(back_office_houses)s)
            OR forwarding.requested_by_id = %(user)s)
"""


def offers_waiting(user) -> int:
    """How many offers of a melding (pending forwardings) wait for the user's decision: offered to a house where the
    user decides on offers, and visible to them (`visible_forwardings`)."""
    from spil.intake.models import ForwardingStatus

    roles = roles_of(user)
    with connection.cursor() as cursor:
        cursor.execute(
            _OFFERS_WAITING_SQL,
            {
                "pending": ForwardingStatus.PENDING.value,
                "deciding_houses": roles.houses(*ACTION_ROLES["report.forward"]),
                "intake_houses": roles.houses(Role.INTAKE),
                "back_office_houses": roles.houses(Role.BACK_OFFICE),
                "user": user.pk,
            },
        )
        return cursor.fetchone()[0]


def visible_cases(qs: QuerySet, user) -> QuerySet:
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(_visible_case(user))


def _visible_case(user, path: str = "") -> Q:
    """Whether a case is visible, as a condition on the case's own columns: of the case itself, or of the case that
    `path` leads to from another row ("case__")."""
    return branches.as_q(_case_branches(user), path)


def _case_branches(user) -> list[branches.Branch]:
    """Each reason to see a case, as conditions on its own columns: the user's own reasons, and the bedrijfsbureau's
    (in that order)."""
    return [
        {"id": _case_reasons(user)},
        {"house_id": roles_of(user).houses(Role.BACK_OFFICE), "case_type_id": _unrestricted_case_type_ids()},
    ]


def _case_reasons(user) -> IdArray:
    """The cases the user sees for a reason of their own: their case teams and running emergency access."""
    return _case_reasons_by_kind(user).cases


class CaseReasons(NamedTuple):
    cases: IdArray  # every case of the user's case teams and running emergency access
    emergency: frozenset[int]  # the cases of running emergency access alone


# Written out rather than built with the ORM, as `_REPORT_REASONS_SQL`: nearly every page asks for it, and Django took
# about 1.5 ms to build and compile the union, several times what PostgreSQL needs for it. Keep it alike to `_team`
# (an active member: not revoked) and `_emergency` (access that has not expired).
_CASE_REASONS_SQL = """
    SELECT case_id, false FROM cases_teammember WHERE user_id = %(user)s AND revoked_at IS NULL
    UNION
    SELECT case_id, true FROM cases_emergencyaccess WHERE user_id = %(user)s AND expires_at > %(now)s
"""


def _case_reasons_by_kind(user) -> CaseReasons:
    def read():
        with connection.cursor() as cursor:
            cursor.execute(_CASE_REASONS_SQL, {"user": user.pk, "now": clock.now()})
            rows = cursor.fetchall()
        return CaseReasons(IdArray(sorted({case_id for case_id, _ in rows})), frozenset(case_id for case_id, running in rows if running))

    return kept(("case reasons", user.pk), read)


def visible_triage_sessions(qs: QuerySet, user) -> QuerySet:
    """Sessions themselves hold no personal data; their agenda is filtered by `visible_reports`."""
    from spil.triage.models import TriageSession

    participating = TriageSession.participants.through.objects.filter(triagesession_id=OuterRef("pk"), user_id=user.pk)
    return qs.filter(Exists(participating) | Q(house_id__in=member_house_ids(user, ACTION_ROLES["triage.plan"])))


def visible_persons(qs: QuerySet, user, *, narrow: bool = True) -> QuerySet:
    """The persons named in a melding or case the user may see. `narrow` first keeps those known in the houses of
    these rows: implied by the exact check but served by an index, it pays where `qs` holds thousands of persons (a
    name fragment nationally); for one or two (a BSN) PostgreSQL would still read a house's tens of thousands for it."""
    if not user.is_authenticated:
        return qs.none()
    if narrow:
        qs = qs.filter(known_in_houses__overlap=_houses_of_visible_rows(user))
    return qs.filter(_NamedInVisibleRows(user))


# The exact check of `visible_persons`, written out from the branches of `visible_reports` and `visible_cases`: built
# as two Exists over those querysets, Django took about 2 ms to build and compile it for every person search, and
# written out a BSN search took about 4 ms less CPU of its 15 (docs/performance.md, round eighteen). The aliases are
# this statement's own; the person is Django's column, so the condition stays right where Django renames the table
# (a subquery).
_NAMED_IN_VISIBLE_ROWS_SQL = """(
    EXISTS (SELECT 1 FROM intake_reportperson visible_link
              JOIN intake_report visible_report ON visible_report.id = visible_link.report_id
             WHERE visible_link.person_id = {person} AND {reports})
    OR EXISTS (SELECT 1 FROM cases_case_persons visible_link
                 JOIN cases_case visible_case ON visible_case.id = visible_link.case_id
                WHERE visible_link.person_id = {person} AND {cases})
)"""


class _NamedInVisibleRows(Expression):
    """Whether the person is named in a melding or a case the user may see."""

    def __init__(self, user):
        super().__init__(output_field=BooleanField())
        self.person = F("pk")
        self.reports = branches.as_sql(_report_branches(user), "visible_report")
        self.cases = branches.as_sql(_case_branches(user), "visible_case")

    def get_source_expressions(self):
        return [self.person]

    def set_source_expressions(self, exprs):
        (self.person,) = exprs

    def as_sql(self, compiler, connection):
        person, person_params = compiler.compile(self.person)
        (reports, report_params), (cases, case_params) = self.reports, self.cases
        sql = _NAMED_IN_VISIBLE_ROWS_SQL.format(person=person, reports=reports, cases=cases)
        return sql, (*person_params, *report_params, *person_params, *case_params)


# The houses of the user's own reasons. Written out, as `_REPORT_REASONS_SQL`: Django took about 1.5 ms to build and
# compile the union for every name search, several times what PostgreSQL needs for it.
_HOUSES_OF_REASONS_SQL = """
    SELECT house_id FROM intake_report WHERE created_by_id = %(user)s
    UNION
    SELECT house_id FROM intake_report WHERE id = ANY(%(reports)s)
    UNION
    SELECT house_id FROM cases_case WHERE id = ANY(%(cases)s)
"""


def _houses_of_visible_rows(user) -> list[int]:
    """Every house that holds a melding or case the user may see (a superset: each reason of `visible_reports` and
    `visible_cases`, by the house it gives access in)."""

    def read():
        roles = roles_of(user)
        houses = set(roles.houses(Role.INTAKE, Role.BACK_OFFICE))
        for region in roles.regions(Role.INTAKE):
            houses.update(_region_houses(region))
        reasons = {"user": user.pk, "reports": list(_report_reasons(user)), "cases": list(_case_reasons(user))}
        with connection.cursor() as cursor:
            cursor.execute(_HOUSES_OF_REASONS_SQL, reasons)
            houses.update(house_id for (house_id,) in cursor.fetchall())
        return sorted(houses)

    return kept(("houses of visible rows", user.pk), read)


def known_persons(qs: QuerySet, user, house_ids: list[int], *, narrow: bool = True) -> QuerySet:
    """Persons known to the houses of `house_ids` (spil.persons matching): named in a melding or case of those houses
    whose theme is not restricted, or in one the user may see. What the intake compares a new person with; across houses
    only hit/no-hit (`intake.hits`) is told, and restricted dossiers never make a person known. `narrow` as for
    `visible_persons`: without it for a few records (a BSN's, or by id), where PostgreSQL would read the houses' tens of
    thousands of persons from the houses index to intersect them with one or two (13 ms at national size)."""
    from spil.cases.models import Case
    from spil.intake.models import Report

    # Conditions on the melding's and the case's own columns. As subqueries of the houses and of the visible meldingen
    # and cases, nested in the links' subqueries, Django took about 6 ms to build the query and 3 to compile it, and
    # PostgreSQL 1.4 to plan it, for a lookup by id that runs in 0.1 ms.
    unrestricted = _unrestricted_case_type_ids()
    seen = user.is_authenticated
    reports = Report.objects.filter(
        Q(requested_case_type_id__in=unrestricted) | (_visible_report(user) if seen else Q(pk__in=[])),
        house_id__in=house_ids,
    )
    cases = Case.objects.filter(Q(case_type_id__in=unrestricted) | (_visible_case(user) if seen else Q(pk__in=[])), house_id__in=house_ids)
    in_report = Report.persons.through.objects.filter(person=OuterRef("pk"), report__in=reports)
    in_case = Case.persons.through.objects.filter(person=OuterRef("pk"), case__in=cases)
    if narrow:  # as in `visible_persons`: the indexed houses condition first, implied by the exact one
        qs = qs.filter(known_in_houses__overlap=house_ids)
    return qs.filter(Exists(in_report) | Exists(in_case))


def dossier_parts(user, case, *, team=None) -> frozenset[str]:
    """Which parts of a (visible) case dossier the user may see; `team` is the case's active team, when the caller has
    read it already."""
    from spil.cases.models import AccessLevel

    member = _team(user).filter(case=case).first() if team is None else _member_in(team, user)
    if member is not None and member.access == AccessLevel.SUMMARY:
        return SUMMARY_PARTS
    return FULL_PARTS


def _member_in(team, user):
    """The user's row in a case's active `team` that the caller has read (None when the user is not on it)."""
    return next((member for member in team if member.user_id == user.pk), None)


def case_report_number(user, case, *, team) -> str | None:
    """The number of the melding `case` came from, when the user may see that melding. A full member of the case's
    active `team` sees it unless its theme keeps separate dossiers (the case-team reason of `_REPORT_REASONS_SQL`), which
    the team read for the dossier answers; anyone else is asked the whole rule. Most who open a dossier are on its
    team, and the whole rule (the user's reasons and five branches) cost about 5 ms of a dossier page."""
    from spil.cases.models import AccessLevel
    from spil.intake.models import Report

    if not case.report_id:
        return None
    report = Report.objects.filter(pk=case.report_id)
    member = _member_in(team, user)
    if member is None or member.access != AccessLevel.FULL or case.case_type.separate_dossiers:
        report = visible_reports(report, user)
    return report.values_list("number", flat=True).first()


def running_emergency_access(user, case):
    """The user's running emergency access to `case`, if any: read only when the user's reasons, which the dossier has
    read already to find the case, hold one for it. Most dossiers are opened without."""
    if case.pk not in _case_reasons_by_kind(user).emergency:
        return None
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
        Q(house_id__in=member_house_ids(user, ACTION_ROLES["meeting.plan"])) | Q(chair=user.pk) | Exists(participating) | Exists(attending)
    )


def visible_agenda_items(qs: QuerySet, user) -> QuerySet:
    """Seed 004 note 14: not everybody sits at every item. An item is seen by whoever may see its case AND is named
    as an attendee of the item, chairs the meeting, or plans meetings in its house (the bedrijfsbureau keeps the
    agenda and takes the minutes)."""
    from spil.meetings.models import AgendaItem

    if not user.is_authenticated:
        return qs.none()
    attending = AgendaItem.attendees.through.objects.filter(agendaitem_id=OuterRef("pk"), user_id=user.pk)
    # On the joined case's columns, as for signals: `case__in=` a subquery looked up each of the user's cases.
    return qs.filter(_visible_case(user, "case__")).filter(
        Exists(attending) | Q(meeting__chair=user.pk) | Q(meeting__house_id__in=member_house_ids(user, ACTION_ROLES["meeting.plan"]))
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
# API_CLIENT: the partner's own system (spil.api) reports progress on the partner's actions like its professionals do.
PARTNER_ROLES = frozenset({Role.CASE_DIRECTOR, Role.PROFESSIONAL, Role.API_CLIENT})


def partner_users(pairs) -> dict[tuple[int, int], frozenset[int]]:
    """The users who act for a partner in a case, for each (case, partner id) pair, in two queries however many pairs:
    the signal refresh asks it for every open action nationally (one query per pair took it minutes)."""
    from spil.cases.models import TeamMember
    from spil.organisations.models import Membership

    pairs = list(pairs)
    if not pairs:
        return {}
    roles = defaultdict(lambda: defaultdict(set))  # (house, partner) -> active user -> roles held for that partner
    memberships = Membership.objects.filter(
        house__in={case.house_id for case, _partner in pairs}, partner__in={partner for _case, partner in pairs}, user__is_active=True
    )
    for house, partner, user, role in memberships.values_list("house_id", "partner_id", "user_id", "role"):
        roles[(house, partner)][user].add(role)
    on_team = defaultdict(set)
    team = TeamMember.objects.active().filter(case__pk__any=sorted({case.pk for case, _partner in pairs}))
    for case_id, user in team.values_list("case_id", "user_id"):
        on_team[case_id].add(user)
    found = {}
    for case, partner in pairs:
        partner_roles = roles[(case.house_id, partner)]
        users = {user for user in on_team[case.pk] if user in partner_roles}
        if case.is_open and not case.case_type.restricted:
            users |= {user for user, held in partner_roles.items() if held & PARTNER_ROLES}
        found[(case.pk, partner)] = frozenset(users)
    return found


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
    own, in_house = _case_branches(user)
    # The user's own reasons on the signal's `case_id`: as `case__in=` a subquery, PostgreSQL first looked up each of
    # the hundreds of cases of a regisseur's reasons in the cases' index, for the list and again for the counts. The
    # bedrijfsbureau's as a subquery of the house's cases: as conditions on the joined case's columns, PostgreSQL
    # joined every case in the country to check a house's signals (200 ms nationally, round twenty-one).
    return qs.filter(
        branches.as_q([own], "case__")
        | Q(case__in=Case.objects.filter(branches.as_q([in_house])).values("pk"))
        | Q(case__isnull=True, house_id__in=member_house_ids(user, {Role.BACK_OFFICE}))
        | (Q(case__isnull=True) & Exists(recipient))
    )


# `visible_signals` written out, for a statement Django is slow to build (Mijn werk's signals, `deadlines.mine`): the
# same conditions on the columns of a signal (the caller's alias). Keep the two alike; the deadlines' tests compare
# them for users with each reason. The bedrijfsbureau's reasons are left out for whoever is not in one, as Django
# leaves out a condition on no houses; a statement that finds its signals first checks their case one by one.
_CASE_IN_HOUSE_SQL = """
    OR EXISTS (SELECT 1 FROM cases_case visible_case WHERE visible_case.id = {signal}.case_id AND {in_house})
    OR ({signal}.case_id IS NULL AND {signal}.house_id = ANY({houses}))"""
_ADDRESSED_WITHOUT_CASE_SQL = """
    OR ({signal}.case_id IS NULL AND EXISTS (SELECT 1 FROM deadlines_signalrecipient visible_recipient
                                             WHERE visible_recipient.signal_id = {signal}.id AND visible_recipient.user_id = %s))"""


def visible_signal_sql(user, signal: str) -> tuple[str, list]:
    """The condition of `visible_signals` as SQL on the alias `signal`, and its parameters in order."""
    own, in_house = _case_branches(user)
    sql, params = branches.as_sql([own], signal, columns={"id": f"{signal}.case_id"})
    back_office = roles_of(user).houses(Role.BACK_OFFICE)
    if back_office:
        in_house_sql, in_house_params = branches.as_sql([in_house], "visible_case")
        houses, houses_param = array_parameter(back_office, "bigint")
        sql += _CASE_IN_HOUSE_SQL.format(signal=signal, in_house=in_house_sql, houses=houses)
        params += [*in_house_params, houses_param]
    sql += _ADDRESSED_WITHOUT_CASE_SQL.format(signal=signal)
    return f"({sql})", [*params, user.pk]


# Machine clients (spil.api): a ketenpartner's system acts through a technical user whose Role.API_CLIENT memberships
# name the partner and the houses it works with. It never sees a dossier: only its own submissions (status), the
# partner's actions of accepted and running plans, and the enrichment questions put to the partner.


def _client_memberships(user):
    from spil.organisations.models import Membership

    return Membership.objects.filter(user=user.pk, role=Role.API_CLIENT, partner__isnull=False)


def visible_client_reports(qs: QuerySet, user) -> QuerySet:
    """The meldingen a machine client submitted itself (their status, never their content)."""
    if not user.is_authenticated or not _client_memberships(user).exists():
        return qs.none()
    return visible_reports(qs, user).filter(created_by=user.pk)


def visible_client_actions(qs: QuerySet, user) -> QuerySet:
    """The actions a machine client reports on: its partner's actions (`acting_for_partner`: open cases of a type
    that is not restricted, in its houses) in plan versions that are accepted or running."""
    from spil.plans.models import PlanStatus

    if not user.is_authenticated:
        return qs.none()
    return visible_actions(qs, user).filter(
        acting_for_partner(user, "plan__case", "partner"), plan__status__in=[PlanStatus.ACCEPTED, PlanStatus.RUNNING]
    )


def visible_enrichment_requests(qs: QuerySet, user) -> QuerySet:
    """Enrichment questions put to the client's partner by one of the client's houses (open or answered)."""
    if not user.is_authenticated:
        return qs.none()
    asked = _client_memberships(user).filter(house=OuterRef("report__house"), partner=OuterRef("partner"))
    return qs.filter(Exists(asked))


def may_query_zsm(user) -> bool:
    """The ZSM hit/no-hit question and ZSM decisions: only machine clients of the Openbaar Ministerie (ZSM runs under it)."""
    from spil.organisations.models import PartnerType

    return user.is_authenticated and _client_memberships(user).filter(partner__type=PartnerType.PROSECUTION).exists()


def visible_import_batches(qs: QuerySet, user) -> QuerySet:
    """Bulk imports (spil.imports) hold an uploaded file's rows until they are imported: seen by the intake and the
    bedrijfsbureau of the batch's house (who may import there), never by another house. Restricted themes cannot be
    imported, so a batch never holds what a colleague of the same house may not see."""
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(house_id__in=member_house_ids(user, ACTION_ROLES["report.import"]))

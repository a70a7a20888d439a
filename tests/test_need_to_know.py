"""Need-to-know: a user sees a melding or case only through a reason (docs/privacy.md)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spil.access import policy
from spil.core.kept import KeptPerRequestMiddleware
from spil.cases import services as case_services
from spil.cases.models import AccessLevel, Case, TeamRole
from spil.casetypes.models import CaseType
from spil.core import clock
from spil.core.errors import DomainError
from spil.intake import services as intake_services
from spil.intake.models import Report, ReportStatus
from spil.logbook.models import Action, AuditEvent, AuditRecord, ProcessingRecord
from spil.logbook.services import subject_of
from spil.organisations.models import Role
from spil.persons.models import Person
from spil.testing.factories import member, person_data, register_report
from spil.triage import services as triage_services
from spil.triage.models import Outcome

pytestmark = pytest.mark.django_db


def open_case(actor, house, code="pga", persons=None, director=None):
    report = register_report(actor, house, persons=persons, requested_case_type=CaseType.objects.get(code=code))
    return case_services.open_case(
        actor=director or actor,
        house=house,
        case_type=CaseType.objects.get(code=code),
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="Weegtafel",
        process_director=director,
    )


def sees(user, obj) -> bool:
    return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()


@pytest.fixture
def back_office(house):
    return member(house, Role.BACK_OFFICE)


@pytest.fixture
def case(intake_worker, regisseur, house):
    return open_case(intake_worker, house, director=regisseur)


def test_a_process_director_sees_only_the_cases_of_their_team(case, regisseur, house, intake_worker):
    colleague = member(house, Role.PROCESS_DIRECTOR)
    assert sees(regisseur, case)
    assert not sees(colleague, case)
    other = open_case(intake_worker, house, director=colleague)
    assert list(Case.objects.visible_to(regisseur)) == [case]
    assert list(Case.objects.visible_to(colleague)) == [other]


def test_intake_sees_the_houses_meldingen_but_not_its_cases(case, intake_worker, house):
    assert sees(intake_worker, case.report)
    assert not sees(intake_worker, case)


def test_managers_and_privacy_officers_see_no_dossiers(case, house):
    for role in [Role.MANAGER, Role.PRIVACY_OFFICER]:
        user = member(house, role)
        assert not Case.objects.visible_to(user).exists()
        assert not Report.objects.visible_to(user).exists()
        assert not Person.objects.visible_to(user).exists()


def test_the_weegtafel_sees_its_agenda_only_while_the_table_is_planned(intake_worker, house):
    participant, outsider = member(house, Role.TRIAGE), member(house, Role.TRIAGE)
    report = register_report(intake_worker, house)
    intake_services.change_status(report, actor=intake_worker, to=ReportStatus.READY)
    session = triage_services.plan_session(
        actor=participant, house=house, starts_at=clock.now() + datetime.timedelta(days=8), participants=[participant]
    )
    assert sees(participant, report) and not sees(outsider, report)
    triage_services.decide(session.items.get(), actor=participant, ave_level=1, outcome=Outcome.NO_ACTION, reasons="Geen ZVH-casus")
    triage_services.close_session(session, actor=participant)
    assert not sees(participant, report)


def test_partner_professionals_with_summary_access_see_the_overview_only(client, case, back_office, house):
    partner_user = member(house, Role.CASE_DIRECTOR)
    case_services.add_team_member(case, actor=back_office, user=partner_user, role=TeamRole.PROFESSIONAL, access=AccessLevel.SUMMARY)
    assert policy.dossier_parts(partner_user, case) == policy.SUMMARY_PARTS
    assert not sees(partner_user, case.report)  # not the melding with other partners' enrichment
    client.force_login(partner_user)
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "Casusteam" in page and 'id="tijdlijn"' not in page and case.report.number not in page


def test_the_dossier_links_its_melding_for_whoever_may_see_it_off_the_team_as_well(client, case, back_office):
    assert not case.team.filter(user=back_office).exists() and sees(back_office, case.report)
    client.force_login(back_office)
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert reverse("intake:detail", args=[case.report.number]) in page


def test_restricted_case_types_are_hidden_from_the_house_at_large(intake_worker, house, back_office):
    director = member(house, Role.PROCESS_DIRECTOR)
    radicalisation = open_case(intake_worker, house, code="pga-radicalisering", director=director)
    ordinary = open_case(intake_worker, house, director=director)
    assert sees(back_office, ordinary) and not sees(back_office, radicalisation)
    assert sees(director, radicalisation)
    colleague = member(house, Role.INTAKE)
    assert not sees(colleague, radicalisation.report)  # a restricted melding: only who registered it, and the bedrijfsbureau
    assert sees(intake_worker, radicalisation.report) and sees(back_office, radicalisation.report)


def test_mensenhandel_victim_and_perpetrator_get_separate_unlinked_dossiers(intake_worker, house, back_office):
    table = member(house, Role.TRIAGE, Role.PROCESS_DIRECTOR)
    zoco = CaseType.objects.get(code="zoco-mensenhandel")
    report = register_report(
        intake_worker,
        house,
        requested_case_type=zoco,
        persons=[person_data(first_names="Slachtoffer", surname="Eén"), person_data(first_names="Verdachte", surname="Twee")],
    )
    intake_services.change_status(report, actor=intake_worker, to=ReportStatus.READY)
    session = triage_services.plan_session(
        actor=table, house=house, starts_at=clock.now() + datetime.timedelta(days=8), participants=[table]
    )
    triage_services.decide(
        session.items.get(), actor=table, ave_level=3, outcome=Outcome.PROCESS_DIRECTION, reasons="ZOCO", criteria={"multiple_chains"}
    )
    victim_case, perpetrator_case = Case.objects.order_by("pk")
    assert [p.first_names for p in victim_case.persons.all()] == ["Slachtoffer"]
    assert [p.first_names for p in perpetrator_case.persons.all()] == ["Verdachte"]

    coordinator = member(house, Role.PROCESS_DIRECTOR)
    case_services.add_team_member(victim_case, actor=back_office, user=coordinator, role=TeamRole.CASE_DIRECTOR, access=AccessLevel.FULL)
    assert list(Case.objects.visible_to(coordinator)) == [victim_case]
    assert list(Person.objects.visible_to(coordinator).values_list("first_names", flat=True)) == ["Slachtoffer"]
    assert not sees(coordinator, report)  # the melding names both


def test_search_in_the_victim_dossier_team_never_finds_the_perpetrator(client, intake_worker, house, back_office):
    zoco_director = member(house, Role.PROCESS_DIRECTOR)
    victim = open_case(intake_worker, house, code="zoco-mensenhandel", director=zoco_director, persons=[person_data(surname="Slachtoffer")])
    open_case(
        intake_worker,
        house,
        code="zoco-mensenhandel",
        director=member(house, Role.PROCESS_DIRECTOR),
        persons=[person_data(surname="Dader")],
    )
    client.force_login(zoco_director)
    found = client.get(reverse("cases:list") + "?q=Dader").context["page_obj"].object_list
    assert list(found) == []
    assert [c.number for c in client.get(reverse("cases:list")).context["page_obj"].object_list] == [victim.number]


def test_every_grant_and_revoke_is_logged_and_closing_ends_access(case, back_office, regisseur, house):
    professional = member(house, Role.CASE_DIRECTOR)
    case_services.add_team_member(case, actor=back_office, user=professional, role=TeamRole.PROFESSIONAL, access=AccessLevel.FULL)
    assert AuditRecord.objects.filter(event=AuditEvent.ACCESS_GRANTED, detail__contains=case.number).count() == 2  # director + professional
    case_services.close_case(case, actor=regisseur, result="doel_bereikt", note="", expected_version=case.version)
    assert not sees(professional, case)
    assert sees(regisseur, case) and sees(back_office, case)
    assert AuditRecord.objects.filter(event=AuditEvent.ACCESS_REVOKED, detail=f"{case.number}: gebruiker {professional.pk}").exists()


def test_revoking_a_member_ends_their_access(case, back_office, house):
    professional = member(house, Role.CASE_DIRECTOR)
    membership = case_services.add_team_member(
        case, actor=back_office, user=professional, role=TeamRole.PROFESSIONAL, access=AccessLevel.FULL
    )
    case_services.revoke_team_member(membership, actor=back_office, reason="Traject bij partner afgerond")
    assert not sees(professional, case)


def test_only_members_of_the_house_join_its_case_teams(case, back_office, other_house):
    with pytest.raises(DomainError):
        case_services.add_team_member(
            case, actor=back_office, user=member(other_house, Role.CASE_DIRECTOR), role=TeamRole.PROFESSIONAL, access=AccessLevel.FULL
        )


class TestEmergencyAccess:
    @pytest.fixture
    def stranger(self, house):
        return member(house, Role.PROCESS_DIRECTOR)

    def test_gives_24_hours_with_a_banner_notifies_and_queues_for_review(self, client, case, stranger, regisseur, house):
        privacy_officer = member(house, Role.PRIVACY_OFFICER)
        client.force_login(stranger)
        assert client.get(reverse("cases:detail", args=[case.number])).status_code == 404
        response = client.post(
            reverse("cases:emergency-access"), {"number": case.number, "reason": "Regisseur ziek, politie belt over escalatie"}
        )
        assert response.status_code == 302
        page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
        assert "Noodtoegang." in page
        assert regisseur.notifications.get().text.startswith(stranger.get_full_name())
        assert privacy_officer.notifications.exists()
        assert ProcessingRecord.objects.filter(action=Action.EMERGENCY_ACCESS, object_ref=case.number).count() == case.persons.count()

        client.force_login(privacy_officer)
        queue = client.get(reverse("cases:emergency-reviews"))
        access = queue.context["page_obj"].object_list[0]
        response = client.post(reverse("cases:emergency-review", args=[access.pk]), {"review": "onterecht", "note": ""})
        assert "Licht toe" in response.content.decode()
        client.post(reverse("cases:emergency-review", args=[access.pk]), {"review": "terecht", "note": "Crisis"})
        access.refresh_from_db()
        assert access.review == "terecht" and access.reviewed_by == privacy_officer

        with clock.travel_to(clock.now() + datetime.timedelta(hours=24, minutes=1)):
            assert not sees(stranger, case)

    def test_answers_the_same_for_unknown_and_other_house_cases(self, stranger, other_house):
        foreign = open_case(member(other_house, Role.INTAKE, Role.PROCESS_DIRECTOR), other_house)
        messages = []
        for number in [foreign.number, "C-2099-999999"]:
            with pytest.raises(DomainError) as error:
                case_services.request_emergency_access(actor=stranger, number=number, reason="Nood")
            messages.append(error.value.message.replace(number, "N"))
        assert messages[0] == messages[1]

    def test_needs_a_reason_and_the_right_role(self, case, house):
        with pytest.raises(DomainError):
            case_services.request_emergency_access(actor=member(house, Role.PROCESS_DIRECTOR), number=case.number, reason=" ")
        with pytest.raises(DomainError):
            case_services.request_emergency_access(actor=member(house, Role.INTAKE), number=case.number, reason="Nood")


def test_reads_searches_and_changes_are_logged_per_data_subject(client, case, regisseur):
    persons = list(case.persons.all())
    client.force_login(regisseur)
    client.get(reverse("cases:detail", args=[case.number]))
    client.get(reverse("cases:list"))
    client.post(reverse("cases:action", args=[case.number, "ave"]), {"to_level": "4", "reason": "Dreiging", "version": case.version})
    for action in [Action.CREATE, Action.READ, Action.SEARCH, Action.UPDATE]:
        subjects = set(
            ProcessingRecord.objects.filter(action=action, activity=case.case_type.processing_activity).values_list("subject", flat=True)
        )
        assert subjects == {subject_of(p) for p in persons}, action


def test_a_refused_request_lands_in_the_audit_log(client, case, house):
    outsider = member(house, Role.PROCESS_DIRECTOR)
    client.force_login(outsider)
    assert client.get(reverse("cases:detail", args=[case.number])).status_code == 404
    denied = AuditRecord.objects.get(event=AuditEvent.DENIED)
    assert denied.user == outsider and case.number in denied.detail


def test_a_refused_change_is_logged_with_status_error(client, case, regisseur):
    from spil.logbook.models import Status

    client.force_login(regisseur)
    response = client.post(
        reverse("cases:action", args=[case.number, "ave"]), {"to_level": "3", "reason": "Gelijk", "version": case.version}
    )
    assert "staat al op" in response.content.decode()
    refused = ProcessingRecord.objects.filter(action=Action.UPDATE, status=Status.ERROR, object_ref=case.number)
    assert set(refused.values_list("subject", flat=True)) == {subject_of(p) for p in case.persons.all()}
    assert not ProcessingRecord.objects.filter(action=Action.UPDATE, status=Status.OK, object_ref=case.number).exists()


@pytest.mark.parametrize("model", [Report, Case])
def test_visibility_is_a_condition_on_the_rows_own_columns(model, case, regisseur, back_office):
    """The reasons (houses, teams, agenda items, themes) are read first: an OR of subqueries or joined columns cannot
    use an index, and at national size it read every melding for every list (docs/performance.md)."""
    for user in (regisseur, back_office):
        sql = str(model.objects.visible_to(user).query).upper()
        assert sql.count("SELECT") == 1 and " JOIN " not in sql, sql


def test_a_page_reads_the_users_reasons_once(client, case, regisseur):
    member(case.house, Role.INTAKE, user=regisseur)  # so that Mijn werk lists meldingen as well as cases
    client.force_login(regisseur)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:my-work")).status_code == 200
    roles = [q for q in queries if "FROM organisations_membership membership" in q["sql"]]
    case_reasons = [q for q in queries if "UNION" in q["sql"] and "FROM cases_emergencyaccess" in q["sql"]]
    report_reasons = [q for q in queries if "UNION" in q["sql"] and "triage_triageitem" in q["sql"]]
    assert len(roles) == len(case_reasons) == len(report_reasons) == 1


def reads_of_reasons(see):
    with CaptureQueriesContext(connection) as queries:
        see()
    return sum("UNION" in q["sql"] and "FROM cases_emergencyaccess" in q["sql"] for q in queries)


@pytest.mark.parametrize("method", ["get", "head", "post"])
def test_reasons_are_kept_only_while_a_request_has_changed_nothing(rf, case, regisseur, back_office, method):
    """A POST may grant or revoke access before it shows what the user now sees: it keeps the reasons only until its
    first write, and then reads them each time."""
    reads = []

    def view(request):
        reads.append(reads_of_reasons(lambda: [sees(regisseur, case) for _ in range(2)]))
        if request.method == "POST":
            professional = member(case.house, Role.CASE_DIRECTOR)
            case_services.add_team_member(case, actor=back_office, user=professional, role=TeamRole.PROFESSIONAL, access=AccessLevel.FULL)
            reads.append(reads_of_reasons(lambda: [sees(professional, case) for _ in range(2)]))
        return HttpResponse()

    KeptPerRequestMiddleware(view)(getattr(rf, method)("/"))
    assert reads == ([1, 2] if method == "post" else [1])


def test_a_post_that_revokes_access_sees_the_revocation_at_once(rf, case, back_office, house):
    professional = member(house, Role.CASE_DIRECTOR)
    membership = case_services.add_team_member(
        case, actor=back_office, user=professional, role=TeamRole.PROFESSIONAL, access=AccessLevel.FULL
    )

    def view(request):
        assert sees(professional, case)
        case_services.revoke_team_member(membership, actor=back_office, reason="Traject bij partner afgerond")
        assert not sees(professional, case)
        return HttpResponse()

    KeptPerRequestMiddleware(view)(rf.post("/"))


def test_reasons_are_read_afresh_outside_a_request(case, back_office, house):
    professional = member(house, Role.CASE_DIRECTOR)
    membership = case_services.add_team_member(
        case, actor=back_office, user=professional, role=TeamRole.PROFESSIONAL, access=AccessLevel.FULL
    )
    assert sees(professional, case)
    case_services.revoke_team_member(membership, actor=back_office, reason="Traject bij partner afgerond")
    assert not sees(professional, case)


def test_may_somewhere_answers_as_the_houses_of_the_action(house):
    assert all(roles <= policy.ACTION_ROLES[action] for action, roles in policy.REGION_ACTIONS.items())
    for user in [member(house)] + [member(house, role) for role in Role.values]:
        for action in policy.ACTION_ROLES:
            assert policy.may_somewhere(user, action) == policy.houses_for(user, action).exists(), (user, action)


def test_mijn_werk_logs_its_lists_in_one_append_per_chain(client, case, regisseur, house):
    member(house, Role.INTAKE, user=regisseur)
    report = register_report(regisseur, house, persons=[person_data(surname="Eigen")])
    client.force_login(regisseur)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:my-work")).status_code == 200
    assert sum("spil_chain_links" in q["sql"] for q in queries) == 2  # the processing log and the audit log
    read = set(ProcessingRecord.objects.filter(action=Action.READ).values_list("subject", flat=True))
    assert read == {subject_of(p) for p in [*case.persons.all(), *report.persons.all()]}


def test_an_anonymous_user_sees_no_person(case):
    assert not Person.objects.visible_to(AnonymousUser()).exists()

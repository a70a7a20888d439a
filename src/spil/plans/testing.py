"""Plan objects for the authorization matrix (tests/test_authorization_matrix.py), built through the services."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from spil.casetypes.models import LifeDomain
from spil.core import clock
from spil.plans import services
from spil.plans.models import Plan
from spil.testing.factories import PartnerFactory


def _plan_with_action(case, director, partner, domain) -> Plan:
    plan = services.start_plan(case, actor=director)
    services.set_goal(plan, actor=director, life_domain=domain, situation="Geen woning", goal="Woning")
    services.add_action(
        plan,
        actor=director,
        life_domain=domain,
        description="Woning zoeken",
        partner=partner,
        responsible=None,
        start_on=clock.today(),
        due_on=clock.today() + datetime.timedelta(days=30),
    )
    plan.refresh_from_db()
    return plan


def matrix_world(users, *, case, restricted_case, foreign_case, settings, tmp_path) -> dict:
    """In `case`: version 1 accepted with a signed document and evaluated into version 2, which waits for the
    confirmation of the summary member's partner and of another partner; plans waiting for confirmation in the
    restricted and the foreign case."""
    settings.SPIL_UPLOAD_ROOT = str(tmp_path / "uploads")
    domain = LifeDomain.objects.get(code="huisvesting")
    director, helper = users["pd_team"], users["partner_summary"]
    partner = helper.memberships.exclude(partner=None).first().partner
    other = PartnerFactory(name="GGZ voor de matrix")

    first = _plan_with_action(case, director, partner, domain)
    services.request_confirmations(first, actor=director, expected_version=first.version)
    services.answer_confirmation(services.open_confirmations(first).get(), actor=helper, confirmed=True, reason="")
    first.refresh_from_db()
    services.offer(first, actor=director, offered_on=clock.today(), expected_version=first.version)
    signed = SimpleUploadedFile("getekend.pdf", b"%PDF-1.4 matrix")
    services.accept(first, actor=director, decided_on=clock.today(), agreement="document", document=signed, expected_version=first.version)
    services.start(first, actor=director, started_on=clock.today(), expected_version=first.version)
    evaluation = services.evaluate(
        first,
        actor=director,
        evaluated_on=clock.today(),
        summary="Loopt",
        progress={domain: ("gelijk", "")},
        new_version=True,
        expected_version=first.version,
    )
    second = evaluation.new_version
    services.add_action(
        second,
        actor=director,
        life_domain=domain,
        description="Behandeling",
        partner=other,
        responsible=None,
        start_on=clock.today(),
        due_on=clock.today() + datetime.timedelta(days=60),
    )
    second.refresh_from_db()
    services.request_confirmations(second, actor=director, expected_version=second.version)

    restricted = _plan_with_action(restricted_case, users["pd_restricted"], partner, domain)
    services.request_confirmations(restricted, actor=users["pd_restricted"], expected_version=restricted.version)
    foreign = _plan_with_action(foreign_case, users["intake_other_house"], other, domain)
    services.request_confirmations(foreign, actor=users["intake_other_house"], expected_version=foreign.version)

    plans = [second, restricted, foreign]
    actions = [action for plan in plans for action in plan.actions.all()]
    return {
        "plan": plans,
        "plan_case": [case, restricted_case, foreign_case],
        "plan_action": actions,
        "plan_action_edit": actions,
        "confirmation": [c for plan in plans for c in services.open_confirmations(plan)],
        "plan_document": list(first.documents.all()),
    }

"""Destruction after the retention term takes the plan along: versions, history, evaluations and the stored file."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from spil.cases import services as case_services
from spil.core import clock
from spil.plans import services
from spil.plans.models import Action, ActionUpdate, Plan, PlanStatusChange, SignedAgreement
from spil.plans.tests.conftest import confirm_all
from spil.privacy import services as privacy_services

pytestmark = pytest.mark.django_db


def test_destroying_the_case_removes_its_plans_and_the_signed_document(
    draft, regisseur, probation_officer, nurse, upload_root, django_capture_on_commit_callbacks
):
    services.request_confirmations(draft, actor=regisseur, expected_version=draft.version)
    confirm_all(draft, probation_officer, nurse)
    services.offer(draft, actor=regisseur, offered_on=clock.today(), expected_version=draft.version)
    signed = SimpleUploadedFile("getekend.pdf", b"%PDF-1.4 getekend")
    services.accept(draft, actor=regisseur, decided_on=clock.today(), agreement="document", document=signed, expected_version=draft.version)
    services.start(draft, actor=regisseur, started_on=clock.today(), expected_version=draft.version)
    action = draft.actions.first()
    services.report_progress(action, actor=regisseur, status="loopt", result="", expected_version=action.version)
    progress = {
        domain: ("gelijk", "") for domain in {a.life_domain for a in draft.actions.all()} | {g.life_domain for g in draft.goals.all()}
    }
    services.evaluate(
        draft, actor=regisseur, evaluated_on=clock.today(), summary="x", progress=progress, new_version=True, expected_version=draft.version
    )
    stored = upload_root / SignedAgreement.objects.get().file_key
    case = draft.case
    case.refresh_from_db()
    case_services.close_case(case, actor=regisseur, result="doel_bereikt", note="", expected_version=case.version)

    with django_capture_on_commit_callbacks(execute=True):
        privacy_services.destroy(case, today=clock.today() + datetime.timedelta(days=6 * 366))
    for model in [Plan, PlanStatusChange, Action, ActionUpdate, SignedAgreement]:
        assert not model.objects.exists(), model
    assert not stored.exists()

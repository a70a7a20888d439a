"""The demo shows a plan van aanpak in every state, through the services."""

import pytest
from django.contrib.auth import get_user_model

from spil.core import clock

from spil.demo import generator
from spil.plans import detectors
from spil.plans import services
from spil.plans.models import Action, ActionStatus, ConfirmationStatus, Plan, PlanStatus


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.SPIL_UPLOAD_ROOT = str(tmp_path)
    return generator.generate("test", log=lambda *args: None)


def test_the_demo_has_plans_in_every_state(demo):
    assert {
        PlanStatus.DRAFT,
        PlanStatus.CONFIRMING,
        PlanStatus.OFFERED,
        PlanStatus.RUNNING,
        PlanStatus.REFUSED,
        PlanStatus.EVALUATED,
    } <= set(Plan.objects.values_list("status", flat=True))
    evaluated = Plan.objects.get(status=PlanStatus.EVALUATED)
    assert evaluated.successors.get().actions.filter(carried_from__isnull=False).exists()
    statuses = set(Action.objects.filter(plan__status=PlanStatus.RUNNING).values_list("status", flat=True))
    assert statuses == set(ActionStatus.values)
    assert any(action.is_overdue for action in Action.objects.filter(plan__status=PlanStatus.RUNNING))


def test_the_demo_casusregisseur_has_a_confirmation_to_give(demo):
    tom = get_user_model().objects.get(username="casusregisseur")
    # The current round: a plan sent back to concept and asked again leaves its earlier round behind.
    waiting = services.open_confirmations(Plan.objects.get(status=PlanStatus.CONFIRMING)).filter(status=ConfirmationStatus.REQUESTED)
    assert list(waiting.values_list("partner__name", flat=True)) == ["Reclassering Nederland, regio Limburg"]
    assert any(tom.pk in item.recipients for item in detectors.detect_requested_confirmations(clock.now()))

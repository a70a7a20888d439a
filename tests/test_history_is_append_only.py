import pytest
from django.db import DatabaseError, transaction

from spil.cases.models import AveChange
from spil.testing.factories import register_report
from spil.timeline.models import Event

pytestmark = pytest.mark.django_db


def test_the_database_refuses_to_change_or_remove_timeline_events(intake_worker, house):
    register_report(intake_worker, house)
    for change in [lambda: Event.objects.update(text="herschreven"), lambda: Event.objects.all().delete()]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    assert Event.objects.get().text.startswith("Melding ontvangen")


def test_the_database_refuses_to_change_ave_history(intake_worker, regisseur, house):
    from spil.cases import services
    from spil.casetypes.models import CaseType

    report = register_report(intake_worker, house)
    services.open_case(
        actor=regisseur,
        house=house,
        case_type=CaseType.objects.get(code="pga"),
        report=report,
        persons=list(report.persons.all()),
        ave_level=3,
        reason="x",
    )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AveChange.objects.update(to_level=1)

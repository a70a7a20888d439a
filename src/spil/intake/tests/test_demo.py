import datetime
import random

import pytest
from django.utils import timezone

from spil.cases.models import Case
from spil.deadlines.models import Signal
from spil.deadlines.services import refresh
from spil.demo.extensions import Context
from spil.intake import channels, demo
from spil.intake.models import Handover, Report, ReportStatus
from spil.organisations.models import PartnerType, Role
from spil.testing.factories import PartnerFactory, member

pytestmark = pytest.mark.django_db


def test_demo_has_every_form_a_live_release_signal_a_handover_and_a_separated_victim_and_suspect(house):
    for kind in [PartnerType.PRISON, PartnerType.POLICE, PartnerType.DOMESTIC_VIOLENCE, PartnerType.PROSECUTION, PartnerType.MUNICIPALITY]:
        PartnerFactory(type=kind)
    users = {
        "intake": member(house, Role.INTAKE),
        "bedrijfsbureau": member(house, Role.BACK_OFFICE),
        "weger": member(house, Role.TRIAGE),
        "regisseur": member(house, Role.PROCESS_DIRECTOR),
    }
    now = timezone.make_aware(datetime.datetime(2026, 3, 15, 9))
    demo.build(Context(random.Random(1), now, "test", users, {"parkstad": house}, lambda *a: None))

    assert set(Report.objects.values_list("form", flat=True)) == set(channels.definitions()) - {channels.GENERAL}
    assert Report.objects.filter(created_at__gt=now).count() == 0
    assert not Report.objects.filter(status=ReportStatus.READY).exists()  # nothing left waiting on a later agenda
    assert Handover.objects.count() == 1
    homeless = Report.objects.get(form="detentie", routing_note__startswith="Keuze intake: Geen vaste woonplaats")
    assert homeless.persons.get().municipality is None
    victim = Report.objects.get(form="mensenhandel", details__role="slachtoffer", details__exploitation="seksueel")
    suspect = Report.objects.get(form="mensenhandel", details__role="vermoedelijke-dader")
    assert Case.objects.filter(report=victim).count() == 1 and not Case.objects.filter(report=suspect).exists()
    assert set(Case.objects.filter(report__form="detentie").values_list("case_type__code", flat=True)) == {"nazorg", "bij"}

    refresh(now)
    [signal] = Signal.objects.open().filter(kind="intake.release-without-plan")
    assert signal.recipients.filter(pk__in=[users["intake"].pk, users["bedrijfsbureau"].pk]).count() == 2
    assert demo.counts() == {"Meldingen op een eigen meldformulier": 14, "Nazorg overgedragen aan de gemeente": 1}

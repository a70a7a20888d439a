"""The intake inbox lists the first meldingen in the chosen order, newest first by default, up to a limit."""

import datetime
import re

import pytest
from django.urls import reverse

from spil.access.processing import intake_activity_id
from spil.core import clock
from spil.logbook.models import Action, ProcessingRecord
from spil.logbook.services import subject_of
from spil.testing.factories import register_report

pytestmark = pytest.mark.django_db


def test_a_long_inbox_lists_the_newest_and_asks_for_filters(client, intake_worker, house, monkeypatch):
    monkeypatch.setattr("spil.intake.views.INBOX_LIMIT", 2)
    today = clock.today()
    oldest, middle, newest = (
        register_report(intake_worker, house, received_on=today - datetime.timedelta(days=days)) for days in (3, 2, 1)
    )
    client.force_login(intake_worker)
    page = client.get(reverse("intake:inbox")).content.decode()
    assert "Meer dan 2 meldingen" in page
    assert newest.number in page and middle.number in page and oldest.number not in page
    page = client.get(reverse("intake:inbox"), {"received_until": (today - datetime.timedelta(days=3)).isoformat()}).content.decode()
    assert "1 melding<" in page and oldest.number in page


def test_a_row_shows_the_melding_and_its_persons_and_logs_each_person_under_intake(client, intake_worker, house):
    persons = [{"first_names": "Bert", "surname_prefix": "van der", "surname": "Zwaan"}, {"first_names": "Anna", "surname": "Appel"}]
    report = register_report(intake_worker, house, persons=persons)
    client.force_login(intake_worker)
    html = client.get(reverse("intake:inbox")).content.decode()
    row = re.search(rf'<tr class="utrecht-table__row">\s*<td[^>]*><a[^>]*>{report.number}</a></td>(.*?)</tr>', html, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[1:] == [
        "Anna Appel, Bert van der Zwaan",
        report.requested_case_type.name,
        report.source_partner.name,
        "Ontvangen",
        house.name,
    ]
    logged = ProcessingRecord.objects.filter(action=Action.SEARCH, object_ref="lijst meldingen")
    assert {(record.subject, record.activity_id) for record in logged} == {
        (subject_of(person), intake_activity_id()) for person in report.persons.all()
    }

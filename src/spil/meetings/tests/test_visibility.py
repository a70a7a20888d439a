"""Seed 004 note 14: an attendee sees only the items of the cases they have a role in, in the meeting page, the
minutes PDF and the case dossier; a user outside the meeting or the house gets 404."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from spil.cases import services as case_services
from spil.core.errors import DomainError
from spil.logbook.models import Action, ProcessingRecord
from spil.meetings import services
from spil.meetings.models import AgendaItem, Meeting
from spil.organisations.models import Role
from spil.testing.factories import member

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The text of a PDF as a reader sees it (poppler's pdftotext)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert content.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_an_attendee_sees_only_the_items_they_discuss(client, meeting, agenda, nurse, probation_officer, case_a, case_b):
    client.force_login(nurse)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert case_a.number in page and "Appelboom" in page and "Woonplek dreigt" in page
    assert case_b.number not in page and "Bakkerszoon" not in page and "Meldplicht gemist" not in page
    assert "1 agendapunt is voor u afgeschermd" in page

    client.force_login(probation_officer)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert case_b.number in page and case_a.number not in page and "Appelboom" not in page


def test_the_bedrijfsbureau_and_the_chair_see_the_whole_agenda(client, meeting, agenda, back_office, chair, case_a, case_b):
    for user in [back_office, chair]:
        client.force_login(user)
        page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        assert case_a.number in page and case_b.number in page


def test_the_minutes_pdf_holds_only_the_readers_items(client, held, nurse, probation_officer, back_office, case_a, case_b):
    client.force_login(nurse)
    response = client.get(reverse("meetings:minutes-pdf", args=[held.pk]))
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    assert case_a.number in text and "Appelboom-bespreking" in text and "Urgentie aanvragen" in text
    assert case_b.number not in text and "Bakkerszoon" not in text and "Reclassering belt" not in text

    client.force_login(probation_officer)
    text = pdf_text(client.get(reverse("meetings:minutes-pdf", args=[held.pk])).content)
    assert "Bakkerszoon-bespreking" in text and "Appelboom" not in text and case_a.number not in text

    client.force_login(back_office)
    text = pdf_text(client.get(reverse("meetings:minutes-pdf", args=[held.pk])).content)
    assert "Appelboom-bespreking" in text and "Bakkerszoon-bespreking" in text


def test_an_attendee_who_leaves_the_case_team_no_longer_sees_the_item(client, meeting, agenda, nurse, back_office, case_a):
    member_row = case_a.team.active().get(user=nurse)
    case_services.revoke_team_member(member_row, actor=back_office, reason="Zorg overgedragen")
    assert not AgendaItem.objects.visible_to(nurse).exists()
    client.force_login(nurse)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert case_a.number not in page and "Appelboom" not in page
    item_a, _ = agenda
    assert client.get(reverse("meetings:item-edit", args=[meeting.pk, item_a.pk])).status_code == 404


def test_only_members_of_the_case_team_can_be_named_attendees(meeting, back_office, case_b, nurse):
    with pytest.raises(DomainError, match="casusteam"):
        services.add_item(meeting, actor=back_office, case=case_b, attendees=[nurse])


def test_users_outside_the_meeting_or_the_house_get_404(client, held, agenda, house, other_house, case_a):
    item_a, _ = agenda
    outsiders = [
        member(house, Role.PROFESSIONAL),  # same house, not invited, no item
        member(house, Role.CASE_DIRECTOR),
        member(other_house, Role.BACK_OFFICE, Role.PROCESS_DIRECTOR),  # plans meetings, but in another house
    ]
    urls = [
        reverse("meetings:detail", args=[held.pk]),
        reverse("meetings:minutes-pdf", args=[held.pk]),
        reverse("meetings:held", args=[held.pk]),
        reverse("meetings:finalise", args=[held.pk]),
        reverse("meetings:item-minutes", args=[held.pk, item_a.pk]),
        reverse("meetings:item-review", args=[held.pk, item_a.pk]),
    ]
    for user in outsiders:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (url, user)
        listing = client.get(reverse("meetings:list")).content.decode()
        assert held.number not in listing
        dossier = client.get(reverse("cases:detail", args=[case_a.number]))
        assert dossier.status_code == 404


def test_an_attendee_cannot_write_minutes(client, held, agenda, nurse):
    item_a, _ = agenda
    client.force_login(nurse)
    assert client.get(reverse("meetings:item-minutes", args=[held.pk, item_a.pk])).status_code == 403
    assert (
        client.post(reverse("meetings:item-minutes", args=[held.pk, item_a.pk]), {"version": item_a.version, "summary": "x"}).status_code
        == 403
    )


def test_showing_the_agenda_logs_a_read_of_each_case_shown_and_only_those(client, meeting, agenda, nurse, case_a, case_b):
    before_a = ProcessingRecord.objects.filter(object_ref=case_a.number, action=Action.READ).count()
    before_b = ProcessingRecord.objects.filter(object_ref=case_b.number, action=Action.READ).count()
    client.force_login(nurse)
    client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert ProcessingRecord.objects.filter(object_ref=case_a.number, action=Action.READ).count() == before_a + 1
    assert ProcessingRecord.objects.filter(object_ref=case_b.number, action=Action.READ).count() == before_b


def test_writing_minutes_logs_an_update(held, agenda, back_office, case_a):
    item_a, _ = agenda
    item_a.refresh_from_db()
    before = ProcessingRecord.objects.filter(object_ref=case_a.number, action=Action.UPDATE).count()
    services.write_minutes(item_a, actor=back_office, summary="Aangevuld", decisions="", expected_version=item_a.version)
    assert ProcessingRecord.objects.filter(object_ref=case_a.number, action=Action.UPDATE).count() == before + 1


def test_the_case_dossier_lists_the_meetings_the_user_may_see(client, meeting, agenda, nurse, case_a):
    client.force_login(nurse)
    page = client.get(reverse("cases:detail", args=[case_a.number])).content.decode()
    assert "Overleggen" in page
    assert reverse("meetings:detail", args=[meeting.pk]) in page
    assert f"{meeting.meeting_type}, " in page and meeting.get_status_display() in page


def test_meeting_visibility_follows_the_policy(meeting, agenda, nurse, back_office, chair, house, other_house):
    visible = Meeting.objects.visible_to
    assert visible(back_office).filter(pk=meeting.pk).exists()
    assert visible(chair).filter(pk=meeting.pk).exists()
    assert visible(nurse).filter(pk=meeting.pk).exists()  # named on an item
    assert not visible(member(house, Role.PROFESSIONAL)).exists()
    assert not visible(member(other_house, Role.BACK_OFFICE)).exists()

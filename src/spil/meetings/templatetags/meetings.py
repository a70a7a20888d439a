import datetime
from dataclasses import dataclass

from django import template

from spil.meetings.models import AgendaItem, MeetingStatus

register = template.Library()


@register.simple_tag
def actions_overview(review, item):
    """The actions to review of `item`, from the view's [(item, actions)] list."""
    for reviewed_item, actions in review:
        if reviewed_item.pk == item.pk:
            return actions
    return []


@dataclass(frozen=True, slots=True)
class CaseMeeting:
    meeting_id: int
    meeting_type: str
    starts_at: datetime.datetime
    status: str
    decisions: str

    def get_status_display(self) -> str:
        return MeetingStatus(self.status).label


@register.inclusion_tag("meetings/case_meetings.html", takes_context=True)
def case_meetings(context, case):
    """The 'Overleggen' list on a case dossier: meetings with this case on the agenda, as far as the user may see
    the item (the dossier page itself has logged the read). The values the list shows rather than the items with
    their meetings and meeting types joined in whole: Django took 2 ms to compile that query on every dossier."""
    items = (
        AgendaItem.objects.visible_to(context["request"].user)
        .filter(case=case)
        .order_by("-meeting__starts_at")
        .values_list("meeting_id", "meeting__meeting_type__name", "meeting__starts_at", "meeting__status", "decisions")
    )
    return {"items": [CaseMeeting(*values) for values in items]}

from django import template

from spil.meetings.models import AgendaItem

register = template.Library()


@register.simple_tag
def actions_overview(review, item):
    """The actions to review of `item`, from the view's [(item, actions)] list."""
    for reviewed_item, actions in review:
        if reviewed_item.pk == item.pk:
            return actions
    return []


@register.inclusion_tag("meetings/case_meetings.html", takes_context=True)
def case_meetings(context, case):
    """The 'Overleggen' list on a case dossier: meetings with this case on the agenda, as far as the user may see
    the item (the dossier page itself has logged the read)."""
    items = (
        AgendaItem.objects.visible_to(context["request"].user)
        .filter(case=case)
        .select_related("meeting__meeting_type")
        .order_by("-meeting__starts_at")
    )
    return {"items": items}

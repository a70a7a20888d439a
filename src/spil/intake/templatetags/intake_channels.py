"""The meldformulier of a melding on its page: the form's name, its details and the nazorg handover."""

from dataclasses import dataclass

from django import template

from spil.access import policy
from spil.intake import channels, nazorg
from spil.intake.models import Handover, ReportStatus

register = template.Library()


@dataclass
class FormPanel:
    name: str
    restricted: bool
    one_person: bool
    rows: list[tuple[str, str]]
    detention: bool
    handover: Handover | None
    taken_up: bool  # a case was opened from it: the ZVH does the nazorg
    weighed: bool
    can_hand_over: bool


@register.simple_tag(takes_context=True)
def form_panel(context, report) -> FormPanel | None:
    """None for the general form without details (nothing to add to the melding's own fields)."""
    definition = channels.definitions().get(report.form)
    if report.form == channels.GENERAL and not report.details:
        return None
    detention = report.form == channels.DETENTION
    handover = Handover.objects.filter(report=report).select_related("municipality", "handed_over_by").first() if detention else None
    user = context["request"].user
    return FormPanel(
        name=definition.name if definition else report.form,
        restricted=bool(definition and definition.restricted),
        one_person=bool(definition and definition.one_person),
        rows=channels.display(report.form, report.details),
        detention=detention,
        handover=handover,
        taken_up=detention and handover is None and report.cases.exists(),
        weighed=report.status == ReportStatus.TRIAGED,
        can_hand_over=(
            detention and handover is None and nazorg.handover_refusal(report) is None and policy.can(user, "nazorg.handover", report.house)
        ),
    )

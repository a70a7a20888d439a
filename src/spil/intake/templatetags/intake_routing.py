"""The routing panel of a melding's page: how its house was decided and its forwardings between houses."""

from django import template

from spil.access import policy
from spil.intake.models import Forwarding, ForwardingStatus, ReportStatus

register = template.Library()


@register.inclusion_tag("intake/_routing_panel.html", takes_context=True)
def routing_panel(context, report):
    user = context["request"].user
    forwardings = list(
        policy.visible_forwardings(Forwarding.objects.filter(report=report), user)
        .select_related("from_house", "to_house", "requested_by", "decided_by")
        .order_by("requested_at", "pk")
    )
    pending = next((f for f in forwardings if f.status == ForwardingStatus.PENDING), None)
    return {
        "report": report,
        "region": report.intake_region,
        "forwardings": forwardings,
        "pending": pending,
        "can_decide": pending is not None and policy.can(user, "report.forward", pending.to_house),
        "can_forward": pending is None and report.status != ReportStatus.TRIAGED and policy.can(user, "report.forward", report.house),
    }


@register.inclusion_tag("intake/_forwardings_nav.html", takes_context=True)
def forwardings_nav(context):
    """The menu item "Doorgezonden" for whoever forwards and decides on offers, with the offers waiting for them."""
    request = context["request"]
    if not policy.may_somewhere(request.user, "report.forward"):
        return {"show": False}
    return {"show": True, "waiting": policy.offers_waiting(request.user)}  # the page lies under "Meldingen", which is marked current

from django import template

from spil.access import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def can_import(context) -> bool:
    """Whether the user may import meldingen in bulk in any house (for the link on the meldingen page)."""
    return policy.may_somewhere(context["request"].user, "report.import")

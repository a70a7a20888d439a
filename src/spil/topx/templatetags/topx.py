from django import template

from spil.topx import services
from spil.topx.models import TopXList

register = template.Library()


@register.inclusion_tag("topx/case_place.html", takes_context=True)
def topx_place(context, case):
    """'Top-X: rang N op <lijst>' in a case dossier, when the case is on the current ranking of a list."""
    place = services.current_place(case)
    user = context["request"].user
    visible = place is not None and TopXList.objects.visible_to(user).filter(pk=place.ranking.topx_list_id).exists()
    return {"place": place, "list_visible": visible}

from django import template

from spil.access import policy
from spil.logbook.models import Action
from spil.persons import matching
from spil.persons.views import log_shown, with_reports

register = template.Library()


@register.inclusion_tag("persons/report_persons.html", takes_context=True)
def person_matches(context, report):
    """On the melding page: candidates for its new persons (intake of the melding's house only; each candidate shown
    is logged), the hit/no-hit answer per person with a BSN, and differences noted with a person known by BSN."""
    user = context["request"].user
    can_register = policy.can(user, "report.register", report.house)
    links = list(report.report_persons.select_related("person"))
    pending = []
    if can_register:
        within = matching.known_to(user).exclude(report_links__report=report)
        for link in links:
            if link.person.match_pending:
                pending.append({"link": link, "rows": with_reports(user, matching.candidates(link.person, within=within))})
        log_shown(Action.SEARCH, [row["person"] for item in pending for row in item["rows"]], user, f"vergelijken {report.number}")
    checks = list(report.hit_checks.select_related("person").prefetch_related("hits__house"))
    checked = {check.person_id for check in checks}
    return {
        "report": report,
        "can_register": can_register,
        "pending": pending,
        "checks": checks,
        "unchecked": [link.person for link in links if link.person.pk not in checked and not link.person.bsn],
        "discrepancies": report.person_discrepancies.filter(resolved_at__isnull=True).select_related("person"),
        "persons": [link.person for link in links],
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }

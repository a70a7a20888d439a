"""Events as the lines of a timeline (a dossier's, a melding's): the columns the timeline shows, read as values with
the actor's name rather than as model instances with their actor joined in, fifty to a page."""

import datetime
from dataclasses import dataclass

from spil.timeline.models import EventKind

COLUMNS = ("at", "kind", "text", "actor__first_name", "actor__last_name", "actor__username")


@dataclass(frozen=True, slots=True)
class TimelineRow:
    at: datetime.datetime
    kind: str
    text: str
    actor: str  # full name, or the username of a user without a name

    @property
    def kind_label(self) -> str:
        return EventKind(self.kind).label


def timeline_rows(values) -> list[TimelineRow]:
    """Rows from `values_list(*COLUMNS)` of events."""
    return [TimelineRow(at, kind, text, f"{first} {last}".strip() or username) for at, kind, text, first, last, username in values]

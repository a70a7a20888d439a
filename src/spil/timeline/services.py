from spil.deadlines import registry
from spil.timeline.models import Event


def record(*, actor, kind: str, text: str, report=None, case=None) -> Event:
    """A line in the timeline of a melding or a case. A case's new line is progress, and what changed with it may open
    or resolve a signal (stagnation, a phase's deadline, a plan's actions): the case's signals are refreshed after the
    commit (`registry.changed`), whichever service wrote the line."""
    event = Event.objects.create(actor=actor, kind=kind, text=text, report=report, case=case)
    if case is not None:
        registry.changed([case.pk])
    return event

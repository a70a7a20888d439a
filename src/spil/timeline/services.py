from spil.timeline.models import Event


def record(*, actor, kind: str, text: str, report=None, case=None) -> Event:
    return Event.objects.create(actor=actor, kind=kind, text=text, report=report, case=case)

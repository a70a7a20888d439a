"""Writing the management section of the half-year report (the figures themselves are computed, see figures.py)."""

from django.db import transaction

from spil.access import policy
from spil.core import clock
from spil.core.errors import ConcurrentEdit, DomainError
from spil.core.versioning import save_versioned
from spil.monitor.models import ManagementText


def _check_period(year: int, half: int) -> None:
    today = clock.today()
    if half not in (1, 2):
        raise DomainError("Kies het eerste of het tweede halfjaar.")
    if (year, half) > (today.year, 1 if today.month <= 6 else 2):
        raise DomainError("Dit halfjaar is nog niet begonnen.")


@transaction.atomic
def save_management_text(*, actor, house, year: int, half: int, text: str, expected_version: int | None) -> ManagementText:
    """Create or update the text; `expected_version` is the version the manager saw (None: there was none yet)."""
    policy.require(actor, "monitor.write", house)
    _check_period(year, half)
    text = text.strip()
    if not text:
        raise DomainError("Schrijf een managementtekst.")
    current = ManagementText.objects.select_for_update().filter(house=house, year=year, half=half).first()
    if current is None:
        if expected_version is not None:  # it was there when the form was shown: removed since
            raise ConcurrentEdit()
        return ManagementText.objects.create(house=house, year=year, half=half, text=text, updated_by=actor)
    current.text, current.updated_by = text, actor
    if expected_version is None:  # written by someone else since the (empty) form was shown
        raise ConcurrentEdit()
    save_versioned(current, expected_version, ["text", "updated_by"])
    return current

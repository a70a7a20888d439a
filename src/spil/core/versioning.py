from django.db.models import F

from spil.core import clock
from spil.core.errors import ConcurrentEdit


def save_versioned(obj, expected_version: int | None, fields: list[str]) -> None:
    """Write `fields` of `obj` only if nobody saved it since `expected_version` was read.

    `expected_version` comes from the form the user saw; None means the caller holds a row lock.
    """
    version = obj.version if expected_version is None else expected_version
    if hasattr(obj, "updated_at"):
        obj.updated_at = clock.now()
        fields = [*fields, "updated_at"]
    values = {name: getattr(obj, name) for name in fields}
    updated = type(obj).objects.filter(pk=obj.pk, version=version).update(version=F("version") + 1, **values)
    if not updated:
        raise ConcurrentEdit()
    obj.version = version + 1


def lock(obj) -> None:
    """Take the row lock on `obj` for the rest of the transaction and reload it, so checks see the latest state."""
    type(obj).objects.select_for_update().filter(pk=obj.pk).values("pk").get()
    obj.refresh_from_db()

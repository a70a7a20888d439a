from django.db import transaction
from django.db.models import F

from spil.core.models import Counter


def next_number(prefix: str, year: int) -> str:
    """Hand out the next number in a yearly series, e.g. `M-2026-000123`; gap-free under concurrency."""
    series = f"{prefix}-{year}"
    with transaction.atomic():
        Counter.objects.get_or_create(series=series)
        Counter.objects.filter(series=series).update(value=F("value") + 1)
        value = Counter.objects.get(series=series).value
    return f"{series}-{value:06d}"

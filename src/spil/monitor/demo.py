"""Demo: the manager's text of Parkstad's half-year report for the last half year that has ended."""

import datetime

from django.utils import timezone

from spil.core import clock
from spil.monitor.models import ManagementText
from spil.monitor.services import save_management_text

TEXT = (
    "Het aantal meldingen bleef op het niveau van een jaar eerder; de politie blijft de grootste melder, het aandeel "
    "van de gemeenten groeit.\n\n"
    "De tijd van melding tot weging is korter geworden sinds de weegtafel wekelijks vergadert. De tijd tot een "
    "geaccepteerd plan van aanpak blijft een aandachtspunt: partners bevestigen hun inzet niet altijd op tijd.\n\n"
    "Voor het komende halfjaar vragen wij de stuurgroep aandacht voor de capaciteit bij de procesregie."
)


def _last_ended_half(today: datetime.date) -> tuple[int, int]:
    return (today.year - 1, 2) if today.month <= 6 else (today.year, 1)


def build(ctx) -> None:
    manager, house = ctx.users.get("manager"), ctx.houses.get("parkstad")
    if manager is None or house is None:
        return
    year, half = _last_ended_half(timezone.localdate(ctx.now))
    written_on = datetime.date(year, 7, 8) if half == 1 else datetime.date(year + 1, 1, 12)
    moment = min(ctx.now, timezone.make_aware(datetime.datetime.combine(written_on, datetime.time(16, 30))))
    with clock.travel_to(moment):
        save_management_text(actor=manager, house=house, year=year, half=half, text=TEXT, expected_version=None)
    ctx.log(f"Monitor: managementtekst {house} {year}-{half}")


def counts() -> dict[str, int]:
    return {"managementteksten halfjaarrapportage": ManagementText.objects.count()}

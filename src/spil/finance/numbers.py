"""Dutch notation of money and numbers: shown as `€ 1.658.940,00`, typed as `1.658.940,00`, `1658940` or `€ 6,48`."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\u00a0"
PRO_MEMORIE = "PM"
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def grouped(value, places: int = 2) -> str:
    """`1234567.5` → `1.234.567,50`; negative numbers get a leading minus sign."""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(value).quantize(quantum, ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    text = f"{int(integer):,}".replace(",", ".")
    return f"{sign}{text},{fraction}" if places else f"{sign}{text}"


def euro(value, places: int = 2) -> str:
    """`€ 1.658.940,00`; None is pro memorie (`PM`)."""
    if value is None or value == "":
        return PRO_MEMORIE
    return f"€{NBSP}{grouped(value, places)}"


def parse(text: str) -> Decimal | None:
    """A number as a Dutch user types it. A comma is the decimal sign and dots group thousands (`1.658.940,00`);
    without a comma, dots that group by three are thousands (`1.500`), otherwise a single dot is a decimal point
    (`6.48`). Empty and `PM` give None. Raises ValueError when it is not a number."""
    cleaned = text.replace("€", "").replace(NBSP, "").replace(" ", "").strip()
    if cleaned == "" or cleaned.upper() == PRO_MEMORIE:
        return None
    sign = ""
    if cleaned[0] in "-−":
        sign, cleaned = "-", cleaned[1:]
    if "," in cleaned:
        integer, _, fraction = cleaned.rpartition(",")
        if not fraction.isdigit() or (integer and not (integer.isdigit() or _THOUSANDS.match(integer))):
            raise ValueError(text)
        cleaned = f"{integer.replace('.', '') or '0'}.{fraction}"
    elif _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        return Decimal(sign + cleaned)
    except InvalidOperation:
        raise ValueError(text) from None

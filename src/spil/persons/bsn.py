"""The Burgerservicenummer: the 11-proef, and the keyed hash under which BSNs are matched."""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError


def check_digit(head: str) -> int | None:
    """The ninth digit that makes 8 digits pass the 11-proef (9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11),
    or None when no single digit does."""
    remainder = sum(weight * int(digit) for weight, digit in zip(range(9, 1, -1), head, strict=True)) % 11
    return remainder if remainder < 10 else None


def is_valid_bsn(value: str) -> bool:
    if len(value) != 9 or not (value.isascii() and value.isdigit()) or value == "000000000":
        return False
    return check_digit(value[:8]) == int(value[8])


def normalise(value: str) -> str:
    """Accept the spacing and dots people type ("1234.56.782"); an 8-digit BSN gets its leading zero."""
    digits = "".join(c for c in value if not c.isspace() and c not in ".-")
    return digits.zfill(9) if len(digits) == 8 and digits.isdigit() else digits


def validate_bsn(value: str) -> None:
    if not is_valid_bsn(normalise(value)):
        raise ValidationError("Dit is geen geldig BSN: het moet uit 9 cijfers bestaan en voldoen aan de 11-proef.", code="bsn")


def bsn_hash(value: str) -> str:
    return hmac.new(settings.BSN_HASH_KEY.encode(), normalise(value).encode(), hashlib.sha256).hexdigest()

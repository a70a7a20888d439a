"""The codes of a user's authenticator app, for tests that log in with two-factor."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows (or will show `steps_ahead` periods later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the server still accepts: never one of a time step that was used already."""
    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now.time = time.time()
    return totp_code(device, steps_ahead=1 if device.last_t >= now.t() else 0)


def wrong_code(device: TOTPDevice) -> str:
    right = {totp_code(device, steps_ahead=step) for step in (-1, 0, 1)}
    return next(code for code in (f"{n:06d}" for n in range(100_000, 1_000_000, 111_111)) if code not in right)

"""Account security: two-factor enrolment and codes, and unlocking blocked accounts.

Two-factor authentication is TOTP (an authenticator app, django-otp's `TOTPDevice`) with single-use backup codes
(`StaticDevice`). Every change is written to the security audit log; codes and secrets never are.
"""

import base64
import io
import re
import xml.etree.ElementTree as ET

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from spil.access import policy
from spil.accounts import lockout
from spil.logbook.models import AuditEvent
from spil.logbook.services import audit

APP_DEVICE_NAME = "Authenticator-app"
BACKUP_DEVICE_NAME = "Reservecodes"
IDP_MFA_SESSION_KEY = "spil_idp_mfa"


# --- Verification state ------------------------------------------------------------------------------------


def is_verified(request) -> bool:
    """Logged in and past the second step: with a code in this session, or at an identity provider that enforces MFA."""
    user = request.user
    if not user.is_authenticated:
        return False
    if getattr(user, "is_verified", None) is not None and user.is_verified():
        return True
    return settings.OIDC_IDP_ENFORCES_MFA and request.session.get(IDP_MFA_SESSION_KEY) is True


def app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Enrolment ---------------------------------------------------------------------------------------------


def pending_device(user) -> TOTPDevice:
    """The not yet confirmed app device of a user who is setting up two-factor authentication (one at a time)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code, made here: the secret never leaves the server otherwise."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    ET.register_namespace("", "http://www.w3.org/2000/svg")
    root = ET.fromstring(image.to_string(encoding="unicode"))
    for attribute in ("width", "height"):
        root.attrib.pop(attribute, None)
    root.set("class", "spil-qr")
    root.set("role", "img")
    root.set("aria-label", "QR-code om Spil aan uw authenticator-app toe te voegen")
    out = io.StringIO()
    ET.ElementTree(root).write(out, encoding="unicode")
    return out.getvalue()


@transaction.atomic
def confirm_enrolment(user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a first code; returns the new backup codes, or None when the code was wrong."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(normalise(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _replace_backup_codes(user)
    audit(AuditEvent.TWO_FACTOR, user=user, detail=f"Authenticator-app gekoppeld; {len(codes)} reservecodes aangemaakt")
    return codes


@transaction.atomic
def regenerate_backup_codes(user) -> list[str]:
    codes = _replace_backup_codes(user)
    audit(AuditEvent.TWO_FACTOR, user=user, detail=f"{len(codes)} nieuwe reservecodes aangemaakt; de oude zijn ongeldig")
    return codes


@transaction.atomic
def reset_two_factor(user) -> None:
    """Remove the app and the backup codes: the user sets up two-factor authentication again at the next step."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit(AuditEvent.TWO_FACTOR, user=user, detail="Authenticator-app en reservecodes verwijderd; opnieuw koppelen vereist")


def _replace_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < settings.BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [display_code(code) for code in codes]


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


# --- Verification ------------------------------------------------------------------------------------------


def normalise(code: str) -> str:
    """Codes as people type them: spaces, hyphens and capitals do not matter."""
    return re.sub(r"[^0-9a-z]", "", (code or "").lower())


@transaction.atomic
def verify_code(user, code: str):
    """The device that accepts the code (a 6-digit app code or a backup code, used up), or None."""
    code = normalise(code)
    model = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
        if device.verify_token(code):
            return device
    return None


# --- Blocked accounts --------------------------------------------------------------------------------------


def unlock_houses(actor):
    return policy.houses_for(actor, "accounts.unlock")


def accounts_in_scope(actor):
    """The accounts the actor may unlock: members of the houses where the actor is bedrijfsbureau."""
    return get_user_model().objects.filter(memberships__house__in=unlock_houses(actor)).distinct()


def locked_accounts(actor) -> list:
    users = list(accounts_in_scope(actor).order_by("last_name", "first_name", "username"))
    locked = lockout.locked_usernames([user.get_username() for user in users])
    for user in users:
        user.lockout = locked.get(user.get_username())
    return [user for user in users if user.lockout]


def account_to_unlock(actor, pk: int):
    """An account in the actor's scope (404 otherwise, also for another house's account)."""
    user = accounts_in_scope(actor).filter(pk=pk).first()
    if user is None:
        raise Http404("Geen account van uw Zorg- en Veiligheidshuis.")
    return user


@transaction.atomic
def unlock(actor, user) -> int:
    house = unlock_houses(actor).filter(memberships__user=user).first()
    if house is None:
        raise Http404("Geen account van uw Zorg- en Veiligheidshuis.")
    policy.require(actor, "accounts.unlock", house)
    removed = lockout.unlock_username(user.get_username())
    audit(AuditEvent.UNLOCK, user=actor, detail=f"Blokkade opgeheven van account {user.get_username()} ({house})")
    return removed

"""Logins, failed logins, logouts and lockouts go to the security audit log (never a password or a code).

Only events of a web request are recorded (the request's address and session come with them); a test's
`force_login` or the shell is no login.
"""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from spil.accounts import middleware
from spil.logbook import tracing
from spil.logbook.models import AuditEvent
from spil.logbook.services import audit


def _in_request() -> bool:
    return tracing.current_request() is not None


def _account(username):
    if not username:
        return None
    return get_user_model().objects.filter(username=str(username)[:150]).first()


@receiver(user_logged_in, dispatch_uid="spil-audit-login")
def audit_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        middleware.mark_active(request)
    if not _in_request():
        return
    if getattr(user, "backend", "").startswith("spil.accounts.oidc.") and settings.OIDC_IDP_ENFORCES_MFA:
        detail = "Via de eigen organisatie (OpenID Connect), die de tweede stap afdwingt"
    elif getattr(user, "backend", "").startswith("spil.accounts.oidc."):
        detail = "Stap 1 van 2: via de eigen organisatie (OpenID Connect)"
    else:
        detail = "Stap 1 van 2: wachtwoord juist"
    audit(AuditEvent.LOGIN, user=user, detail=detail)


@receiver(user_logged_out, dispatch_uid="spil-audit-logout")
def audit_logout(sender, request, user, **kwargs):
    if not _in_request() or user is None:
        return
    reason = getattr(request, "spil_logout_reason", "door de gebruiker")
    audit(AuditEvent.LOGOUT, user=user, detail=f"Uitgelogd {reason}")


@receiver(user_login_failed, dispatch_uid="spil-audit-login-failed")
def audit_login_failed(sender, credentials, request=None, spil_reason=None, **kwargs):
    if not _in_request():
        return
    # A name that is no account is not recorded: people type their password in the wrong field.
    account = _account(credentials.get("username"))
    locked = getattr(request, "axes_locked_out", False)
    if locked and (getattr(request, "axes_failures_since_start", None) or 0) > settings.AXES_FAILURE_LIMIT:
        detail = "Geweigerd: account of adres was al geblokkeerd"
    else:
        detail = spil_reason or "Wachtwoord onjuist"
        if locked:
            detail += "; daarmee geblokkeerd"
    if account is None:
        detail += " (onbekende gebruikersnaam)"
    audit(AuditEvent.LOGIN_FAILED, user=account, username=account.get_username() if account else "", detail=detail)


@receiver(user_locked_out, dispatch_uid="spil-audit-lockout")
def audit_lockout(sender, request, username, ip_address, **kwargs):
    account = _account(username)
    failures = getattr(request, "axes_failures_since_start", None)
    detail = "Geblokkeerd na te veel mislukte inlogpogingen"
    if failures:
        detail += f" ({failures} voor deze gebruikersnaam of vanaf dit adres)"
    if account is None:
        detail += "; onbekende gebruikersnaam, adres geblokkeerd"
    audit(AuditEvent.LOCKOUT, user=account, username=account.get_username() if account else "", detail=detail)

"""Lockout after failed logins, on django-axes with its database handler (docs/adr/0004).

Counted per username and per network address: wrong passwords, and wrong codes at the second step (sent as a
failed login by `count_failure`). Five for a username block that account until the bedrijfsbureau unlocks it
(`services.unlock`); five from one address block the address until `LOCKOUT_ADDRESS_MINUTES` have passed
without a new failure, because a whole partner organisation may reach Spil from one address.
"""

import datetime

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_parameters, get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone


class LockoutBackend(AxesStandaloneBackend):
    """Refuses locked-out usernames and addresses before a password is checked.

    `authenticate()` without a request (the shell, a management command) is no login over the network: there is
    nothing to count, so it is left to the next backend instead of failing as django-axes would.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, with an address lock that lifts by itself (see the module docstring)."""

    def get_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        since = timezone.now() - datetime.timedelta(minutes=settings.LOCKOUT_ADDRESS_MINUTES)
        parameters = get_client_parameters(username, request.axes_ip_address, request.axes_user_agent, request, credentials)
        attempts_list = []
        for filter_kwargs in parameters:
            if any(value is None for value in filter_kwargs.values()):
                # No username (an OpenID Connect login): never sum everybody's anonymous failures together.
                attempts_list.append(AccessAttempt.objects.none())
                continue
            attempts = AccessAttempt.objects.filter(**filter_kwargs)
            if "username" not in filter_kwargs:
                attempts = attempts.filter(attempt_time__gte=since)
            attempts_list.append(attempts)
        return attempts_list


def credentials_of(user) -> dict:
    return {"username": user.get_username()}


def is_locked(request, user) -> bool:
    return AxesProxyHandler.is_locked(request, credentials_of(user))


def count_failure(request, user, reason: str) -> bool:
    """Count a failed second step like a failed password; True when this locked the account or address out."""
    user_login_failed.send(sender=__name__, credentials=credentials_of(user), request=request, spil_reason=reason)
    return bool(getattr(request, "axes_locked_out", False))


def forget_failures(request, user) -> None:
    """After a complete login: the user's own failures from this address no longer count."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.reset_attempts(username=user.get_username(), ip_address=request.axes_ip_address)


def locked_usernames(usernames=None) -> dict[str, dict]:
    """Usernames at or over the limit, with their number of failures and the last attempt."""
    attempts = AccessAttempt.objects.exclude(username=None)
    if usernames is not None:
        attempts = attempts.filter(username__in=usernames)
    rows = attempts.values("username").annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    return {row["username"]: row for row in rows if row["failures"] >= settings.AXES_FAILURE_LIMIT}


def unlock_username(username: str) -> int:
    return AxesProxyHandler.reset_attempts(username=username)


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a client in the application log: not at all (the security audit log has who and where)."""
    return f"a client on {path_info}"


def lockout_response(request, original_response=None, credentials=None):
    """The Dutch lockout page (AXES_LOCKOUT_CALLABLE). A session halfway through logging in ends here."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        request.spil_logout_reason = "na blokkade door te veel mislukte pogingen"
        logout(request)
    context = {"limit": settings.AXES_FAILURE_LIMIT, "address_minutes": settings.LOCKOUT_ADDRESS_MINUTES}
    return render(request, "accounts/locked_out.html", context, status=429)

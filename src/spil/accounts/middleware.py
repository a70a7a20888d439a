"""Account security that no view can forget: the two-factor gate, the idle timeout, the client's address.

The gate works from an allow-list of URL names: a new view is behind login and two-factor authentication
without doing anything, and only the pages needed to get there are open.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from spil.accounts import services

# Open to everyone: logging in (also through the organisation), logging out, the session status for the timeout script.
OPEN = frozenset({"login", "logout", "accounts:session", "oidc_authentication_init", "oidc_authentication_callback"})
# Open to users who gave their password but not yet their second factor.
SECOND_STEP = OPEN | {"accounts:two-factor-setup", "accounts:two-factor-verify"}
# Requests that are no user activity: the timeout script asking how long the session has left, an import page polling its progress.
PASSIVE = {("GET", "accounts:session"), ("GET", "imports:progress")}

LAST_ACTIVITY_KEY = "spil_last_activity"
# Page views record activity at most this often (seconds): writing the session on every request would cost a database
# write per page; the timeout may then end up to this much early, which nobody notices on a 15-minute timeout. A POST
# (a deliberate action, such as "Blijf ingelogd") always counts at once.
ACTIVITY_RESOLUTION = 30
# URL namespaces whose views authenticate every request themselves and never use the session: the partner API
# (spil.api, bearer tokens; 401 as problem+json). Neither the login redirect nor the idle timeout applies there.
OWN_AUTHENTICATION = frozenset({"api"})


def url_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def authenticates_itself(request) -> bool:
    name = url_name(request)
    return name is not None and name.split(":")[0] in OWN_AUTHENTICATION


def redirect(request, url: str) -> HttpResponse:
    """A redirect that htmx follows as a whole page, not as a fragment swapped into the current one."""
    if request.headers.get("HX-Request"):
        return HttpResponse(headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(settings.STATIC_URL) or authenticates_itself(request):
            return self.get_response(request)
        name = url_name(request)
        if not request.user.is_authenticated:
            if name not in OPEN:
                response = redirect_to_login(request.get_full_path())
                return redirect(request, response.url)
        elif name not in SECOND_STEP and not services.is_verified(request):
            step = "accounts:two-factor-verify" if services.app_device(request.user) else "accounts:two-factor-setup"
            return redirect(request, f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Logs out after SESSION_IDLE_TIMEOUT seconds without a request; the login page then says why.

    Wall-clock time (not `core.clock`, which tests and the demo move): the browser's warning is in real time too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not authenticates_itself(request):
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                period = "1 minuut" if minutes == 1 else f"{minutes} minuten"
                request.spil_logout_reason = f"automatisch na {period} zonder activiteit"
                logout(request)
                messages.warning(request, f"U bent automatisch uitgelogd na {period} zonder activiteit. Log opnieuw in.")
            elif (last is None or now - last >= ACTIVITY_RESOLUTION or request.method != "GET") and (
                request.method,
                url_name(request),
            ) not in PASSIVE:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class ProxyClientAddressMiddleware:
    """Behind SPIL_TRUSTED_PROXIES reverse proxies, the client's address is the one the outermost proxy saw.

    Lockout per address and the audit log read REMOTE_ADDR; without this they would see only the proxy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.TRUSTED_PROXIES:
            forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
            if len(forwarded) >= settings.TRUSTED_PROXIES:
                request.META["REMOTE_ADDR"] = forwarded[-settings.TRUSTED_PROXIES]
        return self.get_response(request)


def mark_active(request) -> None:
    request.session[LAST_ACTIVITY_KEY] = int(time.time())

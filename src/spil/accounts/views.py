"""Login, the second step (set up or verify), the account page, the session status, unlocking accounts.

The two-factor gate (`middleware.TwoFactorMiddleware`) already keeps anonymous users out; `login_required` says so
here as well.
"""

import time

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from spil.accounts import lockout, services
from spil.accounts.forms import CodeForm, PasswordConfirmForm, SetupCodeForm
from spil.accounts.middleware import LAST_ACTIVITY_KEY
from spil.logbook.models import AuditEvent
from spil.logbook.services import audit


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, oidc_enabled=settings.OIDC_ENABLED)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _complete_login(request, device, detail: str) -> None:
    django_otp.login(request, device)
    lockout.forget_failures(request, request.user)
    audit(AuditEvent.LOGIN, user=request.user, detail=detail)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    user = request.user
    if services.app_device(user):
        return redirect("accounts:two-factor-verify" if not services.is_verified(request) else "accounts:home")
    device = services.pending_device(user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_enrolment(user, device, form.cleaned_data["code"])
        if codes is not None:
            _complete_login(request, device, "Stap 2 van 2: authenticator-app gekoppeld")
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request), "first_time": True})
        form.add_error("code", "Deze code klopt niet. Staat de tijd op uw telefoon goed? Probeer de volgende code.")
    context = {"form": form, "qr": services.qr_svg(device), "secret": services.secret_of(device), "next": _next_url(request)}
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    user = request.user
    if services.is_verified(request):
        return redirect(_next_url(request))
    if not services.app_device(user):
        return redirect("accounts:two-factor-setup")
    if lockout.is_locked(request, user):
        return lockout.lockout_response(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_code(user, form.cleaned_data["code"])
        if device is not None and device.name == services.BACKUP_DEVICE_NAME:
            left = services.backup_codes_left(user)
            _complete_login(request, device, f"Stap 2 van 2: reservecode gebruikt (nog {left} over)")
            messages.warning(request, f"U heeft een reservecode gebruikt; u heeft er nog {left}. Maak nieuwe aan via Mijn account.")
            return redirect(_next_url(request))
        if device is not None:
            _complete_login(request, device, "Stap 2 van 2: code uit de authenticator-app")
            return redirect(_next_url(request))
        if lockout.count_failure(request, user, "Code onjuist bij de tweede stap"):
            return lockout.lockout_response(request)
        form.add_error("code", "Deze code klopt niet. Gebruik de code die de app nu toont, of een reservecode.")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def home(request):
    user = request.user
    device = services.app_device(user)
    context = {
        "device": device,
        "backup_codes_left": services.backup_codes_left(user),
        "idp_mfa": not user.is_verified() and services.is_verified(request),
        "may_unlock": services.unlock_houses(user).exists(),
    }
    return render(request, "accounts/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    if request.method == "POST":
        codes = services.regenerate_backup_codes(request.user)
        return render(request, "accounts/backup_codes.html", {"codes": codes, "next": ""})
    return render(request, "accounts/backup_codes_confirm.html")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_reset(request):
    """Re-enrolment (new phone): confirmed with the password, which counts towards the lockout when wrong."""
    user = request.user
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if authenticate(request, username=user.get_username(), password=form.cleaned_data["password"]) == user:
            services.reset_two_factor(user)
            messages.success(request, "Uw authenticator-app en reservecodes zijn verwijderd. Koppel nu uw (nieuwe) app.")
            return redirect("accounts:two-factor-setup")
        if getattr(request, "axes_locked_out", False):
            return lockout.lockout_response(request)
        form.add_error("password", "Dit wachtwoord klopt niet.")
    return render(request, "accounts/two_factor_reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def session_status(request):
    """For the timeout warning: seconds left (GET does not count as activity; POST, "Blijf ingelogd", does)."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False, "remaining": 0})
    last = request.session.get(LAST_ACTIVITY_KEY)
    remaining = settings.SESSION_IDLE_TIMEOUT
    if last is not None:
        remaining = max(0, settings.SESSION_IDLE_TIMEOUT - (int(time.time()) - last))
    return JsonResponse({"authenticated": True, "remaining": remaining})


@login_required
def locked_accounts(request):
    if not services.unlock_houses(request.user).exists():
        raise PermissionDenied("U heeft geen rechten om geblokkeerde accounts vrij te geven.")
    return render(request, "accounts/locked_list.html", {"accounts": services.locked_accounts(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def unlock(request, pk):
    if not services.unlock_houses(request.user).exists():
        raise PermissionDenied("U heeft geen rechten om geblokkeerde accounts vrij te geven.")
    account = services.account_to_unlock(request.user, pk)
    if request.method == "POST":
        services.unlock(request.user, account)
        messages.success(request, f"Het account {account.get_username()} is vrijgegeven; de gebruiker kan weer inloggen.")
        return redirect("accounts:locked")
    locked = lockout.locked_usernames([account.get_username()]).get(account.get_username())
    return render(request, "accounts/unlock_confirm.html", {"account": account, "lockout": locked})

"""Optional login through the user's own organisation (OpenID Connect, mozilla-django-oidc).

Only for existing Spil accounts: the identity provider says who someone is, Spil decides what they may do
(memberships and roles are Spil's). No account is ever created here. Spil's second step still applies unless
SPIL_OIDC_IDP_ENFORCES_MFA says the identity provider already required one.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from spil.accounts.services import IDP_MFA_SESSION_KEY
from spil.organisations.models import technical_users


class OrganisationBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        users = get_user_model().objects.filter(is_active=True).exclude(pk__in=technical_users())
        value = claims.get(settings.OIDC_USERNAME_CLAIM)
        if not isinstance(value, str) or not value.strip():
            return users.none()
        if settings.OIDC_USERNAME_CLAIM == "email":
            return users.filter(email__iexact=value.strip())
        return users.filter(username=value)

    def verify_claims(self, claims):
        return isinstance(claims.get(settings.OIDC_USERNAME_CLAIM), str)

    def describe_user_by_claims(self, claims):
        return f"claim {settings.OIDC_USERNAME_CLAIM}"  # no personal data in the log

    def create_user(self, claims):
        raise SuspiciousOperation("Spil does not create accounts from an identity provider")


class CallbackView(OIDCAuthenticationCallbackView):
    @property
    def failure_url(self):
        return reverse("login")

    def login_success(self):
        response = super().login_success()
        if settings.OIDC_IDP_ENFORCES_MFA:
            self.request.session[IDP_MFA_SESSION_KEY] = True
        return response

    def login_failure(self):
        messages.error(
            self.request,
            "Inloggen via uw organisatie is niet gelukt. Heeft u nog geen Spil-account, of een ander e-mailadres in Spil? "
            "Neem contact op met het bedrijfsbureau van uw Zorg- en Veiligheidshuis.",
        )
        return super().login_failure()

from rest_framework import permissions

from spil.access import policy
from spil.api.models import ApiClient


class IsApiClient(permissions.BasePermission):
    """Authenticated by a client's credential (request.auth is the client)."""

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiClient)


class MayQueryZsm(permissions.BasePermission):
    message = "Alleen een koppeling van het Openbaar Ministerie (ZSM) mag de ZSM-functies gebruiken."

    def has_permission(self, request, view):
        return policy.may_query_zsm(request.user)

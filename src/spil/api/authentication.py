"""Bearer tokens: a client's fixed token or a short-lived access token from `/api/v1/token` (OAuth2 client
credentials). Never the web session: a logged-in browser gets 401 here like anyone without a token."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from spil.api import services

REALM = 'Bearer realm="Spil partner-API"'


class ClientTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != "bearer":
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Geef het token als 'Authorization: Bearer <token>'.")
        found = services.authenticate(header[1])
        if found is None:
            raise exceptions.AuthenticationFailed("Dit token is onbekend, verlopen of ingetrokken.")
        client, credential = found
        if not client.active:
            raise exceptions.AuthenticationFailed("Deze koppeling is niet actief. Neem contact op met het Zorg- en Veiligheidshuis.")
        services.mark_used(client)
        return client.user, client

    def authenticate_header(self, request):
        return REALM


class ClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = ClientTokenAuthentication
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Het vaste token van de koppeling, of een toegangstoken van `POST /api/v1/token` (OAuth2 client credentials).",
        }

"""Every error of the API as `application/problem+json` (RFC 9457): type, title (Dutch), status, detail, instance,
and `invalid-params` (field name and Dutch reason) for invalid input."""

import logging
import math

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from spil.core.errors import ConcurrentEdit, DomainError
from spil.logbook.models import AuditEvent
from spil.logbook.services import audit
from spil.web import faults

logger = logging.getLogger("spil.api")

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "urn:spil:api:probleem:"

# status -> (type code, Dutch title)
PROBLEMS = {
    400: ("ongeldige-invoer", "Ongeldige invoer"),
    401: ("niet-geauthenticeerd", "Niet geauthenticeerd"),
    403: ("geen-toegang", "Geen toegang"),
    404: ("niet-gevonden", "Niet gevonden"),
    405: ("methode-niet-toegestaan", "Methode niet toegestaan"),
    406: ("niet-aanvaardbaar", "Gevraagd formaat niet beschikbaar"),
    409: ("conflict", "In strijd met de huidige toestand"),
    412: ("voorwaarde-niet-vervuld", "Gewijzigd door een ander"),
    415: ("mediatype-niet-ondersteund", "Mediatype niet ondersteund"),
    422: ("niet-verwerkbaar", "Niet verwerkbaar"),
    428: ("voorwaarde-vereist", "If-Match vereist"),
    429: ("te-veel-verzoeken", "Te veel verzoeken"),
    500: ("interne-fout", "Interne fout"),
    503: ("niet-beschikbaar", "Tijdelijk niet beschikbaar"),
}


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Stuur de ETag van de actie mee in de header If-Match."


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "De actie is intussen gewijzigd door een ander. Haal haar opnieuw op en probeer het opnieuw met de nieuwe ETag."


class Unprocessable(exceptions.APIException):
    status_code = 422
    default_detail = "Het verzoek kan niet worden verwerkt."


def problem(status_code: int, detail: str, *, instance: str = "", headers=None, **extra) -> Response:
    code, title = PROBLEMS.get(status_code, ("fout", "Fout"))
    data = {"type": TYPE_BASE + code, "title": title, "status": status_code, "detail": detail, "instance": instance, **extra}
    return Response(data, status=status_code, headers=headers, content_type=CONTENT_TYPE)


def invalid_params(detail, prefix: str = "") -> list[dict]:
    """DRF's nested validation errors as a flat list: `personen[0].bsn` with its Dutch reason."""
    if isinstance(detail, dict):
        return [param for key, value in detail.items() for param in invalid_params(value, _join(prefix, key))]
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [{"name": prefix or "body", "reason": str(item)} for item in detail]
        return [param for index, item in enumerate(detail) for param in invalid_params(item, f"{prefix}[{index}]")]
    return [{"name": prefix or "body", "reason": str(detail)}]


def _join(prefix: str, key) -> str:
    if isinstance(key, int):  # a list's errors by position
        return f"{prefix}[{key}]"
    if key == "non_field_errors":
        return prefix or "body"
    return f"{prefix}.{key}" if prefix else key


def exception_handler(exc, context):
    request = context["request"]
    instance = request.path
    if faults.is_database_unavailable(exc):  # 503; nothing was written, the handler's transaction died with the connection
        return faults.unavailable(request, exc)
    if isinstance(exc, ConcurrentEdit):
        exc = PreconditionFailed()
    if isinstance(exc, DomainError):
        if exc.status == 400:  # a business rule about the input: a 400 always names what is wrong in invalid-params
            return problem(400, exc.message, instance=instance, **{"invalid-params": [{"name": "body", "reason": exc.message}]})
        return problem(exc.status, exc.message, instance=instance)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if exc.args else None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) if exc.args else None)
    if isinstance(exc, exceptions.ValidationError):
        params = invalid_params(exc.detail)
        return problem(400, "De invoer is niet in orde; zie invalid-params.", instance=instance, **{"invalid-params": params})
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(math.ceil(exc.wait))
        if exc.status_code in (status.HTTP_403_FORBIDDEN, status.HTTP_404_NOT_FOUND) and request.user.is_authenticated:
            # As the web pages (logbook.tracing): a refused request goes to the security audit log. In a transaction of
            # its own when the handler's was rolled back: the hash chain's advisory lock lasts for a transaction.
            with transaction.atomic():
                path = request.path.replace("\x00", "")  # PostgreSQL text cannot hold NUL
                audit(AuditEvent.DENIED, user=request.user, detail=f"{exc.status_code} {request.method} {path}")
        extra = (
            {"invalid-params": [{"name": "body", "reason": _text(exc.detail)}]} if exc.status_code == 400 else {}
        )  # e.g. unparsable JSON
        return problem(exc.status_code, _text(exc.detail), instance=instance, headers=headers, **extra)
    logger.exception("Onverwachte fout in de partner-API", exc_info=exc)
    return problem(
        500,
        "Er ging iets mis in Spil. Probeer het later opnieuw; blijft het misgaan, meld dan de traceparent van dit antwoord.",
        instance=instance,
    )


def _text(detail) -> str:
    if isinstance(detail, (list, tuple)):
        return " ".join(_text(item) for item in detail)
    if isinstance(detail, dict):
        return " ".join(_text(item) for item in detail.values())
    return str(detail)

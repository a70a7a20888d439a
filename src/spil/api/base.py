"""The base of every API view: its own transaction handling, ETags and the processing-log helpers.

Web pages run in one transaction per request (ATOMIC_REQUESTS). An API request runs in two steps:
1. authentication, permission and the rate limit, each write committed at once (the rate-limit row would otherwise
   stay locked for the whole request, serialising every request of a client, and a failed request would not count);
2. the handler in one transaction: what it shows and its processing-log lines commit together. A refusal by a
   service (a business rule or a missing role) still commits, so the "mislukt" line that `failures_logged` writes
   after the service's own rollback stays, as it does on the web pages; any other error rolls everything back.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from rest_framework import exceptions, generics

from spil.api.problems import PreconditionFailed, PreconditionRequired
from spil.core.errors import DomainError


class ApiView(generics.GenericAPIView):
    @classmethod
    def as_view(cls, **initkwargs):
        return transaction.non_atomic_requests(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        # rest_framework.views.APIView.dispatch, with the handler in its own transaction (see the module docstring).
        self.args, self.kwargs = args, kwargs
        request = self.initialize_request(request, *args, **kwargs)
        self.request = request
        self.headers = self.default_response_headers
        try:
            self.initial(request, *args, **kwargs)
            method = request.method.lower()
            handler = (
                getattr(self, method, self.http_method_not_allowed) if method in self.http_method_names else self.http_method_not_allowed
            )
            with transaction.atomic():
                try:
                    response = handler(request, *args, **kwargs)
                except (DomainError, PermissionDenied) as refusal:
                    response = self.handle_exception(refusal)
        except Exception as exc:
            response = self.handle_exception(exc)
        self.response = self.finalize_response(request, response, *args, **kwargs)
        return self.response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # PostgreSQL text cannot hold a NUL character: refuse it here, not with a database error (a 500) in a lookup
        # (as the schema documents for an address or filter that matches nothing: 404)
        if any("\x00" in str(value) for value in [*kwargs.values(), *request.query_params.values()]):
            raise exceptions.NotFound("Null-tekens komen in geen enkel adres of filter voor.")


def etag(obj) -> str:
    """A strong entity tag from the row's version (`core.models.VersionedModel`)."""
    return f'"{obj.pk}-{obj.version}"'


def expected_version(request, obj) -> int:
    """The version an update is based on, from `If-Match`: missing → 428, not the current ETag → 412."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequired()
    tags = [tag.strip() for tag in header.split(",")]
    if etag(obj) not in tags:
        raise PreconditionFailed()
    return obj.version

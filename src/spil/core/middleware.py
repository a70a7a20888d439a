from django.shortcuts import render

from spil.core.errors import DomainError


class DomainErrorMiddleware:
    """A domain error that no view handled becomes a Dutch error page with the right status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return render(request, "web/domain_error.html", {"message": exception.message}, status=exception.status)
        return None

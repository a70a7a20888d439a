from spil.access import policy

# Requests that only read: nothing in them grants or revokes access, so a user's reasons stay valid until they end.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReasonsPerRequestMiddleware:
    """Reads a user's access reasons once per reading request (`policy.reasons_kept_for_request`) instead of once per
    list, count and menu item on the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READING_METHODS:
            return self.get_response(request)
        with policy.reasons_kept_for_request():
            return self.get_response(request)

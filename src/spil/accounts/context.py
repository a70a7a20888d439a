from django.conf import settings

from spil.accounts import services


def account(request) -> dict:
    """For the layout: whether the menu may show (second step done) and the idle timeout for the warning script."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "account_verified": services.is_verified(request),
        "session_idle_seconds": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_seconds": settings.SESSION_IDLE_WARNING,
    }

from spil.access import policy


def navigation(request) -> dict:
    """Menu items that depend on the user's roles (absent, not greyed out, when not allowed)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_privacy": policy.houses_for(user, "privacy.review").exists()}

from spil.access import policy
from spil.organisations.models import Role

# Menu item -> the policy action whose roles show it.
MENU_ACTIONS = {
    "privacy": "privacy.review",
    "signals": "signals.house",
    "topx": "topx.view",
    "monitor": "monitor.view",
    "finance": "finance.view",
}


def navigation(request) -> dict:
    """Menu items that depend on the user's roles (absent, not greyed out, when not allowed); the roles are read once
    per request (`policy.roles_of`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav = {item: policy.may_somewhere(user, action) for item, action in MENU_ACTIONS.items()}
    nav["topx"] |= Role.OOV_OFFICER in policy.roles_of(user).names  # an OOV officer sees the Top-X list of their gemeente
    return {"nav": nav}

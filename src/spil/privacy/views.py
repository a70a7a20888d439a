from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from spil.access import policy


@login_required
def home(request):
    if not policy.houses_for(request.user, "privacy.review").exists():
        raise PermissionDenied("Alleen de privacy officer heeft toegang tot dit onderdeel.")
    return render(request, "privacy/home.html", {})

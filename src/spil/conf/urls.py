from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from spil.accounts import views as account_views
from spil.web import views as web_views

admin.site.site_header = "Spil – beheer"
admin.site.site_title = "Spil beheer"
# Any unhandled error; an unreachable database becomes a 503 (spil.web.faults).
handler500 = "spil.web.faults.server_error"

urlpatterns = [
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    # One way in, with lockout, two-factor authentication and the audit log: the admin's own login form is not used.
    path("beheer/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("beheer/", admin.site.urls),
    path("import/", include("spil.imports.urls")),
    path("meldingen/", include("spil.intake.urls")),
    path("weegtafels/", include("spil.triage.urls")),
    path("casussen/", include("spil.plans.urls")),
    path("casussen/", include("spil.cases.urls")),
    path("overleggen/", include("spil.meetings.urls")),
    path("top-x/", include("spil.topx.urls")),
    path("signalen/", include("spil.deadlines.urls")),
    path("monitor/", include("spil.monitor.urls")),
    path("bedrijfsvoering/", include("spil.finance.urls")),
    path("account/", include("spil.accounts.urls")),
    path("privacy/", include("spil.privacy.urls")),
    path("personen/", include("spil.persons.urls")),
    path("api/v1/", include("spil.api.urls")),  # partner API: its own authentication (bearer tokens), see spil.api
    path("", include("spil.web.urls")),
]
if settings.BENCH_MODE:  # performance harness only; production refuses SPIL_BENCH_MODE
    urlpatterns.insert(0, path("bench/baseline/", web_views.bench_baseline, name="bench-baseline"))
if settings.OIDC_ENABLED:
    urlpatterns.insert(2, path("oidc/", include("mozilla_django_oidc.urls")))

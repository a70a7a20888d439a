from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Spil – beheer"
admin.site.site_title = "Spil beheer"

urlpatterns = [
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("beheer/", admin.site.urls),
    path("meldingen/", include("spil.intake.urls")),
    path("weegtafels/", include("spil.triage.urls")),
    path("casussen/", include("spil.cases.urls")),
    path("account/", include("spil.accounts.urls")),
    path("privacy/", include("spil.privacy.urls")),
    path("", include("spil.web.urls")),
]

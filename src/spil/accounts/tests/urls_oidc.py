"""The project's URLs as they are with OpenID Connect configured (spil.conf.urls adds these when it is)."""

from django.urls import include, path

from spil.conf.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *project_urlpatterns]

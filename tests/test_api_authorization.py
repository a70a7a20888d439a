"""The authorization matrix of the partner API: every URL pattern under /api/v1/, for every kind of caller, answers as
the access policy says. A new API URL pattern that is not classified in ROUTES fails this test (the web matrix,
tests/test_authorization_matrix.py, leaves /api/ to this one).

- no token, a web session, an inactive client: 401 (the API never uses the session or redirects to a login page);
- an object the client may not see: 404 (no existence leak); a ZSM operation for a client that is not the OM's: 403;
- otherwise the operation works (no 401/403/404, no 5xx; an empty body is simply invalid input);
- lists contain only what the policy lets the client see.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from spil.access import policy
from spil.api.models import ApiClient
from spil.api.testing import make_cases, make_client, make_clients, make_enrichments, submit
from spil.intake.models import Enrichment, Report
from spil.plans.models import Action

pytestmark = pytest.mark.django_db

API_PREFIX = "api/"


@dataclass(frozen=True)
class Route:
    methods: tuple = ("get",)
    obj: str | None = None  # key in the world's objects
    zsm: bool = False  # only the Openbaar Ministerie's client
    public: bool = False


ROUTES = {
    "api:reports": Route(methods=("get", "post")),
    "api:report-detail": Route(obj="report"),
    "api:actions": Route(),
    "api:action-detail": Route(obj="action"),
    "api:action-progress": Route(methods=("post",), obj="action"),
    "api:enrichments": Route(),
    "api:enrichment-answer": Route(methods=("post",), obj="enrichment"),
    "api:zsm-question": Route(methods=("post",), zsm=True),
    "api:zsm-decisions": Route(methods=("post",), zsm=True),
    "api:token": Route(methods=("post",), public=True),  # client credentials in the body: tested in spil/api/tests
    "api:schema": Route(public=True),
    "api:not-found": Route(public=True),  # 404 problem+json for any other address
}
LISTS = {"api:reports": "report", "api:actions": "action", "api:enrichments": "enrichment"}


def api_patterns():
    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            else:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), prefix + str(pattern.pattern)

    return [(name, path) for name, path in walk(get_resolver().url_patterns) if path.startswith(API_PREFIX)]


def test_every_api_url_pattern_is_classified():
    unclassified = [f"{name} ({path})" for name, path in api_patterns() if name not in ROUTES]
    assert not unclassified, f"Classify these API URL patterns in ROUTES: {unclassified}"


@pytest.fixture
def world(house, other_house):
    clients = make_clients(house, other_house)
    cases = make_cases(clients, house, other_house)
    enrichments = make_enrichments(clients, house, other_house)
    reports = [submit(clients.a, house), submit(clients.b, house), submit(clients.elsewhere, other_house)]
    inactive = make_client("Uitgeschakeld", clients.police, [house])
    ApiClient.objects.filter(pk=inactive.client.pk).update(active=False)
    callers = {"a": clients.a, "b": clients.b, "zsm": clients.zsm, "elsewhere": clients.elsewhere, "inactive": inactive}
    objects = {"report": reports, "action": list(cases.actions.values()), "enrichment": list(enrichments.values())}
    return callers, objects


def url_args(obj) -> dict:
    return {"number": obj.number} if isinstance(obj, Report) else {} if obj is None else {"pk": obj.pk}


QUERYSETS = {
    "report": lambda user: policy.visible_client_reports(Report.objects.all(), user),
    "action": lambda user: policy.visible_client_actions(Action.objects.all(), user),
    "enrichment": lambda user: policy.visible_enrichment_requests(Enrichment.objects.all(), user),
}


def visible(user, kind: str, obj) -> bool:
    """The policy's answer, from the querysets (not from the views under test)."""
    return QUERYSETS[kind](user).filter(pk=obj.pk).exists()


def calls(objects):
    for name, route in ROUTES.items():
        if route.public:
            continue
        for obj in objects[route.obj] if route.obj else [None]:
            for method in route.methods:
                yield name, route, obj, method, reverse(name, kwargs=url_args(obj))


@pytest.mark.parametrize("caller", ["anonymous", "web_session", "inactive", "a", "b", "zsm", "elsewhere"])
def test_every_api_operation_answers_as_the_policy_says(world, caller, client, regisseur):
    callers, objects = world
    if caller == "web_session":
        client.force_login(regisseur)  # a logged-in, two-factor verified user of the web pages
        http, user = client, None
    elif caller == "anonymous":
        http, user = APIClient(), None
    else:
        http = callers[caller].http
        user = None if caller == "inactive" else callers[caller].user
    failures = []
    for name, route, obj, method, url in calls(objects):
        response = getattr(http, method)(url, {}, content_type="application/json") if method == "post" else http.get(url)
        status = response.status_code
        if user is None:
            ok = status == 401
        elif route.obj and not visible(user, route.obj, obj):
            ok = status == 404
        elif route.zsm and not policy.may_query_zsm(user):
            ok = status == 403
        else:
            ok = status not in {401, 403, 404} and status < 500
        ok = ok and response["Content-Type"] in {"application/json", "application/problem+json"}
        if not ok:
            failures.append(f"{name}: {method.upper()} {url} as {caller}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("caller", ["a", "b", "zsm", "elsewhere"])
def test_lists_contain_only_what_the_client_may_see(world, caller):
    callers, objects = world
    client = callers[caller]
    for name, kind in LISTS.items():
        listed = {
            row["id"] if "id" in row else row["nummer"] for row in client.http.get(reverse(name) + "?page_size=100").json()["results"]
        }
        allowed = {obj.number if kind == "report" else obj.pk for obj in QUERYSETS[kind](client.user)}
        assert listed <= allowed, f"{name} shows {sorted(listed - allowed)} to {caller}"


def test_public_routes_need_no_token_and_never_redirect(world):
    http = APIClient()
    assert http.get(reverse("api:schema")).status_code == 200
    assert http.get("/api/v1/iets").status_code == 404
    assert http.post(reverse("api:token"), {"grant_type": "client_credentials"}).status_code == 401

"""Real-browser tests: Chromium driven by Playwright against pytest-django's live server.

- The browser is the system's Chromium (Debian package `chromium`), never one Playwright downloads. Set
  SPIL_CHROMIUM to use another binary. A missing browser fails the tests; SPIL_SKIP_BROWSER=1 skips them (for a
  quick local run only).
- Every page a journey visits is checked with axe-core (`assert_accessible`): no serious or critical violation.
  It also saves a screenshot to var/test-artifacts/screenshots/ (git-ignored).
- The live server needs committed data, so these tests use a transactional database; `django_db_serialized_rollback`
  puts back what migrations load (case types, processing activities) for the tests that run after them.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from spil.testing.clients import VerifiedClient

CHROMIUM = os.environ.get("SPIL_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    if os.environ.get("SPIL_SKIP_BROWSER") != "1":
        return
    skip = pytest.mark.skip(reason="SPIL_SKIP_BROWSER=1: browser tests skipped")
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(skip)


@pytest.fixture(scope="package")
def chromium():
    """One browser for all browser tests; each test gets its own context (cookies, storage)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium) or set SPIL_CHROMIUM.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread. Django then (1) refuses ORM calls, although the
    # test's own calls are synchronous and never touch that loop, and (2) keeps the thread's database connections
    # apart from those made before: the new ones lack the copy of the migrations' data that serialized rollback puts
    # back after each test. So allow the calls, and hand the copy over.
    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            for alias, contents in serialized.items():
                if contents is not None:
                    connections[alias]._test_serialized_contents = contents
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            yield browser
            browser.close()
            connections.close_all()  # those made while the loop ran; the thread's own are back once it stops


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture
def new_context(request, chromium, live_server, django_db_serialized_rollback):
    """Opens a browser context on the live server: `new_context(java_script_enabled=False)` etc.

    When the test fails, the pages still open are saved as screenshots named after the test.
    """
    opened = []

    def open_context(**options):
        options = {
            "base_url": live_server.url,
            "locale": "nl-NL",
            "timezone_id": "Europe/Amsterdam",
            "viewport": {"width": 1280, "height": 900},
            **options,
        }
        opened.append(chromium.new_context(**options))
        opened[-1].set_default_timeout(10_000)
        return opened[-1]

    yield open_context
    if getattr(request.node, "browser_test_failed", False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pages = [page for context in opened for page in context.pages]
        for number, page in enumerate(pages, start=1):
            page.screenshot(path=SCREENSHOTS / f"FAILED-{request.node.name}-{number}.png", full_page=True)
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def log_in(live_server):
    """`log_in(page, user)`: a session with password and second step passed, as a cookie in the page's context.

    Logging in through the forms (password and authenticator code) is a journey of its own: test_login.py.
    """

    def give_session(page, user) -> None:
        client = VerifiedClient()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])

    return give_session


@pytest.fixture
def assert_accessible(request):
    """`assert_accessible(page, "name")`: axe-core finds no serious or critical violation on the page as it is now.

    A full-page screenshot is saved first, as <test module>--<name>.png, also when the check fails. axe-core runs in
    the page: not in a context without JavaScript (it would wait forever).
    """
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    prefix = request.module.__name__.rpartition(".")[2].removeprefix("test_")

    def check(page, name: str, *, screenshot: bool = True) -> None:
        if screenshot:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"{prefix}--{name}.png", full_page=True)
        violations = axe.run(page).response["violations"]
        blocking = [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]
        report = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in blocking
        )
        assert not blocking, f"axe-core on {name} ({page.url}):\n{report}"

    return check

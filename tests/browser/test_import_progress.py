"""An htmx interaction in the browser: a bulk import running on the worker shows its progress, polled with htmx, and
the page reloads with the result when the worker is done."""

from playwright.sync_api import expect

from spil.imports import services
from spil.imports.models import BatchStatus, ImportKind
from spil.imports.testing import csv_bytes, report_row, upload_file
from spil.organisations.models import Role
from spil.testing.factories import PartnerFactory, member


def test_the_import_page_polls_its_progress_with_htmx_and_reloads_with_the_result(
    page, log_in, assert_accessible, house, settings, tmp_path
):
    settings.SPIL_UPLOAD_ROOT = str(tmp_path / "uploads")
    settings.IMPORT_BACKGROUND_ROWS = 1  # two rows go to the worker
    police = PartnerFactory(name="Politie Limburg")
    worker = member(house, Role.INTAKE)
    batch = services.upload(
        actor=worker,
        house=house,
        kind=ImportKind.REPORTS,
        uploaded=upload_file(csv_bytes([report_row(police), report_row(police, voornamen="Piet")])),
    )
    log_in(page, worker)
    page.goto(f"/import/{batch.pk}/")
    assert_accessible(page, "gecontroleerd")

    page.get_by_role("button", name="2 meldingen importeren").click()
    expect(page.locator("#voortgang")).to_contain_text("In de wachtrij")
    with page.expect_response(lambda response: response.url.endswith(f"/import/{batch.pk}/voortgang/")) as poll:
        pass  # htmx asks every 2 seconds
    assert poll.value.status == 200 and poll.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#voortgang")).to_contain_text("In de wachtrij")  # the swapped-in fragment
    assert_accessible(page, "in-de-wachtrij")

    services.run(batch.pk)  # the worker
    expect(page.get_by_role("status").filter(has_text="2 meldingen geïmporteerd")).to_be_visible(timeout=10_000)
    assert page.url.endswith(f"/import/{batch.pk}/")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED
    assert_accessible(page, "geimporteerd")

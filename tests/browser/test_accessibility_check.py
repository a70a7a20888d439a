"""The accessibility check itself: it must fail on a page with a serious violation, or a green run proves nothing."""

import pytest


def test_the_check_fails_on_a_form_field_without_a_label(chromium, assert_accessible):
    page = chromium.new_page()
    page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>Proef</title></head><body><main><h1>Proef</h1><input type="text"></main></body></html>'
    )
    with pytest.raises(AssertionError, match=r"label \(critical\)"):
        assert_accessible(page, "proef", screenshot=False)
    page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>Proef</title></head><body><main><h1>Proef</h1><label>Naam <input type="text"></label></main></body></html>'
    )
    assert_accessible(page, "proef", screenshot=False)
    page.close()

import pytest
from django.core.exceptions import ValidationError

from spil.persons.bsn import bsn_hash, is_valid_bsn, normalise, validate_bsn


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990", "010000008"])
def test_numbers_passing_the_11_proef_are_valid(bsn):
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize(
    "bsn",
    ["111222334", "123456789", "12345678", "1234567890", "000000000", "12345678a", "", "１２３４５６７８２"],
)
def test_numbers_failing_the_11_proef_or_the_format_are_invalid(bsn):
    assert not is_valid_bsn(bsn)


def test_typed_separators_and_a_missing_leading_zero_are_normalised():
    assert normalise("1112.22.333") == "111222333"
    assert normalise(" 111 222 333 ") == "111222333"
    assert normalise("10000008") == "010000008"


def test_validation_error_is_dutch():
    with pytest.raises(ValidationError) as error:
        validate_bsn("123456789")
    assert "11-proef" in error.value.messages[0]


def test_hash_is_keyed_and_ignores_formatting(settings):
    assert bsn_hash("111222333") == bsn_hash("1112.22.333")
    first = bsn_hash("111222333")
    settings.BSN_HASH_KEY = "another-key"
    assert bsn_hash("111222333") != first

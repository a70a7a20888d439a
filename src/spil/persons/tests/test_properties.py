"""Properties of the BSN check and of name normalisation, over generated input (Hypothesis). No database."""

from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from spil.persons import bsn
from spil.persons.names import PARTICLES, first_name_key, fold, surname_key
from spil.testing.properties import pure


@st.composite
def valid_bsns(draw, first: str = "") -> str:
    """A valid BSN (optionally starting with `first`), drawn directly rather than filtered (filtering is slow)."""
    head = first + draw(st.text(alphabet="0123456789", min_size=8 - len(first), max_size=8 - len(first)))
    if bsn.check_digit(head) is None:  # remainder 10: another eighth digit changes it by 2 or 18, so it gets one
        head = head[:7] + str((int(head[7]) + 1) % 10)
    number = head + str(bsn.check_digit(head))
    return number if number != "000000000" else "000000012"  # never the all-zero number (it passes the sum)


# --- BSN: the 11-proef ---------------------------------------------------------------------------------------------


@pure
@given(valid_bsns())
def test_the_check_digit_completes_a_valid_bsn(number):
    assert bsn.is_valid_bsn(number)
    bsn.validate_bsn(number)


@pure
@given(valid_bsns(), st.integers(0, 8), st.integers(1, 9))
def test_every_single_digit_typo_is_caught(number, position, change):
    typo = number[:position] + str((int(number[position]) + change) % 10) + number[position + 1 :]
    assert not bsn.is_valid_bsn(typo)


@pure
@given(valid_bsns(), st.integers(0, 7))
def test_every_swap_of_two_different_neighbouring_digits_is_caught(number, position):
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert swapped == number or not bsn.is_valid_bsn(swapped)


@pure
@given(st.text(max_size=12))
@example("000000000")
@example("١٢٣٤٥٦٧٨٢")  # Arabic-Indic digits are digits to Python, not to the 11-proef
def test_only_nine_ascii_digits_can_pass(text):
    if bsn.is_valid_bsn(text):
        assert len(text) == 9 and text.isascii() and text.isdigit() and text != "000000000"


@pure
@given(valid_bsns(), st.lists(st.sampled_from([" ", ".", "-", "\t"]), max_size=9), st.randoms(use_true_random=False))
def test_spacing_and_dots_as_people_type_them_do_not_change_the_number(number, separators, random):
    typed = list(number)
    for separator in separators:
        typed.insert(random.randint(0, len(typed)), separator)
    typed = "".join(typed)
    assert bsn.normalise(typed) == number
    assert bsn.normalise(bsn.normalise(typed)) == bsn.normalise(typed)
    assert bsn.bsn_hash(typed) == bsn.bsn_hash(number)
    bsn.validate_bsn(typed)


@pure
@given(valid_bsns(first="0"))
def test_a_bsn_typed_without_its_leading_zero_is_the_same_bsn(number):
    assert bsn.normalise(number[1:]) == number
    assert bsn.bsn_hash(number[1:]) == bsn.bsn_hash(number)


@pure
@given(st.text(max_size=14))
def test_validation_rejects_exactly_what_the_check_rejects(text):
    try:
        bsn.validate_bsn(text)
    except ValidationError:
        assert not bsn.is_valid_bsn(bsn.normalise(text))
    else:
        assert bsn.is_valid_bsn(bsn.normalise(text))


# --- Names: keys for matching -------------------------------------------------------------------------------------

# Letters, marks and punctuation as they occur in names registered in the Netherlands (Latin script).
name_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x24F, categories=["Lu", "Ll", "Zs", "Pd", "Po", "Nd"]),
    max_size=30,
)
ACCENTED = {
    "a": "àáâãäå",
    "c": "ç",
    "e": "èéêë",
    "i": "ìíîï",
    "n": "ñ",
    "o": "òóôõöø",
    "u": "ùúûü",
    "y": "ýÿ",
    "s": "š",
    "z": "ž",
}
plain_word = st.text(alphabet="abcdefghklmnoprstuwz", min_size=2, max_size=10).filter(lambda w: w not in PARTICLES)
particles = st.lists(st.sampled_from(sorted(PARTICLES - {"v", "d", "l", "s", "t"})), max_size=3)


@st.composite
def accented(draw, word: str) -> str:
    """The word with some letters accented and some upper case: what a typist or a foreign register makes of it."""
    letters = []
    for letter in word:
        if letter in ACCENTED and draw(st.booleans()):
            letter = draw(st.sampled_from(ACCENTED[letter]))
        letters.append(letter.upper() if draw(st.booleans()) else letter)
    return "".join(letters)


@pure
@given(name_text)
def test_folding_is_idempotent_and_leaves_only_lower_case_ascii_words(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == folded.strip() and "  " not in folded
    assert all(c.isascii() and (c.isalnum() or c == " ") and not c.isupper() for c in folded)


@pure
@given(name_text)
def test_keys_are_idempotent(text):
    assert first_name_key(first_name_key(text)) == first_name_key(text)
    assert surname_key(surname_key(text)) == surname_key(text)


@pure
@given(st.lists(plain_word, min_size=1, max_size=3).flatmap(lambda words: st.tuples(st.just(words), *[accented(w) for w in words])))
def test_accents_and_case_do_not_count(drawn):
    words, *variants = drawn
    assert surname_key(" ".join(variants)) == surname_key(" ".join(words))
    assert first_name_key("-".join(variants)) == first_name_key(" ".join(words))


@pure
@given(st.lists(plain_word, min_size=1, max_size=2), particles, st.sampled_from(["", "J.", "A.B.", "IJ.", "J.P.M."]))
@example(["vries"], ["de"], "IJ.")  # the Dutch letter IJ as an initial: "Vries, IJ. de" is still De Vries
def test_particles_count_nowhere_and_initials_in_the_surname_field_are_left_out(core, prefix, initials):
    """One key for "van der Jansen", tussenvoegsel "van der" with "Jansen", and "Jansen, J. van der"."""
    surname = " ".join(core)
    key = surname_key(surname)
    assert key
    assert surname_key(" ".join(prefix), surname) == key
    assert surname_key("", " ".join([*prefix, surname])) == key
    assert surname_key("", f"{surname}, {initials} {' '.join(prefix)}") == key


@pure
@given(st.lists(st.sampled_from(sorted(PARTICLES)), min_size=1, max_size=3))
def test_a_surname_of_particles_only_keeps_them(words):
    assert surname_key("", " ".join(words)) == " ".join(words).replace("ij", "y")


@pure
@given(
    st.lists(
        # Neither spelling a particle: "by" is a name, "bij" a particle.
        st.text(alphabet="abdeklmnorsty", min_size=2, max_size=10).filter(lambda w: {w, w.replace("y", "ij")}.isdisjoint(PARTICLES)),
        min_size=1,
        max_size=3,
    )
)
def test_ij_and_y_are_one_sound(words):
    """Meijer and Meyer, Bijl and Byl."""
    assert surname_key(" ".join(word.replace("y", "ij") for word in words)) == surname_key(" ".join(words))

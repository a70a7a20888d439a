"""Normalised names: what the matching and the search compare."""

import pytest

from spil.persons.names import first_name_key, fold, surname_key


@pytest.mark.parametrize(
    "parts",
    [
        ("van der", "Jansen"),
        ("", "van der Jansen"),
        ("", "Jansen, J. van der"),
        ("", "Jänsen"),
        ("V.D.", "JANSEN"),
        ("van der", "  jansen "),
    ],
)
def test_particles_accents_initials_and_case_do_not_count(parts):
    assert surname_key(*parts) == "jansen"


@pytest.mark.parametrize(
    "prefix, surname, key",
    [
        ("in 't", "Veld", "veld"),
        ("van 't", "Hek", "hek"),
        ("ter", "Horst", "horst"),
        ("den", "Uyl", "uyl"),
        ("", "d'Ancona", "ancona"),
        ("", "Jansen-de Vries", "jansen vries"),
        ("", "Çelik", "celik"),
        ("", "Müller-Lüdenscheidt", "muller ludenscheidt"),
        ("", "Øster", "oster"),
    ],
)
def test_dutch_particles_anywhere_and_foreign_letters(prefix, surname, key):
    assert surname_key(prefix, surname) == key


def test_ij_and_y_are_one_sound():
    assert surname_key("", "Meijer") == surname_key("", "Meyer") == "meyer"
    assert surname_key("de", "Bijl") == "byl"


def test_a_surname_of_particles_only_keeps_them():
    assert surname_key("", "Van") == "van"
    assert surname_key("", "de") == "de"


def test_first_names_keep_their_initials():
    assert first_name_key("J.P.") == "j p"
    assert first_name_key("Jan-Willem") == "jan willem"
    assert first_name_key("Élodie") == "elodie"
    assert fold("  Zoë  ") == "zoe"

"""Normalised names for matching: how "Jansen, J. van der", "van der Jansen" and "Jänsen" come to compare well.

A key is lower case, without accents (as PostgreSQL's `unaccent` does for the letters in Dutch names), without
punctuation, and, for the surname, without the Dutch particles ("van", "van der", "de", "in 't", ...) wherever they
were typed: in the tussenvoegsel field, before the surname or after it ("Jansen, J. van der"). Initials that ended
up in the surname field are left out too. Keys are computed in Python, both when a person is saved and for the
text that is compared with them, so the two always agree.
"""

import re
import unicodedata

# Tussenvoegsels (and the words they are made of). A surname that consists only of these keeps them.
# fmt: off
PARTICLES = frozenset(
    {
        "van", "der", "den", "de", "het", "t", "ten", "ter", "te", "in", "op", "aan", "bij", "uit", "onder", "over",
        "voor", "vd", "v", "d", "l", "s", "la", "le", "les", "du", "di", "da", "del", "della", "dos", "das", "el",
        "vanden", "vander", "vande", "von", "zu", "zum", "am", "im",
    }
)
# fmt: on

# Letters that NFKD does not split into a base letter and an accent; PostgreSQL's unaccent maps them like this.
_LETTERS = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents removed, everything but letters and digits turned into single spaces."""
    text = unicodedata.normalize("NFKD", (text or "").lower().translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NOT_ALNUM.sub(" ", text).strip()


def _sound(words: list[str]) -> str:
    # "ij" and "y" are one sound in Dutch names (Meijer, Meyer).
    return " ".join(words).replace("ij", "y")


def surname_key(*parts: str) -> str:
    """The surname without particles and initials: `surname_key("van der", "Jansen") == surname_key("Jansen, J. van
    der") == "jansen"`. Give the tussenvoegsel and the surname, in any order, or a whole name as typed."""
    words = fold(" ".join(p for p in parts if p)).split()
    # A particle is recognised as typed ("bij"); an initial by its sound, so the Dutch letter IJ ("IJ.") is one too.
    core = [w for w in words if w not in PARTICLES and len(_sound([w])) > 1]
    return _sound(core or words)


def first_name_key(first_names: str) -> str:
    """The first names (or initials) folded: "Jan-Willem" -> "jan willem", "J.P." -> "j p"."""
    return _sound(fold(first_names).split())

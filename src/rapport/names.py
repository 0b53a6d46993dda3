"""How names are compared: one folding shared by the core and by shell completion."""

import unicodedata
from typing import Any

# Letters that Unicode does not decompose into a base letter and an accent,
# written as people type them on a keyboard without that letter.
LATIN_LETTERS = str.maketrans(
    {
        "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
        "ħ": "h", "Ħ": "h", "\u0131": "i", "ŧ": "t", "Ŧ": "t", "ß": "ss", "ẞ": "ss",
        "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th",
    }
)  # fmt: skip


def name_key(name: str) -> str:
    """Fold case and accents so that 'jose' finds 'José', 'lukasz' 'Łukasz', 'soren' 'Søren'."""
    if name.isascii():  # nothing to decompose: the same result, letter by letter loop spared
        return " ".join(name.lower().split())
    decomposed = unicodedata.normalize("NFKD", name).translate(LATIN_LETTERS)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


# Marks inside a name that people leave out when they type it: O'Brien is typed obrien,
# "Dr. Wei" dr wei. Other punctuation (hyphens, quotes, commas) separates words.
_DROPPED_MARKS = "'\u2019\u2018`."
_DROPPED = str.maketrans("", "", _DROPPED_MARKS)
_SEPARATORS = str.maketrans(
    {ch: " " for ch in '-\u2010\u2013\u2014"\u201c\u201d\u00ab\u00bb,;:()[]{}/&!?'}
)


def loose_key(name: str) -> str:
    """``name_key`` without punctuation: what matches when the typed form leaves it out."""
    return " ".join(name_key(name).translate(_DROPPED).translate(_SEPARATORS).split())


def loose_sql(column: Any) -> Any:
    """``loose_key`` of a stored ``name_key`` column, in SQL (both SQLite and PostgreSQL)."""
    from sqlalchemy import func

    for ch in _DROPPED_MARKS:
        column = func.replace(column, ch, "")
    for ch in '-"\u201c\u201d,()':
        column = func.replace(column, ch, " ")
    for _ in range(2):  # the spaces a separator leaves beside a space
        column = func.replace(column, "  ", " ")
    return func.trim(column)

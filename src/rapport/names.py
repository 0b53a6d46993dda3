"""How names are compared: one folding shared by the core and by shell completion."""

import unicodedata

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
    decomposed = unicodedata.normalize("NFKD", name).translate(LATIN_LETTERS)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())

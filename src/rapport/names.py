"""How names are compared: one folding shared by the core and by shell completion."""

import unicodedata


def name_key(name: str) -> str:
    """Fold case and accents so that 'jose' finds 'José' in either Unicode form."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())

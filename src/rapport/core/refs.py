"""References: the short names of records, i12, c3, p2, g5, s7, that commands accept.

A bare number (``3``, ``#3``) names a commitment or a problem, as it always has:
``done 3`` and ``resolve 3`` say which; elsewhere it must name only one of them.
"""

from typing import Any

from sqlmodel import Session

from rapport.errors import Ambiguous, BadValue, NotFound
from rapport.models import Commitment, Gesture, Interaction, Problem, StageChange

Record = Interaction | Commitment | Problem | Gesture | StageChange
KINDS: dict[str, type[Any]] = {
    "i": Interaction,
    "c": Commitment,
    "p": Problem,
    "g": Gesture,
    "s": StageChange,
}
NAMES = {
    "i": "interaction",
    "c": "commitment",
    "p": "problem",
    "g": "gesture",
    "s": "stage change",
}
PREFIX = {model: prefix for prefix, model in KINDS.items()}
FORMS = "i12 (interaction), c3 (commitment), p2 (problem), g5 (gesture) or s7 (stage change)"


def ref(record: Any) -> str:
    """The reference of a record: ``c3`` for commitment 3."""
    return f"{PREFIX[type(record)]}{record.id}"


def ref_of(prefix: str, ident: int | None) -> str:
    return f"{prefix}{ident}"


def parse(text: str, bare: str | None = None) -> tuple[str | None, int]:
    """The kind letter and number ``text`` names; no letter (None) for a bare number
    when ``bare`` does not say which kind it means."""
    cleaned = text.strip().lower().lstrip("#")
    prefix = cleaned[:1] if cleaned[:1].isalpha() else None
    digits = cleaned[1:] if prefix else cleaned
    if (prefix is not None and prefix not in KINDS) or not digits.isdecimal():
        raise BadValue(f"bad reference '{text}': give {FORMS}")
    number = int(digits)
    if number.bit_length() >= 64:  # SQLite ids are 64-bit
        raise NotFound(f"no {NAMES[prefix or bare or 'c']} {number}")
    return prefix or bare, number


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def find(session: Session, text: str, *, kinds: str = "icpgs", bare: str | None = None) -> Any:
    """The record ``text`` names, of one of ``kinds``; a bare number is ``bare``, or else
    the one commitment or problem of that number."""
    prefix, number = parse(text, bare)
    if prefix is None:
        found = {p: session.get(KINDS[p], number) for p in "cp" if p in kinds}
        there = [p for p, record in found.items() if record is not None]
        if len(there) > 1:
            raise Ambiguous(f"{number} is both c{number} and p{number}: say which")
        if not there:
            raise NotFound(f"no commitment or problem {number}")
        return found[there[0]]
    if prefix not in kinds:
        wanted = " or ".join(NAMES[k] for k in kinds)
        raise BadValue(f"{text.strip()} is {_a(NAMES[prefix])}: give {_a(wanted)}")
    record = session.get(KINDS[prefix], number)
    if record is None:
        raise NotFound(f"no {NAMES[prefix]} {prefix}{number}")
    return record

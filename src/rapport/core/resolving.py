"""Which person a name names: a number, a fragment of a name, a company or an email."""

import difflib
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, func, select

from rapport.errors import Ambiguous, BadValue, NotFound
from rapport.models import Person
from rapport.names import loose_key, loose_sql, name_key

SHOWN_MATCHES = 5


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def resolve(session: Session, text: str) -> Person:
    """The one person that ``text`` (a number, a fragment of a name, a company or email) names.

    An exact name is an index lookup on ``name_key``; a fragment is matched in SQL, first as
    typed, then without punctuation (obrien finds O'Brien), then against companies and emails.
    """
    wanted = text.strip()
    if wanted.lstrip("#").isdecimal():
        number = int(wanted.lstrip("#"))
        # SQLite ids are 64-bit: a longer number names no one (and would not bind).
        person = session.get(Person, number) if number.bit_length() < 64 else None
        if person is None:
            raise NotFound(f"no person #{wanted.lstrip('#')}")
        return person
    key = name_key(wanted)
    if not key:
        raise BadValue("empty person name")
    exact = session.exec(select(Person).where(Person.name_key == key).limit(2)).all()
    if len(exact) == 1:
        return exact[0]
    loose = loose_key(wanted)
    stored = col(Person.name_key)
    searches: list[Any] = [stored.like(_like(key), escape="\\")]
    if loose:
        searches.append(loose_sql(stored).like(_like(loose), escape="\\"))
        lowered = _like(wanted.casefold())
        searches.append(
            func.lower(col(Person.company)).like(lowered, escape="\\")
            | func.lower(col(Person.email)).like(lowered, escape="\\")
        )
    for where in searches:
        found = session.exec(
            select(Person).where(where).order_by(col(Person.id)).limit(SHOWN_MATCHES + 1)
        ).all()
        if len(found) == 1:
            return found[0]
        if found:
            raise Ambiguous(_several(session, wanted, where, found))
    raise NotFound(f"no one matches '{wanted}'{_suggest(session, key)}")


def _several(session: Session, wanted: str, where: Any, found: Sequence[Person]) -> str:
    shown = ", ".join(f"#{p.id} {p.name}" for p in found[:SHOWN_MATCHES])
    if len(found) > SHOWN_MATCHES:
        total = session.exec(select(func.count()).select_from(Person).where(where)).one()
        shown += f" and {total - SHOWN_MATCHES} more"
    return f"'{wanted}' matches several people: {shown}; use the number"


def _suggest(session: Session, key: str) -> str:
    """The closest names to a near miss, best first; none when nothing is close."""
    typed = loose_key(key)
    scores: dict[str, float] = {}
    for name, person_key in session.exec(select(Person.name, Person.name_key)):
        words = loose_key(person_key)
        parts = (words, *words.split())
        best = max(difflib.SequenceMatcher(None, typed, part).ratio() for part in parts)
        if best >= 0.6:
            scores[name] = max(best, scores.get(name, 0.0))
    top = max(scores.values(), default=0.0)
    # Only the closest: a far second (margret: Margaret, not Martin) is noise.
    names = sorted((n for n in scores if scores[n] >= top - 0.1), key=lambda n: -scores[n])[:3]
    return f"; did you mean {' or '.join(names)}?" if names else ""


def resolve_many(session: Session, text: str) -> list[Person]:
    """People named in a comma-separated list, each once, in the order given."""
    parts = [part for part in text.split(",") if part.strip()]
    if not parts:
        raise BadValue("name at least one person")
    people: dict[int | None, Person] = {}
    for part in parts:
        person = resolve(session, part)
        people.setdefault(person.id, person)
    return list(people.values())

"""Finding records by their words: what a query means, and the hits it brings back."""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from rapport.core.choices import pick
from rapport.core.journal import check_channel
from rapport.errors import BadValue
from rapport.models import (
    Commitment,
    Gesture,
    Interaction,
    InteractionPerson,
    InteractionTag,
    Person,
    PersonTag,
    Problem,
    StageChange,
)
from rapport.names import name_key
from rapport.render import Listing
from rapport.store.fts import SOURCES, Filters, Term, find

SEARCH = Listing(
    "search",
    ("rank", "kind", "ref", "at", "person", "text"),
    frozenset({"rank", "kind", "ref", "at"}),
)
KINDS = tuple(SOURCES)
PREFIXES = {"interaction": "i", "commitment": "c", "problem": "p", "gesture": "g", "stage": "s"}
# A word as FTS5's unicode61 tokenizer sees one: letters and digits, nothing else.
WORD = re.compile(r"[^\W_]+")
PIECE = re.compile(r'"([^"]*)"|(\S+)')
HINT = 'give words, "a phrase" or a prefix such as pric*'


def parse_query(query: str) -> list[Term]:
    """Every word must match; "quoted words" match as a phrase; a trailing * makes a prefix.

    Anything else (AND, OR, NEAR, a lone quote or star) is read as plain words.
    """
    terms = []
    for phrase, word in PIECE.findall(query):
        piece = phrase or word.replace('"', " ")
        words = tuple(WORD.findall(name_key(piece)))
        if words:
            terms.append(Term(words, prefix=piece.rstrip().endswith("*")))
    if not terms:
        raise BadValue(f"nothing to search for in '{query}': {HINT}")
    return terms


def check_kind(kind: str) -> str:
    return pick(kind.strip().lower().removesuffix("s"), KINDS, "kind", "kinds")


def ref_of(kind: str, record_id: int) -> str:
    """How the hit is named on the command line: i12, c3… and #7 for a person."""
    return f"{PREFIXES[kind]}{record_id}" if kind in PREFIXES else f"#{record_id}"


def journal_tags(session: Session, tag: str) -> list[str]:
    """The journal's own spellings of ``tag``, folded in Python so any alphabet works."""
    wanted = tag.strip().casefold()
    known = {
        *session.exec(select(PersonTag.tag).distinct()),
        *session.exec(select(InteractionTag.tag).distinct()),
    }
    return sorted(t for t in known if t.casefold() == wanted)


@dataclass(frozen=True)
class Hit:
    kind: str
    ref: str
    at: datetime
    people: tuple[str, ...]
    text: str


def search(
    session: Session,
    query: str,
    *,
    person: Person | None = None,
    kind: str | None = None,
    channel: str | None = None,
    tag: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> list[Hit]:
    """The records whose words match ``query``, best first, newest first among equals."""
    terms = parse_query(query)
    tags: list[str] = []
    if tag is not None:
        tags = journal_tags(session, tag)
        if not tags:
            return []
    filters = Filters(
        kind=check_kind(kind) if kind is not None else None,
        person_id=person.id if person is not None else None,
        channel=check_channel(channel) if channel is not None else None,
        tags=tags,
        since=since,
        until=until,
    )
    found = find(session.connection(), terms, filters, limit)
    details = dict(_details(session, found))
    return [details[ref] for ref in found if ref in details]


Ref = tuple[str, int]
CHUNK = 500
# What a hit shows of each kind: the columns that date it and word it, as typed.
SHOWN: dict[str, tuple[Any, str, tuple[str, ...]]] = {
    "person": (
        Person,
        "created_at",
        ("name", "company", "email", "current_state", "desired_outcome"),
    ),
    "interaction": (Interaction, "at", ("text", "heard")),
    "commitment": (Commitment, "created_at", ("text", "why")),
    "problem": (Problem, "opened_at", ("text", "note")),
    "gesture": (Gesture, "at", ("kind", "text")),
    "stage": (StageChange, "at", ("stage", "why")),
}


def _text(kind: str, words: Sequence[str | None]) -> str:
    if kind == "person":
        return " · ".join(w for w in words if w)
    if kind == "interaction":
        text, heard = words
        return ((text or "") + (f" [heard: {heard}]" if heard else "")).strip()
    return ": ".join(w for w in words if w)


def _people_query(kind: str) -> Any:
    """(record id, name) of the people of the records whose ids are bound to ``ids``."""
    ids: Any = bindparam("ids", expanding=True)
    if kind == "person":
        return select(Person.id, Person.name).where(col(Person.id).in_(ids))
    if kind == "interaction":
        link = InteractionPerson
        return (
            select(link.interaction_id, Person.name)
            .join(Person, col(Person.id) == link.person_id)
            .where(col(link.interaction_id).in_(ids))
            .order_by(col(link.position))
        )
    model = SHOWN[kind][0]
    return (
        select(model.id, Person.name)
        .join(Person, col(Person.id) == model.person_id)
        .where(col(model.id).in_(ids))
    )


def _details(session: Session, found: Sequence[Ref]) -> Iterator[tuple[Ref, Hit]]:
    """What each hit shows: its time, its people and its own words, read as tuples.

    Each kind's queries are built once and the ids bound as each chunk runs: building
    a new query around 500 literal ids cost more than running it.
    """
    wanted: dict[str, list[int]] = {}
    for kind, record_id in found:
        wanted.setdefault(kind, []).append(record_id)
    for kind, all_ids in wanted.items():
        model, dated, words = SHOWN[kind]
        columns = [getattr(model, c) for c in (dated, *words)]
        shown = select(model.id, *columns).where(
            col(model.id).in_(bindparam("ids", expanding=True))
        )
        named = _people_query(kind)
        for start in range(0, len(all_ids), CHUNK):
            ids = {"ids": all_ids[start : start + CHUNK]}
            people: dict[int, list[str]] = {}
            for record_id, name in session.exec(named, params=ids):
                people.setdefault(record_id, []).append(name)
            for record_id, at, *text in session.exec(shown, params=ids):
                hit = Hit(
                    kind,
                    ref_of(kind, record_id),
                    at,
                    tuple(people.get(record_id, [])),
                    _text(kind, text),
                )
                yield (kind, record_id), hit


def hit_records(hits: Sequence[Hit]) -> Iterator[dict[str, object]]:
    for rank, hit in enumerate(hits, start=1):
        yield {
            "rank": rank,
            "kind": hit.kind,
            "ref": hit.ref,
            "at": hit.at,
            "person": list(hit.people),
            "text": hit.text,
        }


def matches(text: str, terms: Sequence[Term]) -> list[tuple[int, int]]:
    """Where the query's words stand in ``text`` (start, end), to highlight them."""
    whole = {w for t in terms for w in (t.words if not t.prefix else t.words[:-1])}
    starts = [t.words[-1] for t in terms if t.prefix]
    spans = []
    for found in WORD.finditer(text):
        key = name_key(found.group())
        if key in whole or any(key.startswith(s) for s in starts):
            spans.append(found.span())
    return spans

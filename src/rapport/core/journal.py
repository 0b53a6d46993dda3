"""Interactions and the timeline of everything that happened with someone."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from rapport.core.choices import pick
from rapport.core.people import clean_tags
from rapport.errors import BadValue
from rapport.models import (
    Commitment,
    Gesture,
    Interaction,
    InteractionPerson,
    InteractionTag,
    Person,
    Problem,
    StageChange,
    pk,
)
from rapport.vocab import CHANNEL_ALIASES, CHANNELS, MOODS, STARTERS

Owned = TypeVar("Owned", StageChange, Commitment, Problem, Gesture)


def check_channel(channel: str) -> str:
    return pick(channel, CHANNELS, "channel", "channels", CHANNEL_ALIASES)


def check_starter(started_by: str) -> str:
    """Who started a conversation: me or them (a prefix is enough)."""
    return pick(started_by, STARTERS, "--from value", "one of")


HEARD_STATES = ("open", "confirmed", "corrected")


def heard_and_starter(row: Any, now: datetime) -> dict[str, Any]:
    """Who started an interaction and the state of what was heard, from an import row."""
    started_by, state = row.literal("started_by"), row.literal("heard_state")
    return {
        "started_by": check_starter(started_by) if started_by else None,
        "heard_state": pick(state, HEARD_STATES, "heard_state", "states") if state else None,
        "heard_correction": row.text("heard_correction"),
        "heard_checked_at": row.moment("heard_checked_at", now),
    }


def parse_mood(mood: str) -> int:
    """-2..2, or one of upset, frustrated, neutral, pleased, delighted."""
    wanted = mood.strip().lower()
    digits = wanted.lstrip("+-")
    if digits.isascii() and digits.isdigit() and -2 <= int(wanted) <= 2:
        return int(wanted)
    words = [word for word in MOODS if wanted and word.startswith(wanted)]
    if len(words) == 1:
        return MOODS[words[0]]
    raise BadValue(f"unknown mood '{mood}' (-2..2 or {', '.join(MOODS)})")


def log_interaction(
    session: Session,
    people: Sequence[Person],
    text: str,
    *,
    at: datetime,
    channel: str = "call",
    mood: int | None = None,
    heard: str | None = None,
    tags: Iterable[str] = (),
    author: str | None = None,
    started_by: str | None = None,
) -> Interaction:
    text = text.strip()
    heard = heard.strip() if heard and heard.strip() else None
    if not text and not heard:
        raise BadValue("nothing to log: give the text, pipe it on standard input, or use $EDITOR")
    interaction = Interaction(
        at=at,
        channel=check_channel(channel),
        mood=mood,
        text=text,
        heard=heard,
        heard_state="open" if heard else None,
        author=author,
        started_by=None if started_by is None else check_starter(started_by),
    )
    session.add(interaction)
    session.flush()
    for position, person in enumerate(people):
        session.add(
            InteractionPerson(
                interaction_id=pk(interaction),
                person_id=pk(person),
                position=position,
                at=interaction.at,
                channel=interaction.channel,
            )
        )
    for tag in clean_tags(tags):
        session.add(InteractionTag(interaction_id=pk(interaction), tag=tag))
    return interaction


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    people: tuple[str, ...]
    text: str
    ref: str | None = None
    mood: int | None = None


def _window(column: Any, since: datetime | None, until: datetime | None) -> list[Any]:
    bounds = []
    if since is not None:
        bounds.append(col(column) >= since)
    if until is not None:
        bounds.append(col(column) < until)
    return bounds


def _interaction_events(
    session: Session, person: Person | None, since: datetime | None, until: datetime | None
) -> Iterator[Event]:
    names = dict(session.exec(select(Person.id, Person.name)).all())
    items = select(Interaction).where(*_window(Interaction.at, since, until))
    if person is not None:
        mine = select(InteractionPerson.interaction_id).where(
            InteractionPerson.person_id == person.id
        )
        items = items.where(col(Interaction.id).in_(mine))
    chosen = items.with_only_columns(col(Interaction.id))
    who: dict[int, list[str]] = {}
    for link in session.exec(
        select(InteractionPerson)
        .where(col(InteractionPerson.interaction_id).in_(chosen))
        .order_by(col(InteractionPerson.position))
    ):
        who.setdefault(link.interaction_id, []).append(names.get(link.person_id, "?"))
    for item in session.exec(items):
        text = f"{item.channel}: {item.text}" if item.text else item.channel
        if item.heard:
            text += f" [heard: {item.heard}]"
        people = tuple(who.get(pk(item), []))
        yield Event(item.at, "interaction", people, text, f"i{item.id}", item.mood)


def _person_events(
    session: Session, person: Person | None, since: datetime | None, until: datetime | None
) -> Iterator[Event]:
    names = dict(session.exec(select(Person.id, Person.name)).all())

    def owned(model: type[Owned], *where: Any) -> Sequence[Owned]:
        query = select(model).where(*where)
        if person is not None:
            query = query.where(model.person_id == person.id)
        return session.exec(query).all()

    def of(record: Owned) -> tuple[str, ...]:
        return (names[record.person_id],)

    for change in owned(StageChange, *_window(StageChange.at, since, until)):
        why = f": {change.why}" if change.why else ""
        yield Event(change.at, "stage", of(change), change.stage + why, f"s{change.id}")
    for c in owned(Commitment):
        ref = f"c{c.id}"
        label = "I promised" if c.direction == "mine" else "they promised"
        yield Event(c.created_at, "commitment", of(c), f"{label}: {c.text} (due {c.due})", ref)
        if c.closed_at is not None:
            outcome = c.status + (f" ({c.why})" if c.why else "")
            yield Event(c.closed_at, "commitment", of(c), f"{outcome}: {c.text}", ref)
    for p in owned(Problem):
        ref = f"p{p.id}"
        yield Event(p.opened_at, "problem", of(p), f"opened: {p.text}", ref)
        if p.resolved_at is not None:
            note = f" ({p.note})" if p.note else ""
            yield Event(p.resolved_at, "problem", of(p), f"resolved: {p.text}{note}", ref)
    for g in owned(Gesture, *_window(Gesture.at, since, until)):
        yield Event(g.at, "gesture", of(g), g.kind + (f": {g.text}" if g.text else ""), f"g{g.id}")


def timeline(
    session: Session,
    person: Person | None = None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Event]:
    """Every event, oldest first, for one person or everyone, in [since, until)."""

    def inside(event: Event) -> bool:
        return (since is None or event.at >= since) and (until is None or event.at < until)

    events = [
        *_person_events(session, person, since, until),
        *_interaction_events(session, person, since, until),
    ]
    return sorted((e for e in events if inside(e)), key=lambda e: e.at)

"""Interactions and the timeline of everything that happened with someone."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlmodel import Session, col, select

from rapport.core.choices import pick
from rapport.core.people import _clean_tags
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
from rapport.vocab import CHANNELS, MOODS

Owned = TypeVar("Owned", StageChange, Commitment, Problem, Gesture)


def check_channel(channel: str) -> str:
    return pick(channel, CHANNELS, "channel", "channels")


def parse_mood(mood: str) -> int:
    """-2..2, or one of upset, frustrated, neutral, pleased, delighted."""
    wanted = mood.strip().lower()
    if wanted in MOODS:
        return MOODS[wanted]
    try:
        value = int(wanted)
    except ValueError:
        value = 99
    if -2 <= value <= 2:
        return value
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
) -> Interaction:
    text = text.strip()
    heard = heard.strip() if heard and heard.strip() else None
    if not text and not heard:
        raise BadValue("nothing to log: give the text, pipe it on standard input, or use $EDITOR")
    interaction = Interaction(
        at=at, channel=check_channel(channel), mood=mood, text=text, heard=heard, author=author
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
    for tag in _clean_tags(tags):
        session.add(InteractionTag(interaction_id=pk(interaction), tag=tag))
    return interaction


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    person: str
    text: str
    ref: str | None = None
    mood: int | None = None


def _interaction_events(session: Session, person: Person | None) -> Iterator[Event]:
    names = dict(session.exec(select(Person.id, Person.name)).all())
    links = select(InteractionPerson).order_by(col(InteractionPerson.position))
    items = select(Interaction)
    if person is not None:
        mine = select(InteractionPerson.interaction_id).where(
            InteractionPerson.person_id == person.id
        )
        links = links.where(col(InteractionPerson.interaction_id).in_(mine))
        items = items.where(col(Interaction.id).in_(mine))
    who: dict[int, list[str]] = {}
    for link in session.exec(links):
        who.setdefault(link.interaction_id, []).append(names.get(link.person_id, "?"))
    for item in session.exec(items):
        text = f"{item.channel}: {item.text}" if item.text else item.channel
        if item.heard:
            text += f" [heard: {item.heard}]"
        yield Event(item.at, "interaction", "; ".join(who.get(pk(item), [])), text, None, item.mood)


def _person_events(session: Session, person: Person | None) -> Iterator[Event]:
    names = dict(session.exec(select(Person.id, Person.name)).all())

    def owned(model: type[Owned]) -> Sequence[Owned]:
        query = select(model)
        if person is not None:
            query = query.where(model.person_id == person.id)
        return session.exec(query).all()

    for change in owned(StageChange):
        text = change.stage + (f": {change.why}" if change.why else "")
        yield Event(change.at, "stage", names[change.person_id], text)
    for c in owned(Commitment):
        ref = f"commitment {c.id}"
        label = "I promised" if c.direction == "mine" else "they promised"
        yield Event(
            c.created_at, "commitment", names[c.person_id], f"{label}: {c.text} (due {c.due})", ref
        )
        if c.closed_at is not None:
            outcome = c.status + (f" ({c.why})" if c.why else "")
            yield Event(c.closed_at, "commitment", names[c.person_id], f"{outcome}: {c.text}", ref)
    for p in owned(Problem):
        ref = f"problem {p.id}"
        yield Event(p.opened_at, "problem", names[p.person_id], f"opened: {p.text}", ref)
        if p.resolved_at is not None:
            note = f" ({p.note})" if p.note else ""
            yield Event(
                p.resolved_at, "problem", names[p.person_id], f"resolved: {p.text}{note}", ref
            )
    for g in owned(Gesture):
        yield Event(g.at, "gesture", names[g.person_id], g.kind + (f": {g.text}" if g.text else ""))


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

    events = [*_person_events(session, person), *_interaction_events(session, person)]
    return sorted((e for e in events if inside(e)), key=lambda e: e.at)

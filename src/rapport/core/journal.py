"""Interactions and the timeline of everything that happened with someone."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from rapport.core.people import _clean_tags
from rapport.errors import BadValue
from rapport.models import (
    CHANNELS,
    MOODS,
    Commitment,
    Gesture,
    Interaction,
    InteractionPerson,
    InteractionTag,
    Person,
    Problem,
    StageChange,
)

MOOD_WORDS = {value: word for word, value in MOODS.items()}


def check_channel(channel: str) -> str:
    wanted = channel.strip().lower()
    if wanted in CHANNELS:
        return wanted
    matches = [c for c in CHANNELS if wanted and c.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    raise BadValue(f"unknown channel '{channel}' (channels: {', '.join(CHANNELS)})")


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
                interaction_id=interaction.id, person_id=person.id, position=position
            )
        )
    for tag in _clean_tags(tags):
        session.add(InteractionTag(interaction_id=interaction.id, tag=tag))
    return interaction


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    person: str
    text: str
    ref: str | None = None
    mood: int | None = None


def _between(column: object, since: datetime | None, until: datetime | None) -> list[object]:
    clauses: list[object] = []
    if since is not None:
        clauses.append(col(column) >= since)  # type: ignore[call-overload]
    if until is not None:
        clauses.append(col(column) < until)  # type: ignore[call-overload]
    return clauses


def timeline(
    session: Session,
    person: Person | None = None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Event]:
    """Every event, oldest first, for one person or everyone, in [since, until)."""
    events: list[Event] = []
    names = dict(session.exec(select(Person.id, Person.name)).all())

    links = select(InteractionPerson)
    if person is not None:
        ids = select(InteractionPerson.interaction_id).where(
            InteractionPerson.person_id == person.id
        )
        links = links.where(col(InteractionPerson.interaction_id).in_(ids))
    who: dict[int, list[str]] = {}
    for link in session.exec(links.order_by(InteractionPerson.position)):
        who.setdefault(link.interaction_id, []).append(names.get(link.person_id, "?"))
    query = select(Interaction).where(*_between(Interaction.at, since, until))  # type: ignore[arg-type]
    if person is not None:
        query = query.where(col(Interaction.id).in_(list(who) or [-1]))
    for item in session.exec(query):
        text = f"{item.channel}: {item.text}" if item.text else item.channel
        if item.heard:
            text += f" [heard: {item.heard}]"
        events.append(
            Event(item.at, "interaction", "; ".join(who.get(item.id or 0, [])), text, None, item.mood)
        )

    def mine(model: type[StageChange] | type[Commitment] | type[Problem] | type[Gesture]) -> object:
        return model.person_id == person.id if person is not None else True

    for change in session.exec(
        select(StageChange).where(mine(StageChange), *_between(StageChange.at, since, until))  # type: ignore[arg-type]
    ):
        text = change.stage + (f": {change.why}" if change.why else "")
        events.append(Event(change.at, "stage", names.get(change.person_id, "?"), text))
    for c in session.exec(select(Commitment).where(mine(Commitment))):  # type: ignore[arg-type]
        who_name = names.get(c.person_id, "?")
        ref = f"commitment {c.id}"
        label = "I promised" if c.direction == "mine" else "they promised"
        events.append(Event(c.created_at, "commitment", who_name, f"{label}: {c.text} (due {c.due})", ref))
        if c.closed_at is not None:
            outcome = c.status + (f": {c.why}" if c.why else "")
            events.append(Event(c.closed_at, "commitment", who_name, f"{outcome} — {c.text}", ref))
    for p in session.exec(select(Problem).where(mine(Problem))):  # type: ignore[arg-type]
        who_name = names.get(p.person_id, "?")
        ref = f"problem {p.id}"
        events.append(Event(p.opened_at, "problem", who_name, f"opened: {p.text}", ref))
        if p.resolved_at is not None:
            note = f" — {p.note}" if p.note else ""
            events.append(Event(p.resolved_at, "problem", who_name, f"resolved: {p.text}{note}", ref))
    for g in session.exec(
        select(Gesture).where(mine(Gesture), *_between(Gesture.at, since, until))  # type: ignore[arg-type]
    ):
        text = g.kind + (f": {g.text}" if g.text else "")
        events.append(Event(g.at, "gesture", names.get(g.person_id, "?"), text))

    def inside(event: Event) -> bool:
        return (since is None or event.at >= since) and (until is None or event.at < until)

    return sorted((e for e in events if inside(e)), key=lambda e: (e.at, e.kind))

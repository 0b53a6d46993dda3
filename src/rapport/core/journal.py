"""Interactions and the timeline of everything that happened with someone."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import and_, or_
from sqlalchemy import select as sa_select
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
    day_only: bool = False,
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
        day_only=day_only,
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
    day_only: bool = False  # no time of day was given
    author: str | None = None  # who logged it or made the commitment, on a shared journal


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
    i = Interaction
    columns = (i.id, i.at, i.channel, i.text, i.heard, i.mood, i.day_only, i.author)
    items: Any = sa_select(*(col(c) for c in columns)).where(*_window(i.at, since, until))
    if person is not None:
        mine = select(InteractionPerson.interaction_id).where(
            InteractionPerson.person_id == person.id
        )
        items = items.where(col(i.id).in_(mine))
    chosen = items.with_only_columns(col(i.id))
    who: dict[int, list[str]] = {}
    connection = session.connection()
    for iid, name in connection.execute(
        select(InteractionPerson.interaction_id, Person.name)
        .join(Person, col(Person.id) == InteractionPerson.person_id)
        .where(col(InteractionPerson.interaction_id).in_(chosen))
        .order_by(col(InteractionPerson.position))
    ):
        who.setdefault(iid, []).append(name)
    # Tuples, not records: a timeline of everyone reads thousands of conversations.
    for iid, at, channel, text, heard, mood, day_only, author in connection.execute(items):
        shown = f"{channel}: {text}" if text else channel
        if heard:
            shown += f" [heard: {heard}]"
        yield Event(
            at,
            "interaction",
            tuple(who.get(iid, [])),
            shown,
            f"i{iid}",
            mood,
            day_only,
            author,
        )


def _person_events(
    session: Session, person: Person | None, since: datetime | None, until: datetime | None
) -> Iterator[Event]:
    def owned(model: type[Owned], *where: Any) -> Iterator[tuple[Owned, tuple[str, ...]]]:
        """The records in the window, each with the name of its person, in id order."""
        query = (
            select(model, Person.name)
            .join(Person, col(Person.id) == model.person_id)
            .where(*where)
            .order_by(col(model.id))
        )
        if person is not None:
            query = query.where(model.person_id == person.id)
        for record, name in session.exec(query):
            yield record, (name,)

    def either(*moments: Any) -> list[Any]:
        """Records with any of their moments in the window (all of them when there is none)."""
        if since is None and until is None:
            return []
        return [or_(*(and_(*_window(moment, since, until)) for moment in moments))]

    for change, who in owned(StageChange, *_window(StageChange.at, since, until)):
        why = f": {change.why}" if change.why else ""
        yield Event(change.at, "stage", who, change.stage + why, f"s{change.id}")
    for c, who in owned(Commitment, *either(Commitment.created_at, Commitment.closed_at)):
        ref = f"c{c.id}"
        label = "I promised" if c.direction == "mine" else "they promised"
        made = f"{label}: {c.text} (due {c.due})"
        yield Event(c.created_at, "commitment", who, made, ref, author=c.author)
        if c.closed_at is not None:
            outcome = c.status + (f" ({c.why})" if c.why else "")
            yield Event(c.closed_at, "commitment", who, f"{outcome}: {c.text}", ref)
    for p, who in owned(Problem, *either(Problem.opened_at, Problem.resolved_at)):
        ref = f"p{p.id}"
        yield Event(p.opened_at, "problem", who, f"opened: {p.text}", ref)
        if p.resolved_at is not None:
            note = f" ({p.note})" if p.note else ""
            yield Event(p.resolved_at, "problem", who, f"resolved: {p.text}{note}", ref)
    for g, who in owned(Gesture, *_window(Gesture.at, since, until)):
        yield Event(g.at, "gesture", who, g.kind + (f": {g.text}" if g.text else ""), f"g{g.id}")


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

"""Correcting the journal: amend a record, delete it, reopen it, and list what is open."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from sqlmodel import Session, col, select

from rapport.core.commitments import check_kind
from rapport.core.journal import check_channel, check_starter
from rapport.core.people import check_stage, clean_tags, settle_stage
from rapport.core.refs import NAMES, PREFIX, ref
from rapport.core.rules import (
    closed_after,
    in_past,
    move_due,
    resolved_after,
    set_people,
    sync_links,
)
from rapport.errors import BadValue, Conflict
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
from rapport.render import Listing


@dataclass
class Amendment:
    """What to change in a record; None leaves a field as it is, "" clears an optional text."""

    text: str | None = None
    heard: str | None = None
    started_by: str | None = None
    channel: str | None = None
    mood: int | None = None
    at: datetime | None = None
    people: list[Person] | None = None
    tags: list[str] = field(default_factory=list)
    untag: list[str] = field(default_factory=list)
    due: date | None = None
    direction: str | None = None
    resolved: datetime | None = None
    note: str | None = None
    kind: str | None = None
    stage: str | None = None
    why: str | None = None

    def given(self) -> list[str]:
        return [name for name, value in vars(self).items() if value not in (None, [])]


# The options each kind of record takes, by the Amendment field that carries them.
FIELDS: dict[type[Any], tuple[str, ...]] = {
    Interaction: (
        "text",
        "heard",
        "channel",
        "mood",
        "at",
        "people",
        "tags",
        "untag",
        "started_by",
    ),
    Commitment: ("text", "due", "direction", "at", "why"),
    Problem: ("text", "at", "resolved", "note"),
    Gesture: ("kind", "text", "at"),
    StageChange: ("stage", "why", "at"),
}
OPTION = {"people": "--with", "untag": "--untag", "tags": "--tag", "started_by": "--from"}


def option(name: str) -> str:
    return OPTION.get(name, "--" + name)


def _optional(text: str) -> str | None:
    return text.strip() or None


def _required(text: str, what: str) -> str:
    if not text.strip():
        raise BadValue(f"{what} can't be empty")
    return text.strip()


def amend(
    session: Session, record: Any, change: Amendment, *, now: datetime, zone: tzinfo
) -> list[str]:
    """Apply ``change`` to ``record`` under the rules its command enforces; the fields changed."""
    allowed = FIELDS[type(record)]
    wrong = [name for name in change.given() if name not in allowed]
    if wrong:
        takes = ", ".join(option(name) for name in allowed)
        what = NAMES[PREFIX[type(record)]]
        raise BadValue(f"{option(wrong[0])} is not for {what}s ({ref(record)} takes {takes})")
    if change.at is not None:
        in_past(change.at, now)
    if change.resolved is not None:
        in_past(change.resolved, now, option="--resolved")
    before = record.model_dump()
    changed: list[str] = []
    if isinstance(record, Interaction):
        changed = _interaction(session, record, change)
    elif isinstance(record, Commitment):
        _commitment(record, change, zone)
    elif isinstance(record, Problem):
        _problem(record, change, zone)
    elif isinstance(record, Gesture):
        record.kind = check_kind(change.kind) if change.kind is not None else record.kind
        record.text = _optional(change.text) if change.text is not None else record.text
        record.at = change.at or record.at
    else:
        record.stage = check_stage(change.stage) if change.stage is not None else record.stage
        record.why = _optional(change.why) if change.why is not None else record.why
        record.at = change.at or record.at
    shown = {"created_at": "at", "opened_at": "at", "resolved_at": "resolved", "rescheduled": ""}
    for name, value in record.model_dump().items():
        if before[name] != value and shown.get(name, name):
            changed.append(shown.get(name, name))
    session.add(record)
    session.flush()
    if isinstance(record, StageChange):
        settle_stage(session, session.get_one(Person, record.person_id))
    return changed


def _interaction(session: Session, item: Interaction, change: Amendment) -> list[str]:
    if change.text is not None:
        item.text = change.text.strip()
    if change.heard is not None:
        item.heard = _optional(change.heard)
    if not item.text and not item.heard:
        raise BadValue("an interaction needs its text or what was heard")
    if change.channel is not None:
        item.channel = check_channel(change.channel)
    if change.mood is not None:
        item.mood = change.mood
    if change.started_by is not None:
        item.started_by = check_starter(change.started_by)
    item.at = change.at or item.at
    session.add(item)
    changed = []
    if change.people is not None:
        set_people(session, item, [pk(p) for p in change.people])
        changed.append("people")
    sync_links(session, item)
    if change.tags or change.untag:
        _retag(session, item, change.tags, change.untag)
        changed.append("tags")
    return changed


def _retag(session: Session, item: Interaction, add: list[str], remove: list[str]) -> None:
    rows = session.exec(select(InteractionTag).where(InteractionTag.interaction_id == item.id))
    current = {row.tag.casefold(): row for row in rows}
    for tag in clean_tags(remove):
        row = current.pop(tag.casefold(), None)
        if row is not None:
            session.delete(row)
    session.flush()
    for tag in clean_tags(add):
        if tag.casefold() not in current:
            session.add(InteractionTag(interaction_id=pk(item), tag=tag))
            current[tag.casefold()] = InteractionTag(interaction_id=pk(item), tag=tag)


def _commitment(item: Commitment, change: Amendment, zone: tzinfo) -> None:
    if change.text is not None:
        item.text = _required(change.text, "a commitment's text")
    if change.direction is not None:
        item.direction = change.direction
    if change.why is not None:
        item.why = _optional(change.why)
    if change.at is not None:
        if item.closed_at is not None and item.closed_at < change.at:
            raise BadValue(
                f"commitment {item.id} was closed on {item.closed_at.astimezone(zone):%Y-%m-%d};"
                " it can't have been made after that"
            )
        item.created_at = change.at
    if change.due is not None:
        move_due(item, change.due, zone)
    if item.closed_at is not None:
        closed_after(item, item.closed_at, zone)


def _problem(item: Problem, change: Amendment, zone: tzinfo) -> None:
    if change.text is not None:
        item.text = _required(change.text, "a problem's text")
    if change.note is not None:
        item.note = _optional(change.note)
    item.opened_at = change.at or item.opened_at
    if change.resolved is not None:
        if item.resolved_at is None:
            raise Conflict(f"problem {item.id} is open: resolve it with rapport resolve {item.id}")
        item.resolved_at = change.resolved
    if item.resolved_at is not None:
        resolved_after(item, item.resolved_at, zone)


def text_field(record: Any) -> str:
    """The field `amend` opens in the editor: the text, or a stage change's reason."""
    return "why" if isinstance(record, StageChange) else "text"


def remove(session: Session, record: Any) -> None:
    """Delete one record, and the links that belong to it, through the change log."""
    if isinstance(record, Interaction):
        for link_model in (InteractionPerson, InteractionTag):
            for link in session.exec(
                select(link_model).where(link_model.interaction_id == record.id)
            ):
                session.delete(link)
        session.flush()
    session.delete(record)
    session.flush()
    if isinstance(record, StageChange):
        settle_stage(session, session.get_one(Person, record.person_id))


def reopen(session: Session, record: Commitment | Problem) -> None:
    """Reopen a closed commitment or a resolved problem."""
    if isinstance(record, Commitment):
        if record.status == "open":
            raise Conflict(f"commitment {record.id} is open already")
        record.status, record.closed_at, record.why = "open", None, None
    else:
        if record.resolved_at is None:
            raise Conflict(f"problem {record.id} is open already")
        record.resolved_at, record.note = None, None
    session.add(record)


OPEN = Listing(
    "open",
    ("ref", "kind", "person", "direction", "text", "due", "days_late", "opened_at", "person_id"),
    frozenset({"ref", "kind", "direction", "due", "days_late", "opened_at", "person_id"}),
)


def open_records(
    session: Session,
    today: date,
    *,
    person: Person | None = None,
    direction: str | None = None,
    author: str | None = None,
) -> Iterator[dict[str, object]]:
    """Open commitments, soonest due first, then open problems, oldest first.

    ``author`` keeps only the commitments that team member made (problems have no author).
    """
    names = dict(session.exec(select(Person.id, Person.name)).all())
    promises = select(Commitment).where(Commitment.status == "open")
    problems = select(Problem).where(col(Problem.resolved_at).is_(None))
    if person is not None:
        promises = promises.where(Commitment.person_id == person.id)
        problems = problems.where(Problem.person_id == person.id)
    if direction is not None:
        promises = promises.where(Commitment.direction == direction)
    if author is not None:
        from rapport.core.commitments import made_by

        promises = promises.where(made_by(author))
    for c in session.exec(promises.order_by(col(Commitment.due), col(Commitment.id))):
        yield {
            "ref": ref(c),
            "kind": "commitment",
            "person": names.get(c.person_id),
            "direction": c.direction,
            "text": c.text,
            "due": c.due,
            "days_late": max(0, (today - c.due).days),
            "opened_at": c.created_at,
            "person_id": c.person_id,
        }
    if direction is not None or author is not None:
        return
    for p in session.exec(problems.order_by(col(Problem.opened_at), col(Problem.id))):
        yield {
            "ref": ref(p),
            "kind": "problem",
            "person": names.get(p.person_id),
            "direction": None,
            "text": p.text,
            "due": None,
            "days_late": None,
            "opened_at": p.opened_at,
            "person_id": p.person_id,
        }

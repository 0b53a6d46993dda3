"""Commitments both ways, problems, gestures and snoozes."""

from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlmodel import Session

from rapport.core.choices import pick
from rapport.core.outcomes import serving
from rapport.core.rules import closed_after, resolved_after, settle_outcome
from rapport.errors import BadValue, Conflict, NotFound
from rapport.models import Commitment, Gesture, Person, Problem, pk
from rapport.vocab import GESTURE_KINDS


def _text(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise BadValue(f"say what the {what} is")
    return text


def commit(
    session: Session,
    person: Person,
    text: str,
    *,
    due: date,
    direction: str,
    now: datetime,
    toward: bool = False,
    author: str | None = None,
) -> Commitment:
    """A commitment: ``mine`` (I promised them) or ``theirs`` (they promised me).

    ``toward``: it serves their desired outcome, which it names as it reads today.
    """
    if direction not in ("mine", "theirs"):
        raise ValueError(direction)
    item = Commitment(
        person_id=pk(person),
        direction=direction,
        text=_text(text, "commitment"),
        due=due,
        created_at=now,
        toward=serving(person) if toward else None,
        author=author,
    )
    session.add(item)
    session.flush()
    return item


def _open_commitment(session: Session, ident: int) -> Commitment:
    item = session.get(Commitment, ident)
    if item is None:
        raise NotFound(f"no commitment {ident}")
    if item.status != "open":
        when = f" on {item.closed_at:%Y-%m-%d}" if item.closed_at else ""
        raise Conflict(f"commitment {ident} is already closed: {item.status}{when}")
    return item


def close_commitment(
    session: Session,
    ident: int,
    outcome: str,
    *,
    at: datetime,
    zone: tzinfo,
    why: str | None = None,
) -> Commitment:
    """Close an open commitment as kept (``late`` when after its due date), broken or released."""
    item = _open_commitment(session, ident)
    closed_after(item, at, zone)
    if outcome not in ("kept", "broken", "released"):
        raise ValueError(outcome)
    item.status = outcome
    item.closed_at = at
    settle_outcome(item, zone)
    item.why = why.strip() if why and why.strip() else None
    session.add(item)
    return item


def open_problem(session: Session, person: Person, text: str, *, at: datetime) -> Problem:
    item = Problem(person_id=pk(person), text=_text(text, "problem"), opened_at=at)
    session.add(item)
    session.flush()
    return item


def resolve_problem(
    session: Session, ident: int, *, at: datetime, zone: tzinfo = UTC, note: str | None = None
) -> Problem:
    item = session.get(Problem, ident)
    if item is None:
        raise NotFound(f"no problem {ident}")
    if item.resolved_at is not None:
        raise Conflict(f"problem {ident} was already resolved on {item.resolved_at:%Y-%m-%d}")
    resolved_after(item, at, zone)
    item.resolved_at = at
    item.note = note.strip() if note and note.strip() else None
    session.add(item)
    return item


def check_kind(kind: str) -> str:
    return pick(kind, GESTURE_KINDS, "gesture", "kinds")


def log_gesture(
    session: Session,
    person: Person,
    kind: str,
    text: str | None,
    *,
    at: datetime,
    toward: bool = False,
) -> Gesture:
    item = Gesture(
        person_id=pk(person),
        kind=check_kind(kind),
        text=text.strip() if text and text.strip() else None,
        at=at,
        toward=serving(person) if toward else None,
    )
    session.add(item)
    session.flush()
    return item


def snooze(session: Session, person: Person, until: date | None) -> Person:
    """Leave someone out of ``due`` until that day (None wakes them now)."""
    person.snoozed_until = until
    session.add(person)
    return person


def made_by(author: str) -> Any:
    """The condition "this commitment was made by ``author``" (any case), for `--author`."""
    from sqlmodel import func

    wanted = author.strip().lower()
    if not wanted:
        raise BadValue("say whose commitments: --author NAME")
    return func.lower(Commitment.author) == wanted


def authored(session: Session, author: str) -> set[str]:
    """The references of the open commitments ``author`` made."""
    from sqlmodel import select

    from rapport.core.refs import ref

    query = select(Commitment).where(Commitment.status == "open", made_by(author))
    return {ref(c) for c in session.exec(query)}

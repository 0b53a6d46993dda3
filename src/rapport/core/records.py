"""The records behind each listing, with the columns of the contract."""

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from rapport.core.details import Detail, by_kind, details_of
from rapport.core.journal import Event
from rapport.core.people import last_contacts, tags_of
from rapport.core.refs import ref
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
    pk,
)
from rapport.render import Listing

BATCH = 1000

PEOPLE = Listing(
    "people",
    (
        "id",
        "name",
        "company",
        "email",
        "phone",
        "stage",
        "cadence_days",
        "style",
        "current_state",
        "desired_outcome",
        "birthday",
        "tags",
        "snoozed_until",
        "last_contact_at",
        "created_at",
        "uid",
        "title",
        "notes",
        "other_emails",
        "other_phones",
        "addresses",
        "urls",
    ),
    frozenset(
        {
            "id",
            "cadence_days",
            "birthday",
            "snoozed_until",
            "last_contact_at",
            "created_at",
            "uid",
            "stage",
        }
    ),
)
INTERACTIONS = Listing(
    "interactions",
    (
        "id",
        "at",
        "people",
        "channel",
        "mood",
        "text",
        "heard",
        "tags",
        "author",
        "uid",
        "people_uids",
        "started_by",
        "heard_state",
        "heard_correction",
        "heard_checked_at",
        "ref",
    ),
    frozenset(
        {
            "id",
            "at",
            "channel",
            "mood",
            "uid",
            "people_uids",
            "started_by",
            "heard_state",
            "heard_checked_at",
            "ref",
        }
    ),
)
COMMITMENTS = Listing(
    "commitments",
    (
        "id",
        "person",
        "direction",
        "text",
        "due",
        "status",
        "closed_at",
        "why",
        "created_at",
        "uid",
        "person_uid",
        "toward",
        "ref",
    ),
    frozenset(
        {"id", "direction", "due", "status", "closed_at", "created_at", "uid", "person_uid", "ref"}
    ),
)
PROBLEMS = Listing(
    "problems",
    ("id", "person", "text", "opened_at", "resolved_at", "note", "uid", "person_uid", "ref"),
    frozenset({"id", "opened_at", "resolved_at", "uid", "person_uid", "ref"}),
)
GESTURES = Listing(
    "gestures",
    ("id", "person", "kind", "text", "at", "uid", "person_uid", "toward", "ref"),
    frozenset({"id", "kind", "at", "uid", "person_uid", "ref"}),
)
STAGES = Listing(
    "stages",
    ("id", "person", "stage", "at", "why", "uid", "person_uid", "ref"),
    frozenset({"id", "stage", "at", "uid", "person_uid", "ref"}),
)
TIMELINE = Listing(
    "timeline",
    ("at", "kind", "person", "text", "ref", "mood"),
    frozenset({"at", "kind", "ref", "mood"}),
)
LISTINGS = {
    listing.name: listing
    for listing in (PEOPLE, INTERACTIONS, COMMITMENTS, PROBLEMS, GESTURES, STAGES)
}


Batched = TypeVar("Batched", Person, Interaction, StageChange, Commitment, Problem, Gesture)
Owned = TypeVar("Owned", StageChange, Commitment, Problem, Gesture)


def _batches(
    session: Session, model: type[Batched], *where: ColumnElement[bool]
) -> Iterator[Sequence[Batched]]:
    """Every row of a table in id order, BATCH at a time, so that memory stays flat."""
    last_id = 0
    while True:
        batch = session.exec(
            select(model)
            .where(col(model.id) > last_id, *where)
            .order_by(col(model.id))
            .limit(BATCH)
        ).all()
        if not batch:
            return
        yield batch
        last_id = pk(batch[-1])
        session.expunge_all()


def people_records(session: Session, people: Sequence[Person]) -> Iterator[dict[str, object]]:
    ids = [p.id for p in people]
    return _people_rows(
        people, tags_of(session, ids), last_contacts(session), details_of(session, ids)
    )


def _people_rows(
    people: Sequence[Person],
    tags: dict[int, list[str]],
    last: dict[int, datetime],
    details: dict[int, list[Detail]],
) -> Iterator[dict[str, object]]:
    for p in people:
        yield {
            "id": p.id,
            "name": p.name,
            "company": p.company,
            "email": p.email,
            "phone": p.phone,
            "stage": p.stage,
            "cadence_days": p.cadence_days,
            "style": p.style,
            "current_state": p.current_state,
            "desired_outcome": p.desired_outcome,
            "birthday": p.birthday,
            "tags": tags.get(p.id or 0, []),
            "snoozed_until": p.snoozed_until,
            "last_contact_at": last.get(p.id or 0),
            "created_at": p.created_at,
            "uid": p.uid,
            "title": p.title,
            "notes": p.notes,
            **by_kind(details.get(p.id or 0, [])),
        }


def all_people_records(session: Session) -> Iterator[dict[str, object]]:
    """Every person in id order, read in batches."""
    last = last_contacts(session)
    for batch in _batches(session, Person):
        tags: dict[int, list[str]] = {}
        for tag in session.exec(
            select(PersonTag)
            .where(col(PersonTag.person_id).in_([pk(p) for p in batch]))
            .order_by(col(PersonTag.person_id), col(PersonTag.tag))
        ):
            tags.setdefault(tag.person_id, []).append(tag.tag)
        details = details_of(session, [pk(p) for p in batch])
        yield from _people_rows(batch, tags, last, details)


def _people_index(session: Session) -> dict[int, tuple[str, str]]:
    rows = session.exec(select(Person.id, Person.name, Person.uid))
    return {pid: (name, uid) for pid, name, uid in rows if pid is not None}


def interaction_records(session: Session) -> Iterator[dict[str, object]]:
    """Every interaction, oldest first, read in batches so memory stays flat."""
    people = _people_index(session)
    for batch in _batches(session, Interaction):
        ids = [pk(i) for i in batch]
        who: dict[int, list[int]] = {}
        for link in session.exec(
            select(InteractionPerson)
            .where(col(InteractionPerson.interaction_id).in_(ids))
            .order_by(col(InteractionPerson.interaction_id), col(InteractionPerson.position))
        ):
            who.setdefault(link.interaction_id, []).append(link.person_id)
        tags: dict[int, list[str]] = {}
        for tag in session.exec(
            select(InteractionTag)
            .where(col(InteractionTag.interaction_id).in_(ids))
            .order_by(col(InteractionTag.interaction_id), col(InteractionTag.tag))
        ):
            tags.setdefault(tag.interaction_id, []).append(tag.tag)
        for item in batch:
            pids = who.get(item.id or 0, [])
            yield {
                "id": item.id,
                "at": item.at,
                "people": [people[p][0] for p in pids],
                "channel": item.channel,
                "mood": item.mood,
                "text": item.text,
                "heard": item.heard,
                "tags": tags.get(item.id or 0, []),
                "author": item.author,
                "uid": item.uid,
                "people_uids": [people[p][1] for p in pids],
                "started_by": item.started_by,
                "heard_state": item.heard_state,
                "heard_correction": item.heard_correction,
                "heard_checked_at": item.heard_checked_at,
                "ref": f"i{item.id}",
            }


def _owned_records(
    session: Session, model: type[Owned], listing: Listing, *where: ColumnElement[bool]
) -> Iterator[dict[str, object]]:
    """Records of a table whose rows belong to one person, named by name and uid."""
    people = _people_index(session)
    for batch in _batches(session, model, *where):
        for item in batch:
            name, uid = people[item.person_id]
            record: dict[str, object] = {"person": name, "person_uid": uid, "ref": ref(item)}
            record |= {c: getattr(item, c) for c in listing.columns if c not in record}
            yield record


def stage_records(session: Session) -> Iterator[dict[str, object]]:
    return _owned_records(session, StageChange, STAGES)


def commitment_records(session: Session, *, only_open: bool = False) -> Iterator[dict[str, object]]:
    where = [col(Commitment.status) == "open"] if only_open else []
    return _owned_records(session, Commitment, COMMITMENTS, *where)


def problem_records(session: Session) -> Iterator[dict[str, object]]:
    return _owned_records(session, Problem, PROBLEMS)


def gesture_records(session: Session) -> Iterator[dict[str, object]]:
    return _owned_records(session, Gesture, GESTURES)


def timeline_records(events: Sequence[Event]) -> Iterator[dict[str, object]]:
    for e in events:
        yield {
            "at": e.at,
            "kind": e.kind,
            "person": list(e.people),
            "text": e.text,
            "ref": e.ref,
            "mood": e.mood,
        }


def export_records(session: Session, table: str) -> Iterator[dict[str, object]]:
    """The records of one table, in id order, streamed."""
    producers = {
        "people": all_people_records,
        "interactions": interaction_records,
        "stages": stage_records,
        "commitments": commitment_records,
        "problems": problem_records,
        "gestures": gesture_records,
    }
    return producers[table](session)


DUE = Listing(
    "due",
    ("rank", "person", "person_id", "score", "term", "points", "reason", "action", "ref"),
    frozenset({"rank", "person_id", "score", "term", "points", "ref"}),
)
LEDGER = Listing(
    "ledger",
    (
        "person",
        "deposits",
        "withdrawals",
        "balance",
        "kept",
        "late",
        "broken",
        "open",
        "follow_through",
        "rescheduled",
        "person_id",
    ),
    frozenset(
        {
            "deposits",
            "withdrawals",
            "balance",
            "kept",
            "late",
            "broken",
            "open",
            "follow_through",
            "rescheduled",
            "person_id",
        }
    ),
)
# `ledger PERSON`: one row per statement line, the person's summary in front of each.
STATEMENT = Listing(
    "statement",
    (*LEDGER.columns, "at", "points", "what", "ref"),
    LEDGER.literal | {"at", "points", "ref"},
)
PIPELINE = Listing(
    "pipeline",
    ("stage", "people", "avg_days_in_stage", "moved_in_30d"),
    frozenset({"stage", "people", "avg_days_in_stage", "moved_in_30d"}),
)

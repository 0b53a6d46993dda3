"""The records behind each listing, with the columns of the contract."""

from collections.abc import Iterator, Sequence

from sqlmodel import Session, col, select

from rapport.core.journal import Event
from rapport.core.people import last_contacts, tags_of
from rapport.models import (
    Commitment,
    Gesture,
    Interaction,
    InteractionPerson,
    InteractionTag,
    Person,
    Problem,
    StageChange,
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
    ),
    frozenset({"id", "at", "channel", "mood", "uid", "people_uids"}),
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
    ),
    frozenset({"id", "direction", "due", "status", "closed_at", "created_at", "uid", "person_uid"}),
)
PROBLEMS = Listing(
    "problems",
    ("id", "person", "text", "opened_at", "resolved_at", "note", "uid", "person_uid"),
    frozenset({"id", "opened_at", "resolved_at", "uid", "person_uid"}),
)
GESTURES = Listing(
    "gestures",
    ("id", "person", "kind", "text", "at", "uid", "person_uid"),
    frozenset({"id", "kind", "at", "uid", "person_uid"}),
)
STAGES = Listing(
    "stages",
    ("id", "person", "stage", "at", "why", "uid", "person_uid"),
    frozenset({"id", "stage", "at", "uid", "person_uid"}),
)
TIMELINE = Listing(
    "timeline", ("at", "kind", "person", "text", "ref"), frozenset({"at", "kind", "ref"})
)
LISTINGS = {
    listing.name: listing
    for listing in (PEOPLE, INTERACTIONS, COMMITMENTS, PROBLEMS, GESTURES, STAGES)
}


def people_records(session: Session, people: Sequence[Person]) -> Iterator[dict[str, object]]:
    tags = tags_of(session, [p.id for p in people])
    last = last_contacts(session)
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
        }


def _people_index(session: Session) -> dict[int, tuple[str, str]]:
    rows = session.exec(select(Person.id, Person.name, Person.uid))
    return {pid: (name, uid) for pid, name, uid in rows if pid is not None}


def interaction_records(session: Session) -> Iterator[dict[str, object]]:
    """Every interaction, oldest first, read in batches so memory stays flat."""
    people = _people_index(session)
    last_id = 0
    while True:
        batch = session.exec(
            select(Interaction)
            .where(col(Interaction.id) > last_id)
            .order_by(col(Interaction.id))
            .limit(BATCH)
        ).all()
        if not batch:
            return
        ids = [i.id for i in batch]
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
            }
        last_id = batch[-1].id or 0
        session.expunge_all()


def stage_records(session: Session) -> Iterator[dict[str, object]]:
    people = _people_index(session)
    for change in session.exec(select(StageChange).order_by(col(StageChange.id))):
        name, uid = people[change.person_id]
        yield {
            "id": change.id,
            "person": name,
            "stage": change.stage,
            "at": change.at,
            "why": change.why,
            "uid": change.uid,
            "person_uid": uid,
        }


def commitment_records(session: Session) -> Iterator[dict[str, object]]:
    people = _people_index(session)
    for c in session.exec(select(Commitment).order_by(col(Commitment.id))):
        name, uid = people[c.person_id]
        yield {
            "id": c.id,
            "person": name,
            "direction": c.direction,
            "text": c.text,
            "due": c.due,
            "status": c.status,
            "closed_at": c.closed_at,
            "why": c.why,
            "created_at": c.created_at,
            "uid": c.uid,
            "person_uid": uid,
        }


def problem_records(session: Session) -> Iterator[dict[str, object]]:
    people = _people_index(session)
    for p in session.exec(select(Problem).order_by(col(Problem.id))):
        name, uid = people[p.person_id]
        yield {
            "id": p.id,
            "person": name,
            "text": p.text,
            "opened_at": p.opened_at,
            "resolved_at": p.resolved_at,
            "note": p.note,
            "uid": p.uid,
            "person_uid": uid,
        }


def gesture_records(session: Session) -> Iterator[dict[str, object]]:
    people = _people_index(session)
    for g in session.exec(select(Gesture).order_by(col(Gesture.id))):
        name, uid = people[g.person_id]
        yield {
            "id": g.id,
            "person": name,
            "kind": g.kind,
            "text": g.text,
            "at": g.at,
            "uid": g.uid,
            "person_uid": uid,
        }


def timeline_records(events: Sequence[Event]) -> Iterator[dict[str, object]]:
    for e in events:
        yield {"at": e.at, "kind": e.kind, "person": e.person, "text": e.text, "ref": e.ref}


def export_records(session: Session, table: str) -> Iterator[dict[str, object]]:
    if table == "people":
        people = session.exec(select(Person).order_by(col(Person.id))).all()
        return people_records(session, people)
    producers = {
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
    ),
    frozenset(
        {"deposits", "withdrawals", "balance", "kept", "late", "broken", "open", "follow_through"}
    ),
)
PIPELINE = Listing(
    "pipeline",
    ("stage", "people", "avg_days_in_stage", "moved_in_30d"),
    frozenset({"stage", "people", "avg_days_in_stage", "moved_in_30d"}),
)

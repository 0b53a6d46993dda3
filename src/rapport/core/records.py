"""The records behind each listing, with the columns of the contract."""

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, exists, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from rapport.core.details import Detail, by_kind
from rapport.core.journal import Event
from rapport.core.people import check_stage
from rapport.core.refs import PREFIX
from rapport.models import (
    Commitment,
    Gesture,
    Interaction,
    InteractionPerson,
    InteractionTag,
    Person,
    PersonDetail,
    PersonTag,
    Problem,
    StageChange,
)
from rapport.render import Listing

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
        "day_only",
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
            "day_only",
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
        "author",
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
    ("at", "kind", "person", "text", "ref", "mood", "author"),
    frozenset({"at", "kind", "ref", "mood"}),
)
LISTINGS = {
    listing.name: listing
    for listing in (PEOPLE, INTERACTIONS, COMMITMENTS, PROBLEMS, GESTURES, STAGES)
}


Owned = TypeVar("Owned", StageChange, Commitment, Problem, Gesture)
# Rows fetched from the database at a time: exports stream, whatever the size of the journal.
BATCH = 2000


def _stream(session: Session, query: Any) -> Iterator[Any]:
    """The rows of a Core select as tuples, fetched BATCH at a time (no ORM in between)."""
    connection = session.connection().execution_options(yield_per=BATCH)
    return iter(connection.execute(query))


def _merged(session: Session, key: Any, value: Any, order: Any = None) -> "_Merge":
    """The (key, value) rows of a link table, streamed by key, then ``order`` or value."""
    query = sa_select(key, value).order_by(key, value if order is None else order)
    return _Merge(_stream(session, query))


class _Merge:
    """Takes, record by record, the values a stream of (id, value) rows holds for each id.

    The stream and the records come in the same id order, so the merge reads each
    row once and holds only the current one.
    """

    def __init__(self, rows: Iterator[Any]) -> None:
        self._rows = rows
        self._row = next(rows, None)

    def take(self, key: int) -> list[Any]:
        row, rows, found = self._row, self._rows, []
        while row is not None and row[0] < key:
            row = next(rows, None)
        while row is not None and row[0] == key:
            found.append(row[1])
            row = next(rows, None)
        self._row = row
        return found


# The listing's columns that are the person table's own, in the listing's order.
PERSON_COLUMNS = tuple(c for c in PEOPLE.columns if c in Person.model_fields)
RECORD_COLUMNS = (*PERSON_COLUMNS, "last_contact_at")  # as _people_query selects them


def _people_query(*where: Any) -> Any:
    """People's columns and their last contact (an index lookup each), as tuples."""
    link = InteractionPerson
    last = (
        sa_select(func.max(link.at))
        .where(col(link.person_id) == col(Person.id))
        .scalar_subquery()
        .label("last_contact_at")
    )
    return sa_select(*(getattr(Person, c) for c in PERSON_COLUMNS), last).where(*where)


def _person_record(row: Any, tags: list[str], details: list[Detail]) -> dict[str, object]:
    record = dict(zip(RECORD_COLUMNS, row, strict=True))
    record["tags"] = tags
    record |= by_kind(details)
    return record


def _details_query(*where: Any) -> Any:
    """(person id, detail) rows in the order details are listed."""
    d = PersonDetail
    return (
        sa_select(col(d.person_id), col(d.kind), col(d.value), col(d.label))
        .where(*where)
        .order_by(col(d.person_id), col(d.kind), col(d.position))
    )


def people_listing(
    session: Session, *, stage: str | None = None, tag: str | None = None
) -> Iterator[dict[str, object]]:
    """The people listing, by name, streamed: filters, tags and last contacts all in SQL."""
    where = []
    if stage:
        where.append(col(Person.stage) == check_stage(stage))
    if tag:
        # Tags are few; folding them in Python handles every alphabet, unlike SQL lower().
        wanted = tag.strip().casefold()
        spellings = [
            name
            for (name,) in session.execute(sa_select(col(PersonTag.tag)).distinct())
            if name.casefold() == wanted
        ]
        where.append(
            exists().where(
                col(PersonTag.person_id) == col(Person.id), col(PersonTag.tag).in_(spellings)
            )
        )
    tags: dict[int, list[str]] = {}
    for pid, name in session.execute(
        sa_select(col(PersonTag.person_id), col(PersonTag.tag))
        .where(col(PersonTag.person_id).in_(sa_select(col(Person.id)).where(*where)))
        .order_by(col(PersonTag.person_id), col(PersonTag.tag))
    ):
        tags.setdefault(pid, []).append(name)
    details: dict[int, list[Detail]] = {}
    chosen = col(PersonDetail.person_id).in_(sa_select(col(Person.id)).where(*where))
    for pid, kind, value, label in session.execute(_details_query(chosen)):
        details.setdefault(pid, []).append(Detail(kind, value, label))
    query = _people_query(*where).order_by(col(Person.name_key), col(Person.id))
    for row in _stream(session, query):
        yield _person_record(row, tags.get(row[0], []), details.get(row[0], []))


def all_people_records(session: Session) -> Iterator[dict[str, object]]:
    """Every person in id order, streamed, with their tags and last contact merged in."""
    people = _stream(session, _people_query().order_by(col(Person.id)))
    tags = _merged(session, col(PersonTag.person_id), col(PersonTag.tag))
    details = _Merge(
        (pid, Detail(kind, value, label))
        for pid, kind, value, label in _stream(session, _details_query())
    )
    for row in people:
        yield _person_record(row, tags.take(row[0]), details.take(row[0]))


def _people_index(session: Session) -> dict[int, tuple[str, str]]:
    rows = session.execute(sa_select(col(Person.id), col(Person.name), col(Person.uid)))
    return {pid: (name, uid) for pid, name, uid in rows}


def interaction_records(session: Session) -> Iterator[dict[str, object]]:
    """Every interaction, oldest first, streamed: three cursors in id order, merged."""
    people = _people_index(session)
    link, tag = InteractionPerson, InteractionTag
    who = _merged(session, col(link.interaction_id), col(link.person_id), col(link.position))
    tags = _merged(session, col(tag.interaction_id), col(tag.tag))
    i = Interaction
    rows = _stream(
        session,
        sa_select(
            col(i.id),
            col(i.at),
            col(i.channel),
            col(i.mood),
            col(i.text),
            col(i.heard),
            col(i.author),
            col(i.uid),
            col(i.started_by),
            col(i.heard_state),
            col(i.heard_correction),
            col(i.heard_checked_at),
            col(i.day_only),
        ).order_by(col(i.id)),
    )
    for iid, at, channel, mood, text, heard, author, uid, *heard_back in rows:
        pids = who.take(iid)
        yield {
            "id": iid,
            "at": at,
            "people": [people[p][0] for p in pids],
            "channel": channel,
            "mood": mood,
            "text": text,
            "heard": heard,
            "tags": tags.take(iid),
            "author": author,
            "uid": uid,
            "people_uids": [people[p][1] for p in pids],
            "started_by": heard_back[0],
            "heard_state": heard_back[1],
            "heard_correction": heard_back[2],
            "heard_checked_at": heard_back[3],
            "ref": f"i{iid}",
            "day_only": heard_back[4],
        }


def _owned_records(
    session: Session, model: type[Owned], listing: Listing, *where: ColumnElement[bool]
) -> Iterator[dict[str, object]]:
    """Records of a table whose rows belong to one person, named by name and uid."""
    names = [c for c in listing.columns if c not in ("person", "person_uid", "ref")]
    query = (
        sa_select(col(model.person_id), *(getattr(model, c) for c in names))
        .where(*where)
        .order_by(col(model.id))
    )
    people = _people_index(session)
    prefix = PREFIX[model]
    for person_id, *values in _stream(session, query):
        name, uid = people[person_id]
        record: dict[str, object] = {"person": name, "person_uid": uid}
        record |= zip(names, values, strict=True)
        record["ref"] = f"{prefix}{record['id']}"
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
            "author": e.author,
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

"""People: naming them, adding and editing them, what we know of them."""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import ReturnTypeFromArgs
from sqlmodel import Session, col, select

from rapport.core.choices import pick
from rapport.core.details import Detail, details_of
from rapport.errors import BadValue, Conflict, NotFound
from rapport.models import (
    Commitment,
    Gesture,
    Interaction,
    InteractionPerson,
    Person,
    PersonTag,
    Problem,
    StageChange,
    pk,
)
from rapport.names import name_key
from rapport.vocab import STAGES

if TYPE_CHECKING:
    from rapport.core.outcomes import Progress
    from rapport.core.reaching import Balance

DEFAULT_CADENCE = {
    "acquaintance": 90,
    "friend": 45,
    "dating": 14,
    "engaged": 14,
    "married": 30,
    "lost": None,
}
# The stage-change records that start a person's history rather than record a move.
STARTS = ("added", "imported")
PROFILE_FIELDS = (
    "company",
    "email",
    "phone",
    "cadence_days",
    "style",
    "current_state",
    "desired_outcome",
    "birthday",
)


def check_stage(stage: str) -> str:
    return pick(stage, STAGES, "stage", "stages")


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A person as a report reads them: their columns as a plain row, not an ORM object."""

    id: int
    uid: str
    name: str
    name_key: str
    company: str | None
    email: str | None
    phone: str | None
    stage: str
    cadence_days: int | None
    style: str | None
    current_state: str | None
    desired_outcome: str | None
    birthday: str | None
    snoozed_until: date | None
    created_at: datetime
    title: str | None
    notes: str | None


PERSON_ROW = tuple(PersonRow.__dataclass_fields__)


def person_columns() -> list[Any]:
    """The person table's columns in ``PersonRow``'s order, for a Core select."""
    return [getattr(Person, name) for name in PERSON_ROW]


def effective_cadence(person: "Person | PersonRow") -> int | None:
    return cadence_for(person.stage, person.cadence_days)


def cadence_for(stage: str, cadence_days: int | None) -> int | None:
    """A person's own cadence, else their stage's."""
    return cadence_days if cadence_days is not None else DEFAULT_CADENCE.get(stage)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def clean_tags(tags: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        for piece in tag.split(","):
            piece = piece.strip()
            if piece:
                seen.setdefault(piece.casefold(), piece)
    return list(seen.values())


def add_person(
    session: Session,
    name: str,
    *,
    now: datetime,
    stage: str = "acquaintance",
    tags: Iterable[str] = (),
    allow_duplicate: bool = False,
    **fields: str | int | None,
) -> Person:
    name = " ".join(name.split())
    if not name:
        raise BadValue("a person needs a name")
    if name.isdigit():
        raise BadValue(f"'{name}' would be read as a person's number; give a name")
    key = name_key(name)
    if not allow_duplicate:
        twin = session.exec(select(Person).where(Person.name_key == key)).first()
        if twin is not None:
            raise Conflict(
                f"#{twin.id} {twin.name} is already in the journal;"
                " add --duplicate to add another person of that name"
            )
    from rapport.core.outcomes import track

    person = Person(name=name, name_key=key, stage=check_stage(stage), created_at=now)
    _apply(person, fields)
    session.add(person)
    session.flush()
    track(session, person, {}, now)
    session.add(StageChange(person_id=pk(person), stage=person.stage, at=now, why="added"))
    for tag in clean_tags(tags):
        session.add(PersonTag(person_id=pk(person), tag=tag))
    return person


def _apply(person: Person, fields: dict[str, str | int | None]) -> None:
    for field, value in fields.items():
        if field not in PROFILE_FIELDS:
            raise TypeError(f"not a profile field: {field}")
        if value is None:
            continue
        setattr(person, field, _clean(value) if isinstance(value, str) else value)


def edit_person(
    session: Session,
    person: Person,
    *,
    now: datetime,
    name: str | None = None,
    stage: str | None = None,
    add_tags: Iterable[str] = (),
    remove_tags: Iterable[str] = (),
    allow_duplicate: bool = False,
    **fields: str | int | None,
) -> Person:
    """Change what is given; an empty string clears a field."""
    current = {t.casefold(): t for t in tags_of(session, [person.id]).get(person.id or 0, [])}
    missing = [tag for tag in clean_tags(remove_tags) if tag.casefold() not in current]
    if missing:
        has = f"their tags: {', '.join(current.values())}" if current else "they have no tags"
        raise NotFound(f"{person.name} has no tag {', '.join(map(repr, missing))} ({has})")
    if name is not None:
        name = " ".join(name.split())
        if not name or name.isdigit():
            raise BadValue("a person needs a name that is not a number")
        key = name_key(name)
        twin = session.exec(
            select(Person).where(Person.name_key == key, Person.id != person.id)
        ).first()
        if twin is not None and not allow_duplicate:
            raise Conflict(
                f"#{twin.id} {twin.name} already has that name;"
                " add --duplicate to give it to another person too"
            )
        person.name, person.name_key = name, key
    from rapport.core.outcomes import before, track

    was = before(person)
    _apply(person, fields)
    track(session, person, was, now)
    if stage is not None and check_stage(stage) != person.stage:
        change_stage(session, person, stage, why="edited", at=now)
    for tag in clean_tags(remove_tags):
        if tag.casefold() in current:
            row = session.get(PersonTag, (person.id, current.pop(tag.casefold())))
            if row is not None:
                session.delete(row)
    for tag in clean_tags(add_tags):
        if tag.casefold() not in current:
            session.add(PersonTag(person_id=pk(person), tag=tag))
            current[tag.casefold()] = tag
    session.add(person)
    return person


def change_stage(
    session: Session, person: Person, stage: str, *, why: str | None, at: datetime
) -> StageChange:
    """Record a dated stage change; the person's stage is that of the latest one."""
    change = StageChange(person_id=pk(person), stage=check_stage(stage), at=at, why=_clean(why))
    session.add(change)
    _start_before(session, person, at)
    session.flush()
    settle_stage(session, person)
    return change


def _start_before(session: Session, person: Person, at: datetime) -> None:
    """Move the record that starts a history ("added") before a change dated earlier.

    Typing in last month's history today must not leave "added" after it: the person
    stood at their first stage from their earliest record until the first real change.
    """
    starts = session.exec(
        select(StageChange).where(
            StageChange.person_id == person.id,
            col(StageChange.why).in_(STARTS),
            StageChange.at >= at,
        )
    ).all()
    if not starts:
        return
    first = session.exec(select(earliest_record()).where(Person.id == person.id)).one()
    for start in starts:
        start.at = min(at, first) - timedelta(seconds=1)
        session.add(start)


class least(ReturnTypeFromArgs[Any]):
    """The smallest of its arguments: LEAST on PostgreSQL, min() with several on SQLite."""

    inherit_cache = True


@compiles(least, "sqlite")
def _least_on_sqlite(element: least, compiler: Any, **kw: Any) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"


def earliest_record() -> Any:
    """The moment of a person's earliest dated record, their creation included."""

    def first(moment: Any, owner: Any) -> Any:
        return select(func.min(moment)).where(owner == Person.id).scalar_subquery()

    return least(
        col(Person.created_at),
        func.coalesce(first(InteractionPerson.at, InteractionPerson.person_id), Person.created_at),
        func.coalesce(first(StageChange.at, StageChange.person_id), Person.created_at),
        func.coalesce(first(Commitment.created_at, Commitment.person_id), Person.created_at),
        func.coalesce(first(Problem.opened_at, Problem.person_id), Person.created_at),
        func.coalesce(first(Gesture.at, Gesture.person_id), Person.created_at),
    ).label("born")


def settle_stage(session: Session, person: Person) -> None:
    """Give the person the stage of their latest stage change.

    The record made when someone is added is dated on the day you typed them in,
    not on a real event: a change recorded after it, even dated earlier, wins.
    """
    changes = session.exec(
        select(StageChange)
        .where(StageChange.person_id == person.id)
        .order_by(col(StageChange.at).desc(), col(StageChange.id).desc())
    ).all()
    if not changes:
        return
    latest = changes[0]
    if latest.why in STARTS:
        later = [c for c in changes if pk(c) > pk(latest) and c.why not in STARTS]
        latest = later[0] if later else latest
    person.stage = latest.stage
    session.add(person)


def count_people(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Person)).one()


def tags_of(session: Session, person_ids: Iterable[int | None]) -> dict[int, list[str]]:
    ids = [i for i in person_ids if i is not None]
    query = select(PersonTag).order_by(col(PersonTag.person_id), col(PersonTag.tag))
    if ids and len(ids) < 500:
        query = query.where(col(PersonTag.person_id).in_(ids))
    result: dict[int, list[str]] = {}
    for row in session.exec(query):
        result.setdefault(row.person_id, []).append(row.tag)
    return result


@dataclass
class Profile:
    person: Person
    tags: list[str]
    cadence: int | None
    stage_since: datetime | None
    last_contact: datetime | None
    interactions: int
    last_heard: str | None
    counts: dict[str, int]
    balance: "Balance | None" = None
    progress: "Progress | None" = None
    details: list[Detail] = dataclasses.field(default_factory=list)


def profile(session: Session, person: Person, now: datetime | None = None) -> Profile:
    """The card's figures; with ``now``, also who started the conversations lately."""
    from rapport.core.outcomes import progress
    from rapport.core.reaching import balance

    links = select(InteractionPerson.interaction_id).where(InteractionPerson.person_id == person.id)
    count, last = session.exec(
        select(func.count(), func.max(Interaction.at)).where(col(Interaction.id).in_(links))
    ).one()
    heard = session.exec(
        select(Interaction.heard)
        .where(col(Interaction.id).in_(links), col(Interaction.heard).is_not(None))
        .order_by(col(Interaction.at).desc())
    ).first()
    since = session.exec(
        select(func.max(StageChange.at)).where(
            StageChange.person_id == person.id, StageChange.stage == person.stage
        )
    ).one()
    counts = {
        "open commitment": session.exec(
            select(func.count()).where(
                Commitment.person_id == person.id, Commitment.status == "open"
            )
        ).one(),
        "open problem": session.exec(
            select(func.count()).where(
                Problem.person_id == person.id, col(Problem.resolved_at).is_(None)
            )
        ).one(),
        "gesture": session.exec(select(func.count()).where(Gesture.person_id == person.id)).one(),
    }
    return Profile(
        person=person,
        tags=tags_of(session, [person.id]).get(person.id or 0, []),
        cadence=effective_cadence(person),
        stage_since=since,
        last_contact=last,
        interactions=count,
        last_heard=heard,
        counts=counts,
        balance=None if now is None else balance(session, person, now),
        progress=None if now is None else progress(session, person),
        details=details_of(session, [person.id]).get(person.id or 0, []),
    )

"""Folding a duplicate person into the one who stays, and finding likely duplicates."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select
from sqlmodel.main import default_registry

from rapport.core.matching import email_key, phone_key
from rapport.core.people import PROFILE_FIELDS, STARTS, settle_stage
from rapport.errors import Conflict
from rapport.models import InteractionPerson, Person, PersonAlias, PersonTag, StageChange, pk
from rapport.names import name_key
from rapport.render import Listing

# Profile fields, in the order they are reported; the survivor's non-empty values win.
PROFILE = (*PROFILE_FIELDS, "snoozed_until")
LINKS = (PersonTag, InteractionPerson)


@dataclass
class Merged:
    """What a merge did: what moved, what the survivor took, what was not kept."""

    gone: str
    survivor: Person
    moved: dict[str, int] = field(default_factory=dict)
    taken: list[str] = field(default_factory=list)
    not_kept: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    stage_before: str = ""


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def owned_models() -> list[Any]:
    """Every table whose rows belong to one person by ``person_id``, links aside."""
    models = [m.class_ for m in default_registry.mappers]
    return sorted(
        (m for m in models if "person_id" in m.__table__.c and m not in LINKS),
        key=lambda m: m.__tablename__,
    )


def merge_people(session: Session, merged: Person, survivor: Person) -> Merged:
    """Move everything of ``merged`` onto ``survivor``, keep its uid as an alias, remove it."""
    if pk(merged) == pk(survivor):
        raise Conflict(f"#{merged.id} {merged.name} can't be merged into themself")
    report = Merged(f"#{merged.id} {merged.name}", survivor, stage_before=survivor.stage)
    gone, kept = pk(merged), pk(survivor)
    # Only a real stage change of theirs (not the record of being added) can move the stage.
    moves_stage = session.exec(
        select(StageChange.id).where(
            StageChange.person_id == gone, col(StageChange.why).not_in(STARTS)
        )
    ).first()
    for model in owned_models():
        rows = session.exec(select(model).where(model.person_id == gone)).all()
        for row in rows:
            row.person_id = kept
            session.add(row)
        if rows and model is not PersonAlias:
            report.moved[model.__tablename__.replace("_", " ")] = len(rows)
    report.moved["interaction"] = _move_links(session, gone, kept)
    report.tags = _union_tags(session, gone, kept)
    _union_profile(merged, survivor, report)
    survivor.created_at = min(survivor.created_at, merged.created_at)
    session.add(survivor)
    session.add(PersonAlias(uid=merged.uid, person_id=kept))
    session.flush()
    session.delete(merged)
    session.flush()
    if moves_stage is not None:
        settle_stage(session, survivor)
    return report


def _move_links(session: Session, gone: int, kept: int) -> int:
    """Put the survivor in every conversation the merged person took part in."""
    links = session.exec(select(InteractionPerson).where(InteractionPerson.person_id == gone)).all()
    theirs = set(
        session.exec(
            select(InteractionPerson.interaction_id).where(InteractionPerson.person_id == kept)
        )
    )
    fresh = [
        InteractionPerson(
            interaction_id=link.interaction_id,
            person_id=kept,
            position=link.position,
            at=link.at,
            channel=link.channel,
        )
        for link in links
        if link.interaction_id not in theirs
    ]
    for link in links:
        session.delete(link)
    session.flush()
    session.add_all(fresh)
    return len(links)


def _union_tags(session: Session, gone: int, kept: int) -> list[str]:
    mine = {
        t.casefold() for t in session.exec(select(PersonTag.tag).where(PersonTag.person_id == kept))
    }
    added = []
    for tag in session.exec(select(PersonTag).where(PersonTag.person_id == gone)).all():
        if tag.tag.casefold() not in mine:
            mine.add(tag.tag.casefold())
            added.append(tag.tag)
        session.delete(tag)
    session.flush()
    session.add_all(PersonTag(person_id=kept, tag=t) for t in added)
    return added


def _union_profile(merged: Person, survivor: Person, report: Merged) -> None:
    if merged.name != survivor.name:
        report.not_kept.append(("name", merged.name))
    for name in PROFILE:
        theirs, mine = getattr(merged, name), getattr(survivor, name)
        if _empty(theirs):
            continue
        if _empty(mine):
            setattr(survivor, name, theirs)
            report.taken.append(name)
        elif theirs != mine:
            report.not_kept.append((name, str(theirs)))


@dataclass(frozen=True)
class Pair:
    """Two people who may be one; the newer is the one to merge into the older."""

    keep: Person
    fold: Person
    why: str


DUPLICATES = Listing(
    "duplicates",
    ("person_id", "person", "duplicate_id", "duplicate", "why", "command"),
    frozenset({"person_id", "duplicate_id", "command"}),
)


def likely_duplicates(session: Session) -> list[Pair]:
    """Same email or phone, the same folded name, or one name the start of the other.

    People linked by any of these, directly or through each other, are one group, and
    each is paired with the oldest of that group, so that every merge command listed
    still works after the ones before it have run.
    """
    people = list(session.exec(select(Person).order_by(col(Person.id))).all())
    group: dict[int, int] = {pk(p): pk(p) for p in people}
    reasons: dict[int, list[str]] = {}

    def root(person: int) -> int:
        while group[person] != person:
            group[person] = group[group[person]]
            person = group[person]
        return person

    def link(first: int, second: int, why: str) -> None:
        for person in (first, second):
            if why not in reasons.setdefault(person, []):
                reasons[person].append(why)
        low, high = sorted((root(first), root(second)))
        group[high] = low

    keys: dict[str, Callable[[Person], str | None]] = {
        "same email": lambda p: email_key(p.email),
        "same phone": lambda p: phone_key(p.phone),
        "same name": lambda p: name_key(p.name),
    }
    for why, key in keys.items():
        first_with: dict[str, int] = {}
        for person in people:
            if found := key(person):
                first = first_with.setdefault(found, pk(person))
                if first != pk(person):
                    link(first, pk(person), why)
    names = sorted({name_key(p.name): pk(p) for p in reversed(people)}.items())
    for i, (short, first) in enumerate(names):
        for longer, second in names[i + 1 :]:
            if not longer.startswith(short):
                break
            if longer.startswith(short + " "):
                link(first, second, "one name starts the other")
    by_id = {pk(p): p for p in people}
    return [
        Pair(by_id[root(person)], by_id[person], ", ".join(reasons[person]))
        for person in sorted(group)
        if root(person) != person
    ]


def duplicate_records(found: Sequence[Pair]) -> Iterator[dict[str, object]]:
    for pair in found:
        yield {
            "person_id": pair.keep.id,
            "person": pair.keep.name,
            "duplicate_id": pair.fold.id,
            "duplicate": pair.fold.name,
            "why": pair.why,
            "command": f"rapport merge {pair.fold.id} into {pair.keep.id}",
        }

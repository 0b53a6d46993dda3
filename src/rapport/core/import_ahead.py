"""Import, read ahead: what the journal holds of the next thousand rows' records.

Importing a file again mostly finds every record as it left it. The records a batch
of rows names are read here with a few statements (their columns, people, tags and
details), and a row that would change nothing is counted as unchanged without
loading its record; a row that changes something goes the ORM's way, so that the
change log records the update (core/changes.py).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rapport.core.changes import table
from rapport.core.details import Detail, HeldDetail, plan_details
from rapport.core.people import clean_tags


def same(old: Any, new: Any) -> bool:
    """Equal as an export shows them: timestamps to the second."""
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.replace(microsecond=0) == new.replace(microsecond=0)
    return bool(old == new)


def differs(current: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """Whether setting what ``values`` gives (None: left alone) would change ``current``."""
    return any(v is not None and not same(current[k], v) for k, v in values.items())


def adds_tags(current: Iterable[str], tags: Iterable[str]) -> list[str]:
    """The tags of ``tags`` not among ``current`` (ignoring case), in their order."""
    have = {t.casefold() for t in current}
    return [tag for tag in clean_tags(tags) if tag.casefold() not in have]


class Written:
    """The uids an import has written, as a Bloom filter: a uid it says no to was
    certainly not written; one it says maybe to is looked up. 2 MiB, however many."""

    BITS = 1 << 24

    def __init__(self) -> None:
        self.bits = bytearray(self.BITS // 8)

    def _places(self, uid: str) -> tuple[int, int]:
        mixed = hash(uid)
        return mixed & (self.BITS - 1), (mixed >> 24) & (self.BITS - 1)

    def add(self, uid: str) -> None:
        for place in self._places(uid):
            self.bits[place >> 3] |= 1 << (place & 7)

    def maybe(self, uid: str) -> bool:
        return all(self.bits[place >> 3] & (1 << (place & 7)) for place in self._places(uid))


@dataclass
class Held:
    """One record as the journal holds it."""

    id: int
    values: Mapping[str, Any]
    people: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    details: list[HeldDetail] = field(default_factory=list)

    def same_interaction(
        self, values: Mapping[str, Any], people: list[int], tags: list[str]
    ) -> bool:
        if differs(self.values, values) or self.people != people:
            return False
        return not adds_tags(self.tags, tags)

    def same_person(
        self,
        name: str | None,
        fields: Mapping[str, Any],
        details: Sequence[Detail],
        stage: str | None,
        tags: list[str],
    ) -> bool:
        """What person_row would find changed (``name``: None unless it may rename)."""
        current = self.values
        if name is not None and name != current["name"]:
            return False
        if differs(current, fields) or (stage is not None and stage != current["stage"]):
            return False
        added, labelled = plan_details(self.details, current["email"], current["phone"], details)
        return not added and not labelled and not adds_tags(self.tags, tags)


def _rows(session: Session, name: str, ids: Sequence[int]) -> list[Held]:
    if not ids:
        return []
    t = table(name)
    rows = session.connection().execute(select(t).where(t.c.id.in_(ids)))
    return [Held(row.id, dict(row._mapping)) for row in rows]


def interactions(session: Session, uids: Sequence[str]) -> dict[str, Held]:
    """The interactions with these uids, by uid, with their people in order and tags."""
    t = table("interaction")
    # The uid index alone answers for the uids the journal does not hold.
    query = select(t.c.id).where(t.c.uid.in_(uids))
    ids = [ident for (ident,) in session.connection().execute(query)] if uids else []
    found = {held.values["uid"]: held for held in _rows(session, "interaction", ids)}
    by_id = {held.id: held for held in found.values()}
    if by_id:
        conn = session.connection()
        links, tags = table("interaction_person"), table("interaction_tag")
        query = (
            select(links.c.interaction_id, links.c.person_id)
            .where(links.c.interaction_id.in_(list(by_id)))
            .order_by(links.c.interaction_id, links.c.position)
        )
        for ident, pid in conn.execute(query):
            by_id[ident].people.append(pid)
        query = select(tags.c.interaction_id, tags.c.tag).where(
            tags.c.interaction_id.in_(list(by_id))
        )
        for ident, tag in conn.execute(query):
            by_id[ident].tags.append(tag)
    return found


def people(session: Session, ids: Sequence[int]) -> dict[int, Held]:
    """The people with these ids, with their tags and details."""
    found = {held.id: held for held in _rows(session, "person", ids)}
    if found:
        conn = session.connection()
        tags, details = table("person_tag"), table("person_detail")
        query = select(tags.c.person_id, tags.c.tag).where(tags.c.person_id.in_(list(found)))
        for pid, tag in conn.execute(query):
            found[pid].tags.append(tag)
        columns = (details.c[name] for name in ("person_id", "kind", "value", "label", "position"))
        held = select(*columns).where(details.c.person_id.in_(list(found)))
        for pid, kind, value, label, position in conn.execute(held.order_by(details.c.id)):
            found[pid].details.append((kind, value, label, position))
    return found

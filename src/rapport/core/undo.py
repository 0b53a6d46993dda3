"""Undo and history: reverting a change from the change log, listing the changes.

A change is undone only if the journal still holds what it left: every row it wrote
as it wrote it, no row it removed put back by then, and nothing added since that
names a record it made. Otherwise a later change built on it, and undo says which
and refuses, changing nothing.
"""

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, not_, or_
from sqlalchemy import select as rows_of
from sqlmodel import Session, col, select

from rapport.core import rules
from rapport.core.changes import (
    data_tables,
    has_ids,
    key_of,
    key_values,
    owner,
    plain,
    row_image,
    stop,
    table,
    touched,
    typed,
    where_key,
)
from rapport.errors import Conflict, NotFound
from rapport.models import Change, ChangeRow
from rapport.render import Listing

HISTORY = Listing(
    "history",
    ("id", "at", "author", "command", "summary", "undone_at"),
    frozenset({"id", "at", "command", "undone_at"}),
)


def latest(session: Session) -> Change:
    change = session.exec(
        select(Change).where(col(Change.undone_at).is_(None)).order_by(col(Change.id).desc())
    ).first()
    if change is None:
        raise Conflict("nothing to undo: every change in the change log is undone")
    return change


def undo(session: Session, *, now: datetime, ident: int | None = None) -> Change:
    """Revert the latest change not yet undone (or change ``ident``) and mark it undone."""
    stop(session)
    change = latest(session) if ident is None else _given(session, ident)
    if change.erased:
        raise Conflict(
            f"change {change.id} ({change.command}) concerned a person since erased;"
            " it can't be undone"
        )
    entries = session.exec(
        select(ChangeRow)
        .where(ChangeRow.change_id == change.id)
        .order_by(col(ChangeRow.seq).desc())
    ).all()
    ranges = {r.table_name: json.loads(r.after or "{}") for r in entries if r.op == "range"}
    for entry in entries:
        if entry.op != "range":
            _revert(session, change, entry, ranges)
    for t in reversed(data_tables()):
        if t.name in ranges:
            _drop_range(session, change, t, ranges)
    rows = [(r.table_name, r.row_key, r.op, None, json.loads(r.after or "null")) for r in entries]
    rules.records_changed(session, touched(rows))
    change.undone_at = now
    session.add(change)
    session.flush()
    return change


def _given(session: Session, ident: int) -> Change:
    change = session.get(Change, ident)
    if change is None:
        raise NotFound(f"no change {ident} in the change log (see `rapport history`)")
    if change.undone_at is not None:
        raise Conflict(f"change {ident} was already undone")
    return change


def _refuse(session: Session, change: Change, name: str, key: str, why: str) -> None:
    later = session.exec(
        select(Change)
        .join(ChangeRow, col(ChangeRow.change_id) == col(Change.id))
        .where(
            ChangeRow.table_name == name,
            ChangeRow.row_key == key,
            col(Change.id) > change.id,
            col(Change.undone_at).is_(None),
        )
        .order_by(col(Change.id))
    ).first()
    by = (
        f"change {later.id} ({later.command}: {later.summary}) built on it; undo that first"
        if later is not None
        else "the journal was changed since"
    )
    raise Conflict(f"can't undo change {change.id} ({change.command}): {why}; {by}")


def _revert(session: Session, change: Change, entry: ChangeRow, ranges: dict[str, Any]) -> None:
    t = table(entry.table_name)
    conn = session.connection()
    current = row_image(session, t, entry.row_key)
    after = json.loads(entry.after) if entry.after else None
    before = json.loads(entry.before) if entry.before else None
    what = f"{entry.table_name} {entry.row_key}"
    if entry.op == "delete":
        if current is not None:
            _refuse(session, change, t.name, entry.row_key, f"{what} is back")
        assert before is not None
        conn.execute(t.insert().values({k: typed(t, k, v) for k, v in before.items()}))
        return
    assert after is not None
    if current is None or any(current.get(k) != v for k, v in after.items()):
        _refuse(session, change, t.name, entry.row_key, f"{what} has changed since")
    if entry.op == "update":
        assert before is not None
        conn.execute(
            t.update()
            .where(*where_key(t, entry.row_key))
            .values({k: typed(t, k, v) for k, v in before.items()})
        )
        return
    _check_unreferenced(session, change, t, entry.row_key, after)
    conn.execute(t.delete().where(*where_key(t, entry.row_key)))


def _children(t: Table) -> Iterator[tuple[Table, Any]]:
    """The tables whose rows name a row of ``t``, and the column that does."""
    for child in data_tables():
        for fk in child.foreign_keys:
            if fk.column.table is t:
                yield child, fk.parent


def _check_unreferenced(
    session: Session, change: Change, t: Table, key: str, image: dict[str, Any]
) -> None:
    if not has_ids(t):
        return
    for child, column in _children(t):
        found = session.connection().execute(rows_of(child).where(column == image["id"])).first()
        if found is not None:
            child_key = {k: plain(v) for k, v in found._mapping.items()}
            _refuse(
                session,
                change,
                child.name,
                key_of(child, child_key),
                f"{child.name} {key_of(child, child_key)} names {t.name} {image['id']}",
            )


def _drop_range(session: Session, change: Change, t: Table, ranges: dict[str, Any]) -> None:
    """Delete the rows a bulk insert added, unless later rows name them."""
    span = ranges[t.name]
    inside = t.c.id.between(span["first"], span["last"])
    for child, column in _children(t):
        named = column.between(span["first"], span["last"])
        found = owner(child)
        if found is not None and found[1] is t:
            continue  # its links go with it
        spared = []
        if has_ids(child) and child.name in ranges:
            own = ranges[child.name]
            spared.append(child.c.id.between(own["first"], own["last"]))
        if found is not None and found[1].name in ranges:
            own = ranges[found[1].name]
            spared.append(found[0].between(own["first"], own["last"]))
        query = rows_of(func.count()).select_from(child).where(named)
        if spared:
            query = query.where(not_(or_(*spared)))
        if session.connection().execute(query).scalar():
            raise Conflict(
                f"can't undo change {change.id} ({change.command}): records added since name"
                f" {t.name} rows it added; undo those changes first"
            )
    session.connection().execute(t.delete().where(inside))


def history_records(session: Session, limit: int | None = None) -> Iterator[dict[str, object]]:
    """The latest changes, newest first."""
    query = select(Change).order_by(col(Change.id).desc())
    if limit is not None:
        query = query.limit(limit)
    for change in session.exec(query):
        yield {
            "id": change.id,
            "at": change.at,
            "author": change.author,
            "command": change.command,
            "summary": change.summary,
            "undone_at": change.undone_at,
        }


def erase_person(session: Session, person_id: int, records: Mapping[str, Iterable[int]]) -> int:
    """Purge the change log of a person being forgotten; how many changes were erased.

    Every change that touched the person's row, a row naming them (``person_id``), or one of
    ``records`` (their rows by table: the interactions they took part in, their
    commitments…) keeps only its number, time and author: its rows go, its summary says
    it was erased, and undo refuses it. Call it in the transaction that erases them.
    """
    mine = {name: set(ids) for name, ids in records.items()}
    mine.setdefault("person", set()).add(person_id)
    hit: set[int] = set()
    for entry in session.exec(select(ChangeRow)):
        if entry.change_id not in hit and _concerns(entry, person_id, mine):
            hit.add(entry.change_id)
    conn = session.connection()
    for ident in hit:
        conn.execute(table("change_row").delete().where(table("change_row").c.change_id == ident))
        conn.execute(
            table("change")
            .update()
            .where(table("change").c.id == ident)
            .values(summary="(erased with a forgotten person)", erased=True)
        )
    return len(hit)


def _concerns(entry: ChangeRow, person_id: int, mine: dict[str, set[int]]) -> bool:
    t = table(entry.table_name)
    if entry.op == "range":
        span = json.loads(entry.after or "{}")
        return any(span["first"] <= i <= span["last"] for i in mine.get(t.name, ()))
    images = [json.loads(entry.before or "{}"), json.loads(entry.after or "{}")]
    if any(image.get("person_id") == person_id for image in images):
        return True
    values = key_values(t, entry.row_key)
    if values.get("person_id") == person_id:
        return True
    link = owner(t)
    if link is not None:
        return values[link[0].name] in mine.get(link[1].name, ())
    return values["id"] in mine.get(t.name, ())

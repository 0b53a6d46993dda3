"""The change log: every write command is recorded in the transaction that makes it.

``record(session, …)`` puts a recorder on one write session. Each flush tells it which
rows the ORM inserted, updated and deleted; at commit it writes one ``Change`` and a
``ChangeRow`` per row with what undoing it needs (core/undo.py): the columns an update
changed (before and after), a deleted row whole, an inserted row whole. Rows inserted
by the thousand (an import) are found by id above the ids the tables held when the
change began, and kept as one ``range`` row per table, not as copies: a link row (a
tag, an interaction's people) goes with the record named by its first key column, so
the database's ON DELETE CASCADE removes it with that record.

Two kinds of writes escape the recorder, so write paths avoid them: Core statements
(``session.execute(update(…))``) on rows that already existed, and rows that ON DELETE
CASCADE removes. Delete a record's links through the ORM before the record
(``core.fixing.remove`` does).
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Column, Table, event, func, inspect, select
from sqlmodel import Session, SQLModel

from rapport.core import rules
from rapport.models import UTCDateTime

# The change log itself, and the search index, which store/fts.py derives from the rest.
LOG_TABLES = ("change", "change_row", "rapport_meta", "search_doc")
# Below this many rows inserted into a table, each is kept whole; above, as a range.
SMALL = 100
DEFAULT_KEEP = 1000


@cache
@cache
def data_tables() -> tuple[Table, ...]:
    """The journal's tables, parents before children.

    A record comes after every table its links name too (an interaction after the
    people its ``interaction_person`` rows name), so that undoing a change that added
    both removes the interaction and its links before the people.
    """
    tables = [t for t in SQLModel.metadata.sorted_tables if t.name not in LOG_TABLES]
    needs: dict[str, set[str]] = {t.name: set() for t in tables}
    for t in tables:
        for fk in t.foreign_keys:
            needs[t.name].add(fk.column.table.name)
    for t in tables:
        if not has_ids(t):
            first = next(iter(t.primary_key.columns))
            (owner_key,) = first.foreign_keys
            parent = owner_key.column.table.name
            needs[parent] |= {n for n in needs[t.name] if n != parent}
    ordered: list[Table] = []
    placed: set[str] = set()
    while len(ordered) < len(tables):
        for t in tables:
            if t.name not in placed and needs[t.name] - {t.name} <= placed:
                ordered.append(t)
                placed.add(t.name)
                break
        else:
            return tuple(tables)  # a cycle: keep SQLAlchemy's order
    return tuple(ordered)


def table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


@cache
def has_ids(t: Table) -> bool:
    return [c.name for c in t.primary_key.columns] == ["id"]


@cache
def id_tables() -> tuple[Table, ...]:
    return tuple(t for t in data_tables() if has_ids(t))


@cache
def owner(t: Table) -> tuple[Column[Any], Table] | None:
    """For a link table, its first key column and the table that column names."""
    if has_ids(t):
        return None
    first = next(iter(t.primary_key.columns))
    (fk,) = first.foreign_keys
    return first, fk.column.table


def plain(value: Any) -> Any:
    """A column value as the change log keeps it in JSON (timestamps as stored: UTC seconds)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def typed(t: Table, name: str, value: Any) -> Any:
    """The inverse of ``plain`` for one column."""
    if value is None:
        return None
    kind = t.c[name].type
    if isinstance(kind, UTCDateTime):
        return datetime.fromisoformat(value)
    if kind.python_type is date:
        return date.fromisoformat(value)
    if kind.python_type is bool:
        return bool(value)
    return value


def key_of(t: Table, values: dict[str, Any]) -> str:
    key = [plain(values[c.name]) for c in t.primary_key.columns]
    return json.dumps(key[0] if len(key) == 1 else key, ensure_ascii=False)


def key_values(t: Table, row_key: str) -> dict[str, Any]:
    key = json.loads(row_key)
    names = [c.name for c in t.primary_key.columns]
    return dict(zip(names, key if len(names) > 1 else [key], strict=True))


def where_key(t: Table, row_key: str) -> list[Any]:
    return [t.c[name] == value for name, value in key_values(t, row_key).items()]


def row_image(session: Session, t: Table, row_key: str) -> dict[str, Any] | None:
    row = session.connection().execute(select(t).where(*where_key(t, row_key))).first()
    return None if row is None else {k: plain(v) for k, v in row._mapping.items()}


@dataclass
class Entry:
    table: str
    key: str
    op: str  # insert, update, delete
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


@dataclass
class Recorder:
    command: str
    author: str | None
    now: datetime
    keep: int = DEFAULT_KEEP
    floors: dict[str, int] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    updated: dict[tuple[str, str], Entry] = field(default_factory=dict)
    active: bool = True
    change_id: int | None = None

    def is_new(self, t: Table, values: dict[str, Any]) -> bool:
        """Whether the row (or the record a link row belongs to) came in with this change."""
        if has_ids(t):
            return t.name in self.floors and (values.get("id") or 0) > self.floors[t.name]
        link = owner(t)
        assert link is not None
        column, parent = link
        return (
            parent.name in self.floors and (values.get(column.name) or 0) > self.floors[parent.name]
        )

    def flushed(self, session: Session) -> None:
        if not self.active:
            return
        for obj in session.new:
            t, values = _table_values(obj)
            if t is not None and not self.is_new(t, values):
                self.entries.append(Entry(t.name, key_of(t, values), "insert", None, values))
        for obj in session.dirty:
            t, values = _table_values(obj)
            if t is not None and not self.is_new(t, values):
                self._update(t, obj, values)
        for obj in session.deleted:
            t, values = _table_values(obj)
            if t is not None and not self.is_new(t, values):
                self._delete(t, obj, values)

    def _update(self, t: Table, obj: Any, values: dict[str, Any]) -> None:
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        state = inspect(obj)
        for name in t.c.keys():  # noqa: SIM118 (a ColumnCollection iterates columns)
            history = state.attrs[name].history
            if history.added and history.deleted and plain(history.deleted[0]) != values[name]:
                before[name], after[name] = plain(history.deleted[0]), values[name]
        if not after:
            return
        old_key = key_of(t, values | before)
        entry = self.updated.pop((t.name, old_key), None)
        if entry is None:
            entry = Entry(t.name, key_of(t, values), "update", before, after)
            self.entries.append(entry)
        else:  # changed again in the same change: the first before, the last after
            entry.before = before | (entry.before or {})
            entry.after = (entry.after or {}) | after
            entry.key = key_of(t, values)
        self.updated[(t.name, entry.key)] = entry

    def _delete(self, t: Table, obj: Any, values: dict[str, Any]) -> None:
        state = inspect(obj)
        for name in t.c.keys():  # noqa: SIM118 (the row as it was, not as edited since)
            history = state.attrs[name].history
            if history.deleted:
                values[name] = plain(history.deleted[0])
        self.entries.append(Entry(t.name, key_of(t, values), "delete", values, None))

    def rows(self, session: Session) -> Iterator["Row"]:
        """The change's rows in the order they happened: inserted records first."""
        # One statement for every table: how many rows came in above its floor.
        above = [t.c.id > self.floors[t.name] for t in id_tables()]
        figures = (
            session.connection()
            .execute(
                select(
                    *(
                        select(figure).select_from(t).where(where).scalar_subquery()
                        for t, where in zip(id_tables(), above, strict=True)
                        for figure in (func.count(), func.min(t.c.id), func.max(t.c.id))
                    )
                )
            )
            .one()
        )
        for index, t in enumerate(id_tables()):
            floor = self.floors[t.name]
            count, first, last = figures[3 * index : 3 * index + 3]
            if not count:
                continue
            if count > SMALL:
                span = {"first": first, "last": last, "count": count}
                yield t.name, f"{first}-{last}", "range", None, span
                continue
            for row in session.connection().execute(
                select(t).where(t.c.id > floor).order_by(t.c.id)
            ):
                image = {k: plain(v) for k, v in row._mapping.items()}
                yield t.name, key_of(t, image), "insert", None, image
            for link in data_tables():
                found = owner(link)
                if found is None or found[1] is not t:
                    continue
                column = found[0]
                for row in session.connection().execute(select(link).where(column > floor)):
                    image = {k: plain(v) for k, v in row._mapping.items()}
                    yield link.name, key_of(link, image), "insert", None, image
        for entry in self.entries:
            yield entry.table, entry.key, entry.op, entry.before, entry.after

    def commit(self, session: Session) -> None:
        if not self.active:
            return
        session.flush()
        self.active = False
        rows = list(self.rows(session))
        if not rows:
            return
        rules.records_changed(session, touched(rows))
        conn = session.connection()
        changes, change_rows = table("change"), table("change_row")
        summary = describe(session, rows)
        result = conn.execute(
            changes.insert().values(
                at=self.now, author=self.author, command=self.command, summary=summary, erased=False
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        change_id = int(key[0])
        conn.execute(
            change_rows.insert(),
            [
                {
                    "change_id": change_id,
                    "seq": seq,
                    "table_name": name,
                    "row_key": key,
                    "op": op,
                    "before": _json(before),
                    "after": _json(after),
                }
                for seq, (name, key, op, before, after) in enumerate(rows)
            ],
        )
        self.change_id = change_id
        prune(session, change_id, self.keep)


Row = tuple[str, str, str, Any, Any]  # table, key, op, before, after


def touched(rows: Iterable[Row]) -> dict[str, list[tuple[int, int]]]:
    """The records a change's rows touched, as id spans per table; a link is its owner's."""
    spans: dict[str, list[tuple[int, int]]] = {}
    single: dict[str, set[int]] = {}
    for name, key, op, _before, after in rows:
        if op == "range":
            spans.setdefault(name, []).append((after["first"], after["last"]))
            continue
        t = table(name)
        link = owner(t)
        if link is None:
            single.setdefault(name, set()).add(int(json.loads(key)))
        else:
            single.setdefault(link[1].name, set()).add(int(key_values(t, key)[link[0].name]))
    for name, ids in single.items():
        spans.setdefault(name, []).extend((i, i) for i in sorted(ids))
    return spans


def _json(image: Any) -> str | None:
    return None if image is None else json.dumps(image, ensure_ascii=False, sort_keys=True)


def _table_values(obj: Any) -> tuple[Table | None, dict[str, Any]]:
    t = getattr(obj, "__table__", None)
    if not isinstance(t, Table) or t.name in LOG_TABLES:
        return None, {}
    return t, {c.name: plain(getattr(obj, c.key)) for c in t.columns}


def record(
    session: Session, command: str, *, author: str | None, now: datetime, keep: int = DEFAULT_KEEP
) -> Recorder:
    """Record what this write session changes as one change named ``command``."""
    recorder = Recorder(command, author, now, keep)
    tables = id_tables()
    floors = session.connection().execute(
        select(*(select(func.max(t.c.id)).scalar_subquery() for t in tables))
    )
    recorder.floors = {t.name: floor or 0 for t, floor in zip(tables, floors.one(), strict=True)}
    event.listen(session, "after_flush", lambda s, _ctx: recorder.flushed(s))
    event.listen(session, "before_commit", recorder.commit)
    session.info["rapport_recorder"] = recorder
    return recorder


def stop(session: Session) -> None:
    """Leave this session's writes out of the change log (undo keeps its own account)."""
    recorder = session.info.get("rapport_recorder")
    if isinstance(recorder, Recorder):
        recorder.active = False


def prune(session: Session, newest: int, keep: int) -> None:
    """Forget the oldest changes beyond the ``keep`` latest."""
    oldest_kept = newest - max(keep, 1) + 1
    conn = session.connection()
    conn.execute(table("change_row").delete().where(table("change_row").c.change_id < oldest_kept))
    conn.execute(table("change").delete().where(table("change").c.id < oldest_kept))


PREFIXES = {
    "interaction": "i",
    "commitment": "c",
    "problem": "p",
    "gesture": "g",
    "stage_change": "s",
}
PLURALS = {
    "person": "people",
    "interaction": "interactions",
    "commitment": "commitments",
    "problem": "problems",
    "gesture": "gestures",
    "stage_change": "stage changes",
}


def describe(session: Session, rows: Iterable[Row]) -> str:
    """What a change did, in a few words: "added i12 (Ann Lee); changed c3 (due)"."""
    verbs: dict[tuple[str, Any], list[str]] = {}  # per record: its op, then what changed
    people: dict[tuple[str, Any], list[int]] = {}
    ranges: list[str] = []
    gone: dict[int, str] = {}
    for name, key, op, before, after in rows:
        if op == "range":
            ranges.append(f"imported {after['count']} {PLURALS.get(name, name)}")
            continue
        image = after or before or {}
        link = owner(table(name))
        if link is None:
            record, changed = (name, json.loads(key)), sorted(after or {}) if op == "update" else []
        else:
            image = image | key_values(table(name), key)
            record, op = (link[1].name, image[link[0].name]), "update"
            changed = ["people" if name == "interaction_person" else "tags"]
        said = verbs.setdefault(record, [op])
        if link is None and op != "update":  # the record's own insert or delete says it all
            said[:] = [op]
        said.extend(c for c in changed if c not in said)
        who = image.get("person_id") if name != "person" else record[1]
        if who is not None:
            people.setdefault(record, []).append(who)
        if name == "person" and "name" in image:  # a deleted person is named by their row
            gone[record[1]] = image["name"]
    names = gone | _names(session, verbs, people)
    parts = []
    for (name, ident), (op, *cols) in verbs.items():
        label = f"#{ident}" if name == "person" else f"{PREFIXES.get(name, name + ' ')}{ident}"
        who = [names[p] for p in dict.fromkeys(people.get((name, ident), [])) if p in names]
        label += (f" {who[0]}" if name == "person" else f" ({', '.join(who)})") if who else ""
        verb = {"insert": "added", "update": "changed", "delete": "deleted"}[op]
        parts.append(
            f"{verb} {label}" + (f" ({', '.join(cols)})" if op == "update" and cols else "")
        )
    parts = ranges + parts
    shown = parts[:4] + ([f"and {len(parts) - 4} more"] if len(parts) > 4 else [])
    return "; ".join(shown)


def _names(
    session: Session, records: Iterable[tuple[str, Any]], people: dict[tuple[str, Any], list[int]]
) -> dict[int, str]:
    """The names of the people the records concern, their interactions' people included."""
    conn = session.connection()
    links = table("interaction_person")
    talks = [ident for name, ident in records if name == "interaction"]
    if talks:
        found = conn.execute(
            select(links.c.interaction_id, links.c.person_id)
            .where(links.c.interaction_id.in_(talks))
            .order_by(links.c.position)
        )
        for talk, who in found:
            people.setdefault(("interaction", talk), []).append(who)
    wanted = {p for ids in people.values() for p in ids}
    person = table("person")
    rows = conn.execute(select(person.c.id, person.c.name).where(person.c.id.in_(wanted)))
    return dict(rows.all())

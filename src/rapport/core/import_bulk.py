"""Import, in bulk: records new to the journal written a thousand at a time.

A new record is not made an ORM object: its row waits here with the id it will have
(the one it was exported with, into a table that was empty before the import, when
that id is free; else the table's next), and a batch goes in with one statement per
table, parents first. The change log finds these rows by id, as it finds every bulk
insert (core/changes.py), and the search index is told which ids to read
(``fts.note_written``).

Code that writes through the ORM calls ``flush`` first, so that the ORM never hands
out an id a waiting row holds; whenever the ORM inserts, the highest ids are read
again. On SQLite the batch is written by core/import_writer.py.
"""

from collections.abc import Hashable
from functools import cache
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy import text as sql
from sqlmodel import Session, SQLModel

from rapport.core.changes import data_tables, has_ids, table
from rapport.core.import_writer import CACHE_KIB, Statement, Writer, statements
from rapport.store import fts


@cache
def blank(model: type[SQLModel]) -> dict[str, Any]:
    """A row of ``model``'s table with the defaults the model gives (None where it gives none)."""
    row: dict[str, Any] = {}
    for column in table(name_of(model)).columns:
        info = model.model_fields.get(column.name)
        default = None if info is None or info.is_required() else info.default
        row[column.name] = None if info is not None and info.default_factory else default
    return row


def name_of(model: type[SQLModel]) -> str:
    return str(model.__tablename__)


def sync_sequence(session: Session, name: str) -> None:
    """Move PostgreSQL's id sequence of table ``name`` past the ids given by hand."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                f" GREATEST(MAX(id), 1), MAX(id) IS NOT NULL) FROM {name}"
            )
        )


def runs(ids: list[int]) -> list[tuple[int, int]]:
    """Sorted ids as spans of consecutive ones: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    spans: list[tuple[int, int]] = []
    for ident in sorted(ids):
        if spans and ident == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], ident)
        else:
            spans.append((ident, ident))
    return spans


class Bulk:
    """Rows waiting to be inserted, by table, with the ids they take.

    ``fresh`` names the tables that were empty before the import: only there may a row
    keep the id it was exported with.
    """

    def __init__(self, session: Session, fresh: set[str]) -> None:
        self.session = session
        self.fresh = fresh
        conn = session.connection()
        self.writer: Writer | None = None
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
            self.writer = Writer(conn)
        event.listen(session, "after_flush", self._orm_flushed)
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.high: dict[str, int] = {}  # the highest id taken, in the journal or here
        self.ids: dict[str, set[int]] = {}
        self.uids: dict[str, set[str]] = {}
        # What else the waiting rows are known by (an interaction's moment, text and people).
        self.marks: set[Hashable] = set()

    def _high(self, name: str) -> int:
        if name not in self.high:
            self.session.flush()
            t = table(name)
            found = self.session.connection().execute(select(func.max(t.c.id))).scalar()
            self.high[name] = max(found or 0, 0)
        return self.high[name]

    def _taken(self, name: str, ident: int) -> bool:
        if ident > self._high(name):
            return False
        if ident in self.ids.get(name, ()):
            return True
        t = table(name)
        query = select(t.c.id).where(t.c.id == ident)
        return self.session.connection().execute(query).first() is not None

    def new_id(self, model: type[SQLModel], wanted: int | None = None) -> int:
        """The id a new row of ``model`` gets: ``wanted`` if its table was empty and it is
        free, else one past the highest."""
        name = name_of(model)
        if self.session.new:  # the ORM's own inserts take their ids first
            self.session.flush()
        if wanted is not None and name in self.fresh and not self._taken(name, wanted):
            ident = wanted
        else:
            ident = self._high(name) + 1
        self.high[name] = max(self._high(name), ident)
        return ident

    def add(self, model: type[SQLModel], values: dict[str, Any]) -> None:
        """A row of ``model``'s table: the model's defaults, with ``values`` over them."""
        name = name_of(model)
        self.rows.setdefault(name, []).append(blank(model) | values)
        if (ident := values.get("id")) is not None:
            self.ids.setdefault(name, set()).add(ident)
        if (uid := values.get("uid")) is not None:
            self.uids.setdefault(name, set()).add(uid)

    def waiting(self, model: type[SQLModel], uid: str) -> bool:
        return uid in self.uids.get(name_of(model), ())

    def _orm_flushed(self, session: Session, _context: Any) -> None:
        if session.new:  # the ORM took ids: the highest is read again
            self.high.clear()

    def flush(self) -> None:
        """Insert every waiting row, parents first."""
        if not self.rows:
            return
        self.session.flush()
        conn = self.session.connection()
        batch: list[Statement] = []
        for t in data_tables():
            rows = self.rows.pop(t.name, None)
            if not rows:
                continue
            if self.writer is not None:
                batch += statements(t.name, conn.dialect, rows)
            else:
                conn.execute(t.insert(), rows)
            if has_ids(t):
                for first, last in runs([row["id"] for row in rows]):
                    fts.note_written(self.session, t.name, first, last)
                if self.writer is None:
                    sync_sequence(self.session, t.name)
        if self.writer is not None:
            self.writer.write(batch)
        self.ids.clear()
        self.uids.clear()
        self.marks.clear()

"""Import, the writing of a batch on SQLite: in a thread of its own, many rows a statement.

SQLite does its work (the tables' b-trees, the search index) without holding Python's
interpreter lock, so a batch's INSERTs run in a thread while the import reads and
checks the next batch: on two cores, reading and writing overlap. Each statement
carries many rows, so that the thread needs the lock only now and then. Any other
statement on the connection, and its commit or rollback, first waits for the batch;
one batch is written at a time.
"""

import sys
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Dialect, event

from rapport.core.changes import table

# SQLite takes at most 32,766 values in a statement.
VALUES_PER_STATEMENT = 30_000
# How often the interpreter lets another thread run: short, so that the writing thread
# never waits long to go on with its next statement.
SWITCH_INTERVAL = 0.0005
# SQLite's page cache for the import (KiB): room for the indexes a million rows grow,
# whose uids land all over them, so that few pages are written twice.
CACHE_KIB = 65536

Statement = tuple[str, tuple[Any, ...]]
Prepare = Callable[[list[dict[str, Any]]], list[tuple[Any, ...]]]
_INSERTS: dict[str, tuple[str, str, Prepare]] = {}


def _insert(name: str, dialect: Dialect) -> tuple[str, str, Prepare]:
    """The head and one row's VALUES of an INSERT of every column of table ``name``, and
    what turns rows into their parameters: the values the column types would bind."""
    if name not in _INSERTS:
        t = table(name)
        quote = dialect.identifier_preparer.quote
        columns = [c.name for c in t.columns]
        head = f"INSERT INTO {quote(name)} ({', '.join(quote(c) for c in columns)}) VALUES "
        one = f"({', '.join('?' for _ in columns)})"
        processors = [
            (index, processor)
            for index, c in enumerate(t.columns)
            if (processor := c.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        ]

        def prepare(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
            # The same moment recurs (an interaction's time on each of its links).
            memos: list[dict[Any, Any]] = [{} for _ in processors]
            prepared = []
            for row in rows:
                values = [row[c] for c in columns]
                for (index, processor), memo in zip(processors, memos, strict=True):
                    value = values[index]
                    if value is not None:
                        if (bound := memo.get(value)) is None:
                            bound = memo[value] = processor(value)
                        values[index] = bound
                prepared.append(tuple(values))
            return prepared

        _INSERTS[name] = head, one, prepare
    return _INSERTS[name]


def statements(name: str, dialect: Dialect, rows: list[dict[str, Any]]) -> list[Statement]:
    """INSERTs of these rows of table ``name``, many rows a statement.

    Statements of a power of two rows only: SQLite keeps each distinct statement, with
    the last values bound to it, so only a few sizes are ever made."""
    head, one, prepare = _insert(name, dialect)
    prepared = prepare(rows)
    width = len(prepared[0]) if prepared else 1
    most = 1 << ((VALUES_PER_STATEMENT // width).bit_length() - 1)
    made = []
    start = 0
    while start < len(prepared):
        size = min(most, 1 << ((len(prepared) - start).bit_length() - 1))
        chunk = prepared[start : start + size]
        values = tuple(value for row in chunk for value in row)
        made.append((head + ", ".join([one] * size), values))
        start += size
    return made


class Writer:
    """Runs one batch of statements at a time on the connection, in a thread."""

    def __init__(self, conn: Connection) -> None:
        self.dbapi = conn.connection.dbapi_connection
        self.thread: threading.Thread | None = None
        self.interval = sys.getswitchinterval()
        self.failure: BaseException | None = None
        event.listen(conn, "before_cursor_execute", lambda *_: self.wait())
        event.listen(conn, "commit", lambda *_: self.wait())
        event.listen(conn, "rollback", lambda *_: self.wait(quiet=True))

    def wait(self, *, quiet: bool = False) -> None:
        """Let the batch being written finish; raise what went wrong with it."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
            sys.setswitchinterval(self.interval)
        failure, self.failure = self.failure, None
        if failure is not None and not quiet:
            raise failure

    def write(self, batch: list[Statement]) -> None:
        self.wait()
        self.interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.thread = threading.Thread(target=self._run, args=(batch,), daemon=True)
        self.thread.start()

    def _run(self, batch: list[Statement]) -> None:
        assert self.dbapi is not None
        cursor = self.dbapi.cursor()
        try:
            for statement, values in batch:
                cursor.execute(statement, values)
        except BaseException as exc:
            self.failure = exc
        finally:
            cursor.close()

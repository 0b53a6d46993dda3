"""Moving a whole journal between backends: a file onto a team server and back.

Rows are copied table by table, parents first, with their ids and uids, in
batches, inside one write transaction on the target: a copy that fails leaves
the target as it was. The source is read in one transaction, so the copy is the
journal at one instant even while others write to it.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Table, func, select, text
from sqlmodel import SQLModel

from rapport.config import data_dir, sqlite_path
from rapport.errors import Conflict
from rapport.store import schema
from rapport.store.journal import Journal, discard, open_journal
from rapport.store.paths import same_file

BATCH = 5000


def _tables() -> list[Table]:
    return [t for t in SQLModel.metadata.sorted_tables if t.name != schema.META_TABLE]


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def copy_rows(source: Connection, target: Connection, *, replace: bool) -> dict[str, int]:
    """Copy every row of ``source`` into ``target``; how many rows each table received."""
    tables = _tables()
    held = {t.name: n for t in tables if (n := _count(target, t))}
    if held and not replace:
        people = held.get("person", 0)
        raise Conflict(
            f"the target journal is not empty ({people} people, {sum(held.values())} rows in all);"
            " nothing was copied: add --replace to overwrite it"
        )
    for table in reversed(tables):
        target.execute(table.delete())
    copied: dict[str, int] = {}
    for table in tables:
        order = list(table.primary_key.columns)
        rows = source.execute(select(table).order_by(*order)).mappings()
        copied[table.name] = 0
        while batch := [dict(row) for row in rows.fetchmany(BATCH)]:
            target.execute(table.insert(), batch)
            copied[table.name] += len(batch)
    if target.dialect.name == "postgresql":
        for table in tables:
            if "id" in table.columns and table.columns["id"].autoincrement is not False:
                target.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                        f" GREATEST(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}"
                    )
                )
    return copied


def copy_journal(source: Journal, target: Journal, *, replace: bool = False) -> dict[str, int]:
    """Copy the journal ``source`` onto ``target`` in one transaction on the target."""
    with source.read() as reading, target.write() as writing:
        return copy_rows(reading.connection(), writing.connection(), replace=replace)


@contextmanager
def snapshot(url: str, *, busy_timeout: float) -> Iterator[Path]:
    """A private temporary SQLite journal holding the server journal ``url`` as it is now."""
    folder = Path(tempfile.mkdtemp(prefix=".rapport-copy-"))
    try:
        name = (url.rsplit("/", 1)[-1].split("?", 1)[0] or "journal") + ".db"
        path = folder / name
        source = open_journal(url, busy_timeout=busy_timeout)
        target = open_journal(str(path), busy_timeout=busy_timeout)
        try:
            copy_journal(source, target)
        finally:
            source.close()
            target.close()
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def backup_server(
    url: str, file: str | None, *, now: datetime, keep: object, busy_timeout: float
) -> Path:
    """Write an SQLite copy of a server journal, as `backup` does for a file.

    Without ``file`` it goes to ``backups/`` in rapport's data folder, named after the
    database and the UTC time, and only the newest ``keep`` copies of it stay.
    Restoring is ``rapport copy --from`` that file.
    """
    from rapport.store.backup import backup_journal, keep_count, rotate

    count = keep_count(keep)
    with snapshot(url, busy_timeout=busy_timeout) as copy:
        if file is not None:
            return backup_journal(str(copy), file, now=now, busy_timeout=busy_timeout)
        folder = data_dir() / "backups"
        if not folder.exists():
            folder.mkdir(mode=0o700, parents=True)
            os.chmod(folder, 0o700)
        made = backup_journal(str(copy), f"{folder}{os.sep}", now=now, busy_timeout=busy_timeout)
        rotate(folder, copy.stem, count)
        return made


def describe(target: str) -> str:
    """How a journal target may be shown: a file's path, or a URL without its password."""
    if sqlite_path(target) is not None:
        return target
    from rapport.store.server import parse

    return parse(target)[1]


SHOWN = (
    ("person", "people"),
    ("interaction", "interactions"),
    ("commitment", "commitments"),
    ("problem", "problems"),
    ("gesture", "gestures"),
    ("stage_change", "stage changes"),
)


def copy_targets(
    source: str, target: str, *, replace: bool, busy_timeout: float
) -> tuple[str, str, str]:
    """Copy the journal at ``source`` onto ``target``: what was copied, and both as shown."""
    shown_from, shown_to = describe(source), describe(target)
    _refuse_same(source, target)
    target_path = sqlite_path(target)
    created = target_path is not None and not _exists(target_path)
    reading = open_journal(source, busy_timeout=busy_timeout, create=False)
    try:
        writing = open_journal(target, busy_timeout=busy_timeout)
        try:
            copied = copy_journal(reading, writing, replace=replace)
        except BaseException:
            writing.close()
            if created and target_path is not None:
                discard(target_path)
            raise
        writing.close()
    finally:
        reading.close()
    summary = ", ".join(f"{copied.get(table, 0)} {words}" for table, words in SHOWN)
    return summary, shown_from, shown_to


def _exists(path: Path) -> bool:
    """Whether ``path`` exists; a name the system can't look up (too long, say) does not,
    and opening it as a journal then names the reason."""
    try:
        return path.exists()
    except OSError:
        return False


def _refuse_same(source: str, target: str) -> None:
    a, b = sqlite_path(source), sqlite_path(target)
    if a is not None and b is not None:
        same = same_file(a, b)
    else:
        same = describe(source) == describe(target)
    if same:
        raise Conflict("a journal can't be copied onto itself; name another with --to or --from")

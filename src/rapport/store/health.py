"""`db check`: is the journal sound? Read-only: it neither changes nor creates anything."""

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from rapport.config import sqlite_path
from rapport.errors import BadValue
from rapport.store import schema
from rapport.store.backup import integrity_problems, journal_file
from rapport.store.paths import leftovers
from rapport.store.sqlite_file import connect_file, inspect_file

OK, WARNING, ERROR = "ok", "warning", "error"

# SQLite's WAL-reset bug (a race between two checkpoints and a commit that can
# corrupt a WAL database) is in 3.7.0 through 3.51.2; 3.51.3 fixes it, and so do
# the 3.44.6 and 3.50.7 patch releases.
WAL_RESET_FIXED = (3, 51, 3)
WAL_RESET_BACKPORTS = ((3, 44, 6), (3, 50, 7))


@dataclass(frozen=True)
class Check:
    status: str
    name: str
    detail: str


def has_wal_reset_bug(version: tuple[int, ...]) -> bool:
    """Whether this SQLite library version has the WAL-reset corruption bug."""
    if version < (3, 7, 0) or version >= WAL_RESET_FIXED:
        return False
    return not any(version[:2] == fixed[:2] and version >= fixed for fixed in WAL_RESET_BACKPORTS)


def check_journal(target: str) -> list[Check]:
    """One check per line of `db check`: integrity, references, schema, SQLite, permissions."""
    if sqlite_path(target) is None:
        raise BadValue(
            "db check inspects SQLite journal files; check a PostgreSQL journal on its server"
        )
    path = journal_file(target)
    version = inspect_file(path)
    checks = [_integrity(path), _foreign_keys(path), _schema(version)]
    if version == schema.SCHEMA_VERSION:
        checks.append(_schema_objects(path))
    return [*checks, _sqlite_library(), _permissions(path), _leftovers(path)]


def expected_objects() -> set[tuple[str, str]]:
    """Every table, index, trigger and view a journal of this version has: a fresh one's."""
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            schema.create(conn)
            rows = conn.exec_driver_sql(SCHEMA_OBJECTS).fetchall()
    finally:
        engine.dispose()
    return {(str(kind), str(name)) for kind, name in rows}


SCHEMA_OBJECTS = (
    "SELECT type, name FROM sqlite_master"
    " WHERE type IN ('table', 'index', 'trigger', 'view') AND name NOT LIKE 'sqlite_%'"
)


def _schema_objects(path: Path) -> Check:
    conn = connect_file(path)
    try:
        present = {(str(kind), str(name)) for kind, name in conn.execute(SCHEMA_OBJECTS)}
    except sqlite3.DatabaseError as exc:
        return Check(ERROR, "tables", f"could not be listed ({exc})")
    finally:
        conn.close()
    missing = sorted(expected_objects() - present)
    if not missing:
        return Check(OK, "tables", "every table, index and trigger of the schema is there")
    names = ", ".join(f"{kind} {name}" for kind, name in missing)
    return Check(
        ERROR, "tables", f"missing {names}; the journal is incomplete: restore your latest backup"
    )


def _leftovers(path: Path) -> Check:
    folders = [path.absolute().parent, path.absolute().parent / "backups"]
    found = [p for folder in folders for p in leftovers(folder)]
    if not found:
        return Check(OK, "leftovers", "no temporary files left by an interrupted command")
    return Check(
        WARNING,
        "leftovers",
        f"{len(found)} temporary file(s) left by an interrupted backup or export"
        f" ({', '.join(p.name for p in found[:3])}); the next backup removes them",
    )


def _integrity(path: Path) -> Check:
    problems = integrity_problems(path)
    if not problems:
        return Check(OK, "integrity", f"{path} is sound")
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return Check(ERROR, "integrity", f"{problems[0]}{more}; restore your latest backup")


def _foreign_keys(path: Path) -> Check:
    conn = connect_file(path)
    try:
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return Check(ERROR, "foreign keys", f"could not be checked ({exc})")
    finally:
        conn.close()
    if not broken:
        return Check(OK, "foreign keys", "every reference points at a record")
    counts: dict[str, int] = {}
    for table, _rowid, parent, _fk in broken:
        key = f"{table} → {parent}"
        counts[key] = counts.get(key, 0) + 1
    where = ", ".join(f"{key} ({n})" for key, n in sorted(counts.items()))
    return Check(ERROR, "foreign keys", f"{len(broken)} row(s) point at missing records: {where}")


def _schema(version: int) -> Check:
    current = schema.SCHEMA_VERSION
    if version == current:
        return Check(OK, "schema", f"version {version}, this rapport's")
    if version == 0:
        return Check(
            WARNING, "schema", "empty journal; rapport creates its tables when it first writes"
        )
    if version < current:
        return Check(
            WARNING,
            "schema",
            f"version {version}; rapport upgrades it to {current}, after a backup,"
            " when it next opens it",
        )
    return Check(
        WARNING,
        "schema",
        f"version {version}, from a newer rapport (this one knows up to {current}):"
        " upgrade rapport",
    )


def _sqlite_library() -> Check:
    version = sqlite3.sqlite_version_info
    if has_wal_reset_bug(version):
        return Check(
            WARNING,
            "sqlite",
            f"{sqlite3.sqlite_version} has the WAL-reset corruption bug (3.7.0 to 3.51.2;"
            " fixed in 3.51.3, 3.50.7 and 3.44.6): a rare race that can corrupt the journal"
            " when several processes write; use a Python built with a newer SQLite",
        )
    return Check(OK, "sqlite", sqlite3.sqlite_version)


def _permissions(path: Path) -> Check:
    if os.name == "nt":
        return Check(OK, "permissions", "not checked on Windows (access is set by folder ACLs)")
    loose = []
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(candidate.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            loose.append(f"{candidate.name} ({mode:o})")
    if loose:
        return Check(
            WARNING,
            "permissions",
            f"open to group or others: {', '.join(loose)}; run chmod 600 on them",
        )
    return Check(OK, "permissions", "owner-only")

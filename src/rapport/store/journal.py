"""Opening a journal: checks before touching it, pragmas, read and write sessions."""

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool, StaticPool
from sqlmodel import Session

from rapport import faults
from rapport.config import sqlite_path
from rapport.errors import BadValue, JournalDamaged, JournalUnavailable, NotAJournal, NotFound
from rapport.store import fts, schema
from rapport.store.paths import make_private_folders
from rapport.store.sqlite_file import (
    RESTORE_HINT,
    check_journal_path,
    connect_file,
    inspect_file,
    is_busy,
    locked,
)

__all__ = ["RESTORE_HINT", "inspect_file"]

# SQLite's words for a journal it cannot reach or write, as opposed to a bug in rapport.
UNAVAILABLE = ("unable to open", "disk i/o", "disk is full", "readonly database")


@contextmanager
def file_errors(path: Path) -> Iterator[None]:
    """Say in one line why the file system refused ``path`` (too long a name, no access…)."""
    try:
        yield
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        reason = getattr(exc, "strerror", None) or exc
        raise BadValue(f"can't use {path} as a journal: {reason}") from exc


def create_private_file(path: Path) -> None:
    """Create an empty file that only its owner can read, whatever the umask."""
    make_private_folders(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    path.chmod(0o600)


def discard(path: Path) -> None:
    """Remove a journal file and its -wal/-shm companions, if they are there."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def secure(path: Path) -> None:
    """Keep the journal and its -wal/-shm companions owner-only."""
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if candidate.stat().st_mode & 0o077:
                candidate.chmod(0o600)
        except FileNotFoundError:
            pass


def refuse_newer(target: str, version: int) -> None:
    if version > schema.SCHEMA_VERSION:
        raise NotAJournal(
            f"{target} was written by a newer rapport (schema {version}; this one knows up to"
            f" {schema.SCHEMA_VERSION}): upgrade rapport to use it"
        )


class Patience:
    """How long a command may still wait for the journal's locks, all waits together.

    SQLite's busy timeout counts each statement's wait afresh, and counts the sleeps it
    meant to take rather than the time that passed: on a loaded machine, a command of a
    few statements could wait many times the timeout. Each wait here is a short SQLite
    wait, retried while the clock allows, so the whole command waits about the timeout.
    """

    SLICE = 0.25  # seconds of SQLite's own waiting per attempt

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.left = seconds

    def spend(self, started: float) -> None:
        self.left = max(0.0, self.left - (time.monotonic() - started))

    def attempt(self, dbapi_conn: Any, sql: str) -> None:
        """Run ``sql``, which takes a lock, retrying while another process holds it."""
        while True:
            millis = int(min(self.left, self.SLICE) * 1000)
            dbapi_conn.execute(f"PRAGMA busy_timeout = {millis}")
            started = time.monotonic()
            try:
                dbapi_conn.execute(sql)
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc) or self.left <= 0:
                    raise
            finally:
                self.spend(started)
                dbapi_conn.execute(f"PRAGMA busy_timeout = {int(self.left * 1000)}")


def _sqlite_engine(
    path: Path,
    patience: Patience,
    *,
    foreign_keys: bool = True,
    creator: Callable[[], sqlite3.Connection] | None = None,
) -> Engine:
    def connect() -> sqlite3.Connection:
        # Absolute, so that a file named ":memory:" is a file.
        # Import writes its batches from a thread of its own, one at a time.
        return sqlite3.connect(path.absolute(), timeout=patience.left, check_same_thread=False)

    # A creator rather than a sqlite:/// URL: a URL would read '?' or '%' in a file
    # name as URL syntax and open another file.
    pool = NullPool if creator is None else StaticPool
    engine = create_engine("sqlite://", creator=creator or connect, poolclass=pool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # We issue BEGIN ourselves so that writers can ask for BEGIN IMMEDIATE.
        dbapi_conn.isolation_level = None
        # Upgrades turn foreign keys off: it can only be done outside a transaction,
        # and a table rebuild must not cascade its DROP into the child tables.
        dbapi_conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        patience.attempt(dbapi_conn, "PRAGMA journal_mode = WAL")
        dbapi_conn.execute("PRAGMA synchronous = FULL")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        dbapi_conn = conn.connection.dbapi_connection
        if conn.get_execution_options().get("rapport_write", False):
            patience.attempt(dbapi_conn, "BEGIN IMMEDIATE")
            return
        dbapi_conn.execute("BEGIN")
        # Reading the header takes the read lock now, within the same patience.
        patience.attempt(dbapi_conn, "PRAGMA schema_version")

    return engine


class Journal:
    """An open journal. ``read()`` and ``write()`` give one transaction each."""

    def __init__(
        self, target: str, engine: Engine, path: Path | None, patience: Patience | None = None
    ) -> None:
        self.target = target
        self.engine = engine
        self.path = path
        self.patience = patience or Patience(10.0)
        # Called on each write session as it opens: the CLI puts the change log's recorder here.
        self.on_write: Callable[[Session], object] | None = None

    @contextmanager
    def _session(self, write: bool) -> Iterator[Session]:
        bind = self.engine.execution_options(rapport_write=write)
        try:
            with Session(bind, expire_on_commit=False) as session:
                if write:
                    fts.keep_in_step(session)
                yield session
                if write:
                    session.flush()
                    faults.point("write-before-commit")
                    session.commit()
        except (OperationalError, sqlite3.OperationalError) as exc:
            if self.path is None and isinstance(exc, OperationalError):
                from rapport.store.server import server_error

                error = server_error(exc, self.target)
                if error is None:
                    raise
                raise error from exc
            # Raised by SQLAlchemy (wrapping SQLite's error), or by SQLite while connecting.
            reason = exc.orig if isinstance(exc, OperationalError) else exc
            message = str(reason).lower()
            if "locked" in message or "busy" in message:
                raise locked(self.target, self.patience.seconds) from exc
            if any(problem in message for problem in UNAVAILABLE):
                raise JournalUnavailable(
                    f"can't use the journal {self.target}: {reason}; nothing was saved"
                ) from exc
            if message.startswith(("no such table", "no such column", "no such index")):
                raise JournalDamaged(
                    f"the journal {self.target} lacks part of its schema ({reason});"
                    " nothing was saved: run `rapport db check`"
                ) from exc
            raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._session(write=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction holding the write lock from its first statement."""
        with self._session(write=True) as session:
            if self.on_write is not None:
                self.on_write(session)
            yield session

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def scratch(self) -> Iterator["Journal"]:
        """A throwaway copy in memory, for a dry run: what it writes takes no lock here."""
        if self.path is None:
            yield self  # a server journal: the caller's transaction is rolled back
            return
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        started = time.monotonic()
        source = connect_file(self.path, self.patience.left)
        try:
            source.backup(memory)
        except sqlite3.OperationalError as exc:
            memory.close()
            if is_busy(exc):
                raise locked(self.target, self.patience.seconds) from exc
            raise
        finally:
            source.close()
            self.patience.spend(started)
        engine = _sqlite_engine(self.path, Patience(0), creator=lambda: memory)
        copy = Journal(self.target, engine, None, self.patience)
        copy.path = self.path
        try:
            yield copy
        finally:
            copy.close()
            memory.close()


def _backup_before_upgrade(path: Path, version: int) -> Path:
    """Copy the journal, as it is before the upgrade, to ``<name>.schema<version>.bak``."""
    from rapport.store.backup import copy_journal

    return copy_journal(path, path.with_name(f"{path.name}.schema{version}.bak"))


def _create_or_upgrade(path: Path, patience: Patience) -> None:
    """Bring the journal at ``path`` to the current schema in one transaction."""
    engine = _sqlite_engine(path, patience, foreign_keys=False)
    journal = Journal(str(path), engine, path, patience)
    try:
        with journal.write() as session:
            conn = session.connection()
            # Read again under the write lock: another process may have upgraded it meanwhile.
            version = schema.read_version(conn)
            if version is None:
                raise NotAJournal(f"{path} is not a rapport journal; {RESTORE_HINT}")
            refuse_newer(str(path), version)
            if version == 0:
                schema.create(conn)
            elif version < schema.SCHEMA_VERSION:
                # Taken under the write lock, so it is exactly the journal being upgraded.
                _backup_before_upgrade(path, version)
                schema.upgrade(conn, version)
    finally:
        journal.close()


def open_journal(target: str, *, busy_timeout: float = 10.0, create: bool = True) -> Journal:
    """Open (creating or upgrading as needed) the journal at a path or SQLAlchemy URL."""
    path = sqlite_path(target)
    if path is None:
        return _open_server(target, busy_timeout)
    with file_errors(path):
        if not check_journal_path(path):
            if not create:
                raise NotFound(f"no journal at {path}")
            create_private_file(path)
        patience = Patience(busy_timeout)
        started = time.monotonic()
        try:
            version = inspect_file(path, busy_timeout)
        finally:
            patience.spend(started)
    refuse_newer(str(path), version)
    if version < schema.SCHEMA_VERSION:
        _create_or_upgrade(path, patience)
    secure(path)
    return Journal(str(path), _sqlite_engine(path, patience), path, patience)


def _open_server(url: str, busy_timeout: float) -> Journal:
    from rapport.store.server import open_server

    return open_server(url, busy_timeout)

"""The journal file itself: what may stand at its path, and opening it to look inside.

Only a regular file (or nothing) is a journal: a pipe would hang every command and
a device would swallow every write. SQLite's working files beside it (``-wal``,
``-shm``, ``-journal``) must be regular files too: a symbolic link there would let
SQLite write through it. A file is opened read-write whenever its folder allows, as
SQLite intends: that is how a crash's unfinished transaction is rolled back (a hot
``-journal``) or a committed one replayed (a ``-wal``), and how SQLite removes the
working files again when it is done.
"""

import os
import sqlite3
import stat
from pathlib import Path

from rapport.errors import BadValue, JournalLocked, JournalUnavailable, NotAJournal
from rapport.store import schema
from rapport.store.paths import COMPANIONS, SQLITE_HEADER

RESTORE_HINT = "restore it from a backup (see `rapport backup`) or choose another with --db"
KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}
WORKING = {"-wal": "write-ahead log", "-shm": "shared memory", "-journal": "rollback journal"}


def _kind(mode: int) -> str:
    return KINDS.get(stat.S_IFMT(mode), "not a regular file")


def check_journal_path(path: Path) -> bool:
    """Whether a journal file is at ``path`` (False: nothing is); refuse anything else there."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise NotAJournal(
                f"{path} is a symbolic link to nothing; choose a journal with --db"
            ) from None
        return False
    if stat.S_ISDIR(mode):
        raise NotAJournal(f"{path} is a folder, not a journal file")
    if not stat.S_ISREG(mode):
        raise NotAJournal(f"{path} is {_kind(mode)}, not a journal file; choose one with --db")
    for suffix in COMPANIONS:
        working = Path(f"{path}{suffix}")
        try:
            mode = working.lstat().st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(mode):
            what = "a symbolic link" if stat.S_ISLNK(mode) else _kind(mode)
            raise NotAJournal(
                f"{working} is {what} where SQLite keeps the journal's {WORKING[suffix]};"
                f" rapport won't use it. The journal {path.name} itself is untouched: move"
                f" {working.name} out of the way, then run the command again"
            )
    return True


def can_write_beside(path: Path) -> bool:
    """Whether SQLite may write the journal and create its working files beside it."""
    return os.access(path, os.R_OK | os.W_OK) and os.access(
        path.absolute().parent, os.W_OK | os.X_OK
    )


def connect_file(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    """An existing database, read-write if its folder allows (never created), else read-only."""
    mode = "rw" if can_write_beside(path) else "ro"
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode={mode}", uri=True, timeout=timeout)


def locked(target: str, waited: float) -> JournalLocked:
    return JournalLocked(
        f"journal {target} is locked by other writers (waited {waited:g} s); nothing was saved,"
        " try again"
    )


def is_busy(exc: sqlite3.Error) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def unreachable(path: Path, exc: sqlite3.Error) -> JournalUnavailable | None:
    """What keeps SQLite from a sound file, when it is the folder or the file's mode."""
    folder = path.absolute().parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return JournalUnavailable(
            f"can't use the journal {path}: its folder {folder} is not writable for you, and"
            f" SQLite needs to keep {path.name}-wal and {path.name}-shm there. Nothing is wrong"
            " with the journal: make the folder writable, or copy the journal somewhere that is"
        )
    if not os.access(path, os.R_OK | os.W_OK):
        return JournalUnavailable(
            f"can't use the journal {path}: the file is not readable and writable for you ({exc})."
            " Nothing is wrong with the journal: check its owner and mode"
        )
    return None


def read_header(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER))


def inspect_file(path: Path, timeout: float = 5.0) -> int:
    """The schema version of the journal at ``path`` (0 if empty), after crash recovery."""
    if not check_journal_path(path):
        raise NotAJournal(f"no journal at {path}")
    try:
        header = read_header(path)
    except OSError as exc:
        raise BadValue(f"can't use {path} as a journal: {exc.strerror or exc}") from exc
    if (header and header != SQLITE_HEADER[: len(header)]) or 0 < len(header) < len(SQLITE_HEADER):
        raise NotAJournal(f"{path} is not a rapport journal (not an SQLite file); {RESTORE_HINT}")
    if not header:
        return 0
    meta_table = schema.META_TABLE
    try:
        conn = connect_file(path, timeout)
        try:
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if meta_table not in tables:
                if tables:
                    raise NotAJournal(
                        f"{path} is an SQLite database but not a rapport journal; {RESTORE_HINT}"
                    )
                return 0
            row = conn.execute(
                f"SELECT value FROM {meta_table} WHERE key = 'schema_version'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):
            raise locked(str(path), timeout) from exc
        problem = unreachable(path, exc)
        if problem is not None:
            raise problem from exc
        raise NotAJournal(
            f"{path} is damaged or not a rapport journal ({exc}); {RESTORE_HINT}"
        ) from exc
    if row is None or not str(row[0]).isdigit():
        raise NotAJournal(f"{path} has no schema version; {RESTORE_HINT}")
    return int(row[0])

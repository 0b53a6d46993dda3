"""Backups: consistent copies of a journal, taken while other processes write to it.

SQLite's online backup API copies the journal as one read transaction sees it,
so the copy is the journal at one instant, and in WAL mode writers go on
meanwhile. The copy is written to a private temporary file in the target's
folder, checked with ``PRAGMA integrity_check``, then renamed into place: a
half-written copy never carries a backup's name.
"""

import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rapport import faults
from rapport.config import sqlite_path
from rapport.errors import (
    BadValue,
    Conflict,
    JournalDamaged,
    JournalLocked,
    JournalUnavailable,
    NotAJournal,
    NotFound,
)
from rapport.store.journal import file_errors
from rapport.store.paths import (
    hold,
    make_private_folders,
    refuse_working_files,
    sweep,
    unwritable,
)
from rapport.store.sqlite_file import check_journal_path, connect_file, inspect_file

DEFAULT_KEEP = 10
FOLDER = "backups"


def journal_file(target: str, busy_timeout: float = 10.0) -> Path:
    """The file behind ``target``, which must be an existing SQLite journal."""
    path = sqlite_path(target)
    if path is None:
        raise BadValue(
            "backups are for SQLite journal files; back up a PostgreSQL journal with pg_dump"
        )
    with file_errors(path):
        if not check_journal_path(path):
            raise NotFound(f"no journal at {path}")
        inspect_file(path, busy_timeout)
    return path


def backup_journal(
    target: str,
    file: str | None = None,
    *,
    now: datetime,
    keep: object = DEFAULT_KEEP,
    busy_timeout: float = 10.0,
) -> Path:
    """Copy the journal to ``file`` (or into that folder), else into ``backups/`` beside it.

    Without ``file`` the copy is named after the journal and the UTC time, and only
    the newest ``keep`` backups of that journal stay in ``backups/``.
    """
    source = journal_file(target, busy_timeout)
    dest = source.parent / FOLDER if file is None else Path(file).expanduser()
    try:
        if file is None:
            count = keep_count(keep)
            # A backups folder that is a link to elsewhere is used as it is, its mode untouched.
            if not dest.is_symlink():
                make_private_folders(dest)
                dest.chmod(0o700)
            made = _copy_to_new_name(source, dest, now, busy_timeout)
            rotate(dest, source.stem, count)
            return made
        if dest.is_dir():
            return _copy_to_new_name(source, dest, now, busy_timeout)
        if str(file).endswith(("/", os.sep)):
            # A folder was meant; it may be a drive that is not mounted: never invent it.
            raise NotFound(f"no folder {dest} for the backup")
        return copy_journal(source, dest, busy_timeout=busy_timeout)
    except OSError as exc:
        raise unwritable(dest, exc, "the backup to ") from exc
    except ValueError as exc:  # a NUL in the name
        raise BadValue(f"can't write the backup to {dest}: {exc}") from exc


def keep_count(value: object) -> int:
    """``backup_keep`` from the config file: how many backups to keep (at least 1)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise BadValue(f"backup_keep must be a whole number of backups, 1 or more (not {value!r})")
    return value


def copy_journal(source: Path, dest: Path, *, busy_timeout: float = 10.0) -> Path:
    """Write a checked, owner-only copy of ``source`` at ``dest`` (replacing an older copy)."""
    if (dest.exists() or dest.is_symlink()) and not dest.is_file():
        raise BadValue(f"{dest} is not a regular file; a backup is written to a file or a folder")
    refuse_working_files(dest, source, "back up")
    for companion in ("-wal", "-shm"):
        if Path(f"{dest}{companion}").exists():
            raise Conflict(f"{dest} is a journal in use; choose another file for the backup")
    if dest.exists():
        try:
            inspect_file(dest)
        except NotAJournal:
            raise Conflict(
                f"{dest} exists and is not a rapport journal; choose another file for the backup"
            ) from None
    if not dest.parent.is_dir():
        raise NotFound(f"no folder {dest.parent} for the backup")
    with _checked_copy(source, dest.parent, busy_timeout) as temp:
        os.replace(temp, dest)
    _sync_folder(dest.parent)
    return dest


NAME = re.compile(r"(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?\.db")


def _copy_to_new_name(source: Path, folder: Path, now: datetime, busy_timeout: float) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    with _checked_copy(source, folder, busy_timeout) as temp:
        n = 1
        while True:
            dest = folder / (
                f"{source.stem}-{stamp}.db" if n == 1 else f"{source.stem}-{stamp}-{n}.db"
            )
            try:
                # A hard link never replaces a file: two backups in the same second both stay.
                os.link(temp, dest)
                break
            except FileExistsError:
                n += 1
            except OSError:
                if dest.exists():
                    n += 1
                    continue
                os.replace(temp, dest)
                break
    _sync_folder(folder)
    return dest


def backups_of(folder: Path, stem: str) -> list[Path]:
    """The backups of the journal named ``stem`` in ``folder``, oldest first."""
    found = []
    for path in folder.iterdir():
        match = NAME.fullmatch(path.name)
        if match and match["stem"] == stem and path.is_file():
            found.append((match["stamp"], int(match["n"] or 1), path))
    return [path for _, _, path in sorted(found)]


def rotate(folder: Path, stem: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups of journal ``stem``; other files stay."""
    old = backups_of(folder, stem)[:-keep]
    for path in old:
        path.unlink(missing_ok=True)
    return old


@contextmanager
def _checked_copy(source: Path, folder: Path, busy_timeout: float) -> Iterator[Path]:
    """A private temporary file in ``folder`` holding a checked copy of ``source``.

    It is locked as this process's until the block ends, and removed unless renamed.
    """
    sweep(folder)
    fd, name = tempfile.mkstemp(prefix=".rapport-backup-", suffix=".tmp", dir=folder)
    temp = Path(name)
    try:
        hold(fd)
        _online_copy(source, temp, busy_timeout)
        problems = integrity_problems(temp)
        if problems:
            raise JournalDamaged(
                f"the journal {source} fails its integrity check ({problems[0]}); no backup"
                " was written: run `rapport db check`"
            )
        with temp.open("rb+") as handle:
            os.fsync(handle.fileno())
        faults.point("backup-copied")
        yield temp
    finally:
        for leftover in (temp, Path(f"{temp}-journal"), Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)
        os.close(fd)


def _online_copy(source: Path, dest: Path, busy_timeout: float) -> None:
    reader = connect_file(source, busy_timeout)
    writer = sqlite3.connect(dest)
    try:
        # All pages in one step: one read transaction, hence one consistent instant.
        reader.backup(writer, pages=-1)
        # A backup is a single self-contained file, not a WAL database.
        writer.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError as exc:
        message = str(exc).lower()
        if "locked" in message or "busy" in message:
            raise JournalLocked(
                f"journal {source} is locked by other writers; no backup was written, try again"
            ) from exc
        raise JournalUnavailable(f"can't back up {source}: {exc}; no backup was written") from exc
    except sqlite3.DatabaseError as exc:
        raise JournalDamaged(
            f"the journal {source} is damaged ({exc}); no backup was written:"
            " run `rapport db check`"
        ) from exc
    finally:
        writer.close()
        reader.close()


def integrity_problems(path: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong in the database at ``path`` (read-only)."""
    conn = connect_file(path)
    try:
        rows = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

"""The files rapport writes beside the journal or where the user says: what they are, and folders.

Standard library only: the export and backup paths use it before any engine exists.
"""

import os
import stat
from pathlib import Path

from rapport.errors import BadValue, Conflict

SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's working files beside a database: its write-ahead log, shared memory, rollback journal.
COMPANIONS = ("-wal", "-shm", "-journal")


def is_sqlite_file(path: Path) -> bool:
    """Whether ``path`` is a regular file that starts with SQLite's header."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except (OSError, ValueError):
        return False


def is_stream(path: Path) -> bool:
    """A named pipe or a character device (/dev/null, a terminal): written into, never replaced."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def refuse_working_files(path: Path, journal: Path | None, doing: str) -> None:
    """Refuse to write over the journal in use, or over any SQLite database's working files."""
    where = f"{doing} elsewhere; {path} was left untouched"
    if journal is not None:
        if _same(path, journal):
            raise Conflict(f"{path} is the journal in use; {where}")
        for suffix in COMPANIONS:
            working = Path(f"{journal}{suffix}")
            if _same(path, working) or path.absolute() == working.absolute():
                raise Conflict(f"{path} is a working file of the journal in use; {where}")
    for suffix in COMPANIONS:
        if path.name.endswith(suffix) and is_sqlite_file(path.with_name(path.name[: -len(suffix)])):
            raise Conflict(f"{path} is a working file of an SQLite database; {where}")


def refuse_protected(path: Path, journal: Path | None, doing: str) -> None:
    """Refuse to write over the journal in use, its working files, or any SQLite database.

    ``doing`` names the command for the message ("export"). A file that is none of
    these (an earlier export, any other regular file) may be replaced.
    """
    refuse_working_files(path, journal, doing)
    if is_sqlite_file(path):
        raise Conflict(
            f"{path} is an SQLite database (a journal or a backup); {doing} elsewhere;"
            f" {path} was left untouched"
        )


def check_writable_target(path: Path, journal: Path | None, doing: str) -> None:
    """A file named with ``-o`` may be absent, a regular file, a pipe or a character device."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        raise BadValue(f"can't write {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    if stat.S_ISDIR(mode):
        raise BadValue(f"{path} is a folder; name a file")
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        raise BadValue(f"{path} is neither a file, a pipe nor a character device; name a file")
    refuse_protected(path, journal, doing)


def make_private_folders(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each owner-only (0700) whatever the umask."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists() or candidate.is_symlink():
            break
        missing.append(candidate)
    for made in reversed(missing):
        try:
            made.mkdir(mode=0o700)
        except FileExistsError:
            continue  # another process made it meanwhile
        made.chmod(0o700)

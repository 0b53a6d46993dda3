"""The files rapport writes beside the journal or where the user says: what they are, and folders.

Standard library only: the export and backup paths use it before any engine exists.
"""

import errno
import os
import shutil
import stat
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from rapport.errors import BadValue, Conflict, DiskFull, RapportError

SQLITE_HEADER = b"SQLite format 3\x00"
# The kernel's ways of saying "no room": a full disk, a quota, a file size limit.
NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
# SQLite's working files beside a database: its write-ahead log, shared memory, rollback journal.
COMPANIONS = ("-wal", "-shm", "-journal")


def unwritable(path: Path, exc: OSError, what: str = "") -> RapportError:
    """One line for a failed write: a full disk is exit 1, anything else the user's to fix."""
    reason = exc.strerror or str(exc)
    if exc.errno in NO_ROOM:
        return DiskFull(f"can't write {what}{path}: {reason}; nothing was written")
    return BadValue(f"can't write {what}{path}: {reason}")


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


def same_file(a: Path, b: Path) -> bool:
    """Whether both name one file; a name that can't be looked up names none."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def refuse_working_files(path: Path, journal: Path | None, doing: str) -> None:
    """Refuse to write over the journal in use, or over any SQLite database's working files."""
    where = f"{doing} elsewhere; {path} was left untouched"
    if journal is not None:
        if same_file(path, journal):
            raise Conflict(f"{path} is the journal in use; {where}")
        for suffix in COMPANIONS:
            working = Path(f"{journal}{suffix}")
            if same_file(path, working) or path.absolute() == working.absolute():
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


# Temporary files and folders: a backup's copy, an export's parts, an `export all` folder.
# Each is locked (flock) by the process writing it, so a leftover is one whose writer died.
TEMP_PATTERNS = (".rapport-backup-*.tmp", ".rapport-backup-*.tmp-*", ".*.rapport-*.part")


def hold(fd: int) -> None:
    """Mark the temporary file or folder open at ``fd`` as being written by this process."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _abandoned(path: Path) -> bool:
    for suffix in COMPANIONS:  # SQLite's working file of a temporary copy: as its copy goes
        if path.name.endswith(".tmp" + suffix):
            base = path.with_name(path.name[: -len(suffix)])
            return not base.exists() or _abandoned(base)
    if fcntl is None:
        return False  # no way to tell a live writer from a dead one: leave it
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # its writer is still at work
    finally:
        os.close(fd)
    return True


def leftovers(folder: Path) -> list[Path]:
    """Temporary files and folders in ``folder`` that a killed rapport left behind."""
    found: set[Path] = set()
    try:
        for pattern in TEMP_PATTERNS:
            found.update(p for p in folder.glob(pattern) if not p.is_symlink())
    except OSError:
        return []
    return sorted(p for p in found if _abandoned(p))


def sweep(folder: Path) -> list[Path]:
    """Remove the leftovers in ``folder``; returns what was removed."""
    removed = []
    for path in leftovers(folder):
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed

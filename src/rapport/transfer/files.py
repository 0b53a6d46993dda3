"""Files written for the user: readable by their owner only, and whole or not at all.

A regular file (or a name not yet taken) is written to a temporary file beside it and
renamed into place once complete. A named pipe or a character device (``/dev/null``,
a terminal) is written into as a stream: renaming over it would replace it for good.
"""

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from rapport.errors import BadValue, DiskFull, RapportError
from rapport.store.paths import check_writable_target, is_stream, make_private_folders

# The kernel's ways of saying "no room": a full disk, a quota, a file size limit.
NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def unwritable(path: Path, exc: OSError) -> RapportError:
    """One line for a failed write: a full disk is exit 1, anything else the user's to fix."""
    reason = exc.strerror or str(exc)
    if exc.errno in NO_ROOM:
        return DiskFull(f"can't write {path}: {reason}; nothing was written")
    return BadValue(f"can't write {path}: {reason}")


@contextmanager
def private_files(folder: Path, names: Sequence[str]) -> Iterator[dict[str, TextIO]]:
    """Text files in ``folder``, owner-only, that appear only once all are complete.

    Each is written to a temporary file beside its target and renamed over it at
    the end, so that a failure leaves the folder as it was.
    """
    if not folder.is_dir():
        raise BadValue(f"no folder {folder}")
    for name in names:
        if (folder / name).is_dir():
            raise BadValue(f"{folder / name} is a folder; name a file")
    where = folder / names[0] if len(names) == 1 else folder
    temps: list[tuple[Path, Path]] = []
    streams: dict[str, TextIO] = {}
    try:
        for name in names:
            # mkstemp creates the file 0600 whatever the umask.
            fd, made = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
            temps.append((Path(made), folder / name))
            streams[name] = os.fdopen(fd, "w", encoding="utf-8", newline="")
        yield streams
        for stream in streams.values():
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()
        for temp, target in temps:
            os.replace(temp, target)
    except OSError as exc:
        raise unwritable(where, exc) from exc
    finally:
        for stream in streams.values():
            with contextlib.suppress(OSError):
                stream.close()
        for temp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


@contextmanager
def _into_stream(path: Path) -> Iterator[TextIO]:
    try:
        with path.open("w", encoding="utf-8", newline="") as stream:
            yield stream
    except OSError as exc:
        raise unwritable(path, exc) from exc


@contextmanager
def private_file(path: Path, *, journal: Path | None = None) -> Iterator[TextIO]:
    """One text file, owner-only, in place only once complete; a pipe or device streamed.

    Never the journal in use (``journal``), its working files, or any SQLite database.
    """
    check_writable_target(path, journal, "export")
    if is_stream(path):
        with _into_stream(path) as stream:
            yield stream
        return
    # Through a symbolic link, as the shell's `>` writes: the link stays a link.
    real = path.resolve() if path.is_symlink() else path
    with private_files(real.parent, [real.name]) as streams:
        yield streams[real.name]


@contextmanager
def private_folder(path: Path) -> Iterator[Path]:
    """A folder to write into; created owner-only if missing, and removed again on failure."""
    if path.exists() and not path.is_dir():
        raise BadValue(f"{path} is a file, not a folder")
    created = not path.exists()
    if created:
        try:
            make_private_folders(path)
        except OSError as exc:
            raise unwritable(path, exc) from exc
    try:
        yield path
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                path.rmdir()
        raise

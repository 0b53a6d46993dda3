"""Files written for the user: readable by their owner only, and whole or not at all.

A regular file (or a name not yet taken) is written to a temporary file beside it and
renamed into place once complete. A named pipe or a character device (``/dev/null``,
a terminal) is written into as a stream: renaming over it would replace it for good.
"""

import contextlib
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from rapport import faults
from rapport.errors import BadValue
from rapport.store.paths import (
    check_writable_target,
    hold,
    is_stream,
    make_private_folders,
    sweep,
    unwritable,
)

__all__ = ["unwritable"]


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
        sweep(folder)
        for name in names:
            # mkstemp creates the file 0600 whatever the umask.
            fd, made = tempfile.mkstemp(prefix=f".{name}.rapport-", suffix=".part", dir=folder)
            temps.append((Path(made), folder / name))
            streams[name] = os.fdopen(fd, "w", encoding="utf-8", newline="")
            hold(fd)
        yield streams
        for stream in streams.values():
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()
        faults.point("export-written")
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
def private_folder(path: Path, names: Sequence[str]) -> Iterator[dict[str, TextIO]]:
    """Files ``names`` in a new owner-only folder that takes the place of ``path`` at the end.

    The files are written into a temporary folder beside ``path``, which is then swapped
    in whole: ``path`` is either as it was or holds every new file, never a mixture. An
    existing ``path`` may hold only files of those names (an earlier export).
    """
    try:
        if path.exists() and not path.is_dir():
            raise BadValue(f"{path} is a file, not a folder")
        if path.is_dir():
            others = sorted(
                p.name for p in path.iterdir() if p.name not in names and not _part(p.name)
            )
            if others:
                raise BadValue(
                    f"{path} holds other files than an export ({', '.join(others[:3])});"
                    " name a new folder or an earlier export's"
                )
        parent = path.absolute().parent
        make_private_folders(parent)
        sweep(parent)
        temp = Path(tempfile.mkdtemp(prefix=f".{path.name}.rapport-", suffix=".part", dir=parent))
    except OSError as exc:
        raise unwritable(path, exc) from exc
    fd = os.open(temp, os.O_RDONLY)
    streams: dict[str, TextIO] = {}
    try:
        hold(fd)
        for name in names:
            streams[name] = (temp / name).open("x", encoding="utf-8", newline="")
            (temp / name).chmod(0o600)
        yield streams
        for stream in streams.values():
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()
        os.fsync(fd)
        faults.point("export-written")
        _swap_in(temp, path)
        faults.point("export-swapped")
    except OSError as exc:
        raise unwritable(path, exc) from exc
    finally:
        for stream in streams.values():
            with contextlib.suppress(OSError):
                stream.close()
        os.close(fd)
        shutil.rmtree(temp, ignore_errors=True)


def _part(name: str) -> bool:
    """A part file an older export left behind in its folder."""
    return name.startswith(".") and name.endswith(".part")


def _swap_in(new: Path, path: Path) -> None:
    """Put the folder ``new`` at ``path``; what was at ``path`` ends up at ``new``."""
    if not path.exists():
        os.rename(new, path)
        return
    if _exchange(new, path):
        return
    # No atomic exchange here: a moment without ``path``, the old folder kept until then.
    old = Path(tempfile.mkdtemp(prefix=f".{path.name}.rapport-", suffix=".part", dir=new.parent))
    os.rename(path, old / path.name)
    os.rename(new, path)
    os.rename(old / path.name, new)
    old.rmdir()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux's renameat2); False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))

"""Files written for the user: readable by their owner only, and whole or not at all."""

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from rapport.errors import BadValue


def _unwritable(path: Path, exc: OSError) -> BadValue:
    return BadValue(f"can't write {path}: {exc.strerror or exc}")


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
        raise _unwritable(where, exc) from exc
    finally:
        for stream in streams.values():
            stream.close()
        for temp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


@contextmanager
def private_file(path: Path) -> Iterator[TextIO]:
    """One text file, owner-only, in place only once complete."""
    if path.is_dir():
        raise BadValue(f"{path} is a folder; name a file")
    with private_files(path.parent, [path.name]) as streams:
        yield streams[path.name]


@contextmanager
def private_folder(path: Path) -> Iterator[Path]:
    """A folder to write into; created owner-only if missing, and removed again on failure."""
    if path.exists() and not path.is_dir():
        raise BadValue(f"{path} is a file, not a folder")
    created = not path.exists()
    if created:
        try:
            path.mkdir(parents=True, mode=0o700)
            path.chmod(0o700)
        except OSError as exc:
            raise _unwritable(path, exc) from exc
    try:
        yield path
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                path.rmdir()
        raise

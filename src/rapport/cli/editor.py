"""Text typed at length: in $EDITOR under a comment header, or piped on standard input.

What the user typed is never lost: text that cannot be read (not UTF-8, an editor
that failed) stays in a private file whose path is printed.
"""

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rapport.errors import EX_SOFTWARE, BadValue, RapportError


class Cancelled(RapportError):
    """The user saved an empty text: nothing to do, and nothing done."""

    exit_code = EX_SOFTWARE


def keep(data: bytes) -> Path:
    """Save ``data`` in a new owner-only file and return its path."""
    fd, name = tempfile.mkstemp(prefix="rapport-unsaved-", suffix=".txt")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return Path(name)


def decode(data: bytes, where: str, kept: Path | None = None) -> str:
    """``data`` as UTF-8; else one line that says where the bytes are kept."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        kept = kept or keep(data)
        raise BadValue(
            f"{where} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line});"
            f" nothing was saved, and what you typed is kept in {kept}"
        ) from None


def comment(header: str) -> str:
    """``header`` as comment lines, each starting with '# '."""
    return "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())


def uncomment(text: str) -> str:
    """The text without its comment lines (those starting with '#')."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))


def edit_text(header: str, text: str = "") -> str:
    """Open $VISUAL/$EDITOR on ``text`` under ``header`` (shown as comments); return what is saved.

    Lines starting with '#' are dropped; an empty result cancels. On any failure the
    file stays where it is and the message names it.
    """
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or shutil.which("vi")
    if not editor:
        raise BadValue("no text given and no editor: give TEXT, pipe it, or set $EDITOR")
    fd, name = tempfile.mkstemp(prefix="rapport-", suffix=".md")
    path = Path(name)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(comment(header) + text)
    try:
        result = subprocess.run([*shlex.split(editor), str(path)], check=False)
    except (OSError, ValueError) as exc:
        path.unlink(missing_ok=True)
        raise BadValue(
            f"can't run the editor '{editor}' ({exc}); set $EDITOR or give TEXT"
        ) from exc
    if result.returncode != 0:
        raise BadValue(
            f"the editor ({editor}) exited with status {result.returncode}; nothing was saved,"
            f" and the text is kept in {path}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadValue(f"can't read what the editor saved in {path}: {exc.strerror}") from exc
    edited = uncomment(decode(data, "what the editor saved", kept=path))
    path.unlink(missing_ok=True)
    if not edited.strip():
        raise Cancelled("cancelled: the text was empty, so nothing was saved")
    return edited


def read_stdin() -> str:
    """All of standard input as UTF-8 text; bytes that are not are kept in a file."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin.read()
    return decode(buffer.read(), "standard input")

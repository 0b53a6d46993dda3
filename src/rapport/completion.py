"""Shell completion of person names, open commitment and problem ids, and tags.

It runs on every press of Tab, so it reads the journal with the standard
library's sqlite3, read-only, through indexed columns (``name_key``, a
commitment's ``status``, a problem's ``resolved_at``, the tag tables' keys),
and never imports the ORM. Whatever goes wrong, it completes nothing.
"""

import contextlib
import os
import re
from pathlib import Path
from typing import Any

from rapport.names import name_key

LIMIT = 50
_BASH_SPECIAL = re.compile(r"([^\w@%+=:,./-])")
# Sorts after every character a folded name can hold: the end of a prefix range.
_LAST = "\U0010ffff"


def journal_file(ctx: Any) -> Path | None:
    """The SQLite file that --db, RAPPORT_DB or the default names; None for a server."""
    target = None
    with contextlib.suppress(AttributeError):
        target = ctx.find_root().params.get("db")
    if not target:
        from rapport.config import default_journal

        target = default_journal()
    from rapport.config import sqlite_path

    return sqlite_path(target)


def person_names(path: Path, typed: str, limit: int = LIMIT) -> list[str]:
    """Names that start with ``typed``, in any case and with or without accents."""
    import sqlite3

    if not path.is_file():
        return []
    key = _fold(typed)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    try:
        rows = conn.execute(
            "SELECT name FROM person WHERE name_key >= ? AND name_key < ?"
            " ORDER BY name_key LIMIT ?",
            (key, key + _LAST, limit),
        ).fetchall()
    finally:
        conn.close()
    return list(dict.fromkeys(row[0] for row in rows))


def candidate(typed: str, name: str) -> str:
    """The name as a completion of what was typed.

    Completion keeps only candidates that start with the typed text, so 'jo'
    completes to 'josé Núñez', which names the same person as 'José Núñez'.
    """
    if name.startswith(typed):
        return name
    key = _fold(typed)
    for end in range(len(name) + 1):
        if _fold(name[:end]) == key:
            return typed + name[end:]
    return name


def _fold(text: str) -> str:
    """name_key, keeping one trailing space: 'ann ' is the word Ann, not the start of Anna."""
    key = name_key(text)
    return key + " " if key and text[-1].isspace() else key


def _for_shell(text: str) -> str:
    # bash inserts a candidate as it is, so spaces must come escaped, unless the word
    # is inside a quote the user opened; zsh and fish quote candidates themselves.
    if os.environ.get("_RAPPORT_COMPLETE", "").startswith("complete_bash") and not _quoted():
        return _BASH_SPECIAL.sub(r"\\\1", text)
    return text


def _quoted() -> bool:
    """Whether the word being completed is inside a quote the user opened."""
    import shlex

    try:
        shlex.split(os.environ.get("COMP_WORDS", ""))
    except ValueError:  # no closing quotation
        return True
    return False


def _read(ctx: Any, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of one read-only query on the journal; none if anything goes wrong."""
    import sqlite3

    try:
        path = journal_file(ctx)
        if path is None or not path.is_file():
            return []
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    except Exception:  # a broken journal must not break the shell
        return []


def complete_commitment(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Open commitments' ids, each with its text and due date (shown by zsh and fish)."""
    rows = _read(
        ctx,
        "SELECT id, text, due FROM commitment WHERE status = 'open' ORDER BY id DESC LIMIT ?",
        (LIMIT,),
    )
    return [(str(i), f"{text} (due {due})") for i, text, due in rows]


def complete_problem(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Open problems' ids, each with its text."""
    rows = _read(
        ctx,
        "SELECT id, text FROM problem WHERE resolved_at IS NULL ORDER BY id DESC LIMIT ?",
        (LIMIT,),
    )
    return [(str(i), text) for i, text in rows]


def complete_tag(ctx: Any, incomplete: str) -> list[str]:
    """Tags already in the journal, on people or conversations."""
    rows = _read(ctx, "SELECT tag FROM person_tag UNION SELECT tag FROM interaction_tag")
    key = _fold(incomplete)
    tags = sorted(t for (t,) in rows if _fold(t).startswith(key))[:LIMIT]
    return [_for_shell(candidate(incomplete, t)) for t in tags]


def complete_person(ctx: Any, incomplete: str) -> list[str]:
    """Completion callback for a PERSON argument."""
    try:
        path = journal_file(ctx)
        names = person_names(path, incomplete) if path is not None else []
    except Exception:  # a broken journal must not break the shell
        return []
    return [_for_shell(candidate(incomplete, name)) for name in names]


def complete_people(ctx: Any, incomplete: str) -> list[str]:
    """Completion callback for a comma-separated list of people: completes the last one."""
    head, comma, last = incomplete.rpartition(",")
    return [head + comma + name for name in complete_person(ctx, last)]

"""Fault injection: each writing command killed (SIGKILL) at many points, then checked.

Two kinds of kill: at rapport's named crash points (``RAPPORT_CRASH_AT``), and, where
strace is installed, at the Nth file-changing system call SQLite or rapport makes
(``strace -e inject=…:signal=KILL:when=N``). After each kill: the journal passes
``PRAGMA integrity_check``, rapport opens it, the change is there whole or not at
all, and the next run of the command leaves no temporary file behind.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapport.cli import app
from rapport.store.paths import TEMP_PATTERNS

pytestmark = [pytest.mark.sqlite_only, pytest.mark.slow]

JOURNALS = Path(__file__).parent / "journals"
STRACE = shutil.which("strace")
# The calls that change files: where a crash can cut a write in two.
CHANGING = "pwrite64,write,fsync,fdatasync,ftruncate,unlink,rename,renameat2,link"


def run(
    *args: str, crash: str | None = None, nth: int | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    command = [sys.executable, "-m", "rapport", *args]
    if crash:
        env["RAPPORT_CRASH_AT"] = crash
    if nth:
        assert STRACE
        inject = f"inject={CHANGING}:signal=KILL:when={nth}"
        command = [
            STRACE,
            "-f",
            "-qq",
            "-o",
            "/dev/null",
            "-e",
            inject,
            *command,
        ]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def count(journal: Path, table: str) -> int:
    conn = sqlite3.connect(journal)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def integrity(journal: Path) -> None:
    if not journal.exists() or journal.stat().st_size == 0:
        return  # killed before the first page: an empty file is an empty journal
    conn = sqlite3.connect(journal)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def temporaries(*folders: Path) -> list[Path]:
    found = []
    for folder in folders:
        if folder.is_dir():
            for pattern in TEMP_PATTERNS:
                found += folder.glob(pattern)
            found += folder.glob("*-journal")
    return found


@dataclass
class Case:
    """A command, what the journal looks like before it, and what 'all' means after."""

    args: Callable[[Path], list[str]]
    setup: Callable[[Path, Path], None]
    measure: Callable[[Path], object]


def cli(*args: str) -> None:
    """Set the scene in this process: quicker than a process of its own."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr


def _journal_with_ann(journal: Path, tmp: Path) -> None:
    cli("--db", str(journal), "add", "Ann Lee")
    cli("--db", str(journal), "log", "ann", "first")


def _calls_csv(journal: Path, tmp: Path) -> None:
    _journal_with_ann(journal, tmp)
    rows = "".join(
        f"2026-01-0{1 + n % 9}T10:00:00+00:00,Ann Lee,call,import {n}\n" for n in range(60)
    )
    (tmp / "calls.csv").write_text("at,people,channel,text\n" + rows, encoding="utf-8")


def _old_journal(journal: Path, tmp: Path) -> None:
    shutil.copy(JOURNALS / "schema1.db", journal)


def _version(journal: Path) -> object:
    conn = sqlite3.connect(journal)
    try:
        version = conn.execute("SELECT value FROM rapport_meta WHERE key='schema_version'")
        return version.fetchone()[0], conn.execute("SELECT count(*) FROM interaction").fetchone()[0]
    finally:
        conn.close()


def _export_rows(tmp: Path) -> object:
    folder = tmp / "out" / "all"
    if not folder.exists():
        return None
    return sorted(p.name for p in folder.iterdir()), (folder / "interactions.csv").read_text()


CASES = {
    "add": Case(
        lambda tmp: ["add", "Zoe Park"],
        lambda journal, tmp: None,
        lambda journal: count(journal, "person") if journal.stat().st_size else 0,
    ),
    "log": Case(
        lambda tmp: ["log", "ann", "the call that matters"],
        _journal_with_ann,
        lambda journal: count(journal, "interaction"),
    ),
    "import": Case(
        lambda tmp: ["import", str(tmp / "calls.csv")],
        _calls_csv,
        lambda journal: count(journal, "interaction"),
    ),
    "backup": Case(
        lambda tmp: ["backup"],
        _journal_with_ann,
        lambda journal: (
            sorted(p.name for p in (journal.parent / "backups").glob("*.db"))
            if (journal.parent / "backups").exists()
            else []
        ),
    ),
    "export all": Case(
        lambda tmp: ["export", "all", "-o", str(tmp / "out" / "all")],
        _journal_with_ann,
        lambda journal: _export_rows(journal.parent),
    ),
    "db upgrade": Case(lambda tmp: ["db", "upgrade"], _old_journal, _version),
}

HOOKS = {
    "add": ["write-before-commit"],
    "log": ["write-before-commit"],
    "import": ["import-read", "write-before-commit"],
    "backup": ["backup-copied"],
    "export all": ["export-written", "export-swapped"],
    "db upgrade": ["backup-copied", "write-before-commit"],
}
KILLS = [(name, "hook", point) for name, points in HOOKS.items() for point in points] + [
    (name, "strace", nth) for name in ("add", "log", "db upgrade", "backup") for nth in (2, 7)
]


@pytest.mark.parametrize(("name", "how", "where"), KILLS)
def test_a_kill_anywhere_leaves_all_or_nothing(tmp_path, name, how, where):
    if how == "strace" and STRACE is None:
        pytest.skip("strace is not installed")
    case = CASES[name]
    journal = tmp_path / "journal.db"
    case.setup(journal, tmp_path)
    db = ["--db", str(journal)]
    before = case.measure(journal) if journal.exists() else 0

    killed = (
        run(*db, *case.args(tmp_path), crash=str(where))
        if how == "hook"
        else run(*db, *case.args(tmp_path), nth=int(where))
    )
    if killed.returncode == 0:
        pytest.skip(f"{name} made fewer calls than {where}")  # strace's count ran out
    # strace says how its tracee died the shell's way: 128 + the signal.
    assert killed.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), killed.stderr

    integrity(journal)
    cli(*db, "people", "--format", "csv")
    middle = case.measure(journal)
    cli(*db, *case.args(tmp_path))
    after = case.measure(journal)
    if name in ("add", "log"):  # each run adds one record: the killed one added it or not
        assert isinstance(middle, int) and isinstance(before, int) and isinstance(after, int)
        assert middle - before in (0, after - middle)
    elif name == "backup":  # no backup, or one whole one
        assert isinstance(middle, list) and len(middle) <= 1
        for made in middle:
            integrity(tmp_path / "backups" / made)
    else:  # running it again gives the same: the killed run did all of it or nothing
        assert middle in (before, after)
    integrity(journal)
    assert temporaries(tmp_path, tmp_path / "backups", tmp_path / "out") == []

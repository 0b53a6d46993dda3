"""The journal file: where it lives, who may read it, what it refuses, concurrent writers."""

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rapport.store import open_journal
from rapport.store.schema import SCHEMA_VERSION


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.sqlite_only
def test_db_path_follows_option_then_env_then_data_folder(rapport, isolated, monkeypatch):
    assert rapport("db", "path").stdout.strip() == str(isolated / "journal.db")
    assert rapport("--db", "/elsewhere/x.db", "db", "path").stdout.strip() == "/elsewhere/x.db"
    monkeypatch.delenv("RAPPORT_DB")
    default = rapport("db", "path").stdout.strip()
    assert default == str(isolated / "home" / "data" / "rapport" / "rapport.db")
    assert not Path(default).exists()  # asking where it is creates nothing


def test_new_journal_and_its_folder_are_owner_only_whatever_the_umask(rapport, isolated):
    target = isolated / "deep" / "folder" / "j.db"
    old = os.umask(0)
    try:
        rapport("--db", str(target), "add", "Ann")
    finally:
        os.umask(old)
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700
    assert mode(target.parent.parent) == 0o700  # every folder rapport creates is private
    # SQLite removes its -wal and -shm files when the last connection closes: hold one
    # open, reading, while rapport writes, so that they are there to be checked.
    reader = sqlite3.connect(target)
    try:
        reader.execute("SELECT count(*) FROM person").fetchone()
        old = os.umask(0)
        try:
            rapport("--db", str(target), "log", "ann", "hello")
        finally:
            os.umask(old)
        for companion in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            assert mode(companion) == 0o600, companion
    finally:
        reader.close()


def test_journal_uses_wal_and_stamps_its_schema_version(rapport, journal_path):
    rapport("add", "Ann")
    conn = sqlite3.connect(journal_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    version = conn.execute("SELECT value FROM rapport_meta WHERE key='schema_version'").fetchone()
    assert int(version[0]) == SCHEMA_VERSION


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "content",
    [b"my shopping list\n", b"SQLite format 3\x00" + b"\x00" * 50, os.urandom(4096)],
    ids=["text", "truncated", "random"],
)
def test_a_file_that_is_not_a_journal_is_refused_untouched(rapport, journal_path, content):
    journal_path.write_bytes(content)
    before = checksum(journal_path)
    result = rapport("people", expect=2)
    assert "not a rapport journal" in result.stderr or "damaged" in result.stderr
    assert "backup" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert checksum(journal_path) == before


def test_another_programs_database_is_refused(rapport, journal_path):
    conn = sqlite3.connect(journal_path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    assert "not a rapport journal" in rapport("people", expect=2).stderr


def test_a_journal_from_a_newer_rapport_is_refused_byte_for_byte(rapport, journal_path):
    rapport("add", "Ann")
    conn = sqlite3.connect(journal_path)
    conn.execute(
        "UPDATE rapport_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = checksum(journal_path)
    result = rapport("people", expect=2)
    assert "newer rapport" in result.stderr
    assert checksum(journal_path) == before


def test_a_locked_journal_exits_75_and_gives_back_the_text(rapport, journal_path, isolated):
    rapport("add", "Ann")
    (isolated / "config.toml").write_text("busy_timeout = 0.2\n")
    holder = sqlite3.connect(journal_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = rapport("log", "ann", input="three careful paragraphs", expect=75)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked by other writers" in result.stderr
    assert "three careful paragraphs" in result.stderr
    assert "Traceback" not in result.stderr


def test_readers_do_not_block_a_writer(journal_path):
    journal = open_journal(str(journal_path), busy_timeout=0.2)
    from datetime import UTC, datetime

    from rapport.core.people import add_person

    reader = sqlite3.connect(journal_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM person").fetchone()
    with journal.write() as session:
        add_person(session, "Ann", now=datetime(2026, 11, 24, tzinfo=UTC))
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM person").fetchone()[0] == 1


WRITER = textwrap.dedent(
    """
    import sys
    from typer.testing import CliRunner
    from rapport.cli import app
    runner = CliRunner()
    for n in range(25):
        result = runner.invoke(app, ["log", "ann", f"note {sys.argv[1]}-{n}"])
        if result.exit_code != 0:
            print(result.output, result.stderr, file=sys.stderr)
            sys.exit(result.exit_code)
    """
)


@pytest.mark.slow
def test_eight_processes_logging_at_once_all_succeed(rapport, journal_path, isolated):
    rapport("add", "Ann")
    # Every write must land; how long a writer may wait is not what this test is about,
    # so a busy machine gets a generous lock timeout.
    config = isolated / "patient.toml"
    config.write_text('author = "tester"\ntimezone = "UTC"\nbusy_timeout = 120\n', encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), RAPPORT_CONFIG=str(config))
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(i)], env=env, stderr=subprocess.PIPE)
        for i in range(8)
    ]
    failures = [p.stderr.read().decode() for p in procs if p.wait(timeout=600) != 0]  # type: ignore[union-attr]
    assert failures == []
    conn = sqlite3.connect(journal_path)
    texts = {row[0] for row in conn.execute("SELECT text FROM interaction")}
    assert len(texts) == 200

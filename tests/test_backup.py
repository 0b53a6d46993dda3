"""Backups and `db check`: copies taken while others write, and a journal's health."""

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rapport.store.health import has_wal_reset_bug


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count(path: Path, table: str = "person") -> int:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def damage_an_index(journal: Path) -> None:
    """Make the name index disagree with its table, as a failing disk might."""
    conn = sqlite3.connect(journal, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_person_name_key ON person (name)'"
        " WHERE name = 'ix_person_name_key'"
    )
    conn.execute("PRAGMA writable_schema = OFF")
    conn.close()


@pytest.fixture
def ann(rapport, journal_path):
    rapport("add", "Ann Lee")
    return journal_path


# rapport backup


def test_backup_goes_to_a_private_backups_folder_whatever_the_umask(rapport, ann):
    old = os.umask(0)
    try:
        result = rapport("backup")
    finally:
        os.umask(old)
    copy = Path(result.stdout.strip())
    assert copy == ann.parent / "backups" / "journal-20261124T093000Z.db"
    assert mode(copy) == 0o600
    assert mode(copy.parent) == 0o700
    assert integrity(copy) == "ok"
    assert count(copy) == 1
    # One self-contained file: no -wal to carry along, no temporary file left.
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]
    assert sqlite3.connect(copy).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_two_backups_in_the_same_second_both_stay(rapport, ann):
    first = Path(rapport("backup").stdout.strip())
    rapport("add", "Bob")
    second = Path(rapport("backup").stdout.strip())
    assert second.name == "journal-20261124T093000Z-2.db"
    assert (count(first), count(second)) == (1, 2)


def test_only_the_newest_backups_are_kept_and_other_files_stay(rapport, ann, isolated, monkeypatch):
    (isolated / "config.toml").write_text("backup_keep = 3\n")
    folder = ann.parent / "backups"
    folder.mkdir()
    others = [folder / "notes.txt", folder / "demo-20200101T000000Z.db", folder / "journal.db"]
    for other in others:
        other.write_text("not mine to delete")
    made = []
    for day in range(1, 6):
        monkeypatch.setenv("RAPPORT_NOW", f"2026-11-0{day}T08:00:00+00:00")
        made.append(Path(rapport("backup").stdout.strip()))
    rapport("backup")  # a second one in the same second is newer still
    kept = {p.name for p in folder.glob("journal-*.db")}
    assert kept == {made[3].name, made[4].name, "journal-20261105T080000Z-2.db"}
    assert all(other.read_text() == "not mine to delete" for other in others)


@pytest.mark.parametrize("keep", ["0", '"ten"', "2.5", "true"])
def test_a_bad_backup_keep_is_a_clear_error(rapport, ann, isolated, keep):
    (isolated / "config.toml").write_text(f"backup_keep = {keep}\n")
    result = rapport("backup", expect=2)
    assert "backup_keep" in result.stderr
    assert not (ann.parent / "backups").exists()


def test_backup_to_a_file_is_private_and_replaces_an_older_copy(rapport, ann, isolated):
    target = isolated / "copy.db"
    old = os.umask(0o002)
    try:
        assert rapport("backup", str(target)).stdout.strip() == str(target)
        rapport("add", "Bob")
        rapport("backup", str(target))
    finally:
        os.umask(old)
    assert mode(target) == 0o600
    assert count(target) == 2
    assert sorted(p.name for p in isolated.iterdir() if p.name.startswith("copy")) == ["copy.db"]


def test_backup_into_a_folder_names_the_copy_and_rotates_nothing(rapport, ann, isolated):
    folder = isolated / "usb"
    folder.mkdir()
    result = rapport("backup", str(folder))
    assert Path(result.stdout.strip()) == folder / "journal-20261124T093000Z.db"
    assert not (ann.parent / "backups").exists()


def test_backup_never_overwrites_a_file_that_is_not_a_journal(rapport, ann, isolated):
    precious = isolated / "thesis.txt"
    precious.write_text("three years of work")
    result = rapport("backup", str(precious), expect=2)
    assert "not a rapport journal" in result.stderr
    assert precious.read_text() == "three years of work"
    assert rapport("backup", str(ann), expect=2).stderr.count("\n") == 1


def test_backup_of_a_missing_journal_creates_nothing(rapport, journal_path):
    assert "no journal" in rapport("backup", expect=2).stderr
    assert not journal_path.exists()
    assert not (journal_path.parent / "backups").exists()


def test_backup_refuses_a_file_that_is_not_a_journal_and_leaves_it_alone(rapport, journal_path):
    journal_path.write_text("my shopping list\n")
    result = rapport("backup", expect=2)
    assert "not a rapport journal" in result.stderr
    assert journal_path.read_text() == "my shopping list\n"


@pytest.mark.sqlite_only
def test_a_backup_of_a_server_that_cannot_be_found_says_so_without_the_password(rapport):
    url = "postgresql+psycopg://dana:s3cret@db.invalid/rapport"
    result = rapport("--db", url, "backup", expect=2)
    assert "dana:***@db.invalid" in result.stderr
    assert "s3cret" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_damaged_journal_is_not_backed_up(rapport, ann, isolated):
    damage_an_index(ann)
    result = rapport("backup", str(isolated / "copy.db"), expect=1)
    assert "fails its integrity check" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "internal error" not in result.stderr
    assert not (isolated / "copy.db").exists()
    assert not [p for p in isolated.iterdir() if p.name.startswith(".rapport-backup")]


def test_a_writer_holding_the_lock_does_not_block_a_backup(rapport, ann, isolated):
    (isolated / "config.toml").write_text("busy_timeout = 0.2\n")
    holder = sqlite3.connect(ann, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute(
        "INSERT INTO person (uid, name, name_key, stage, created_at)"
        " VALUES ('u-1', 'Uncommitted', 'uncommitted', 'friend', '2026-11-24')"
    )
    try:
        copy = Path(rapport("backup").stdout.strip())
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert count(copy) == 1  # the journal as last committed


WRITER = textwrap.dedent(
    """
    import sys
    from typer.testing import CliRunner
    from rapport.cli import app
    runner = CliRunner()
    for n in range(25):
        result = runner.invoke(app, ["log", "ann", f"note {sys.argv[1]}-{n}"])
        if result.exit_code != 0:
            sys.exit(result.stderr)
        if n == 0:
            print("writing", flush=True)
    """
)


def test_a_backup_taken_while_processes_write_passes_integrity_check(rapport, ann, isolated):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(i)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    for writer in writers:
        assert writer.stdout.readline() == "writing\n"  # type: ignore[union-attr]
    seen: list[int] = []
    while len(seen) < 3 or (seen[-1] < 50 and any(w.poll() is None for w in writers)):
        copy = Path(rapport("backup", str(isolated / f"during-{len(seen)}.db")).stdout.strip())
        assert integrity(copy) == "ok"
        seen.append(count(copy, "interaction"))
    failures = [w.stderr.read() for w in writers if w.wait(timeout=120) != 0]  # type: ignore[union-attr]
    assert failures == []
    assert seen == sorted(seen)  # each copy is one instant of a growing journal
    assert seen[0] >= 2 and seen[-1] <= 50
    assert count(Path(rapport("backup").stdout.strip()), "interaction") == 50


def test_a_journal_name_with_url_characters_is_that_very_file(rapport, isolated):
    target = isolated / "clients?v=2%41#1.db"
    rapport("--db", str(target), "add", "Ann")
    assert sorted(p.name for p in isolated.iterdir() if p.is_file()) == [
        "clients?v=2%41#1.db",
        "config.toml",
    ]
    assert mode(target) == 0o600
    copy = Path(rapport("--db", str(target), "backup").stdout.strip())
    assert copy.name == "clients?v=2%41#1-20261124T093000Z.db"
    assert count(copy) == 1
    assert rapport("--db", str(target), "db", "check").stdout.startswith("ok ")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:///:memory:"])
def test_an_in_memory_journal_is_refused_since_it_would_lose_everything(
    rapport, isolated, monkeypatch, url
):
    monkeypatch.chdir(isolated)
    if url.endswith(":memory:"):  # that one is a file named ":memory:", kept
        rapport("--db", url, "add", "Ann")
        assert count(isolated / ":memory:") == 1
        return
    assert "names no file" in rapport("--db", url, "add", "Ann", expect=2).stderr


# rapport db check


def lines(result):
    return {line.split()[1].rstrip(":"): line for line in result.stdout.splitlines()}


def test_db_check_of_a_sound_journal_changes_nothing(rapport, ann):
    before = checksum(ann)
    result = rapport("db", "check")
    checks = lines(result)
    assert list(checks) == [
        "integrity",
        "foreign",
        "schema",
        "tables",
        "sqlite",
        "permissions",
        "leftovers",
    ]
    for name in ("integrity", "foreign", "schema", "tables", "permissions", "leftovers"):
        assert checks[name].startswith("ok "), checks[name]
    assert checks["sqlite"].split()[0] in ("ok", "warning")
    assert checksum(ann) == before


def test_db_check_does_not_create_a_missing_journal(rapport, journal_path):
    result = rapport("db", "check", expect=2)
    assert "no journal" in result.stderr
    assert not journal_path.exists()


def test_db_check_refuses_a_file_that_is_not_a_journal_and_leaves_it_alone(rapport, journal_path):
    journal_path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    before = checksum(journal_path)
    result = rapport("db", "check", expect=2)
    assert "not a rapport journal" in result.stderr
    assert checksum(journal_path) == before


def test_db_check_warns_when_others_can_read_the_journal(rapport, ann):
    ann.chmod(0o644)
    check = lines(rapport("db", "check"))["permissions"]
    assert check.startswith("warning ")
    assert "journal.db (644)" in check


def test_db_check_finds_broken_references(rapport, ann):
    conn = sqlite3.connect(ann, isolation_level=None)
    conn.execute("INSERT INTO person_tag (person_id, tag) VALUES (99, 'ghost')")
    conn.close()
    check = lines(rapport("db", "check", expect=1))["foreign"]
    assert check.startswith("error ")
    assert "person_tag → person (1)" in check


def test_db_check_finds_a_damaged_journal_and_leaves_it_as_it_is(rapport, ann):
    damage_an_index(ann)
    before = checksum(ann)
    result = rapport("db", "check", expect=1)
    assert lines(result)["integrity"].startswith("error ")
    assert "missing from index" in lines(result)["integrity"]
    assert checksum(ann) == before


def test_db_check_reports_a_journal_from_a_newer_rapport_without_touching_it(rapport, ann):
    from rapport.store.schema import SCHEMA_VERSION

    conn = sqlite3.connect(ann, isolation_level=None)
    conn.execute(
        "UPDATE rapport_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
    )
    conn.close()
    before = checksum(ann)
    assert "newer rapport" in lines(rapport("db", "check"))["schema"]
    assert checksum(ann) == before


@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ((3, 6, 23), False),
        ((3, 7, 0), True),
        ((3, 40, 1), True),
        ((3, 44, 5), True),
        ((3, 44, 6), False),
        ((3, 45, 0), True),
        ((3, 50, 6), True),
        ((3, 50, 7), False),
        ((3, 51, 2), True),
        ((3, 51, 3), False),
        ((3, 53, 0), False),
    ],
)
def test_sqlite_versions_with_the_wal_reset_bug(version, affected):
    assert has_wal_reset_bug(version) is affected


def test_a_backup_into_a_folder_that_is_not_there_is_refused(rapport, isolated):
    rapport("add", "Ann")
    result = rapport("backup", str(isolated / "usb") + "/", expect=2)
    assert "no folder" in result.stderr
    assert not (isolated / "usb").exists()

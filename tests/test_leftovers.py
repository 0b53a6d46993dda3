"""Killed backups and exports leave nothing for good; export all swaps a folder in whole;
folders rapport makes are private; db check knows the whole schema."""

import csv
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only


def run(*args: str, crash: str | None = None, **extra) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if crash:
        env["RAPPORT_CRASH_AT"] = crash
    return subprocess.run(
        [sys.executable, "-m", "rapport", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        **extra,
    )


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def ann(rapport):
    rapport("add", "Ann Lee")
    rapport("log", "ann", "first call")


@pytest.mark.slow
def test_a_killed_backup_leaves_a_copy_that_db_check_reports_and_the_next_backup_removes(
    rapport, ann, journal_path
):
    killed = run("backup", crash="backup-copied")
    assert killed.returncode == -signal.SIGKILL
    backups = journal_path.parent / "backups"
    [leftover] = hidden(backups)
    assert leftover.startswith(".rapport-backup-")
    assert list(backups.glob("*.db")) == []
    check = rapport("db", "check")
    assert "warning  leftovers: 1 temporary file(s) left by an interrupted" in check.stdout
    made = Path(rapport("backup").stdout.strip())
    assert hidden(backups) == []
    assert [p.name for p in backups.iterdir()] == [made.name]
    assert "ok       leftovers" in rapport("db", "check").stdout


@pytest.mark.slow
@pytest.mark.parametrize("crash", ["export-written", "export-swapped"])
def test_a_killed_export_all_leaves_the_folder_whole(rapport, ann, tmp_path, crash):
    folder = tmp_path / "exports" / "nightly"
    rapport("export", "all", "-o", str(folder))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    rapport("log", "ann", "second call")
    killed = run("export", "all", "-o", str(folder), crash=crash)
    assert killed.returncode == -signal.SIGKILL
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after.keys() == before.keys()
    calls = list(csv.DictReader(after["interactions.csv"].decode().splitlines()))
    texts = {call["text"] for call in calls}
    assert texts == ({"first call"} if crash == "export-written" else {"first call", "second call"})
    assert len(hidden(folder.parent)) == 1  # the temporary folder, until the next export
    rapport("export", "all", "-o", str(folder))
    assert hidden(folder.parent) == []


@pytest.mark.slow
def test_a_killed_export_leaves_its_part_file_until_the_next_one(rapport, ann, tmp_path):
    target = tmp_path / "out" / "people.csv"
    target.parent.mkdir()
    assert run("export", "people", "-o", str(target), crash="export-written").returncode == -9
    assert not target.exists()
    assert len(hidden(target.parent)) == 1
    rapport("export", "people", "-o", str(target))
    assert hidden(target.parent) == []


def test_export_all_refuses_a_folder_that_holds_other_files(rapport, ann, tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.tex").write_text("years of work", encoding="utf-8")
    result = rapport("export", "all", "-o", str(folder), expect=2)
    assert "holds other files than an export (thesis.tex)" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["thesis.tex"]


@pytest.mark.slow
def test_a_full_disk_during_export_all_is_one_line_and_leaves_nothing(rapport, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(
        "name,company\n" + "".join(f"Person {n},{'Company ' * 20}\n" for n in range(800)),
        encoding="utf-8",
    )
    rapport("import", str(people))
    out = tmp_path / "out"
    out.mkdir()

    def small_files() -> None:  # the kernel refuses to grow any file past 64 KiB
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    result = run("export", "all", "-o", str(out / "all"), preexec_fn=small_files)
    assert result.returncode == 1, result.stderr
    assert (
        result.stderr
        == f"rapport: can't write {out / 'all'}: File too large; nothing was written\n"
    )
    assert list(out.iterdir()) == []


def test_folders_made_for_an_export_are_private_whatever_the_umask(rapport, ann, tmp_path):
    old = os.umask(0)
    try:
        rapport("export", "all", "-o", str(tmp_path / "a" / "b" / "c"))
    finally:
        os.umask(old)
    for folder in ("a", "a/b", "a/b/c"):
        assert mode(tmp_path / folder) == 0o700, folder


def test_a_symlinked_backups_folder_is_used_without_changing_its_mode(
    rapport, ann, journal_path, tmp_path
):
    shared = tmp_path / "synced"
    shared.mkdir()
    shared.chmod(0o755)
    (journal_path.parent / "backups").symlink_to(shared)
    made = Path(rapport("backup").stdout.strip())
    assert made.parent == journal_path.parent / "backups"
    assert mode(shared) == 0o755
    assert mode(shared / made.name) == 0o600


def test_db_check_names_a_dropped_table_and_commands_fail_in_one_line(rapport, ann, journal_path):
    conn = sqlite3.connect(journal_path)
    index = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchone()[0]
    conn.execute(f"DROP INDEX {index}")
    conn.execute("DROP TABLE gesture")
    conn.close()
    result = rapport("db", "check", expect=1)
    assert "error    tables: missing " in result.stdout
    assert "table gesture" in result.stdout and f"index {index}" in result.stdout
    failed = rapport("gesture", "ann", "card", expect=1)
    assert failed.stderr.count("\n") == 1
    assert "lacks part of its schema (no such table: gesture)" in failed.stderr

"""The journal path: crash leftovers recovered, odd files refused, sound ones trusted."""

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only

# A writer that dies (SIGKILL) in the middle of a big transaction, after SQLite has spilled
# changed pages into the file: what a crash leaves is a hot rollback journal beside it.
DIE_MID_TRANSACTION = textwrap.dedent(
    """
    import os, signal, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA journal_mode = " + sys.argv[2])
    conn.execute("PRAGMA cache_size = 1")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE person SET name = 'overwritten'")
    conn.executemany("INSERT INTO person_tag (person_id, tag) SELECT id, ? FROM person",
                     [(f"tag {n}" * 20,) for n in range(2000)])
    if sys.argv[2] == "WAL":
        conn.execute("COMMIT")
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def die_writing(journal: Path, mode: str) -> None:
    child = subprocess.run([sys.executable, "-c", DIE_MID_TRANSACTION, str(journal), mode])
    assert child.returncode == -9


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def ann(rapport):
    rapport("add", "Ann Lee")


def test_a_hot_rollback_journal_is_rolled_back_not_called_damaged(rapport, ann, journal_path):
    die_writing(journal_path, "DELETE")
    hot = Path(f"{journal_path}-journal")
    assert hot.stat().st_size > 0
    check = rapport("db", "check")
    assert "error" not in check.stdout
    assert rapport("people", "--format", "csv").stdout.splitlines()[1].split(",")[1] == "Ann Lee"
    rapport("log", "ann", "after the crash")
    assert not hot.exists()


def test_a_committed_wal_is_replayed(rapport, ann, journal_path):
    die_writing(journal_path, "WAL")
    assert Path(f"{journal_path}-wal").stat().st_size > 0
    rapport("db", "check")
    assert "overwritten" in rapport("people", "--format", "csv").stdout


def test_a_symlink_where_the_wal_goes_is_named_and_nothing_destructive_suggested(
    rapport, ann, journal_path, tmp_path
):
    elsewhere = tmp_path / "elsewhere"
    wal = Path(f"{journal_path}-wal")
    wal.symlink_to(elsewhere)
    before = journal_path.read_bytes()
    for args in (("people",), ("db", "check"), ("log", "ann", "hello"), ("backup",)):
        result = rapport(*args, expect=2)
        assert result.stderr.startswith(f"rapport: {wal} is a symbolic link where SQLite keeps")
        assert "journal.db itself is untouched" in result.stderr
        assert "restore" not in result.stderr
        assert result.stderr.count("\n") == 1
    assert journal_path.read_bytes() == before
    assert not elsewhere.exists()
    wal.unlink()
    rapport("log", "ann", "hello")


def char_device(tmp_path: Path) -> Path:
    """/dev/null, or when root a private copy (a broken rapport must not harm the real one)."""
    if os.geteuid() != 0:
        return Path("/dev/null")
    node = tmp_path / "devnull"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return node


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rapport", *args],
        capture_output=True,
        text=True,
        timeout=60,  # a hang is the failure this guards against
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_journal_path_that_is_not_a_regular_file_is_refused(tmp_path, kind):
    folder = tmp_path / "odd"
    folder.mkdir()
    if kind == "fifo":
        target = folder / "journal.db"
        os.mkfifo(target)
        what = "a named pipe"
    else:
        target = char_device(folder)
        what = "a character device"
    mode = target.stat().st_mode
    for args in (("db", "check"), ("people",), ("add", "Ann"), ("backup",), ("db", "upgrade")):
        result = run("--db", str(target), *args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr == (
            f"rapport: {target} is {what}, not a journal file; choose one with --db\n"
        )
    assert target.stat().st_mode == mode
    assert listing(target.parent) == [target.name]


def test_files_refused_as_not_a_journal_get_nothing_beside_them(rapport, tmp_path):
    folder = tmp_path / "others"
    folder.mkdir()
    (folder / "notes.txt").write_text("a shopping list\n", encoding="utf-8")
    other = sqlite3.connect(folder / "app.db")
    other.execute("PRAGMA journal_mode = WAL")
    other.execute("CREATE TABLE t (x)")
    other.close()
    for name in ("notes.txt", "app.db"):
        for args in (("people",), ("db", "check"), ("add", "Ann")):
            rapport("--db", str(folder / name), *args, expect=2)
    assert listing(folder) == ["app.db", "notes.txt"]


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """The folder made read-only: by its mode, or for root (whom modes don't stop) immutable."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o700)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("root, and no chattr to make a folder read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_sound_journal_in_a_read_only_folder_is_not_called_damaged(rapport, tmp_path):
    folder = tmp_path / "journals"
    journal = folder / "j.db"
    rapport("--db", str(journal), "add", "Ann Lee")
    before = journal.read_bytes()
    with read_only(folder):
        for args in (("people",), ("db", "check"), ("add", "Bob")):
            result = rapport("--db", str(journal), *args, expect=1)
            assert f"its folder {folder} is not writable for you" in result.stderr
            assert "Nothing is wrong with the journal" in result.stderr
            assert "restore" not in result.stderr and "backup" not in result.stderr
    assert journal.read_bytes() == before

"""Files named with -o or as a backup target: streams stay streams, journals stay journals."""

import os
import shutil
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def ann(rapport):
    rapport("add", "Ann Lee", "--company", "Acme")


def device(tmp_path: Path, name: str, minor: int) -> Path:
    """A character device that is safe to lose: a private node when root, else the system's."""
    if os.geteuid() != 0:
        return Path("/dev") / name
    node = tmp_path / name
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    return node


def read_fifo(path: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def reader() -> None:
        with path.open("rb") as handle:
            got.append(handle.read())

    thread = threading.Thread(target=reader)
    thread.start()
    return thread, got


def test_export_into_a_named_pipe_streams_into_it(rapport, ann, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    thread, got = read_fifo(fifo)
    rapport("export", "people", "-o", str(fifo))
    thread.join(timeout=30)
    assert got and got[0].startswith(b"id,name,company")
    assert b"Ann Lee" in got[0]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_into_a_character_device_keeps_the_device(rapport, ann, tmp_path):
    null = device(tmp_path, "null", 3)
    rapport("export", "interactions", "-f", "json", "-o", str(null))
    assert stat.S_ISCHR(null.lstat().st_mode)


def test_export_to_dash_is_standard_output(rapport, ann, tmp_path):
    result = rapport("export", "people", "-o", "-")
    assert result.stdout.startswith("id,name,company")
    assert not Path("-").exists()


def test_a_full_device_is_one_line_and_exit_1(rapport, ann, tmp_path):
    full = device(tmp_path, "full", 7)
    result = rapport("export", "people", "-o", str(full), expect=1)
    assert (
        result.stderr
        == f"rapport: can't write {full}: No space left on device; nothing was written\n"
    )
    assert stat.S_ISCHR(full.lstat().st_mode)


def companions(journal: Path) -> list[Path]:
    return [journal, Path(f"{journal}-wal"), Path(f"{journal}-shm")]


@pytest.mark.parametrize("which", [0, 1, 2])
def test_export_never_writes_onto_the_journal_in_use_or_its_working_files(
    rapport, ann, journal_path, which
):
    # A reader holding the journal open keeps its -wal and -shm files in place.
    holder = sqlite3.connect(journal_path)
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM person").fetchone()
    try:
        target = companions(journal_path)[which]
        assert target.exists()
        before = target.read_bytes()
        result = rapport("export", "people", "-o", str(target), expect=2)
        assert result.stderr.startswith(f"rapport: {target} is ")
        assert "journal in use" in result.stderr
        assert result.stderr.count("\n") == 1
        if which == 0:
            assert target.read_bytes() == before
    finally:
        holder.close()
    assert rapport("people", "--format", "csv").stdout.count("\n") == 2


def test_export_never_writes_onto_another_database_or_a_backup(rapport, ann, tmp_path):
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    backup = Path(rapport("backup").stdout.strip())
    for target in (other, backup):
        before = target.read_bytes()
        result = rapport("export", "people", "-f", "json", "-o", str(target), expect=2)
        assert "is an SQLite database" in result.stderr
        assert target.read_bytes() == before
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(backup, folder / "people.csv")
    result = rapport("export", "all", "-o", str(folder), expect=2)
    assert "people.csv is an SQLite database" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["people.csv"]


def test_export_through_a_symlink_onto_the_journal_is_refused(rapport, ann, journal_path, tmp_path):
    link = tmp_path / "looks-harmless.csv"
    link.symlink_to(journal_path)
    rapport("export", "people", "-o", str(link), expect=2)
    assert link.is_symlink()
    assert rapport("db", "check").exit_code == 0


def test_an_earlier_export_is_replaced_as_usual(rapport, ann, tmp_path):
    target = tmp_path / "people.csv"
    target.write_text("an older export\n", encoding="utf-8")
    rapport("export", "people", "-o", str(target))
    assert target.read_text(encoding="utf-8").startswith("id,name")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_writes_through_a_symlink_to_a_regular_file(rapport, ann, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    rapport("export", "people", "-o", str(link))
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("id,name")


def test_backup_never_writes_onto_the_journal_files_or_a_pipe(rapport, ann, journal_path, tmp_path):
    holder = sqlite3.connect(journal_path)
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM person").fetchone()
    try:
        for target in companions(journal_path):
            before = target.read_bytes()
            rapport("backup", str(target), expect=2)
            assert target.read_bytes() == before
    finally:
        holder.close()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = rapport("backup", str(fifo), expect=2)
    assert result.stderr == (
        f"rapport: {fifo} is not a regular file; a backup is written to a file or a folder\n"
    )
    assert stat.S_ISFIFO(fifo.lstat().st_mode)

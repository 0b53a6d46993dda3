"""Import reads its files whole before it locks the journal, and within limits."""

import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rapport.transfer import csv_in

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def quick_timeout(isolated: Path) -> None:
    config = isolated / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + "busy_timeout = 0.5\n", "utf-8")


@pytest.fixture
def writer_holding_the_lock(rapport, journal_path, quick_timeout) -> Iterator[None]:
    rapport("add", "Ann Lee")
    holder = sqlite3.connect(journal_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield
    holder.execute("ROLLBACK")
    holder.close()


def people_csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("name,company\n" + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_a_dry_run_takes_no_lock(rapport, writer_holding_the_lock, tmp_path):
    source = people_csv(tmp_path, "Zoe Park,Acme", "Ann Lee,Other")
    result = rapport("import", str(source), "--dry-run")
    assert "people: 1 to add, 1 to update" in result.stderr
    assert "dry run: nothing was saved" in result.stderr


def test_a_mistake_at_the_end_of_the_file_is_found_before_the_lock(
    rapport, writer_holding_the_lock, tmp_path
):
    source = people_csv(tmp_path, *[f"Person {n},Acme" for n in range(500)], '"unclosed,Acme')
    result = rapport("import", str(source), expect=2)
    assert "malformed CSV" in result.stderr


def test_a_dry_run_leaves_the_journal_as_it_was(rapport, journal_path, tmp_path):
    rapport("add", "Ann Lee")
    before = journal_path.read_bytes()
    rapport("import", str(people_csv(tmp_path, "Zoe Park,Acme")), "--dry-run")
    assert journal_path.read_bytes() == before
    assert rapport("people", "--format", "csv").stdout.count("\n") == 2


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_import_refuses_pipes_and_devices_at_once(rapport, tmp_path, kind):
    target = Path(kind)
    if kind == "fifo":
        target = tmp_path / "contacts.csv"
        os.mkfifo(target)
    result = rapport("import", str(target), expect=2)
    assert result.stderr == (
        f"rapport: {target} is not a regular file (a pipe or a device?); import reads files\n"
    )


def test_a_header_of_a_million_columns_is_refused_at_once(rapport, tmp_path):
    source = tmp_path / "wide.csv"
    source.write_text(",".join(f"c{n}" for n in range(1_000_000)) + "\n", encoding="utf-8")
    started = time.monotonic()
    result = rapport("import", str(source), expect=2)
    assert result.stderr == (
        f"rapport: {source}: its header has 1000000 columns; rapport reads at most 1000\n"
    )
    assert time.monotonic() - started < 60  # today's code was still parsing at 300 s


def test_a_line_without_end_is_refused(rapport, tmp_path, monkeypatch):
    monkeypatch.setattr(csv_in, "LINE_LIMIT", 2**20)
    source = tmp_path / "people.csv"
    source.write_text("name,company\n" + "x" * (2**20 + 10), encoding="utf-8")
    result = rapport("import", str(source), expect=2)
    assert result.stderr == f"rapport: {source}: a line is longer than 1 MiB; is it really CSV?\n"


def test_a_huge_id_is_one_line(rapport, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("id,name\n99999999999999999999,Ann\n", encoding="utf-8")
    result = rapport("import", str(source), expect=None)
    assert "id 99999999999999999999 is too large" in result.stderr
    assert "internal error" not in result.stderr
    strict = rapport("import", "--strict", str(source), expect=2)
    assert strict.stderr.count("\n") == 1

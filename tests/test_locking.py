"""The busy timeout bounds a command's whole wait for the journal, whatever it waits on."""

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rapport.errors import JournalLocked
from rapport.store import open_journal

pytestmark = pytest.mark.sqlite_only


def set_timeout(isolated: Path, seconds: object) -> None:
    config = isolated / "config.toml"
    config.write_text(f'author = "tester"\ntimezone = "UTC"\nbusy_timeout = {seconds}\n', "utf-8")


@pytest.fixture
def exclusive_holder(rapport, journal_path) -> Iterator[None]:
    """Another process's connection in exclusive locking mode: even readers must wait."""
    rapport("add", "Ann Lee")
    holder = sqlite3.connect(journal_path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE person SET company = 'held'")
    yield
    holder.execute("ROLLBACK")
    holder.close()


def test_a_journal_held_by_another_is_exit_75_in_about_the_timeout(
    rapport, isolated, exclusive_holder
):
    set_timeout(isolated, 1)
    started = time.monotonic()
    result = rapport("log", "ann", "what I typed", expect=75)
    assert time.monotonic() - started < 4  # today's code said "damaged" after 5 s
    assert "is locked by other writers (waited 1 s); nothing was saved" in result.stderr


def test_every_wait_of_a_command_comes_out_of_one_timeout(journal_path, rapport):
    rapport("add", "Ann Lee")
    journal = open_journal(str(journal_path), busy_timeout=1.5)
    holder = sqlite3.connect(journal_path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE person SET company = 'held'")
    try:
        with pytest.raises(JournalLocked), journal.read() as session:
            session.connection()
        started = time.monotonic()
        with pytest.raises(JournalLocked), journal.write() as session:
            session.connection()
        assert time.monotonic() - started < 0.75  # nothing left to wait: not another 1.5 s
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        journal.close()


@pytest.mark.parametrize("value", ["nan", "inf", "-1", '"soon"'])
def test_a_busy_timeout_that_is_not_a_duration_is_one_line(rapport, isolated, value):
    set_timeout(isolated, value)
    result = rapport("people", expect=2)
    assert "busy_timeout must be" in result.stderr
    assert result.stderr.count("\n") == 1

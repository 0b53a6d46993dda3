"""Time zones, plain output, encodings, and the cost of `due`."""

import io
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from rapport.cli.output import console


@pytest.fixture
def auckland(isolated, monkeypatch):
    """A user in Auckland, late in the evening, on a machine whose clock zone is UTC."""
    (isolated / "config.toml").write_text('timezone = "Pacific/Auckland"\n')
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-24T23:30:00+13:00")  # 10:30 UTC


def test_today_and_times_are_the_users_not_the_machines(rapport, auckland):
    rapport("add", "Ann")
    rapport("log", "ann", "late call", "--at", "today 22:00")
    [item] = json.loads(rapport("export", "interactions", "-f", "json").stdout)
    assert item["at"] == "2026-11-24T09:00:00+00:00"
    assert "2026-11-24 22:00" in rapport("timeline").stdout
    rapport("log", "ann", "early call", "--at", "today 01:00")  # the 23rd in UTC
    assert "2026-11-24 01:00" in rapport("timeline").stdout
    assert "2026-11-24" in rapport("people").stdout  # the day of the last contact, here
    rapport("promise", "ann", "quote", "--due", "tomorrow")
    [promise] = json.loads(rapport("export", "commitments", "-f", "json").stdout)
    assert promise["due"] == "2026-11-25"  # Auckland's tomorrow, although UTC is still on the 24th
    soon = [
        r for r in json.loads(rapport("due", "-f", "json").stdout) if r["term"] == "my_due_soon"
    ]
    assert "due in 1 day" in soon[0]["reason"]


def test_a_problem_opened_this_evening_is_zero_days_old(rapport, auckland):
    rapport("add", "Ann")
    rapport("problem", "ann", "billing mix-up", "--at", "today 21:00")
    [row] = [r for r in json.loads(rapport("due", "-f", "json").stdout) if r["term"] == "problem"]
    assert row["reason"].startswith("open problem, opened today")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_color_means_no_escape_codes_even_on_a_terminal(monkeypatch):
    stream = Terminal()
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.setenv("NO_COLOR", "1")
    console().print("[bold red]hello[/bold red]")
    assert stream.getvalue() == "hello\n"
    monkeypatch.delenv("NO_COLOR")
    stream.truncate(0)
    stream.seek(0)
    console().print("[bold red]hello[/bold red]")
    assert "\x1b[" in stream.getvalue()


def test_tags_match_whatever_their_alphabet(rapport):
    rapport("add", "Ann", "--tag", "Été")
    rapport("add", "Bob", "--tag", "ÖKO")

    def names(tag):
        return [r["name"] for r in json.loads(rapport("people", "--tag", tag, "-f", "json").stdout)]

    assert names("été") == ["Ann"]
    assert names("öko") == ["Bob"]


def test_csv_is_utf8_whatever_the_locale(rapport, isolated):
    rapport("add", "José Núñez")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), PYTHONIOENCODING="ascii")
    done = subprocess.run(
        [sys.executable, "-m", "rapport", "people", "--format", "csv"], capture_output=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "José Núñez".encode() in done.stdout
    assert done.stdout.startswith(b"id,name,") and b"\r\n" in done.stdout


def test_the_follow_up_suggestion_fades_after_its_window(rapport):
    rapport("add", "Ann", "--every", "1y")
    rapport("log", "ann", "hi")
    rapport("problem", "ann", "mix-up", "--at", "2026-11-01")
    rapport("resolve", "1", "--at", "2026-11-02")

    def terms(on):
        return {r["term"] for r in json.loads(rapport("due", "--on", on, "-f", "json").stdout)}

    assert "follow_up" in terms("2026-12-31")
    assert "follow_up" not in terms("2027-01-01")


def statements_for_due(journal_path, notes: int) -> int:
    from rapport.core.attention import Weights, due
    from rapport.core.journal import log_interaction
    from rapport.core.people import add_person
    from rapport.store import open_journal

    journal = open_journal(str(journal_path))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with journal.write() as session:
        people = [add_person(session, f"Person {n}", now=start) for n in range(20)]
        for n in range(notes):
            log_interaction(session, [people[n % 20]], f"note {n}", at=start + timedelta(hours=n))
    count = 0

    def counted(*_args: object) -> None:
        nonlocal count
        count += 1

    event.listen(journal.engine, "before_cursor_execute", counted)
    with journal.read() as session:
        ranked = due(session, date(2026, 11, 24), ZoneInfo("UTC"), Weights())
    journal.close()
    assert len(ranked) == 20
    return count


def test_due_asks_the_same_questions_however_many_notes(tmp_path):
    assert statements_for_due(tmp_path / "few.db", 20) == statements_for_due(
        tmp_path / "many.db", 2000
    )

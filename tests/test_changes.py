"""The change log: every write is recorded with its transaction, and undo gives back the journal."""

import json
import sqlite3
from pathlib import Path

import pytest


def export_all(rapport, folder: Path) -> dict[str, bytes]:
    rapport("export", "all", "-o", str(folder))
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def begun(rapport):
    rapport("add", "Ann Lee", "--company", "Acme", "--tag", "vip")
    rapport("add", "Zoë Quinn", "--stage", "friend")
    rapport("log", "ann,zoe", "Walked through the plan", "--channel", "meeting", "--mood", "1")
    rapport("promise", "ann", "send the quote", "--due", "2026-11-27")
    rapport("problem", "zoe", "invoice sent twice")


def history(rapport) -> list[dict[str, object]]:
    return json.loads(rapport("history", "--format", "json").stdout)


def test_five_undos_give_back_the_journal_byte_for_byte(rapport, begun, tmp_path):
    before = export_all(rapport, tmp_path / "before")
    rapport("log", "ann", "Quick call", "--tag", "renewal")
    rapport("done", "1")
    rapport("edit", "zoe", "--stage", "dating", "--tag", "new", "--email", "z@example.com")
    rapport("resolve", "1", "--note", "refunded")
    rapport("gesture", "ann", "card", "thank-you")
    assert export_all(rapport, tmp_path / "changed") != before
    for _ in range(5):
        rapport("undo")
    assert export_all(rapport, tmp_path / "after") == before
    assert [c["undone_at"] is not None for c in history(rapport)] == [True] * 5 + [False] * 5


def test_history_says_when_who_and_what(rapport, begun):
    [latest, *_] = history(rapport)
    assert latest["command"] == "problem"
    assert latest["author"] == "tester"
    assert latest["at"] == "2026-11-24T09:30:00+00:00"
    assert latest["summary"] == "added p1 (Zoë Quinn)"
    assert list(latest) == ["id", "at", "author", "command", "summary", "undone_at"]
    assert rapport("history", "-f", "csv").stdout.splitlines()[0] == (
        "id,at,author,command,summary,undone_at"
    )


def test_undo_with_nothing_to_undo_changes_nothing(rapport):
    result = rapport("undo", expect=2)
    assert result.stderr == "rapport: nothing to undo: every change in the change log is undone\n"
    rapport("add", "Ann")
    rapport("undo")
    assert "nothing to undo" in rapport("undo", expect=2).stderr


def test_undoing_a_change_that_a_later_one_built_on_is_refused(rapport, begun, tmp_path):
    rapport("add", "Bob Stone")
    rapport("log", "bob", "First call")
    before = export_all(rapport, tmp_path / "before")
    adding_bob = history(rapport)[1]["id"]
    result = rapport("undo", str(adding_bob), expect=2)
    assert f"can't undo change {adding_bob} (add)" in result.stderr
    assert "(log: added i2" in result.stderr and "undo that first" in result.stderr
    assert export_all(rapport, tmp_path / "after") == before
    rapport("undo")
    rapport("undo", str(adding_bob))
    assert "Bob" not in rapport("people").stdout


def test_an_older_change_is_undone_alone_when_nothing_built_on_it(rapport, begun):
    rapport("edit", "ann", "--company", "Initech")
    rapport("log", "zoe", "Chat")
    editing = history(rapport)[1]["id"]
    rapport("undo", str(editing))
    assert "Acme" in rapport("show", "ann").stdout
    assert "Chat" in rapport("timeline", "zoe").stdout
    assert "already undone" in rapport("undo", str(editing), expect=2).stderr
    assert "no change 99" in rapport("undo", "99", expect=2).stderr


@pytest.mark.sqlite_only  # reads the file itself
def test_import_is_one_change_kept_as_ranges_and_undone_whole(rapport, begun, tmp_path):
    before = export_all(rapport, tmp_path / "before")
    people = tmp_path / "people.csv"
    people.write_text(
        "name,company\n" + "".join(f"Person {n},Co {n}\n" for n in range(150)), encoding="utf-8"
    )
    calls = tmp_path / "interactions.csv"
    calls.write_text(
        "at,person,channel,text\n"
        + "".join(
            f"2026-11-{1 + n % 20:02d}T10:00:00+00:00,Person {n},call,call {n}\n"
            for n in range(150)
        )
        + "2026-11-20T10:00:00+00:00,Ann Lee,call,imported call\n",
        encoding="utf-8",
    )
    rapport("import", str(people))
    rapport("import", str(calls))
    [latest, *_] = history(rapport)
    assert latest["command"] == "import"
    assert "imported 151 interactions" in str(latest["summary"])
    conn = sqlite3.connect(rapport_db())
    ops = conn.execute(
        "SELECT op, count(*) FROM change_row WHERE change_id = ? GROUP BY op", (latest["id"],)
    ).fetchall()
    conn.close()
    assert ops == [("range", 1)]
    rapport("undo")
    rapport("undo")
    assert export_all(rapport, tmp_path / "after") == before


@pytest.mark.sqlite_only  # reads the file itself
def test_the_change_log_keeps_only_the_latest_changes(rapport, isolated):
    (isolated / "config.toml").write_text(
        'author = "tester"\ntimezone = "UTC"\nhistory_keep = 3\n', encoding="utf-8"
    )
    for n in range(5):
        rapport("add", f"Person {n}")
    assert [c["summary"] for c in history(rapport)] == [
        "added #5 Person 4; added s5 (Person 4)",
        "added #4 Person 3; added s4 (Person 3)",
        "added #3 Person 2; added s3 (Person 2)",
    ]
    conn = sqlite3.connect(rapport_db())
    assert conn.execute("SELECT min(change_id) FROM change_row").fetchone() == (3,)
    conn.close()


def test_a_failed_command_records_no_change(rapport, begun):
    count = len(history(rapport))
    rapport("done", "99", expect=2)
    rapport("import", "/no/such/file.csv", expect=2)
    assert len(history(rapport)) == count


def test_read_commands_record_nothing(rapport, begun):
    count = len(history(rapport))
    for args in (("people",), ("due",), ("timeline",), ("ledger",), ("show", "ann")):
        rapport(*args)
    assert len(history(rapport)) == count


def rapport_db() -> str:
    import os

    return os.environ["RAPPORT_DB"]


def test_every_write_and_every_undo_says_which_records_it_touched(rapport, begun, monkeypatch):
    from rapport.core import rules

    calls = []
    monkeypatch.setattr(rules, "records_changed", lambda session, spans: calls.append(spans))
    rapport("amend", "i1", "--tag", "plan", "--mood", "2")
    rapport("undo")
    assert calls == [{"interaction": [(1, 1)]}, {"interaction": [(1, 1)]}]


def test_forgetting_a_person_erases_their_changes_and_undo_refuses_them(rapport, begun):
    from rapport.core.undo import erase_person
    from rapport.store import open_journal

    rapport("log", "ann", "Private chat about Zoë")
    journal = open_journal(rapport_db())
    try:
        with journal.write() as session:
            erased = erase_person(session, 2, {"interaction": [1], "problem": [1]})
    finally:
        journal.close()
    summaries = [c["summary"] for c in history(rapport)]
    assert summaries == [
        "added i2 (Ann Lee)",
        "(erased with a forgotten person)",
        "added c1 (Ann Lee)",
        "(erased with a forgotten person)",
        "(erased with a forgotten person)",
        "added #1 Ann Lee; added s1 (Ann Lee)",
    ]
    assert erased == 3
    rapport("undo")
    assert "concerned a person since erased" in rapport("undo", expect=2).stderr


def test_an_import_that_adds_people_and_their_conversations_is_undone_whole(rapport, isolated):
    rapport("add", "Ann Lee")
    rapport("add", "Bo Chen")
    rapport("log", "ann,bo", "Met both at the fair", "--tag", "fair")
    rapport("export", "all", "-o", str(isolated / "out"))
    fresh = str(isolated / "fresh.db")
    rapport("--db", fresh, "import", str(isolated / "out"))
    rapport("--db", fresh, "undo")
    assert rapport("--db", fresh, "people", "--format", "csv").stdout.count("\n") == 1
    assert rapport("--db", fresh, "export", "interactions").stdout.count("\n") == 1


def test_amend_with_nothing_piped_in_changes_nothing(rapport):
    rapport("add", "Ann")
    rapport("log", "ann", "hello")
    refused = rapport("amend", "i1", input="", expect=2)
    assert "nothing was changed" in refused.stderr
    assert "hello" in rapport("export", "interactions").stdout

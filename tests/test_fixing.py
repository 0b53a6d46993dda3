"""Correcting the journal: references, amend, delete, reopen, open, and back-dated records."""

import json
import sys
from pathlib import Path

import pytest


def export_all(rapport, folder: Path) -> dict[str, bytes]:
    rapport("export", "all", "-o", str(folder))
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def timeline(rapport, *args: str) -> list[dict[str, object]]:
    return json.loads(rapport("timeline", *args, "--format", "json").stdout)


@pytest.fixture
def ann(rapport):
    rapport("add", "Ann Lee")
    rapport("add", "Zoë Quinn")


def test_write_commands_print_the_new_records_reference(rapport, ann):
    assert rapport("add", "Bob Stone").stdout == "3\n"
    assert rapport("log", "ann", "Called").stdout == "i1\n"
    assert rapport("promise", "ann", "quote", "--due", "fri").stdout == "c1\n"
    assert rapport("expect", "ann", "order", "--due", "fri").stdout == "c2\n"
    assert rapport("problem", "ann", "late van").stdout == "p1\n"
    assert rapport("gesture", "ann", "card").stdout == "g1\n"
    assert rapport("stage", "ann", "friend").stdout == "s4\n"
    refs = [row["ref"] for row in timeline(rapport, "ann")]
    assert sorted(refs) == ["c1", "c2", "g1", "i1", "p1", "s1", "s4"]


def test_a_wrong_log_is_amended_and_its_links_follow(rapport, ann):
    rapport("log", "ann", "Called about tiles", "--mood", "upset", "--at", "2026-11-20 10:00")
    rapport(
        "amend", "i1", "--mood", "pleased", "--channel", "visit", "--at", "2026-11-21 11:00",
        "--with", "ann,zoe", "--tag", "tiles",
    )  # fmt: skip
    [row] = json.loads(rapport("export", "interactions", "-f", "json").stdout)
    assert (row["mood"], row["channel"], row["at"]) == (1, "visit", "2026-11-21T11:00:00+00:00")
    assert (row["people"], row["tags"]) == (["Ann Lee", "Zoë Quinn"], ["tiles"])
    people = json.loads(rapport("export", "people", "-f", "json").stdout)
    assert [p["last_contact_at"] for p in people] == ["2026-11-21T11:00:00+00:00"] * 2
    rapport("amend", "i1", "--from", "them")
    assert json.loads(rapport("export", "interactions", "-f", "json").stdout)[0]["started_by"] == (
        "them"
    )
    rapport("amend", "i1", "--with", "zoe", "--untag", "tiles")
    people = json.loads(rapport("export", "people", "-f", "json").stdout)
    assert [p["last_contact_at"] for p in people] == [None, "2026-11-21T11:00:00+00:00"]


@pytest.mark.sqlite_only
def test_amend_without_options_opens_the_editor_on_the_text(rapport, ann, tmp_path, monkeypatch):
    rapport("log", "ann", "Walked thru the plan")
    script = tmp_path / "fix.py"
    script.write_text(
        "import pathlib, sys\n"
        "p = pathlib.Path(sys.argv[2])\n"
        "text = p.read_text()\n"
        "pathlib.Path(sys.argv[1]).write_text(text)\n"
        "p.write_text(text.replace('thru', 'through'))\n",
        encoding="utf-8",
    )
    seen = tmp_path / "seen.txt"
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script} {seen}")
    monkeypatch.setattr("rapport.cli.journal.stdin_is_terminal", lambda: True)
    assert rapport("amend", "i1").stdout == "i1\n"
    header, *_, body = seen.read_text().splitlines()
    assert header == "# Editing the text of interaction i1."
    assert body == "Walked thru the plan"
    assert "Walked through the plan" in rapport("timeline").stdout


def test_an_overdue_promise_is_rescheduled_from_the_action_due_suggests(rapport, ann):
    rapport("promise", "ann", "send the quote", "--due", "2026-11-20", "--at", "2026-11-18")
    [row] = [r for r in json.loads(rapport("due", "-f", "json").stdout) if r["ref"] == "c1"]
    assert row["action"].endswith("agree a new date (rapport amend c1 --due …)")
    rapport("amend", "c1", "--due", "fri")
    assert not [
        r for r in json.loads(rapport("due", "-f", "json").stdout) if r["term"] == "my_overdue"
    ]
    rapport("done", "c1")
    [account] = json.loads(rapport("ledger", "ann", "-f", "json").stdout)
    assert (account["kept"], account["broken"], account["rescheduled"]) == (1, 0, 1)
    assert "rescheduled" in rapport("ledger", "ann").stdout


def test_last_weeks_promises_are_typed_in_truthfully(rapport, ann):
    rapport("promise", "ann", "send samples", "--due", "2026-11-18", "--at", "2026-11-16")
    rapport("done", "1", "--at", "2026-11-17")
    rapport("problem", "ann", "wrong VIN", "--at", "2026-11-17")
    rapport("gesture", "ann", "card", "--at", "2026-11-19")
    [c] = json.loads(rapport("export", "commitments", "-f", "json").stdout)
    assert (c["status"], c["created_at"]) == ("kept", "2026-11-16T12:00:00+00:00")
    [p] = json.loads(rapport("export", "problems", "-f", "json").stdout)
    assert p["opened_at"] == "2026-11-17T12:00:00+00:00"


def test_amending_a_due_date_settles_kept_or_late(rapport, ann):
    rapport("promise", "ann", "quote", "--due", "2026-11-20", "--at", "2026-11-10")
    rapport("done", "1", "--at", "2026-11-22")
    assert json.loads(rapport("export", "commitments", "-f", "json").stdout)[0]["status"] == "late"
    rapport("amend", "c1", "--due", "2026-11-23")
    [c] = json.loads(rapport("export", "commitments", "-f", "json").stdout)
    assert (c["status"], c["due"]) == ("kept", "2026-11-23")


def test_a_stage_change_amended_or_deleted_moves_the_persons_stage(rapport, ann):
    rapport("stage", "ann", "friend", "--at", "2026-11-20")
    rapport("amend", "s3", "--stage", "dating", "--why", "first dinner")
    assert json.loads(rapport("export", "people", "-f", "json").stdout)[0]["stage"] == "dating"
    rapport("delete", "s3", "--yes")
    assert (
        json.loads(rapport("export", "people", "-f", "json").stdout)[0]["stage"] == "acquaintance"
    )


def test_delete_removes_records_and_says_which(rapport, ann, tmp_path):
    before = export_all(rapport, tmp_path / "before")
    rapport("log", "ann,zoe", "Wrong person entirely", "--tag", "oops")
    rapport("gesture", "zoe", "gift", "flowers")
    result = rapport("delete", "i1", "g1", "--yes")
    assert result.stderr == (
        "deleted i1 interaction: Wrong person entirely\ndeleted g1 gesture: flowers\n"
    )
    rapport("undo")
    assert "Wrong person entirely" in rapport("timeline").stdout
    rapport("undo")
    rapport("undo")
    assert export_all(rapport, tmp_path / "after") == before


def test_delete_on_a_terminal_asks_once(rapport, ann, monkeypatch):
    rapport("log", "ann", "One")
    rapport("log", "ann", "Two")
    monkeypatch.setattr("rapport.cli.journal.stdin_is_terminal", lambda: True)
    result = rapport("delete", "i1", "i2", input="n\n", expect=1)
    assert result.stderr.count("Delete these?") == 1
    assert "One" in rapport("timeline").stdout
    rapport("delete", "i1", "i2", input="y\n")
    assert "One" not in rapport("timeline").stdout


def test_reopen_a_closed_commitment_and_a_resolved_problem(rapport, ann):
    rapport("promise", "ann", "quote", "--due", "fri")
    rapport("done", "1")
    rapport("problem", "ann", "invoice twice")
    rapport("resolve", "1", "--note", "refunded")
    assert rapport("reopen", "c1").stdout == "c1\n"
    rapport("reopen", "p1")
    refs = [r["ref"] for r in json.loads(rapport("open", "--format", "json").stdout)]
    assert refs == ["c1", "p1"]
    assert "commitment 1 is open already" in rapport("reopen", "c1", expect=2).stderr


def test_open_lists_what_due_ranks(rapport, ann):
    rapport("promise", "ann", "quote", "--due", "2026-11-20", "--at", "2026-11-10")
    rapport("expect", "zoe", "order", "--due", "2026-12-01")
    rapport("problem", "zoe", "late van")
    rows = json.loads(rapport("open", "--format", "json").stdout)
    assert list(rows[0]) == [
        "ref", "kind", "person", "direction", "text", "due", "days_late", "opened_at", "person_id",
    ]  # fmt: skip
    assert [(r["ref"], r["days_late"]) for r in rows] == [("c1", 4), ("c2", 0), ("p1", None)]
    mine = json.loads(rapport("open", "--mine", "-f", "json").stdout)
    assert [r["ref"] for r in mine] == ["c1"]
    zoe = json.loads(rapport("open", "zoe", "-f", "json").stdout)
    assert [r["ref"] for r in zoe] == ["c2", "p1"]
    assert "c1" in rapport("open").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("amend", "i9", "--mood", "1"), "no interaction i9"),
        (("amend", "x1"), "bad reference 'x1'"),
        (("amend", "i1", "--due", "fri"), "--due is not for interactions"),
        (("amend", "c1", "--mood", "1"), "--mood is not for commitments"),
        (("amend", "i1", "--at", "tomorrow"), "is in the future"),
        (("amend", "c1", "--at", "2026-11-23"), "can't have been made after that"),
        (("amend", "p1", "--resolved", "2026-11-01"), "problem 1 is open"),
        (("amend", "s1", "--stage", "pen-pal"), "unknown stage 'pen-pal'"),
        (("amend", "i1", "--channel", "pigeon"), "unknown channel 'pigeon'"),
        (("amend", "i1", "--text", "", "--heard", ""), "needs its text or what was heard"),
        (("amend", "1", "--text", "x"), "1 is both c1 and p1: say which"),
        (("reopen", "i1"), "i1 is an interaction: give a commitment or problem"),
        (("reopen", "p1"), "problem 1 is open already"),
        (("delete", "i1", "c7", "--yes"), "no commitment c7"),
        (("done", "p1"), "p1 is a problem, not a commitment"),
        (("undo", "42"), "no change 42"),
    ],
)
def test_mistakes_are_one_line_exit_2_and_change_nothing(rapport, ann, tmp_path, args, message):
    rapport("log", "ann", "Hello", "--at", "2026-11-22")
    rapport("promise", "ann", "quote", "--due", "fri", "--at", "2026-11-22")
    rapport("done", "1", "--at", "2026-11-22 12:00")
    rapport("problem", "ann", "wrong VIN")
    before = export_all(rapport, tmp_path / "before")
    result = rapport(*args, expect=2)
    assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert export_all(rapport, tmp_path / "after") == before


def test_show_and_brief_speak_json(rapport, ann):
    rapport("promise", "ann", "quote", "--due", "fri")
    shown = json.loads(rapport("show", "ann", "--format", "json").stdout)
    assert shown["name"] == "Ann Lee" and shown["counts"]["open commitment"] == 1
    briefed = json.loads(rapport("brief", "ann", "--format", "json").stdout)
    assert [c["ref"] for c in briefed["mine"]] == ["c1"]


@pytest.mark.sqlite_only
def test_two_weeks_of_a_new_user_replay_without_a_dead_end(rapport, tmp_path, monkeypatch):
    rapport("add", "Ann Lee", "--stage", "friend")
    rapport("add", "Raj Patel")
    # last week's history, typed in truthfully
    rapport("promise", "ann", "send samples", "--due", "2026-11-18", "--at", "2026-11-16 09:00")
    rapport("done", "c1", "--at", "2026-11-17 15:00")
    rapport("promise", "raj", "numbers for the van", "--due", "2026-11-20", "--at", "2026-11-17")
    wrong = rapport("log", "ann", "Talked pricng", "--mood", "upset").stdout.strip()
    stray = rapport("log", "raj", "Not a call at all").stdout.strip()
    # a wrong log amended in the editor, another deleted
    script = tmp_path / "fix.py"
    script.write_text(
        "import pathlib, sys\np = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('pricng', 'pricing'))\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    monkeypatch.setattr("rapport.cli.journal.stdin_is_terminal", lambda: True)
    rapport("amend", wrong)
    rapport("amend", wrong, "--mood", "pleased")
    rapport("delete", stray, "--yes")
    # the overdue promise, rescheduled by the action due suggests
    [late] = [
        r for r in json.loads(rapport("due", "-f", "json").stdout) if r["term"] == "my_overdue"
    ]
    suggested = late["action"].split("(rapport ")[-1].rstrip(")").replace("…", "2026-11-27")
    rapport(*suggested.split())
    assert not [
        r for r in json.loads(rapport("due", "-f", "json").stdout) if r["term"] == "my_overdue"
    ]
    before = export_all(rapport, tmp_path / "before")
    # five changes in a row, undone
    rapport("log", "ann", "Follow-up call")
    rapport("done", "c2")
    rapport("gesture", "ann", "thanks")
    rapport("edit", "raj", "--company", "Vans Ltd")
    rapport("problem", "raj", "late delivery")
    for _ in range(5):
        rapport("undo")
    assert export_all(rapport, tmp_path / "after") == before
    commitments = json.loads(rapport("export", "commitments", "-f", "json").stdout)
    assert [(c["status"], c["due"]) for c in commitments] == [
        ("kept", "2026-11-18"),
        ("open", "2026-11-27"),
    ]
    assert "Talked pricing (pleased)" in rapport("timeline", "ann").stdout
    [latest] = json.loads(rapport("history", "-n", "1", "-f", "json").stdout)
    assert (latest["author"], latest["command"], latest["undone_at"] is not None) == (
        "tester",
        "problem",
        True,
    )

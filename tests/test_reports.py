"""brief, ledger and pipeline."""

import csv
import io
import json
import re

from rapport.core.records import LEDGER, PIPELINE, STATEMENT


def test_brief_leads_with_what_they_need_then_what_is_open(rapport):
    rapport(
        "add",
        "José Núñez",
        "--style",
        "big-picture",
        "--wants",
        "a bathroom by Christmas",
        "--now",
        "living with a building site",
        "--company",
        "Tiles",
    )
    rapport("log", "jose", "angry about the delay", "--mood", "upset", "--at", "2026-11-01")
    rapport(
        "log",
        "jose",
        "walked through the plan",
        "--heard",
        "see the finished room first",
        "--at",
        "2026-11-20",
    )
    rapport("promise", "jose", "send tile samples", "--due", "2026-11-22")
    rapport("expect", "jose", "deposit", "--due", "2026-12-01")
    rapport("problem", "jose", "grout colour wrong")
    shown = rapport("brief", "jose").stdout
    order = [  # big-picture: the outcome first, then what changed, the open list as a count
        "They want",
        "a bathroom by Christmas",
        "Since your last conversation (2026-11-20, call, 4 days ago)",
        "I promised: send tile samples (due 2026-11-22) (c1)",
        "they promised: deposit (due 2026-12-01) (c2)",
        "opened: grout colour wrong (p1)",
        "Still open",
        "confirm: “see the finished room first”",
        "3 open: 1 yours, 1 theirs, 1 open problem (rapport brief 1 --full for the list)",
        "How they think",
        "lead with the outcome",
        "Last conversation",
        "walked through the plan",
    ]
    positions = [shown.index(text) for text in order]
    assert positions == sorted(positions)
    assert "upset" not in shown  # every conversation is a new conversation
    assert "(upset)" in rapport("brief", "jose", "--full").stdout


def test_brief_of_someone_new_says_what_to_ask(rapport):
    rapport("add", "Ann")
    shown = rapport("brief", "ann").stdout
    assert "nothing noted yet" in shown and "none yet" in shown


def test_ledger_counts_deposits_withdrawals_and_follow_through(rapport, monkeypatch):
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-01T09:00:00+00:00")  # promised weeks ago
    rapport("add", "Ann")
    rapport("add", "Bob")
    for text, due in (
        ("a", "2026-11-10"),
        ("b", "2026-11-10"),
        ("c", "2026-11-10"),
        ("d", "2026-11-20"),
        ("e", "2026-12-20"),
    ):
        rapport("promise", "ann", text, "--due", due)
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-24T09:30:00+00:00")
    rapport("done", "1", "--at", "2026-11-09")  # kept on time: +3
    rapport("done", "2", "--at", "2026-11-12")  # late: -2
    rapport("broke", "3")  # broken: -5
    # 4 is overdue (-2), 5 is open and not yet due
    rapport("gesture", "ann", "card")  # +2
    rapport("problem", "ann", "mix-up")  # -3
    rapport("resolve", "1")  # +2
    rapport("log", "ann", "great call", "--mood", "delighted")  # +2
    rapport("log", "ann", "tense call", "--mood", "frustrated")  # -1
    rows = list(csv.DictReader(io.StringIO(rapport("ledger", "-f", "csv").stdout)))
    assert list(rows[0]) == list(LEDGER.columns)
    ann = next(r for r in rows if r["person"] == "Ann")
    assert ann == {
        "person": "Ann",
        "deposits": "9",
        "withdrawals": "13",
        "balance": "-4",
        "kept": "1",
        "late": "1",
        "broken": "1",
        "open": "2",
        "follow_through": "0.33",
        "rescheduled": "0",
        "person_id": "1",
    }
    assert rows[0]["person"] == "Ann"  # weakest balance first
    bob = json.loads(rapport("ledger", "bob", "-f", "json").stdout)
    assert bob == [
        {
            "person": "Bob",
            "deposits": 0.0,
            "withdrawals": 0.0,
            "balance": 0.0,
            "kept": 0,
            "late": 0,
            "broken": 0,
            "open": 0,
            "follow_through": None,
            "rescheduled": 0,
            "person_id": 2,
            "at": None,
            "points": None,
            "what": None,
            "ref": None,
        }
    ]
    statement = rapport("ledger", "ann").stdout
    assert "Statement for Ann" in statement and "broke “c”" in statement
    lines = json.loads(rapport("ledger", "ann", "-f", "json").stdout)
    assert list(lines[0]) == list(STATEMENT.columns)
    assert {line["balance"] for line in lines} == {-4.0}
    moods = {line["ref"]: (line["points"], line["what"]) for line in lines if line["ref"][0] == "i"}
    assert moods == {
        "i1": (2.0, "left delighted: call “great call”"),
        "i2": (-1.0, "left frustrated: call “tense call”"),
    }
    refs = {line["ref"]: line["what"] for line in lines}
    assert refs["c2"] == "kept “b” late (due 2026-11-10)" and refs["g1"] == "gesture: card"
    assert [line["at"][:10] for line in lines] == sorted(line["at"][:10] for line in lines)
    header = rapport("ledger", "ann", "-f", "csv").stdout.splitlines()[0]
    assert header == ",".join(STATEMENT.columns)


def test_ledger_weights_come_from_the_config(rapport, isolated):
    rapport("add", "Ann")
    rapport("gesture", "ann", "gift")
    (isolated / "config.toml").write_text("[ledger]\ngesture = 5\n")
    assert json.loads(rapport("ledger", "-f", "json").stdout)[0]["deposits"] == 5.0


def test_pipeline_counts_ages_and_moves(rapport, monkeypatch):
    monkeypatch.setenv("RAPPORT_NOW", "2026-09-01T09:00:00+00:00")
    rapport("add", "Ann", "--stage", "friend")
    rapport("add", "Bob", "--stage", "friend")
    rapport("add", "Cy", "--stage", "married")
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-24T09:30:00+00:00")
    rapport("stage", "bob", "dating", "--at", "2026-11-14")
    rapport("stage", "cy", "lost", "--at", "2026-11-01", "--why", "moved abroad")
    rows = json.loads(rapport("pipeline", "-f", "json").stdout)
    assert list(rows[0]) == list(PIPELINE.columns)
    by_stage = {r["stage"]: r for r in rows}
    assert [r["stage"] for r in rows] == [
        "acquaintance",
        "friend",
        "dating",
        "engaged",
        "married",
        "lost",
    ]
    assert by_stage["friend"] == {
        "stage": "friend",
        "people": 1,
        "avg_days_in_stage": 84.0,
        "moved_in_30d": 0,
    }
    assert by_stage["dating"]["avg_days_in_stage"] == 10.0
    assert by_stage["dating"]["moved_in_30d"] == 1
    assert by_stage["lost"]["moved_in_30d"] == 1
    assert by_stage["engaged"] == {
        "stage": "engaged",
        "people": 0,
        "avg_days_in_stage": None,
        "moved_in_30d": 0,
    }
    shown = rapport("pipeline").stdout
    assert "friend → dating" in shown and "Moved in the last 30 days" in shown


def pipeline_rows(rapport):
    return json.loads(rapport("pipeline", "--format", "json").stdout)


def test_a_stage_backdated_before_the_person_was_added_moves_the_start_back(rapport):
    rapport("add", "Ann", "--stage", "dating")
    rapport("stage", "ann", "engaged", "--at", "2026-11-01")  # earlier than the "added" record
    stages = json.loads(rapport("timeline", "ann", "--format", "json").stdout)
    assert [r["text"] for r in stages] == ["dating: added", "engaged"]
    assert stages[0]["at"] < "2026-11-01T12:00:00+00:00" == stages[1]["at"]
    engaged = next(r for r in pipeline_rows(rapport) if r["stage"] == "engaged")
    assert engaged["people"] == 1 and engaged["moved_in_30d"] == 1
    assert re.search(r"2026-11-01 +Ann +dating → engaged", rapport("pipeline").stdout)
    assert json.loads(rapport("due", "--on", "2026-11-20", "--format", "json").stdout)


def test_a_history_start_dated_after_real_changes_still_comes_first(rapport, journal_path):
    import sqlite3

    rapport("add", "Ann", "--stage", "dating")
    rapport("stage", "ann", "engaged", "--at", "2026-11-01")
    with sqlite3.connect(journal_path) as db:  # as journals written before the start moved back
        db.execute("UPDATE stage_change SET at = '2026-11-24 09:30:00.000000' WHERE why = 'added'")
    engaged = next(r for r in pipeline_rows(rapport) if r["stage"] == "engaged")
    assert engaged["moved_in_30d"] == 1

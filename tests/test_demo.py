"""`rapport demo`: a populated journal and its due list, without touching the user's own."""

import json
from pathlib import Path


def test_demo_fills_a_separate_journal_and_shows_due(rapport, isolated, monkeypatch):
    monkeypatch.delenv("RAPPORT_DB")
    result = rapport("demo")
    demo_db = isolated / "home" / "data" / "rapport" / "demo.db"
    assert f"demo journal: {demo_db}" in result.stderr
    assert "Who needs you" in result.stdout
    assert not (demo_db.parent / "rapport.db").exists()  # the user's own journal stays clean
    rows = json.loads(rapport("--db", str(demo_db), "due", "-f", "json").stdout)
    terms = {r["term"] for r in rows}
    assert terms >= {
        "problem", "my_overdue", "my_due_soon", "their_overdue", "follow_up", "cadence",
        "stalled", "no_gesture", "birthday", "call_or_visit", "too_frequent", "one_sided",
        "unanswered",
    }  # fmt: skip
    assert rows[0]["term"] == "problem"
    assert "Mia Laurent" not in {r["person"] for r in rows}  # snoozed
    stages = {
        r["stage"] for r in json.loads(rapport("--db", str(demo_db), "people", "-f", "json").stdout)
    }
    assert stages == {"acquaintance", "friend", "dating", "engaged", "married", "lost"}
    rapport("demo")  # the demo journal is made anew each time
    assert len(json.loads(rapport("--db", str(demo_db), "people", "-f", "json").stdout)) == 15


def test_demo_into_a_given_journal_refuses_a_non_empty_one(rapport, journal_path):
    rapport("add", "My Real Client")
    result = rapport("demo", expect=2)
    assert "already holds 1 person" in result.stderr
    assert [r["name"] for r in json.loads(rapport("people", "-f", "json").stdout)] == [
        "My Real Client"
    ]
    rapport("demo", "--force")
    names = [r["name"] for r in json.loads(rapport("people", "-f", "json").stdout)]
    assert "My Real Client" in names and "Helen Park" in names
    assert Path(journal_path).exists()
    assert json.loads(rapport("history", "-f", "json").stdout)[0]["command"] == "demo"


def test_the_demo_shows_who_reaches_out_what_was_heard_and_outcomes(rapport, journal_path):
    rapport("demo")
    assert "confirm: “line-item costs she can defend" in rapport("brief", "sofia").stdout
    raj = rapport("brief", "raj").stdout
    assert "corrected from “a van on the road by the 1st”" in raj
    assert "resolved: wrong VIN" in raj.split("Still open")[0]  # since the last conversation
    helen = rapport("brief", "helen").stdout
    assert "living with a half-finished bathroom → tiles laid" in helen
    assert helen.index("They want") < helen.index("Since your last conversation")
    assert "toward it: send a 3D render" in helen
    stuck = json.loads(rapport("outcomes", "-f", "json").stdout)
    assert {r["person"] for r in stuck} == {"Raj Patel", "Yuki Tanaka"}
    assert "understood" in rapport("ledger", "helen").stdout

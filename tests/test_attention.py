"""`rapport due`: each term of the attention score, its presence and its absence.

The clock is pinned to 2026-11-24 09:30 UTC (a Tuesday) by the fixtures; every
journal below is dated relative to that day.
"""

import csv
import io
import json

import pytest

from rapport.core.attention import Weights
from rapport.core.records import DUE
from rapport.errors import BadValue


def due(rapport, *args):
    return json.loads(rapport("due", "--format", "json", *args).stdout)


def terms(rows, person):
    return {r["term"]: r for r in rows if r["person"] == person}


@pytest.fixture
def quiet(rapport):
    """Ann, a friend seen yesterday: nothing to do by default."""
    rapport("add", "Ann", "--stage", "friend")
    rapport("log", "ann", "coffee", "--at", "2026-11-23 10:00")


def test_nobody_due_is_an_empty_list_a_header_and_a_friendly_line(rapport, quiet):
    assert due(rapport) == []
    header = rapport("due", "--format", "csv").raw
    assert header == (",".join(DUE.columns) + "\r\n").encode()
    table = rapport("due")
    assert table.exit_code == 0
    assert "nobody needs you on Tue 2026-11-24" in table.stderr


def test_my_commitment_due_soon_then_overdue_growing_with_lateness(rapport, quiet):
    rapport("promise", "ann", "send the quote", "--due", "2026-11-30")
    assert terms(due(rapport), "Ann") == {}  # six days ahead: outside the window
    soon = terms(due(rapport, "--on", "2026-11-28"), "Ann")["my_due_soon"]
    assert soon["ref"] == "c1"
    assert "due in 2 days" in soon["reason"]
    late_2 = terms(due(rapport, "--on", "2026-12-02"), "Ann")["my_overdue"]
    late_20 = terms(due(rapport, "--on", "2026-12-20"), "Ann")["my_overdue"]
    assert "2 days late" in late_2["reason"]
    assert late_2["points"] < late_20["points"] == Weights().coefficients["my_overdue"]
    assert "rapport done 1" in late_2["action"]


def test_kept_commitment_no_longer_counts_but_did_before_it_was_kept(rapport, monkeypatch):
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-16T09:00:00+00:00")
    rapport("add", "Ann", "--stage", "friend")
    rapport("log", "ann", "coffee")
    rapport("promise", "ann", "send the quote", "--due", "2026-11-20")
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-24T09:30:00+00:00")
    rapport("done", "1", "--at", "2026-11-23 08:00")
    assert terms(due(rapport), "Ann") == {}
    assert set(terms(due(rapport, "--on", "2026-11-22"), "Ann")) == {"my_overdue"}
    assert "late" in rapport("export", "commitments", "-f", "csv").stdout


def test_due_on_a_past_day_leaves_out_people_added_since(rapport, quiet):
    assert terms(due(rapport, "--on", "2026-11-23"), "Ann") == {}
    assert terms(due(rapport, "--on", "2026-01-01"), "Ann") == {}


def test_their_overdue_commitment_asks_to_chase(rapport, quiet):
    rapport("expect", "ann", "signed order", "--due", "2026-11-21")
    chase = terms(due(rapport), "Ann")["their_overdue"]
    assert chase["action"] == "chase “signed order”, kindly"
    assert chase["ref"] == "c1"
    rapport("expect", "ann", "next order", "--due", "2026-11-30")
    assert len([r for r in due(rapport) if r["term"] == "their_overdue"]) == 1


def test_open_problem_outranks_past_cadence_and_stalled_from_day_one(rapport):
    rapport("add", "Never Seen", "--stage", "dating")  # never contacted: cadence at full
    rapport("stage", "never", "dating", "--at", "2026-08-01")
    rapport("add", "Bea", "--stage", "friend")
    rapport("log", "bea", "fine", "--at", "2026-11-24 08:00")
    rapport("problem", "bea", "invoice sent twice", "--at", "2026-11-24 09:00")
    rows = due(rapport)
    assert rows[0]["person"] == "Bea"
    assert rows[0]["term"] == "problem"
    assert rows[0]["ref"] == "p1"
    older = terms(due(rapport, "--on", "2026-12-24"), "Bea")["problem"]
    assert older["points"] > rows[0]["points"]


def test_resolved_problem_suggests_a_gesture_until_one_is_logged(rapport, quiet):
    rapport("problem", "ann", "wrong VIN", "--at", "2026-11-20")
    rapport("resolve", "1", "--note", "bank fixed it", "--at", "2026-11-22")
    follow = terms(due(rapport), "Ann")["follow_up"]
    assert follow["action"] == "send an apology or thank-you card"
    assert "problem" not in terms(due(rapport), "Ann")
    rapport("gesture", "ann", "card", "handwritten thanks", "--at", "2026-11-23")
    assert "follow_up" not in terms(due(rapport), "Ann")


def test_past_cadence_grows_and_never_contacted_counts_as_far_past(rapport):
    rapport("add", "Ann", "--every", "10d")
    rapport("add", "Bob", "--every", "10d")
    rapport("log", "ann", "hi", "--at", "2026-11-10 10:00")
    rows = due(rapport)
    assert terms(rows, "Bob")["cadence"]["reason"] == "never contacted (every 10 days)"
    assert terms(rows, "Bob")["cadence"]["points"] == Weights().coefficients["cadence"]
    ann = terms(rows, "Ann")["cadence"]
    assert ann["reason"] == "last contact 14 days ago (every 10 days)"
    assert ann["points"] < Weights().coefficients["cadence"]
    assert "cadence" not in terms(due(rapport, "--on", "2026-11-19"), "Ann")


def test_lost_people_have_no_cadence(rapport):
    rapport("add", "Gone", "--stage", "lost")
    assert due(rapport) == []


def test_stalled_dating_or_engaged(rapport):
    rapport("add", "Deal", "--stage", "dating", "--every", "1y")
    rapport("stage", "deal", "dating", "--at", "2026-09-01")
    rapport("log", "deal", "chat", "--at", "2026-10-01 10:00")
    # typed in today, but their history starts on Sep 1: the `add` moved no stage since
    assert "stalled" not in terms(due(rapport, "--on", "2026-10-20"), "Deal")
    stalled = terms(due(rapport, "--on", "2026-12-10"), "Deal")["stalled"]
    assert stalled["action"] == "propose a next step"


def test_no_gesture_for_long_in_a_married_relationship(rapport, monkeypatch):
    rapport("add", "Client", "--stage", "married", "--every", "1y")
    rapport("log", "client", "renewal", "--at", "2026-11-20 10:00")
    assert "no_gesture" not in terms(due(rapport), "Client")
    later = terms(due(rapport, "--on", "2027-06-01"), "Client")
    assert later["no_gesture"]["action"] == "send a card or a small gift"
    monkeypatch.setenv("RAPPORT_NOW", "2027-06-01T09:00:00+00:00")
    rapport("gesture", "client", "gift", "--at", "2027-05-01")
    assert "no_gesture" not in terms(due(rapport, "--on", "2027-06-01"), "Client")


def test_birthday_within_the_window(rapport, quiet):
    rapport("edit", "ann", "--birthday", "1980-11-27")
    birthday = terms(due(rapport), "Ann")["birthday"]
    assert birthday["reason"] == "birthday in 3 days (Fri 2026-11-27)"
    assert "birthday" not in terms(due(rapport, "--on", "2026-11-10"), "Ann")
    assert "birthday" not in terms(due(rapport, "--on", "2026-11-28"), "Ann")


def test_only_email_for_long_asks_for_a_call(rapport):
    rapport("add", "Pen Pal", "--every", "1y")
    rapport("log", "pen", "met at the fair", "-c", "meeting", "--at", "2026-08-01 10:00")
    rapport("log", "pen", "newsletter", "-c", "email", "--at", "2026-11-01 10:00")
    nudge = terms(due(rapport), "Pen Pal")["call_or_visit"]
    assert nudge["action"] == "call or visit"
    rapport("log", "pen", "quick call", "-c", "call", "--at", "2026-11-20 10:00")
    assert "call_or_visit" not in terms(due(rapport), "Pen Pal")


def test_too_frequent_ranks_below_every_real_need(rapport):
    rapport("add", "Target", "--stage", "dating")
    for day in (14, 16, 18, 20, 22):
        rapport("log", "target", "another call", "--at", f"2026-11-{day} 10:00")
    rapport("add", "Friend", "--stage", "friend", "--birthday", "--12-01")
    rapport("log", "friend", "hi", "--at", "2026-11-23 10:00")
    rows = due(rapport)
    assert [r["person"] for r in rows] == ["Friend", "Target"]
    ease = terms(rows, "Target")["too_frequent"]
    assert ease["reason"] == "5 contacts in the last 14 days (every 14 days is enough)"
    assert ease["points"] < terms(rows, "Friend")["birthday"]["points"]


def test_snoozed_people_are_left_out_until_the_day(rapport, quiet):
    rapport("promise", "ann", "quote", "--due", "2026-11-20")
    rapport("snooze", "ann", "--until", "2026-12-01")
    assert due(rapport) == []
    assert due(rapport, "--on", "2026-12-01") == []  # left out until the day has passed
    assert due(rapport, "--on", "2026-12-02")[0]["person"] == "Ann"
    rapport("snooze", "ann", "--off")
    assert due(rapport)[0]["person"] == "Ann"


def test_csv_is_one_row_per_reason_with_stable_columns(rapport, quiet):
    rapport("promise", "ann", "=SUM(A1)", "--due", "2026-11-20")
    rapport("edit", "ann", "--birthday", "--11-25")
    rows = list(csv.DictReader(io.StringIO(rapport("due", "-f", "csv").stdout)))
    assert list(rows[0]) == list(DUE.columns)
    assert [r["term"] for r in rows] == ["my_overdue", "birthday"]
    assert {r["rank"] for r in rows} == {"1"}
    assert float(rows[0]["score"]) == pytest.approx(sum(float(r["points"]) for r in rows))
    assert rows[0]["reason"] == "you promised “=SUM(A1)”, due 2026-11-20, 4 days late"


def test_limit_all_and_explain(rapport, monkeypatch):
    for n in range(25):
        rapport("add", f"Person {n:02d}")
    assert "Person 24" in rapport("due").stdout  # piped: everyone
    monkeypatch.setattr("rapport.cli.reports.stdout_is_terminal", lambda: True)
    table = rapport("due")
    assert "Person 19" in table.stdout and "Person 20" not in table.stdout
    assert "5 more: rapport due --all" in table.stderr
    assert len(due(rapport, "--limit", "3")) == 3
    assert len(due(rapport)) == 25
    assert "Person 24" in rapport("due", "--all").stdout
    assert "10.0  cadence: never contacted" in rapport("due", "--explain", "-n", "1").stdout


def test_coefficients_come_from_the_config_file(rapport, quiet, isolated):
    rapport("expect", "ann", "order", "--due", "2026-11-01")
    (isolated / "config.toml").write_text("[due]\ntheir_overdue = 2\n")
    assert terms(due(rapport), "Ann")["their_overdue"]["points"] == 2
    (isolated / "config.toml").write_text("[due]\nthier_overdue = 2\n")
    assert "unknown setting [due] thier_overdue" in rapport("due", expect=2).stderr


def test_weights_reject_nonsense():
    with pytest.raises(BadValue):
        Weights.from_config({"cadence": -1})
    with pytest.raises(BadValue):
        Weights.from_config({"cadence": "high"})
    assert Weights.from_config({"stalled_days": 10}).stalled_days == 10


def test_one_email_a_minute_ago_is_not_only_email_for_a_long_while(rapport, monkeypatch):
    rapport("add", "New Lead", "--every", "1y")
    rapport("log", "new", "first hello", "-c", "email")
    assert "call_or_visit" not in terms(due(rapport), "New Lead")
    monkeypatch.setenv("RAPPORT_NOW", "2027-01-20T09:00:00+00:00")
    rapport("log", "new", "follow-up", "-c", "email")
    assert "call_or_visit" not in terms(due(rapport, "--on", "2027-01-22"), "New Lead")
    # sixty days on, nothing but those emails: now it is a long while
    later = terms(due(rapport, "--on", "2027-01-23"), "New Lead")
    assert later["call_or_visit"]["reason"] == "only email, letters or messages ever"


def test_due_on_a_past_day_sees_history_typed_in_later(rapport, monkeypatch):
    monkeypatch.setenv("RAPPORT_NOW", "2026-12-01T09:00:00+00:00")
    rapport("add", "Bob", "--every", "1y")
    rapport("log", "bob", "intro call", "--at", "2026-11-01 10:00")
    rapport("problem", "bob", "late invoice", "--at", "2026-11-20")
    rapport("resolve", "1", "--at", "2026-11-23")
    opened = terms(due(rapport, "--on", "2026-11-21"), "Bob")
    assert opened["problem"]["reason"] == "open problem for 1 day: late invoice"
    resolved = terms(due(rapport, "--on", "2026-11-25"), "Bob")
    assert resolved["follow_up"]["ref"] == "p1"
    assert terms(due(rapport, "--on", "2026-10-20"), "Bob") == {}  # before any record


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-30", "0001-01-02", "+2000y"])
def test_due_on_a_day_beyond_the_calendar_is_one_line(rapport, quiet, day):
    result = rapport("due", "--on", day, expect=2)
    assert result.stderr.count("\n") == 1 and "out of range" in result.stderr


def test_snooze_beyond_the_calendar_is_refused_before_it_is_saved(rapport, quiet):
    result = rapport("snooze", "ann", "--until", "9999-12-31", expect=2)
    assert "1900-01-01 to 2999-12-31" in result.stderr
    people = json.loads(rapport("people", "--format", "json").stdout)
    assert people[0]["snoozed_until"] is None
    rapport("snooze", "ann", "--until", "2999-12-31")

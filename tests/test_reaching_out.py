"""Who reaches out: `log --from`, the balance in `show` and `brief`, and the terms it feeds.

The clock is pinned to 2026-11-24 09:30 UTC; people are added months before when it matters.
"""

import json

import pytest


def terms(rapport, person, *args):
    rows = json.loads(rapport("due", "--format", "json", *args).stdout)
    return {r["term"]: r for r in rows if r["person"] == person}


@pytest.fixture
def added_in_june(rapport, monkeypatch):
    monkeypatch.setenv("RAPPORT_NOW", "2026-06-01T09:00:00+00:00")
    rapport("add", "Olga", "--stage", "friend")
    rapport("add", "Bea", "--stage", "friend")
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-24T09:30:00+00:00")


def test_always_you_reaching_out_is_one_sided_and_a_single_call_from_them_balances(
    rapport, added_in_june
):
    for day in ("2026-10-01", "2026-10-20", "2026-11-10"):
        rapport("log", "olga", "called to catch up", "--at", day, "--mood", "pleased")
        rapport("log", "bea", "called to catch up", "--at", day, "--mood", "pleased")
    rapport("log", "bea", "she called about the move", "--from", "them", "--at", "2026-10-25")
    lonely = terms(rapport, "Olga")["one_sided"]
    assert lonely["reason"] == "you started 3 conversations in 90 days, they none for 176 days"
    assert "reach out" in lonely["action"] and "write" not in lonely["action"]
    assert "one_sided" not in terms(rapport, "Bea")
    assert "reaching out  you started 3 of 4 in 90 days" in rapport("show", "bea").stdout
    assert "you started 3 of 3 in 90 days" in rapport("brief", "olga").stdout


def test_two_unanswered_emails_are_fine_three_ask_you_to_ease_off(rapport, added_in_june):
    rapport("log", "olga", "long chat", "--at", "2026-11-01", "--from", "them")
    for day in ("2026-11-10", "2026-11-15"):
        rapport("log", "olga", "any news?", "--channel", "email", "--at", day)
    assert "unanswered" not in terms(rapport, "Olga")
    rapport("log", "olga", "still there?", "--channel", "message", "--at", "2026-11-20")
    ease = terms(rapport, "Olga")["unanswered"]
    assert ease["reason"] == "you reached out 3 times in a row without a reply"
    assert ease["points"] == 1.0
    assert ease["action"].startswith("ease off")
    assert "unanswered" not in terms(rapport, "Olga", "--on", "2026-11-19")


@pytest.mark.parametrize("reply", [("--from", "them"), ("--mood", "neutral"), ("-c", "visit")])
def test_a_reply_resets_the_count(rapport, added_in_june, reply):
    for day in ("2026-11-10", "2026-11-12", "2026-11-14"):
        rapport("log", "olga", "any news?", "--channel", "email", "--at", day)
    assert "unanswered" in terms(rapport, "Olga")
    rapport("log", "olga", "answered at last", "-c", "email", *reply, "--at", "2026-11-20")
    assert "unanswered" not in terms(rapport, "Olga")


def test_conversations_of_unknown_origin_count_for_neither_side(
    rapport, added_in_june, journal_path
):
    import sqlite3

    for day in ("2026-11-10", "2026-11-12", "2026-11-14"):
        rapport("log", "olga", "a note", "--channel", "email", "--at", day)
    with sqlite3.connect(journal_path) as conn:
        conn.execute("UPDATE interaction SET started_by = NULL")
    conn.close()
    assert {"one_sided", "unanswered"} & set(terms(rapport, "Olga")) == set()
    assert "nobody noted who started the 3 in 90 days" in rapport("show", "olga").stdout


def test_the_default_side_comes_from_the_config_and_a_bad_one_changes_nothing(rapport, isolated):
    rapport("add", "Ann")
    bad = rapport("log", "ann", "hello", "--from", "someone", expect=2)
    assert bad.stderr.strip() == "rapport: unknown --from value 'someone' (one of: me, them)"
    config = isolated / "config.toml"
    base = config.read_text()
    config.write_text(base + 'default_from = "them"\n')
    rapport("log", "ann", "she rang")
    rows = json.loads(rapport("export", "interactions", "--format", "json").stdout)
    assert len(rows) == 1
    assert "you started 0 of 1" in rapport("show", "ann").stdout
    config.write_text(base + 'default_from = "us"\n')
    assert "default_from 'us' is not one of me, them" in rapport("log", "ann", "x", expect=2).stderr

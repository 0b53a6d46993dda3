"""`rapport due --explain` names the one action that lowers each score most, by re-scoring."""

import json

import pytest


@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def points(rapport, person):
    rows = json.loads(rapport("due", "--format", "json").stdout)
    return {r["term"]: r["points"] for r in rows if r["person"] == person}


def test_the_late_promise_is_the_thing_to_do_and_its_points_are_the_gain(rapport, wide):
    rapport("add", "Ann", "--stage", "friend")
    rapport("log", "ann", "coffee", "--at", "2026-10-01")
    rapport("promise", "ann", "send the quote", "--due", "2026-11-01")
    terms = points(rapport, "Ann")
    assert terms["my_overdue"] > terms["cadence"]
    shown = rapport("due", "--explain").stdout
    assert f"helps most: rapport done 1: −{terms['my_overdue']:.1f}" in shown


def test_resolving_a_problem_gains_its_points_less_the_follow_up_it_calls_for(rapport, wide):
    rapport("add", "Bob", "--stage", "friend")
    rapport("log", "bob", "chat", "--at", "yesterday")
    rapport("problem", "bob", "invoice charged twice")
    problem = points(rapport, "Bob")["problem"]
    assert f"rapport resolve 1: −{problem - 6:.1f}" in rapport("due", "--explain").stdout


def test_a_call_clears_both_cadence_and_a_stalled_stage(rapport, wide, monkeypatch):
    monkeypatch.setenv("RAPPORT_NOW", "2026-09-01T09:00:00+00:00")
    rapport("add", "Cleo", "--stage", "dating")
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-24T09:30:00+00:00")
    rapport("log", "cleo", "first date", "--at", "2026-10-01")
    terms = points(rapport, "Cleo")
    assert set(terms) == {"cadence", "stalled"}
    gain = terms["cadence"] + terms["stalled"]
    assert f"helps most: log a call: −{gain:.1f}" in rapport("due", "--explain").stdout


def test_when_nothing_you_do_lowers_the_score_it_says_so(rapport, wide):
    rapport("add", "Dan", "--stage", "friend", "--every", "30d")
    for day in ("-4d", "-3d", "-2d", "-1d"):
        rapport("log", "dan", "hello", "--at", day)
    assert set(points(rapport, "Dan")) == {"too_frequent"}
    shown = rapport("due", "--explain").stdout
    assert "nothing you do lowers it today" in shown
    assert "helps most" not in rapport("due").stdout

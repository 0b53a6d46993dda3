"""Commitments, problems, gestures and snoozes: recording and closing them."""

import json

import pytest


@pytest.fixture(autouse=True)
def ann(rapport):
    rapport("add", "Ann Lee")


def export(rapport, table):
    return json.loads(rapport("export", table, "--format", "json").stdout)


def test_promise_and_expect_record_both_directions(rapport):
    assert (
        "commitment 1: you promised Ann Lee “quote” by 2026-11-27"
        in rapport("promise", "ann", "quote", "--due", "fri").stderr
    )
    rapport("expect", "ann", "purchase order", "--due", "+1w")
    rows = export(rapport, "commitments")
    assert [(r["direction"], r["due"], r["status"]) for r in rows] == [
        ("mine", "2026-11-27", "open"),
        ("theirs", "2026-12-01", "open"),
    ]
    assert list(rows[0]) == [
        "id",
        "person",
        "direction",
        "text",
        "due",
        "status",
        "closed_at",
        "why",
        "created_at",
        "uid",
        "person_uid",
        "toward",
        "ref",
        "author",
    ]


@pytest.mark.parametrize(
    ("at", "status"), [("2026-11-27 18:00", "kept"), ("2026-11-28 09:00", "late")]
)
def test_done_is_kept_on_time_or_late(rapport, monkeypatch, at, status):
    rapport("promise", "ann", "quote", "--due", "2026-11-27")
    monkeypatch.setenv("RAPPORT_NOW", "2026-12-01T09:00:00+00:00")
    rapport("done", "1", "--at", at)
    assert export(rapport, "commitments")[0]["status"] == status


def test_broke_and_release_keep_the_reason(rapport):
    rapport("promise", "ann", "a", "--due", "fri")
    rapport("promise", "ann", "b", "--due", "fri")
    rapport("broke", "1", "--why", "supplier went bust")
    rapport("release", "#2", "--why", "no longer needed")
    rows = export(rapport, "commitments")
    assert [(r["status"], r["why"]) for r in rows] == [
        ("broken", "supplier went bust"),
        ("released", "no longer needed"),
    ]
    assert rows[0]["closed_at"] == "2026-11-24T09:30:00+00:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("done", "9"), "no commitment 9"),
        (("done", "x1"), "bad reference 'x1'"),
        (("done", "p1"), "p1 is a problem, not a commitment"),
        (("resolve", "9"), "no problem 9"),
        (("promise", "ann", "quote", "--due", "someday"), "can't read date 'someday'"),
        (("promise", "ann", " ", "--due", "fri"), "say what the commitment is"),
        (("promise", "nobody", "quote", "--due", "fri"), "no one matches 'nobody'"),
        (("gesture", "ann", "hug"), "unknown gesture 'hug'"),
        (("snooze", "ann"), "give either --until DATE or --off"),
        (("snooze", "ann", "--until", "yesterday"), "is in the past"),
    ],
)
def test_mistakes_exit_2_and_change_nothing(rapport, args, message):
    result = rapport(*args, expect=2)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert export(rapport, "commitments") == []
    assert export(rapport, "gestures") == []


def test_closing_a_closed_commitment_is_refused_and_changes_nothing(rapport, monkeypatch):
    rapport("promise", "ann", "quote", "--due", "fri")
    assert (
        "can't be closed before that"
        in rapport("done", "1", "--at", "2026-11-24 08:00", expect=2).stderr
    )
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-26T09:00:00+00:00")
    rapport("done", "1", "--at", "2026-11-25 08:00")
    before = export(rapport, "commitments")
    for verb in ("done", "broke", "release"):
        result = rapport(verb, "1", expect=2)
        assert result.stderr.strip() == (
            "rapport: commitment 1 is already closed: kept on 2026-11-25"
        )
    assert export(rapport, "commitments") == before


def test_problem_then_resolve_once(rapport):
    assert "problem 1 opened with Ann Lee" in rapport("problem", "ann", "wrong VIN").stderr
    rapport("resolve", "1", "--note", "bank reissued the papers")
    [row] = export(rapport, "problems")
    assert row["note"] == "bank reissued the papers"
    assert row["resolved_at"] == "2026-11-24T09:30:00+00:00"
    assert "already resolved" in rapport("resolve", "1", expect=2).stderr


def test_gestures_take_a_kind_prefix_and_a_text(rapport):
    rapport("gesture", "ann", "th", "for the referral", "--at", "2026-11-20")
    [row] = export(rapport, "gestures")
    assert (row["kind"], row["text"], row["at"][:10]) == (
        "thanks",
        "for the referral",
        "2026-11-20",
    )


def test_timeline_shows_commitments_problems_and_gestures(rapport, monkeypatch):
    rapport("promise", "ann", "quote", "--due", "fri")
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-28T09:00:00+00:00")
    rapport("done", "1", "--at", "2026-11-26")
    rapport("problem", "ann", "late delivery", "--at", "2026-11-25")
    rapport("gesture", "ann", "card", "--at", "2026-11-27")
    rows = json.loads(rapport("timeline", "ann", "-f", "json").stdout)
    assert [(r["kind"], r["text"], r["ref"]) for r in rows][1:] == [
        ("commitment", "I promised: quote (due 2026-11-27)", "c1"),
        ("problem", "opened: late delivery", "p1"),
        ("commitment", "kept: quote", "c1"),
        ("gesture", "card", "g1"),
    ]


def test_the_message_says_who_promised_whom(rapport):
    assert (
        "Ann Lee promised you “purchase order”"
        in rapport("expect", "ann", "purchase order", "--due", "fri").stderr
    )
    late = rapport("promise", "ann", "old promise", "--due", "2026-11-01")
    assert "already past" in late.stderr

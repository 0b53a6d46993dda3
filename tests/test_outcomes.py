"""Current state → desired outcome, tracked: history, progress, --toward and `rapport outcomes`."""

import json

import pytest

NOW = "2026-11-24T09:30:00+00:00"


@pytest.fixture
def helen(rapport, monkeypatch):
    """Helen wanted even tiles in October; her bathroom moved on in November."""
    monkeypatch.setenv("RAPPORT_NOW", "2026-10-12T09:00:00+00:00")
    rapport("add", "Helen", "--stage", "friend", "--now", "bathrooms half done",
            "--wants", "even tiles on both ends")  # fmt: skip
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-02T09:00:00+00:00")
    rapport("edit", "helen", "--now", "tiles laid")
    monkeypatch.setenv("RAPPORT_NOW", NOW)


def outcomes(rapport):
    return json.loads(rapport("outcomes", "--format", "json").stdout)


def test_show_and_brief_say_how_the_state_moved_toward_the_outcome(rapport, helen):
    moved = "since 12 Oct 2026: bathrooms half done → tiles laid; wants: even tiles on both ends"
    assert moved in rapport("show", "helen").stdout.replace("\n│ ", " ").replace("  ", " ")
    assert moved in rapport("brief", "helen").stdout


def test_a_promise_toward_the_outcome_names_it_and_shows_in_the_brief(rapport, helen):
    rapport("promise", "helen", "check the levels", "--due", "fri", "--toward")
    rapport("gesture", "helen", "sample", "two tile samples", "--toward")
    [promise] = json.loads(rapport("export", "commitments", "--format", "json").stdout)
    [sample] = json.loads(rapport("export", "gestures", "--format", "json").stdout)
    assert promise["toward"] == sample["toward"] == "even tiles on both ends"
    assert "toward it: check the levels" in rapport("brief", "helen").stdout


@pytest.mark.parametrize("command", [("promise", "x", "--due", "fri"), ("gesture", "card")])
def test_toward_someone_with_no_desired_outcome_is_refused(rapport, command):
    rapport("add", "Ann")
    result = rapport(command[0], "ann", *command[1:], "--toward", expect=2)
    assert result.stderr.strip() == (
        "rapport: #1 Ann has no desired outcome yet: rapport edit 1 --wants 'what they want'"
    )
    assert rapport("export", "commitments").stdout.count("\n") == 1
    assert rapport("export", "gestures").stdout.count("\n") == 1


def test_outcomes_lists_who_has_not_moved_for_longer_than_their_cadence(
    rapport, helen, monkeypatch
):
    monkeypatch.setenv("RAPPORT_NOW", "2026-09-01T09:00:00+00:00")
    rapport("add", "Zed", "--stage", "friend", "--wants", "a new website")
    rapport("add", "Ann", "--stage", "friend")  # no outcome: never listed
    monkeypatch.setenv("RAPPORT_NOW", NOW)
    [zed] = outcomes(rapport)
    assert (zed["person"], zed["days"], zed["cadence_days"]) == ("Zed", 84, 45)
    assert zed["moved_at"] == "2026-09-01T09:00:00+00:00"
    assert [r["person"] for r in json.loads(rapport("outcomes", "-f", "json").stdout)] == ["Zed"]
    rapport("promise", "zed", "a first mock-up", "--due", "tomorrow", "--toward")
    assert outcomes(rapport) != []  # promised is not moved
    rapport("done", "1")
    assert outcomes(rapport) == []


def test_a_new_state_moves_the_outcome_and_the_history_keeps_every_step(
    rapport, helen, journal_path
):
    import sqlite3

    rapport("edit", "helen", "--now", "grout done", "--company", "Park & Co")
    rapport("edit", "helen", "--company", "Park Ltd")  # nothing tracked changed
    conn = sqlite3.connect(journal_path)
    rows = conn.execute(
        "SELECT attribute, value, substr(at, 1, 10) FROM profile_change ORDER BY at, id"
    ).fetchall()
    conn.close()
    assert rows == [
        ("current_state", "bathrooms half done", "2026-10-12"),
        ("desired_outcome", "even tiles on both ends", "2026-10-12"),
        ("current_state", "tiles laid", "2026-11-02"),
        ("current_state", "grout done", "2026-11-24"),
    ]
    assert "half done → tiles laid → grout done" in rapport("brief", "helen").stdout

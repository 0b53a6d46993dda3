"""Logging conversations, stage changes and the timeline."""

import csv
import io
import json
import sys

import pytest


@pytest.fixture
def people(rapport):
    rapport("add", "Ann Lee", "--stage", "friend")
    rapport("add", "Zoë Martin")
    rapport("add", "Bob Stone")


def interactions(rapport):
    return json.loads(rapport("export", "interactions", "--format", "json").stdout)


def test_log_with_several_people_and_every_option(rapport, people):
    result = rapport(
        "log",
        "ann,zoe",
        "Walked through the plan",
        "--channel",
        "meeting",
        "--mood",
        "pleased",
        "--heard",
        "a one-page summary",
        "--at",
        "2026-11-20 15:00",
        "--tag",
        "renewal",
    )
    assert "logged i1 meeting with Ann Lee, Zoë Martin" in result.stderr
    [item] = interactions(rapport)
    assert item["people"] == ["Ann Lee", "Zoë Martin"]
    assert item["channel"] == "meeting"
    assert item["mood"] == 1
    assert item["heard"] == "a one-page summary"
    assert item["at"] == "2026-11-20T15:00:00+00:00"
    assert item["tags"] == ["renewal"]
    assert item["author"] == "tester"
    assert len(item["people_uids"]) == 2


@pytest.mark.parametrize(
    ("mood", "value"), [("-2", -2), ("upset", -2), ("Frustrated", -1), ("0", 0), ("delighted", 2)]
)
def test_moods_as_numbers_or_words(rapport, people, mood, value):
    rapport("log", "bob", "hello", "--mood", mood)
    assert interactions(rapport)[0]["mood"] == value


def test_text_from_standard_input(rapport, people):
    rapport("log", "bob", input="Long note\nover two lines\n")
    assert interactions(rapport)[0]["text"] == "Long note\nover two lines"


def test_text_from_the_editor(rapport, people, tmp_path, monkeypatch):
    editor = tmp_path / "fake-editor"
    editor.write_text(
        f"#!{sys.executable}\nimport sys\nopen(sys.argv[1], 'w').write('typed in the editor\\n')\n"
    )
    editor.chmod(0o700)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.setattr("rapport.cli.journal.stdin_is_terminal", lambda: True)
    rapport("log", "bob")
    assert interactions(rapport)[0]["text"] == "typed in the editor"


def test_empty_text_logs_nothing(rapport, people):
    assert "nothing to log" in rapport("log", "bob", input="   \n", expect=2).stderr
    assert interactions(rapport) == []


def test_heard_alone_is_enough(rapport, people):
    rapport("log", "ann", "--heard", "wants the price list", input="")
    assert interactions(rapport)[0]["heard"] == "wants the price list"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("log", "ann", "x", "--at", "fri"), "--at 'fri' is in the future (Fri 2026-11-27 12:00)"),
        (("log", "nobody", "x"), "no one matches 'nobody'"),
        (("log", "ann,nobody", "x"), "no one matches 'nobody'"),
        (("log", "ann", "x", "--at", "flurb"), "can't read date 'flurb'"),
        (("log", "ann", "x", "--at", ""), "empty date"),
        (("log", "ann", "x", "--mood", "5"), "unknown mood '5'"),
        (("log", "ann", "x", "--channel", "pigeon"), "unknown channel 'pigeon'"),
    ],
)
def test_mistakes_exit_2_with_one_line_and_log_nothing(rapport, people, args, message):
    result = rapport(*args, expect=2)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert interactions(rapport) == []


def test_channel_prefix_is_enough(rapport, people):
    rapport("log", "bob", "hi", "-c", "em")
    assert interactions(rapport)[0]["channel"] == "email"


def test_stage_change_is_dated_and_latest_wins(rapport, people, monkeypatch):
    monkeypatch.setenv("RAPPORT_NOW", "2026-12-05T09:00:00+00:00")
    rapport("stage", "ann", "engaged", "--why", "signed the pilot", "--at", "2026-11-30")
    late = rapport("stage", "ann", "dating", "--why", "backdated", "--at", "2026-11-25")
    assert "still engaged: a later change stands" in late.stderr
    row = json.loads(rapport("people", "--format", "json").stdout)[0]
    assert (row["name"], row["stage"]) == ("Ann Lee", "engaged")
    stages = json.loads(rapport("export", "stages", "--format", "json").stdout)
    assert [(s["person"], s["stage"], s["why"]) for s in stages if s["person"] == "Ann Lee"] == [
        ("Ann Lee", "friend", "added"),
        ("Ann Lee", "engaged", "signed the pilot"),
        ("Ann Lee", "dating", "backdated"),
    ]


def test_timeline_orders_events_and_filters(rapport, people):
    rapport("log", "ann", "first call", "--at", "2026-11-02 10:00")
    rapport("log", "bob", "other person", "--at", "2026-11-03 10:00")
    rapport("stage", "ann", "dating", "--why", "asked for a quote", "--at", "2026-11-05")
    rapport("log", "ann,bob", "together", "--at", "2026-11-12 10:00", "-c", "meeting")
    rows = list(csv.DictReader(io.StringIO(rapport("timeline", "ann", "-f", "csv").stdout)))
    # a stage dated before the day Ann was typed in moves "added" before all her history
    assert [(r["at"][:10], r["kind"], r["text"]) for r in rows] == [
        ("2026-11-02", "stage", "friend: added"),
        ("2026-11-02", "interaction", "call: first call"),
        ("2026-11-05", "stage", "dating: asked for a quote"),
        ("2026-11-12", "interaction", "meeting: together"),
    ]
    assert rows[3]["person"] == "Ann Lee; Bob Stone"
    as_json = json.loads(rapport("timeline", "ann", "-f", "json").stdout)
    assert as_json[3]["person"] == ["Ann Lee", "Bob Stone"]
    assert as_json[2]["person"] == ["Ann Lee"]
    window = json.loads(
        rapport("timeline", "--since", "2026-11-03", "--until", "2026-11-05", "-f", "json").stdout
    )
    assert [e["text"] for e in window] == ["call: other person", "dating: asked for a quote"]
    assert list(window[0]) == ["at", "kind", "person", "text", "ref", "mood", "author"]


def test_timeline_table_shows_user_text_literally(rapport, people):
    rapport("log", "bob", "[bold]not markup[/bold]", "--heard", "x", "--mood", "upset")
    shown = rapport("timeline", "bob").stdout
    assert "[bold]not markup[/bold]" in shown
    assert "(upset)" in shown


def test_times_are_shown_in_the_configured_zone(rapport, people, isolated):
    (isolated / "config.toml").write_text('timezone = "Asia/Tokyo"\n')
    rapport("log", "bob", "late call", "--at", "2026-11-20 23:30")
    assert interactions(rapport)[0]["at"] == "2026-11-20T14:30:00+00:00"
    assert "2026-11-20 23:30" in rapport("timeline", "bob").stdout


def test_mood_words_take_a_prefix(rapport, people):
    rapport("log", "bob", "hi", "--mood", "plea")
    assert interactions(rapport)[0]["mood"] == 1


def test_a_stage_they_already_have_records_nothing(rapport, people):
    result = rapport("stage", "ann", "friend")
    assert "Ann Lee is already friend; nothing recorded" in result.stderr
    stages = json.loads(rapport("export", "stages", "--format", "json").stdout)
    assert len([s for s in stages if s["person"] == "Ann Lee"]) == 1


def test_an_editor_that_is_not_there_is_a_plain_mistake(rapport, people, monkeypatch):
    monkeypatch.setenv("EDITOR", "/no/such/editor")
    monkeypatch.setattr("rapport.cli.journal.stdin_is_terminal", lambda: True)
    result = rapport("log", "bob", expect=2)
    assert "can't run the editor '/no/such/editor'" in result.stderr
    assert interactions(rapport) == []


def test_a_stage_backdated_before_the_day_someone_was_added_still_counts(rapport):
    rapport("add", "Tom", "--stage", "friend")
    rapport("stage", "tom", "lost", "--why", "went elsewhere", "--at", "2026-10-25")
    [row] = json.loads(rapport("people", "--format", "json").stdout)
    assert row["stage"] == "lost"
    assert "lost since 2026-10-25" in rapport("show", "tom").stdout

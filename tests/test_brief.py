"""The brief since last time: what changed first, then what is open, then how they think."""

import json

import pytest


@pytest.fixture
def story(rapport, monkeypatch, isolated):
    """Raj: an old quarrel and a broken promise, a call on the 10th, then a busy fortnight."""

    def on(day):
        monkeypatch.setenv("RAPPORT_NOW", f"{day}T09:00:00+00:00")

    on("2026-10-01")
    rapport("add", "Raj", "--stage", "friend", "--now", "papers at the bank", "--wants", "the van")
    rapport("log", "raj", "he was furious about the VIN", "--mood", "upset")
    rapport("promise", "raj", "call the bank", "--due", "2026-10-05")
    on("2026-10-08")
    rapport("broke", "1", "--why", "forgot")
    on("2026-11-10")
    rapport("log", "raj", "a calmer call", "--heard", "no more paperwork")
    on("2026-11-12")
    rapport("promise", "raj", "send the new papers", "--due", "2026-11-30")
    rapport("problem", "raj", "the loan rate changed")
    on("2026-11-15")
    rapport("stage", "raj", "engaged", "--why", "signed")
    rapport("gesture", "raj", "card", "sorry for the mess")
    rapport("edit", "raj", "--now", "papers reissued")
    on("2026-11-16")
    config = isolated / "config.toml"
    config.write_text('author = "dana"\ntimezone = "UTC"\n')
    rapport("log", "raj", "Dana checked in on the rate", "--channel", "email")
    config.write_text('author = "tester"\ntimezone = "UTC"\n')
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-24T09:30:00+00:00")


def brief(rapport, *args):
    return json.loads(rapport("brief", "raj", "--format", "json", *args).stdout)


def test_it_lists_exactly_what_happened_after_the_last_conversation(rapport, story):
    card = brief(rapport)
    assert card["since"] == "2026-11-10T09:00:00+00:00"
    assert card["changes"] == [
        "2026-11-12 I promised: send the new papers (due 2026-11-30) (c2)",
        "2026-11-12 opened: the loan rate changed (p1)",
        "2026-11-15 stage: engaged: signed (s2)",
        "2026-11-15 gesture: card: sorry for the mess (g1)",
        "2026-11-15 now: papers reissued",
        "2026-11-16 dana logged an email: Dana checked in on the rate (i3)",
    ]


def test_it_leads_with_the_changes_and_never_with_old_moods_or_broken_promises(rapport, story):
    shown = rapport("brief", "raj").stdout
    assert (
        shown.index("Since your last conversation (2026-11-10, call, 14 days ago)")
        < (shown.index("Still open"))
        < shown.index("They want")
    )
    assert "upset" not in shown and "furious" not in shown
    assert "call the bank" not in shown and "broken" not in shown
    assert "confirm: “no more paperwork”" in shown
    full = rapport("brief", "raj", "--full").stdout
    assert "(upset)" in full and "broken (forgot): call the bank (c1)" in full


def test_a_detail_mind_gets_a_dated_checklist(rapport, story):
    rapport("edit", "raj", "--style", "detail")
    shown = rapport("brief", "raj").stdout
    assert "[ ] c2 you: send the new papers — due Mon 2026-11-30 (6 days left)" in shown
    assert "[ ] p1 problem: the loan rate changed — open since 2026-11-12 (12 days)" in shown


def test_a_big_picture_mind_gets_the_outcome_first_and_a_count(rapport, story):
    rapport("edit", "raj", "--style", "big-picture")
    shown = rapport("brief", "raj").stdout
    assert shown.index("They want") < shown.index("Since your last conversation")
    assert "since 1 Oct 2026: papers at the bank → papers reissued; wants: the van" in shown
    assert "2 open: 1 yours, 1 open problem (rapport brief 1 --full for the list)" in shown
    assert "send the new papers (due" not in shown.split("Still open")[1]
    assert "[2] you: send the new papers" in rapport("brief", "raj", "--full").stdout


def test_the_first_brief_says_so(rapport):
    rapport("add", "Ann")
    assert "no conversation yet: this is the first one" in rapport("brief", "ann").stdout

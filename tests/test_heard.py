"""Listen and repeat back: `rapport heard REF --confirmed | --corrected TEXT`."""

import json

import pytest


@pytest.fixture
def said(rapport):
    """Helen said two things she needs, on two calls; Ann said nothing in particular."""
    rapport("add", "Helen", "--stage", "friend")
    rapport("add", "Ann")
    rapport("log", "helen", "tiling plan", "--heard", "cheap tiles", "--at", "2026-11-10")
    rapport("log", "helen", "the bathroom", "--heard", "a render first", "--at", "2026-11-20")
    rapport("log", "ann", "coffee", "--at", "2026-11-21")


def ledger(rapport, person):
    return json.loads(rapport("ledger", person, "--format", "json").stdout)[0]


def test_what_still_needs_repeating_back_leads_the_brief(rapport, said):
    brief = rapport("brief", "helen").stdout
    assert "confirm: “a render first” (heard 2026-11-20, i2)" in brief
    assert "confirm: “cheap tiles” (heard 2026-11-10, i1)" in brief


def test_a_confirmed_and_a_corrected_item_show_in_the_brief_and_the_ledger(rapport, said):
    before = ledger(rapport, "helen")
    assert rapport("heard", "i2", "--confirmed").stdout == "i2\n"
    corrected = rapport("heard", "1", "--corrected", "even tiles on both ends")
    assert "i1: what you heard is corrected" in corrected.stderr
    brief = rapport("brief", "helen").stdout
    assert "confirm:" not in brief
    assert "“a render first” (confirmed, 2026-11-20, i2)" in brief
    assert "“even tiles on both ends” (corrected from “cheap tiles”, 2026-11-10, i1)" in brief
    after = ledger(rapport, "helen")
    assert after["deposits"] == before["deposits"] + 1  # only the confirmed one
    statement = rapport("ledger", "helen").stdout
    line = next(row for row in statement.splitlines() if "understood" in row)
    assert "understood “a render first”" in line and line.split()[-1] == "i2"
    everyone = json.loads(rapport("ledger", "--format", "json").stdout)
    assert next(r for r in everyone if r["person"] == "Helen")["deposits"] == after["deposits"]
    rapport("heard", "i1", "--confirmed")  # they agreed with the corrected version
    assert ledger(rapport, "helen")["deposits"] == before["deposits"] + 2
    rows = json.loads(rapport("export", "interactions", "--format", "json").stdout)
    first = next(r for r in rows if r["id"] == 1)
    assert (first["heard"], first["heard_state"], first["heard_correction"]) == (
        "cheap tiles", "confirmed", "even tiles on both ends"
    )  # fmt: skip


HOW = "say how it went: --confirmed, or --corrected TEXT"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("i3", "--confirmed"), "i3 has nothing heard to repeat back (log it with --heard)"),
        (("i2", "--corrected", "  "), "a correction needs its text: --corrected 'what they meant'"),
        (("i2",), HOW),
        (("i2", "--confirmed", "--corrected", "x"), HOW),
        (("i99", "--confirmed"), "no interaction i99"),
        (("c2", "--confirmed"), "c2 is a commitment: give an interaction"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(rapport, said, args, message):
    before = rapport("export", "interactions", "--format", "json").stdout
    result = rapport("heard", *args, expect=2)
    assert result.stderr == f"rapport: {message}\n"
    assert rapport("export", "interactions", "--format", "json").stdout == before


def test_undo_puts_what_was_heard_back_to_open(rapport, said):
    rapport("heard", "i2", "--corrected", "a render and a price")
    rapport("undo")
    assert "confirm: “a render first”" in rapport("brief", "helen").stdout

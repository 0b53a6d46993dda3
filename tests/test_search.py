"""Searching the journal: whatever the case and accents, phrases and prefixes, best first."""

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from rapport.store import open_journal

JOURNALS = Path(__file__).parent / "journals"


def refs(rapport, *args: str, db: str | None = None) -> list[str]:
    found = rapport(*(("--db", db) if db else ()), "search", "-f", "json", *args).stdout
    return [hit["ref"] for hit in json.loads(found)]


STORY: dict[str, bytes] = {}


@pytest.fixture
def story(rapport, journal_path):
    """The journal below, told once and copied for each test."""
    if "journal" in STORY:
        journal_path.write_bytes(STORY["journal"])
        return
    _tell(rapport)
    conn = sqlite3.connect(journal_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    STORY["journal"] = journal_path.read_bytes()


def _tell(rapport):
    rapport("add", "Ann Lee", "--company", "Acme", "--now", "worried about PRICING", "--tag", "vip")
    rapport("add", "Łukasz Żółć", "--email", "lukasz@example.pl")
    rapport("log", "ann", "Straße works; prices for next quarter", "--at", "2026-11-02", "-t", "q1")
    rapport("log", "ann,lukasz", "Visit to the Łódź office", "-c", "visit", "--at", "2026-11-20")
    rapport("log", "lukasz", "Quarter next, they said", "--heard", "a cheaper tier", "-c", "email")
    rapport("promise", "lukasz", "send the price sheet", "--due", "fri")
    rapport("problem", "ann", "invoice sent twice")
    rapport("gesture", "lukasz", "card", "thanks for the Straße tour")
    rapport("stage", "ann", "friend", "--why", "liked the new prices")


def test_case_and_accents_never_matter(rapport, story):
    assert refs(rapport, "STRASSE") == ["g1", "i1"]  # ß folds to ss, newest first among equals
    assert refs(rapport, "lodz") == ["i2"]
    assert refs(rapport, "ŁÓDŹ") == ["i2"]
    assert refs(rapport, "zolc") == ["#2"]
    assert refs(rapport, "pricing") == ["#1"]


def test_every_word_must_match_phrases_keep_their_order_and_stars_are_prefixes(rapport, story):
    assert sorted(refs(rapport, "next quarter")) == ["i1", "i3"]
    assert refs(rapport, '"next quarter"') == ["i1"]
    assert refs(rapport, "price") == ["c1"]
    assert sorted(refs(rapport, "pric*")) == ["#1", "c1", "i1", "s3"]
    assert refs(rapport, "cheaper tier") == ["i3"]  # what they said they need is searched too
    assert refs(rapport, "invoice twice") == ["p1"]


def test_filters_narrow_the_hits(rapport, story):
    assert sorted(refs(rapport, "pric*", "--person", "ann")) == ["#1", "i1", "s3"]
    assert refs(rapport, "pric*", "--person", "lukasz") == ["c1"]
    assert refs(rapport, "pric*", "--kind", "stage") == ["s3"]
    assert refs(rapport, "next", "--channel", "email") == ["i3"]
    assert refs(rapport, "pric*", "--tag", "Q1") == ["i1"]
    assert sorted(refs(rapport, "pric*", "--tag", "vip")) == ["#1", "i1", "s3"]
    assert refs(rapport, "next", "--since", "2026-11-03") == ["i3"]
    assert refs(rapport, "next", "--until", "2026-11-02") == ["i1"]
    assert refs(rapport, "strasse", "--limit", "1") == ["g1"]


def test_the_listing_is_a_contract(rapport, story):
    [hit] = json.loads(rapport("search", '"next quarter"', "-f", "json").stdout)
    assert hit == {
        "rank": 1,
        "kind": "interaction",
        "ref": "i1",
        "at": "2026-11-02T12:00:00+00:00",
        "person": ["Ann Lee"],
        "text": "Straße works; prices for next quarter",
    }
    header = rapport("search", "lodz", "-f", "csv").stdout.splitlines()[0]
    assert header == "rank,kind,ref,at,person,text"


@pytest.mark.sqlite_only  # relevance is FTS5's; a team journal ranks newest first
def test_the_more_relevant_hit_comes_first(rapport):
    rapport("add", "Ann")
    rapport("log", "ann", "pricing pricing pricing", "--at", "2026-11-01")
    rapport("log", "ann", "a long note that mentions pricing once among many other words")
    assert refs(rapport, "pricing") == ["i1", "i2"]


def test_matched_words_are_highlighted_on_a_terminal_only(rapport, story, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    shown = rapport("search", "lodz").stdout
    assert "\x1b[1;33mŁódź\x1b[0m" in shown
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in rapport("search", "lodz").stdout
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.delenv("FORCE_COLOR")
    piped = rapport("search", "lodz").stdout
    assert "Łódź" in piped and "\x1b[" not in piped


def test_a_query_without_words_is_refused_in_one_line(rapport, story):
    for query in ('"', "*", '" *', "&&"):
        result = rapport("search", query, expect=2)
        assert result.stderr.count("\n") == 1 and "nothing to search for" in result.stderr


def test_fts_syntax_is_read_as_plain_words(rapport):
    rapport("add", "Ann")
    rapport("log", "ann", "and or near not unclosed a x")
    for query in ("AND", "OR", "NEAR", "NOT", '"unclosed', "a OR", "(x", "-x", "a:x", "^a"):
        assert refs(rapport, "--", query) == ["i1"], query


def test_bad_filters_are_mistakes(rapport, story):
    assert "could be person or problem" in rapport("search", "x", "--kind", "p", expect=2).stderr
    assert "unknown channel" in rapport("search", "x", "--channel", "fax", expect=2).stderr
    assert rapport("search", "x", "--person", "nobody", expect=2).stderr.count("\n") == 1
    assert (
        "comes after"
        in rapport("search", "x", "--since", "fri", "--until", "yesterday", expect=2).stderr
    )


def test_the_index_follows_every_change(rapport, story):
    rapport("edit", "ann", "--company", "Globex")
    assert refs(rapport, "globex") == ["#1"]
    assert refs(rapport, "acme") == []
    rapport("broke", "1", "--why", "the printer died")
    assert refs(rapport, "printer") == ["c1"]
    rapport("resolve", "1", "--note", "credited in full")
    assert refs(rapport, "credited") == ["p1"]


def test_an_imported_journal_is_searchable(rapport, story, isolated):
    rapport("export", "all", "-o", str(isolated / "out"))
    other = str(isolated / "other.db")
    rapport("--db", other, "import", str(isolated / "out"))
    assert refs(rapport, "strasse", db=other) == ["g1", "i1"]


def test_undo_takes_the_index_back_too(rapport, story):
    rapport("edit", "ann", "--company", "Globex")
    rapport("log", "ann", "a word like zanzibar")
    assert refs(rapport, "zanzibar") == ["i4"]
    rapport("undo")
    assert refs(rapport, "zanzibar") == []
    rapport("undo")
    assert refs(rapport, "globex") == []
    assert refs(rapport, "acme") == ["#1"]


@pytest.mark.parametrize("released", sorted(JOURNALS.glob("schema*.db")), ids=lambda p: p.name)
def test_an_upgraded_journal_is_indexed(rapport, isolated, released):
    old = isolated / "old.db"
    shutil.copyfile(released, old)
    open_journal(str(old)).close()
    assert refs(rapport, "nunez", db=str(old)) == ["#1"]
    assert refs(rapport, "tiling", db=str(old)) == ["i1"]
    assert refs(rapport, "accountant", db=str(old)) == ["c2"]
    assert refs(rapport, "refunded", db=str(old)) == ["p2"]
    assert refs(rapport, "pilot", db=str(old)) == ["s4"]


def test_the_timeline_narrows_to_a_kind_a_channel_and_a_tag(rapport, story):
    def timeline(*args: str) -> list[str]:
        found = json.loads(rapport("timeline", "-f", "json", *args).stdout)
        return [event["ref"] for event in found]

    assert timeline("--channel", "email") == ["i3"]
    assert timeline("--kind", "gesture") == ["g1"]
    assert timeline("--tag", "Q1") == ["i1"]
    assert timeline("lukasz", "--kind", "interaction", "--channel", "visit") == ["i2"]
    assert set(timeline("--tag", "vip")) == {"s1", "i1", "i2", "p1", "s3"}
    assert timeline("--kind", "commitment", "--channel", "call") == []
    assert "unknown kind" in rapport("timeline", "--kind", "x", expect=2).stderr

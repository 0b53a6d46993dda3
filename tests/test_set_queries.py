"""Reports counted in SQL give what the record-by-record reading gives."""

import os
from datetime import UTC, date

from rapport.core.ledger import LedgerWeights, ledger, ledger_records, totals
from rapport.store import open_journal


def test_the_whole_journal_ledger_counted_in_sql_agrees_with_each_statement(rapport, monkeypatch):
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-01T09:00:00+00:00")
    for name in ("Ann", "Bob", "Cleo", "Dan"):
        rapport("add", name)
    for who, text, due in (
        ("ann", "a", "2026-11-10"),
        ("ann", "b", "2026-11-10"),
        ("bob", "c", "2026-11-10"),
        ("bob", "d", "2026-11-20"),
        ("cleo", "e", "2026-12-20"),
    ):
        rapport("promise", who, text, "--due", due)
    rapport("expect", "dan", "theirs, not counted", "--due", "2026-11-05")
    rapport("log", "ann,bob", "kick-off", "--mood", "delighted", "--heard", "a timeline")
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-24T09:30:00+00:00")
    rapport("done", "1", "--at", "2026-11-09")
    rapport("done", "2", "--at", "2026-11-12")
    rapport("broke", "3")
    rapport("amend", "c5", "--due", "2026-12-30")  # rescheduled
    rapport("gesture", "cleo", "card")
    rapport("problem", "bob", "mix-up")
    rapport("problem", "dan", "still open")
    rapport("resolve", "1")
    rapport("log", "cleo", "tense call", "--mood", "frustrated")
    rapport("heard", "i1", "--confirmed")

    weights = LedgerWeights(kept=2.5, late=0.5, understood=1.5)
    journal = open_journal(os.environ["RAPPORT_DB"])
    try:
        with journal.read() as session:
            counted = totals(session, date(2026, 11, 24), weights)
            read = ledger_records(ledger(session, date(2026, 11, 24), UTC, weights))
    finally:
        journal.close()
    assert counted == read
    assert {r["person"] for r in counted} == {"Ann", "Bob", "Cleo", "Dan"}
    assert any(r["rescheduled"] for r in counted) and any(r["broken"] for r in counted)

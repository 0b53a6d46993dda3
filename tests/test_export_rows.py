"""Exports formatted by the database give the bytes the Python renderer gives.

``render.write_csv`` over ``records.export_records`` is the reference for every table; the
export command formats the same cells in SQL. Given a journal of awkward values, both
agree byte for byte, on SQLite and on a server.
"""

import csv
import io
import os
from pathlib import Path

import pytest

from rapport.core.records import LISTINGS, export_records
from rapport.render import write_csv
from rapport.store import open_journal

TABLES = ["people", "interactions", "commitments", "problems", "gestures", "stages"]


def reference_csv(table: str) -> bytes:
    journal = open_journal(os.environ["RAPPORT_DB"])
    try:
        with journal.read() as session:
            out = io.StringIO(newline="")
            write_csv(LISTINGS[table], export_records(session, table), out)
    finally:
        journal.close()
    return out.getvalue().encode("utf-8")


@pytest.fixture
def awkward(rapport, tmp_path: Path) -> None:
    """People added out of the order they meet in, and cells a CSV or a list can trip on."""
    contacts = tmp_path / "people.csv"
    contacts.write_text(
        "name,email,other_emails,other_phones,addresses,urls,tags\n"
        'Zed Last,z@example.com,"a@x.example (work); b;c@y.example","+1 555 (cell)",'
        '"1 Main St, Springfield (home)",=http://x.example,"back\\slash; semi\\;colon"\n',
        encoding="utf-8",
    )
    rapport("import", str(contacts))
    rapport("add", '=Ann, "the" first', "--company", "-Acme", "--tag", "+plus", "--tag", "a")
    rapport("add", "Bob\nNewline", "--stage", "friend", "--birthday", "--02-29")
    rapport("add", "'Quote", "--every", "10d")
    rapport("snooze", "bob", "--until", "2026-12-10")
    rapport(
        "log", "zed,ann,bob", "@meeting, \"quoted\"\r\nand more", "--mood", "-2",
        "--heard", "+they need; this", "--tag", "x;y", "--tag", "=t", "--from", "them",
        "--channel", "meeting", "--at", "2026-11-20 15:00",
    )  # fmt: skip
    rapport("log", "bob,zed", "plain", "--at", "2026-11-21")
    rapport("log", "quote", "\ttabbed", "--channel", "email", "--mood", "2")
    rapport("heard", "i1", "--corrected", "-less than that")
    rapport("promise", "ann", "=send, v2", "--due", "2026-12-01")
    rapport("expect", "zed", 'reply "soon"', "--due", "2026-11-20")
    rapport("done", "2")
    rapport("promise", "bob", "visit", "--due", "2026-11-01")
    rapport("broke", "3", "--why", "@late")
    rapport("problem", "ann", "cracked\nagain")
    rapport("resolve", "1", "--note", "+fixed, all")
    rapport("problem", "zed", "open one")
    rapport("gesture", "bob", "card", "--", "-thanks;")
    rapport("stage", "ann", "dating", "--why", "=yes")


@pytest.mark.parametrize("table", TABLES)
def test_each_table_exported_by_the_database_matches_the_records_rendered_in_python(
    rapport, awkward, table
):
    exported = rapport("export", table).raw
    assert exported == reference_csv(table)
    assert len(exported.splitlines()) >= 2


def test_the_people_of_a_meeting_keep_the_order_they_were_named_in(rapport, awkward):
    rows = list(csv.DictReader(io.StringIO(rapport("export", "interactions").stdout)))
    assert [row["people"] for row in rows][1] == "Bob Newline; Zed Last"


def test_export_all_writes_the_same_bytes_as_table_by_table(rapport, awkward, tmp_path):
    rapport("export", "all", "-o", str(tmp_path / "all"))
    for table in TABLES:
        assert (tmp_path / "all" / f"{table}.csv").read_bytes() == reference_csv(table)

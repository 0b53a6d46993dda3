"""Build schema4.db: a small journal of schema version 4 (a contact's title, notes,
other emails and phones, addresses, web pages, and the ids address books give).

    PYTHONPATH=src python tests/journals/make_schema4.py

It starts from schema3.db. It is kept, not regenerated: the tests open it with the
current code to prove that a journal written by that release still opens, upgraded,
with nothing lost.
Run this only while version 4 is current, to replace a lost file.
"""

import os
import sqlite3
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "schema4.db"
# The story goes on from schema3.db, upgraded by opening it, with what version 4 adds:
# a card from an address book, with its own id, a title, a note and more than one of each.
CARD = """BEGIN:VCARD
VERSION:3.0
UID:pas-id-4F2A
FN:Grace Hopper
N:Hopper;Grace;;;
ORG:Navy Labs
TITLE:Rear Admiral
EMAIL;TYPE=WORK:grace@navy.example
EMAIL;TYPE=HOME:grace@home.example
TEL;TYPE=CELL:+1 555 0199
TEL;TYPE=WORK:+1 555 0142
ADR;TYPE=WORK:;;1 Bug Lane;Arlington;VA;22201;USA
URL:https://grace.example
NOTE:Met at the compiler meetup
END:VCARD
"""
STORY = [["log", "grace", "Called about the COBOL course", "--at", "2026-11-23"]]


def main() -> int:
    from rapport.cli import app
    from rapport.store.schema import SCHEMA_VERSION

    if SCHEMA_VERSION != 4:
        print(f"this rapport writes schema {SCHEMA_VERSION}, not 4", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        journal = Path(folder) / "schema4.db"
        journal.write_bytes((HERE / "schema3.db").read_bytes())
        card = Path(folder) / "grace.vcf"
        card.write_text(CARD, encoding="utf-8")
        config = Path(folder) / "config.toml"
        config.write_text('author = "tester"\ntimezone = "UTC"\n', encoding="utf-8")
        env = {
            "RAPPORT_DB": str(journal),
            "RAPPORT_CONFIG": str(config),
            "RAPPORT_NOW": "2026-11-24T09:30:00+00:00",
        }
        runner = CliRunner()
        for args in [["import", str(card)], *STORY]:
            result = runner.invoke(app, args, env=env, catch_exceptions=False)
            if result.exit_code != 0:
                print(args, result.stderr, file=sys.stderr)
                return 1
        conn = sqlite3.connect(journal, isolation_level=None)
        # One small self-contained file: no WAL to carry along, small pages.
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA page_size = 1024")
        conn.execute("VACUUM")
        conn.close()
        OUTPUT.write_bytes(journal.read_bytes())
    os.chmod(OUTPUT, 0o600)
    print(OUTPUT.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

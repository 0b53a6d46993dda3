"""Build schema2.db: a small journal of schema version 2 (the change log).

    PYTHONPATH=src python tests/journals/make_schema2.py

It is kept, not regenerated: the tests open it with the current code to prove
that a journal written by that release still opens, upgraded, with nothing lost.
Run this only while version 2 is current, to replace a lost file.
"""

import os
import sqlite3
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "schema2.db"
STORY = [
    ["add", "José Núñez", "--company", "Tiles & Co", "--stage", "dating", "--every", "2w",
     "--style", "detail", "--now", "waiting on the bank", "--wants", "keys before Christmas",
     "--birthday", "--03-14", "--tag", "vip", "--tag", "renovation"],
    ["add", "Ann Lee", "--company", "Acme", "--email", "ann@example.com", "--phone", "+1 555 0100",
     "--stage", "friend", "--birthday", "1980-12-01"],
    ["add", "Zoë Quinn", "--stage", "acquaintance"],
    ["log", "jose,ann", "Walked through the tiling plan", "--channel", "meeting", "--mood",
     "pleased", "--heard", "the big picture first", "--at", "2026-11-20", "--tag", "plan"],
    ["log", "ann", "Quick call about the renewal", "--at", "2026-11-22T15:00"],
    ["log", "zoe", "Emailed the brochure", "--channel", "email", "--mood", "-1"],
    ["stage", "jose", "engaged", "--why", "signed the pilot", "--at", "2026-11-21"],
    ["promise", "jose", "send the revised quote", "--due", "2026-11-27"],
    ["promise", "ann", "intro to the accountant", "--due", "2026-11-10"],
    ["expect", "ann", "signed purchase order", "--due", "2026-12-01"],
    ["expect", "zoe", "feedback on the brochure", "--due", "2026-11-15"],
    ["done", "1"],
    ["broke", "2", "--why", "the accountant retired"],
    ["release", "4", "--why", "they no longer need it"],
    ["problem", "jose", "wrong VIN on the loan papers"],
    ["problem", "ann", "invoice sent twice"],
    ["resolve", "2", "--note", "refunded the duplicate"],
    ["gesture", "jose", "card", "handwritten thank-you for the patience"],
    ["gesture", "ann", "gift"],
    ["snooze", "zoe", "--until", "2026-12-15"],
    ["edit", "ann", "--company", "Acme Corp", "--tag", "renewal"],
    ["undo"],
]  # fmt: skip


def main() -> int:
    from rapport.cli import app
    from rapport.store.schema import SCHEMA_VERSION

    if SCHEMA_VERSION != 2:
        print(f"this rapport writes schema {SCHEMA_VERSION}, not 2", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        journal = Path(folder) / "schema2.db"
        config = Path(folder) / "config.toml"
        config.write_text('author = "tester"\ntimezone = "UTC"\n', encoding="utf-8")
        env = {
            "RAPPORT_DB": str(journal),
            "RAPPORT_CONFIG": str(config),
            "RAPPORT_NOW": "2026-11-24T09:30:00+00:00",
        }
        runner = CliRunner()
        for args in STORY:
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

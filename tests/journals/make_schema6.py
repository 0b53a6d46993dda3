"""Build schema6.db: a small journal of schema version 6 (who made each commitment).

    PYTHONPATH=src python tests/journals/make_schema6.py

It starts from schema5.db. It is kept, not regenerated: the tests open it with the
current code to prove that a journal written by that release still opens, upgraded,
with nothing lost.
Run this only while version 6 is current, to replace a lost file.
"""

import os
import sqlite3
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "schema6.db"
# The story goes on from schema5.db, upgraded by opening it, with what version 6 adds:
# a commitment that records who made it.
STORY = [["promise", "zoe", "send the Spanish brochure", "--due", "2026-12-04"]]


def main() -> int:
    from rapport.cli import app
    from rapport.store.schema import SCHEMA_VERSION

    if SCHEMA_VERSION != 6:
        print(f"this rapport writes schema {SCHEMA_VERSION}, not 6", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        journal = Path(folder) / "schema6.db"
        journal.write_bytes((HERE / "schema5.db").read_bytes())
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

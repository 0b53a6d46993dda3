"""Write a kept journal of one schema version: a short story run through that version's CLI.

The make_schemaN.py scripts call ``build``; each is run only while its version is current.
"""

import os
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(
    version: int,
    story: list[list[str]],
    *,
    start: str | None = None,
    files: dict[str, str] | None = None,
) -> int:
    """Run ``story`` on a new journal (or a copy of the kept ``start``) and keep it.

    ``files`` are written into the working folder first; an argument may name one
    as ``{folder}/name``.
    """
    from typer.testing import CliRunner

    from rapport.cli import app
    from rapport.store.schema import SCHEMA_VERSION

    if version != SCHEMA_VERSION:
        print(f"this rapport writes schema {SCHEMA_VERSION}, not {version}", file=sys.stderr)
        return 1
    output = HERE / f"schema{version}.db"
    with tempfile.TemporaryDirectory() as folder:
        journal = Path(folder) / output.name
        if start is not None:
            journal.write_bytes((HERE / start).read_bytes())
        for name, text in (files or {}).items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        config = Path(folder) / "config.toml"
        config.write_text('author = "tester"\ntimezone = "UTC"\n', encoding="utf-8")
        env = {
            "RAPPORT_DB": str(journal),
            "RAPPORT_CONFIG": str(config),
            "RAPPORT_NOW": "2026-11-24T09:30:00+00:00",
        }
        runner = CliRunner()
        for args in story:
            args = [a.replace("{folder}", folder) for a in args]
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
        output.write_bytes(journal.read_bytes())
    os.chmod(output, 0o600)
    print(output.name)
    return 0

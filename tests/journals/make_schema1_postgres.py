"""Build schema1.postgres.sql: schema1.db's journal as rapport of schema 1 keeps it on a server.

    PYTHONPATH=<rapport of schema 1>/src python tests/journals/make_schema1_postgres.py URL

URL names an empty PostgreSQL database. The rapport on PYTHONPATH (schema 1) creates
its tables there, schema1.db's rows are copied in unchanged (same ids and uids), and
pg_dump writes the result as plain INSERTs, so that the tests can restore it without
pg_restore and prove that a server journal of that release upgrades with nothing
lost. It is kept, not regenerated.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "schema1.postgres.sql"


def main(url: str) -> int:
    from rapport.store import open_journal
    from rapport.store.schema import SCHEMA_VERSION

    if SCHEMA_VERSION != 1:
        print(f"this rapport writes schema {SCHEMA_VERSION}, not 1", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        # A copy: opening a journal may change its file (WAL mode), and schema1.db is kept.
        copy = Path(folder) / "schema1.db"
        shutil.copyfile(HERE / "schema1.db", copy)
        source = open_journal(str(copy), create=False)
        target = open_journal(url)
        with source.engine.connect() as reading, target.engine.begin() as writing:
            for table in SQLModel.metadata.sorted_tables:
                if table.name == "rapport_meta":
                    continue
                rows = [dict(r) for r in reading.execute(select(table)).mappings()]
                if rows:
                    writing.execute(table.insert(), rows)
                if "id" in table.columns:
                    writing.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                        f" GREATEST(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}"
                    )
        source.close()
        target.close()
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    dump = subprocess.run(
        ["pg_dump", "--inserts", "--no-owner", "--no-privileges", "--no-comments", plain],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # psql's own commands (\\restrict) and version lines are left out: the tests run it as SQL.
    lines = [line for line in dump.splitlines() if not line.startswith(("-- Dumped", "\\"))]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.chmod(OUTPUT, 0o600)
    print(OUTPUT.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))

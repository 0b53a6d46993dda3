"""Schema versions.

A new journal is created from the current models and stamped with
``SCHEMA_VERSION``. An older journal is brought up to date by running, in order,
the steps after its version. Steps are append-only: never edit a released one.
"""

from collections.abc import Callable

from sqlalchemy import Connection, inspect, text
from sqlmodel import SQLModel

from rapport import models  # noqa: F401  (registers the tables)

Step = Callable[[Connection], None]


def _baseline(conn: Connection) -> None:
    SQLModel.metadata.create_all(conn)


# STEPS[n] takes a journal from version n to version n + 1.
STEPS: list[Step] = [_baseline]
SCHEMA_VERSION = len(STEPS)
META_TABLE = "rapport_meta"


def read_version(conn: Connection) -> int | None:
    """The journal's schema version; 0 for an empty database, None if it is not rapport's."""
    tables = set(inspect(conn).get_table_names())
    if META_TABLE not in tables:
        return 0 if not tables else None
    row = conn.execute(text(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'")).first()
    return int(row[0]) if row else None


def write_version(conn: Connection, version: int) -> None:
    updated = conn.execute(
        text(f"UPDATE {META_TABLE} SET value = :v WHERE key = 'schema_version'"),
        {"v": str(version)},
    )
    if updated.rowcount == 0:
        conn.execute(
            text(f"INSERT INTO {META_TABLE} (key, value) VALUES ('schema_version', :v)"),
            {"v": str(version)},
        )


def create(conn: Connection) -> None:
    SQLModel.metadata.create_all(conn)
    write_version(conn, SCHEMA_VERSION)


def upgrade(conn: Connection, version: int) -> None:
    for step in STEPS[version:]:
        step(conn)
    write_version(conn, SCHEMA_VERSION)

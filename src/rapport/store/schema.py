"""Schema versions.

A new journal is created from the current models and stamped with
``SCHEMA_VERSION``. An older journal is brought up to date by running, in order,
the steps after its version, in one transaction, after a backup
(see ``store.journal``). ``tests/journals/`` keeps a small journal of every
released version, and the tests check that each one, upgraded, equals a freshly
created journal with no row lost.

Rules for a new step (append it to ``STEPS``; never edit a released one):

- Write it in plain SQL against the tables as the previous version left them;
  never use the models, which describe the newest schema, not that one.
- Adding a column or an index: ``ALTER TABLE … ADD COLUMN`` / ``CREATE INDEX``.
- Anything else SQLite cannot alter in place (a changed type, constraint or
  foreign key, a dropped column) goes through ``rebuild_table``. Steps run with
  foreign keys off, because in SQLite ``PRAGMA foreign_keys`` cannot change
  inside a transaction, and with them on, dropping the old table would cascade
  ``ON DELETE CASCADE`` into every child table and wipe their rows.
  ``rebuild_table`` refuses to run with them on, keeps every row, recreates the
  table's indexes and triggers, and checks the foreign keys of the new table;
  ``upgrade`` checks them all again before the new version is stamped.
- Never rename a parent table out of the way (``ALTER TABLE person RENAME TO
  old_person``): SQLite would rewrite the children's foreign keys to point at
  ``old_person``. Build the new table under another name and rename it into place,
  which is what ``rebuild_table`` does.
- On PostgreSQL the same step runs with foreign keys enforced; branch on
  ``conn.dialect.name`` when SQLite needs a rebuild and PostgreSQL an ALTER.
"""

import uuid
from collections.abc import Callable, Mapping

from sqlalchemy import Connection, inspect, text
from sqlmodel import SQLModel

from rapport import models  # noqa: F401  (registers the tables)
from rapport.errors import JournalDamaged
from rapport.store import fts, step_search

Step = Callable[[Connection], None]


def _baseline(conn: Connection) -> None:
    """Version 1, the first released schema: never replayed, new journals use ``create``."""
    SQLModel.metadata.create_all(conn)


def _moment(conn: Connection) -> str:
    """The column type of a stored moment, as ``create_all`` spells it on this backend."""
    return "DATETIME" if conn.dialect.name == "sqlite" else "TIMESTAMP WITHOUT TIME ZONE"


def _serial(conn: Connection) -> str:
    """An integer primary key that numbers itself, on this backend."""
    return "INTEGER" if conn.dialect.name == "sqlite" else "SERIAL"


def _change_log(conn: Connection) -> None:
    """Version 2: the change log behind `undo` and `history`, and rescheduled promises."""
    moment = _moment(conn)
    conn.exec_driver_sql(
        "CREATE TABLE change ("
        f" id {_serial(conn)} NOT NULL, at {moment} NOT NULL, author VARCHAR,"
        f" command VARCHAR NOT NULL, summary VARCHAR NOT NULL, undone_at {moment},"
        " erased BOOLEAN NOT NULL, PRIMARY KEY (id))"
    )
    conn.exec_driver_sql(
        "CREATE TABLE change_row ("
        " change_id INTEGER NOT NULL, seq INTEGER NOT NULL, table_name VARCHAR NOT NULL,"
        ' row_key VARCHAR NOT NULL, op VARCHAR NOT NULL, "before" VARCHAR, "after" VARCHAR,'
        " PRIMARY KEY (change_id, seq),"
        " FOREIGN KEY(change_id) REFERENCES change (id) ON DELETE CASCADE)"
    )
    conn.exec_driver_sql("CREATE INDEX ix_change_row_table_key ON change_row (table_name, row_key)")
    conn.exec_driver_sql(
        "ALTER TABLE commitment ADD COLUMN rescheduled INTEGER DEFAULT '0' NOT NULL"
    )


def _relationship(conn: Connection) -> None:
    """Version 3: who started each interaction, what was heard and repeated back, outcomes.

    Interactions from before keep ``started_by`` unknown; what was heard in them is open;
    each person's current state and desired outcome start their history on the day the
    person was added.
    """
    moment = "TIMESTAMP WITHOUT TIME ZONE" if conn.dialect.name == "postgresql" else "DATETIME"
    serial = "SERIAL" if conn.dialect.name == "postgresql" else "INTEGER"
    for sql in (
        "ALTER TABLE interaction ADD COLUMN started_by VARCHAR",
        "ALTER TABLE interaction ADD COLUMN heard_state VARCHAR",
        "ALTER TABLE interaction ADD COLUMN heard_correction VARCHAR",
        f"ALTER TABLE interaction ADD COLUMN heard_checked_at {moment}",
        "UPDATE interaction SET heard_state = 'open' WHERE heard IS NOT NULL",
        "ALTER TABLE commitment ADD COLUMN toward VARCHAR",
        "ALTER TABLE gesture ADD COLUMN toward VARCHAR",
        f"""CREATE TABLE profile_change (
            id {serial} NOT NULL,
            uid VARCHAR NOT NULL,
            person_id INTEGER NOT NULL,
            attribute VARCHAR NOT NULL,
            value VARCHAR,
            at {moment} NOT NULL,
            PRIMARY KEY (id),
            UNIQUE (uid),
            FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE
        )""",
        "CREATE INDEX ix_profile_change_person_id ON profile_change (person_id)",
    ):
        conn.execute(text(sql))
    for attribute in ("current_state", "desired_outcome"):
        rows = conn.execute(
            text(f"SELECT id, {attribute}, created_at FROM person WHERE {attribute} IS NOT NULL")
        ).fetchall()
        for person_id, value, at in rows:
            conn.execute(
                text(
                    "INSERT INTO profile_change (uid, person_id, attribute, value, at)"
                    " VALUES (:uid, :person, :attribute, :value, :at)"
                ),
                {"uid": str(uuid.uuid4()), "person": person_id, "attribute": attribute,
                 "value": value, "at": at},
            )  # fmt: skip


def _contact_details(conn: Connection) -> None:
    """Version 4: a person's title and notes; their other emails and phones, postal
    addresses and web pages, with labels; and the ids address books and services give."""
    serial = "SERIAL" if conn.dialect.name == "postgresql" else "INTEGER"
    conn.exec_driver_sql("ALTER TABLE person ADD COLUMN title VARCHAR")
    conn.exec_driver_sql("ALTER TABLE person ADD COLUMN notes VARCHAR")
    conn.exec_driver_sql(
        f"""CREATE TABLE person_detail (
            id {serial} NOT NULL,
            person_id INTEGER NOT NULL,
            kind VARCHAR NOT NULL,
            value VARCHAR NOT NULL,
            label VARCHAR,
            position INTEGER NOT NULL,
            PRIMARY KEY (id),
            FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE
        )"""
    )
    conn.exec_driver_sql("CREATE INDEX ix_person_detail_person_id ON person_detail (person_id)")
    conn.exec_driver_sql(
        f"""CREATE TABLE person_source (
            id {serial} NOT NULL,
            source VARCHAR NOT NULL,
            source_id VARCHAR NOT NULL,
            person_id INTEGER NOT NULL,
            name VARCHAR,
            PRIMARY KEY (id),
            FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE
        )"""
    )
    conn.exec_driver_sql("CREATE INDEX ix_person_source_person_id ON person_source (person_id)")
    conn.exec_driver_sql(
        "CREATE UNIQUE INDEX ix_person_source_source_id ON person_source (source, source_id)"
    )


def _day_only(conn: Connection) -> None:
    """Version 5: an interaction logged with a day and no time of day says so, and open
    problems are found by index (shell completion reads them on every Tab)."""
    no = "0" if conn.dialect.name == "sqlite" else "false"
    conn.exec_driver_sql(
        f"ALTER TABLE interaction ADD COLUMN day_only BOOLEAN NOT NULL DEFAULT {no}"
    )
    conn.exec_driver_sql("CREATE INDEX ix_problem_resolved_at ON problem (resolved_at)")


def _commitment_author(conn: Connection) -> None:
    """Version 6: who made each commitment, so that a team journal can say whose promise it is.

    Commitments made before this step have no recorded author.
    """
    conn.exec_driver_sql("ALTER TABLE commitment ADD COLUMN author VARCHAR")


# STEPS[n] takes a journal from version n to version n + 1.
STEPS: list[Step] = [
    _baseline,
    _change_log,
    _relationship,
    _contact_details,
    _day_only,
    _commitment_author,
    step_search.add_search,
]
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
    fts.install(conn)
    write_version(conn, SCHEMA_VERSION)


def upgrade(conn: Connection, version: int) -> None:
    """Run the steps after ``version``; the caller's transaction makes it all or nothing."""
    for step in STEPS[version:]:
        step(conn)
    if conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            tables = sorted({f"{row[0]} → {row[2]}" for row in broken})
            raise JournalDamaged(
                f"upgrading to schema {SCHEMA_VERSION} would leave {len(broken)} broken"
                f" reference(s) ({', '.join(tables)}); nothing was changed,"
                " run `rapport db check`"
            )
    write_version(conn, SCHEMA_VERSION)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def rebuild_table(
    conn: Connection, table: str, columns_sql: str, fill: Mapping[str, str] | None = None
) -> None:
    """Rebuild ``table`` (SQLite) as ``CREATE TABLE table (<columns_sql>)``, keeping every row.

    Columns present in both the old and the new table are copied; ``fill`` gives
    an SQL expression over the old row for new or changed columns (``{"nickname":
    "NULL"}``). Indexes and triggers are recreated from their SQL; drop the ones
    that name removed columns before the rebuild.
    """
    if conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("table rebuilds need foreign keys off: run them as an upgrade step")
    fill = dict(fill or {})
    new = f"_rapport_new_{table}"
    extras = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')"
        " AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    before = conn.exec_driver_sql(f"SELECT count(*) FROM {_quote(table)}").scalar()
    old_columns = [row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({_quote(table)})")]
    conn.exec_driver_sql(f"CREATE TABLE {_quote(new)} ({columns_sql})")
    new_columns = [row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({_quote(new)})")]
    targets = [c for c in new_columns if c in fill or c in old_columns]
    sources = [fill.get(c, _quote(c)) for c in targets]
    conn.exec_driver_sql(
        f"INSERT INTO {_quote(new)} ({', '.join(map(_quote, targets))})"
        f" SELECT {', '.join(sources)} FROM {_quote(table)}"
    )
    conn.exec_driver_sql(f"DROP TABLE {_quote(table)}")
    # Legacy renaming does not re-parse views and triggers that name the dropped table.
    legacy = conn.exec_driver_sql("PRAGMA legacy_alter_table").scalar()
    conn.exec_driver_sql("PRAGMA legacy_alter_table = ON")
    conn.exec_driver_sql(f"ALTER TABLE {_quote(new)} RENAME TO {_quote(table)}")
    conn.exec_driver_sql(f"PRAGMA legacy_alter_table = {'ON' if legacy else 'OFF'}")
    for (sql,) in extras:
        conn.exec_driver_sql(sql)
    after = conn.exec_driver_sql(f"SELECT count(*) FROM {_quote(table)}").scalar()
    broken = conn.exec_driver_sql(f"PRAGMA foreign_key_check({_quote(table)})").fetchall()
    if after != before or broken:
        raise RuntimeError(
            f"rebuilding {table} kept {after} of {before} rows"
            f" and left {len(broken)} broken reference(s)"
        )

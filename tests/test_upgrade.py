"""Schema upgrades: journals of every released version open with nothing lost.

tests/journals/ keeps one small journal per released schema version, written by
that release (make_schema1.py built the first). They are copied, never changed.
"""

import hashlib
import os
import select
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import Connection

from rapport.errors import JournalDamaged
from rapport.store import open_journal, schema

JOURNALS = Path(__file__).parent / "journals"
RELEASED = sorted(JOURNALS.glob("schema*.db"))


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


def describe(path: Path) -> dict[str, object]:
    """The schema as SQLite understands it, blind to how the CREATE text is spelled.

    Columns are compared by name, since ALTER TABLE ADD COLUMN appends at the end.
    """
    conn = connect(path)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        shape: dict[str, object] = {}
        for table in tables:
            columns = {
                row[1]: (row[2].upper(), row[3], row[4], row[5])
                for row in conn.execute(f"PRAGMA table_info({table})")
            }
            keys = sorted(
                (row[2], row[3], row[4], row[5], row[6])
                for row in conn.execute(f"PRAGMA foreign_key_list({table})")
            )
            indexes = sorted(
                (
                    row[1] if row[3] == "c" else row[3],
                    row[2],
                    tuple(info[2] for info in conn.execute(f"PRAGMA index_info('{row[1]}')")),
                )
                for row in conn.execute(f"PRAGMA index_list({table})")
            )
            shape[table] = {"columns": columns, "foreign keys": keys, "indexes": indexes}
        return shape
    finally:
        conn.close()


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows; the full-text index's own storage is left to search_doc."""
    conn = connect(path)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND name NOT LIKE 'search_fts%'"
            )
        ]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}"), key=repr) for t in tables}
    finally:
        conn.close()


def old_columns(rows: list[tuple[object, ...]], before: list[tuple[object, ...]]):
    """``rows`` cut to the columns ``before`` had: the columns a later version adds come last."""
    width = len(before[0]) if before else 0
    return sorted((row[:width] for row in rows), key=repr)


def version(path: Path) -> int:
    conn = connect(path)
    try:
        row = conn.execute("SELECT value FROM rapport_meta WHERE key = 'schema_version'")
        return int(row.fetchone()[0])
    finally:
        conn.close()


def checks(path: Path) -> tuple[str, list[object]]:
    conn = connect(path)
    try:
        return (
            conn.execute("PRAGMA integrity_check").fetchone()[0],
            conn.execute("PRAGMA foreign_key_check").fetchall(),
        )
    finally:
        conn.close()


def fresh(folder: Path) -> Path:
    path = folder / "fresh.db"
    open_journal(str(path)).close()
    return path


def old_copy(folder: Path, name: str = "schema1.db") -> Path:
    target = folder / "old.db"
    shutil.copyfile(JOURNALS / name, target)
    return target


def test_a_journal_of_every_released_version_is_kept():
    # Every version before the current one; the current one's file is made by the next step.
    names = [p.name for p in RELEASED]
    assert names[: schema.SCHEMA_VERSION - 1] == [
        f"schema{n}.db" for n in range(1, schema.SCHEMA_VERSION)
    ]
    assert len(names) <= schema.SCHEMA_VERSION
    for path in RELEASED:
        assert all(rows for rows in contents(path).values()), f"{path.name} has an empty table"


@pytest.mark.parametrize("released", RELEASED, ids=lambda p: p.name)
def test_an_old_journal_opens_as_a_fresh_one_with_every_row(isolated, released):
    before = hashlib.sha256(released.read_bytes()).hexdigest()
    old = old_copy(isolated, released.name)
    rows = contents(old)
    open_journal(str(old)).close()
    assert describe(old) == describe(fresh(isolated))
    assert version(old) == schema.SCHEMA_VERSION
    assert checks(old) == ("ok", [])
    after = contents(old)
    for table, kept in rows.items():
        if table != "rapport_meta":  # columns a step added come last: compare the old ones
            width = len(kept[0]) if kept else 0
            assert [row[:width] for row in after[table]] == kept, table
    backup = old.with_name(f"old.db.{released.stem}.bak")
    assert backup.exists() == (version(released) < schema.SCHEMA_VERSION)
    assert hashlib.sha256(released.read_bytes()).hexdigest() == before


# A pretend next version, to prove the machinery before a real one is needed.


def person_columns(conn: Connection) -> str:
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'person'").scalar()
    assert isinstance(sql, str)
    body = sql[sql.index("(") + 1 : sql.rindex(")")]
    return body.replace("PRIMARY KEY (id)", "nickname VARCHAR, PRIMARY KEY (id)")


def add_nickname(conn: Connection) -> None:
    """Version 2 (pretend): person gets a nickname, by a rebuild of a parent table."""
    schema.rebuild_table(conn, "person", person_columns(conn), {"nickname": "substr(name, 1, 3)"})


@pytest.fixture
def next_version(monkeypatch):
    def use(*steps):
        monkeypatch.setattr(schema, "STEPS", [*schema.STEPS, *steps])
        monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.STEPS))

    return use


def test_an_upgrade_rebuilding_a_parent_table_keeps_every_child_row(
    isolated, rapport, next_version
):
    next_version(add_nickname)
    old = old_copy(isolated)
    rows = contents(old)
    open_journal(str(old)).close()

    assert version(old) == schema.SCHEMA_VERSION
    assert checks(old) == ("ok", [])
    after = contents(old)
    for table in (
        "person_tag",
        "interaction_person",
        "stage_change",
        "commitment",
        "problem",
        "gesture",
    ):
        assert old_columns(after[table], rows[table]) == rows[table], table
    assert old_columns(after["person"], rows["person"]) == rows["person"]
    assert sorted(row[-1] for row in after["person"]) == ["Ann", "Jos", "Zoë"]
    indexes = describe(old)["person"]["indexes"]  # type: ignore[index]
    assert ("ix_person_name_key", 0, ("name_key",)) in indexes
    assert ("u", 1, ("uid",)) in indexes
    assert "José Núñez" in rapport("--db", str(old), "show", "jose").stdout


def test_the_backup_before_an_upgrade_is_the_old_journal(isolated, next_version):
    next_version(add_nickname)
    old = old_copy(isolated)
    rows = contents(old)
    open_journal(str(old)).close()
    backup = isolated / "old.db.schema1.bak"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert version(backup) == 1
    assert contents(backup) == rows
    assert checks(backup) == ("ok", [])


def test_a_table_rebuild_refuses_to_run_with_foreign_keys_on(isolated):
    old = old_copy(isolated)
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    conn.execute("DROP TABLE person")  # what a naive rebuild does: it cascades
    assert conn.execute("SELECT count(*) FROM person_tag").fetchone()[0] == 0
    conn.execute("ROLLBACK")
    conn.close()

    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{old}")
    with engine.connect() as sa_conn:
        sa_conn.exec_driver_sql("PRAGMA foreign_keys = ON")
        with pytest.raises(RuntimeError, match="foreign keys off"):
            add_nickname(sa_conn)
    engine.dispose()
    assert contents(old) == contents(JOURNALS / "schema1.db")


def test_a_step_that_breaks_references_changes_nothing(isolated, next_version):
    def orphan(conn: Connection) -> None:
        add_nickname(conn)
        conn.exec_driver_sql("INSERT INTO person_tag (person_id, tag) VALUES (99, 'ghost')")

    next_version(orphan)
    old = old_copy(isolated)
    rows = contents(old)
    with pytest.raises(JournalDamaged, match="broken reference"):
        open_journal(str(old))
    assert version(old) == 1
    assert contents(old) == rows


def test_a_failing_step_changes_nothing(isolated, rapport, next_version):
    def half_done(conn: Connection) -> None:
        add_nickname(conn)
        conn.exec_driver_sql("DELETE FROM gesture")
        raise ValueError("step bug")

    next_version(half_done)
    old = old_copy(isolated)
    rows = contents(old)
    result = rapport("--db", str(old), "people", expect=1)
    assert "internal error" in result.stderr  # a bug in a step is a bug, and says so
    assert version(old) == 1
    assert contents(old) == rows
    assert describe(old) == describe(JOURNALS / "schema1.db")


KILLED_UPGRADE = textwrap.dedent(
    """
    import sys
    from rapport.store import open_journal, schema

    def slow(conn):
        conn.exec_driver_sql("PRAGMA cache_size = 2")  # spill pages into the WAL early
        sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'person'").scalar()
        body = sql[sql.index("(") + 1 : sql.rindex(")")]
        body = body.replace("PRIMARY KEY (id)", "nickname VARCHAR, PRIMARY KEY (id)")
        schema.rebuild_table(conn, "person", body, {"nickname": "name"})
        conn.exec_driver_sql("DELETE FROM gesture")
        for n in range(3000):
            conn.exec_driver_sql(
                "INSERT INTO interaction_tag (interaction_id, tag) VALUES (1, ?)", (f"t{n}",)
            )
        print("ready", flush=True)
        sys.stdin.readline()  # wait here, mid-transaction, to be killed

    schema.STEPS.append(slow)
    schema.SCHEMA_VERSION = len(schema.STEPS)
    open_journal(sys.argv[1])
    print("finished", flush=True)
    """
)


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_an_upgrade_killed_midway_leaves_the_old_journal(isolated, rapport):
    old = old_copy(isolated)
    rows = contents(old)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_UPGRADE, str(old)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        readable, _, _ = select.select([child.stdout], [], [], 60)
        assert readable, "the upgrade never got going"
        assert child.stdout.readline() == "ready\n", child.stderr.read()  # type: ignore[union-attr]
        assert Path(f"{old}-wal").stat().st_size > 0  # half an upgrade is on disk
    finally:
        child.kill()
        child.wait()

    assert version(old) == 1
    assert checks(old) == ("ok", [])
    assert contents(old) == rows
    assert describe(old) == describe(JOURNALS / "schema1.db")
    assert "José Núñez" in rapport("--db", str(old), "show", "jose").stdout


# Version 2: the change log, and commitments that count their reschedulings.


def test_an_upgraded_journal_has_an_empty_change_log_and_records_from_then_on(isolated, rapport):
    old = old_copy(isolated)
    rows = contents(old)
    open_journal(str(old)).close()
    after = contents(old)
    assert after["change"] == [] and after["change_row"] == []
    width = len(rows["commitment"][0])
    assert [row[:width] for row in after["commitment"]] == rows["commitment"]
    assert {row[width] for row in after["commitment"]} == {0}  # rescheduled

    rapport("--db", str(old), "log", "jose", "Talked tiles")
    assert "Talked tiles" in rapport("--db", str(old), "timeline", "jose").stdout
    rapport("--db", str(old), "undo")
    assert contents(old) | {"change": [], "change_row": []} == after


def test_an_older_rapport_refuses_the_upgraded_journal_untouched(isolated, rapport, monkeypatch):
    old = old_copy(isolated)
    open_journal(str(old)).close()
    before = hashlib.sha256(old.read_bytes()).hexdigest()
    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "STEPS", schema.STEPS[:1])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    result = rapport("--db", str(old), "people", expect=2)
    newer = f"written by a newer rapport (schema {current}; this one knows up to 1)"
    assert newer in result.stderr
    assert hashlib.sha256(old.read_bytes()).hexdigest() == before
    assert not Path(f"{old}-wal").exists() or Path(f"{old}-wal").stat().st_size == 0


def test_an_upgraded_journal_knows_nobody_said_who_started_and_keeps_outcomes_as_history(
    isolated,
):
    old = old_copy(isolated)
    open_journal(str(old)).close()
    conn = connect(old)
    try:
        talks = conn.execute("SELECT heard, heard_state, started_by FROM interaction").fetchall()
        history = conn.execute(
            "SELECT p.name, c.attribute, c.value, c.at = p.created_at"
            " FROM profile_change c JOIN person p ON p.id = c.person_id ORDER BY c.attribute"
        ).fetchall()
    finally:
        conn.close()
    assert sorted(talks, key=repr) == sorted(
        [("the big picture first", "open", None), (None, None, None), (None, None, None)],
        key=repr,
    )
    assert history == [
        ("José Núñez", "current_state", "waiting on the bank", 1),
        ("José Núñez", "desired_outcome", "keys before Christmas", 1),
    ]


# Version 5: a conversation logged with a day and no time of day says so.


def test_an_upgraded_journal_keeps_its_conversations_times(isolated, rapport):
    old = old_copy(isolated, "schema4.db")
    rows = contents(old)
    open_journal(str(old)).close()
    after = contents(old)
    assert [row[:-1] for row in after["interaction"]] == rows["interaction"]
    assert {row[-1] for row in after["interaction"]} == {0}  # their times were shown before
    rapport("--db", str(old), "log", "jose", "Talked grout", "--at", "2026-11-02")
    line = next(
        x for x in rapport("--db", str(old), "timeline").stdout.splitlines() if "grout" in x
    )
    assert "2026-11-02" in line and ":" not in line.split("2026-11-02")[1].split()[0]

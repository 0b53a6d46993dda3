"""All-or-nothing imports under SIGKILL, and the CSV round trip as a property."""

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.render import guard, unguard

ROWS = 3000

# Runs `rapport import` in a child process that reports, through a pipe, the moment
# it has written at least `stop_after` rows into the open transaction (rows are written
# a batch at a time), then waits to be killed.
KILLABLE_IMPORT = textwrap.dedent(
    """
    import os, sys
    from rapport.core import import_bulk
    from rapport.cli import main

    stop_after, ready = int(sys.argv[1]), int(sys.argv[2])
    original = import_bulk.Bulk.flush
    count = 0

    def flush(self):
        global count
        waiting = len(self.rows.get("interaction", []))
        original(self)
        count += waiting
        if waiting and count >= stop_after:
            os.write(ready, b"x")
            os.read(0, 1)  # blocks: the parent kills us here

    import_bulk.Bulk.flush = flush
    sys.argv = ["rapport", "import", sys.argv[3]]
    main()
    """
)


def rows_in(journal: Path) -> int:
    conn = sqlite3.connect(journal)
    try:
        return conn.execute("SELECT count(*) FROM interaction").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def call_log(rapport, tmp_path: Path) -> Path:
    rapport("add", "Ann Lee")
    path = tmp_path / "calls.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["at", "people", "channel", "text"])
        for n in range(ROWS):
            writer.writerow(["2026-01-01T00:00:00+00:00", "Ann Lee", "call", f"call {n}"])
    return path


@pytest.mark.parametrize("stop_after", [1, ROWS // 2, ROWS])
def test_an_import_killed_mid_way_leaves_nothing(call_log, journal_path, stop_after):
    ready_r, ready_w = os.pipe()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    child = subprocess.Popen(
        [sys.executable, "-c", KILLABLE_IMPORT, str(stop_after), str(ready_w), str(call_log)],
        env=env, stdin=subprocess.PIPE, pass_fds=(ready_w,),
    )  # fmt: skip
    os.close(ready_w)
    try:
        assert os.read(ready_r, 1) == b"x"  # the transaction holds `stop_after` rows now
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        os.close(ready_r)
        if child.poll() is None:
            child.kill()
    assert rows_in(journal_path) == 0
    conn = sqlite3.connect(journal_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_the_same_import_uninterrupted_brings_every_row(rapport, call_log, journal_path):
    rapport("import", str(call_log))
    assert rows_in(journal_path) == ROWS


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)


@given(TEXT)
def test_the_formula_guard_is_undone_exactly(text):
    assert unguard(guard(text)) == text
    assert not guard(text).startswith(("=", "+", "-", "@", "\t", "\r")) or text == ""


# Both journals are files it names with --db: a server variant would run the same thing again.
@pytest.mark.sqlite_only
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=TEXT.filter(lambda s: s.strip() and not s.strip().isdigit()).map(lambda s: "x" + s),
    company=TEXT,
    text=TEXT,
    heard=TEXT,
    # --tag splits at commas; a ';' or a backslash inside a tag survives the CSV cell
    tag=TEXT.filter(lambda s: "," not in s) | st.sampled_from(["vip; gold", "a\\;b", "c:\\d"]),
)
def test_any_text_survives_export_then_import_into_an_empty_journal(
    rapport, tmp_path_factory, name, company, text, heard, tag
):
    folder = tmp_path_factory.mktemp("roundtrip")
    first, second = folder / "first.db", folder / "second.db"
    rapport("--db", str(first), "add", name, "--company", company, "--tag", tag or "t")
    rapport(
        "--db",
        str(first),
        "log",
        "--heard",
        heard or "h",
        "--mood",
        "-2",
        "--",
        "1",
        text if text.strip() else "x",  # blank text cancels a log
    )
    rapport("--db", str(first), "export", "all", "-o", str(folder / "a"))
    rapport("--db", str(second), "import", str(folder / "a"))
    rapport("--db", str(second), "export", "all", "-o", str(folder / "b"))
    for name_ in sorted(os.listdir(folder / "a")):
        assert (folder / "a" / name_).read_bytes() == (folder / "b" / name_).read_bytes(), name_
    people = json.loads(rapport("--db", str(second), "people", "-f", "json").stdout)
    assert people[0]["company"] == (company.strip() or None)
    rows = list(csv.DictReader(io.StringIO((folder / "a" / "interactions.csv").read_text())))
    assert rows[0]["mood"] == "-2"  # numbers are never guarded

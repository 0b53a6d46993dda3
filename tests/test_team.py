"""Team journals on a PostgreSQL server: same answers, many writers, clear failures.

The server tests run when RAPPORT_TEST_POSTGRES names a server (`.ci/run` starts
a throwaway one); the copy tests between two files run everywhere.
"""

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SERVER, _admin
from rapport.store.schema import SCHEMA_VERSION
from rapport.store.server import WRITE_LOCK

# These tests make their own databases: no automatic server variant of each.
pytestmark = pytest.mark.sqlite_only
needs_server = pytest.mark.skipif(not SERVER, reason="no PostgreSQL server (RAPPORT_TEST_POSTGRES)")


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped afterwards."""
    from sqlalchemy.engine import make_url

    name = f"rapport_team_{os.getpid()}_{tmp_path.name[-12:].replace('-', '_')}".lower()
    admin = _admin(SERVER)
    admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    try:
        yield make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return str(make_url(url).password or "")


def spawn(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "rapport", *args],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **env},
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str], stdin: str | None = None) -> tuple[int, str, str]:
    out, err = process.communicate(stdin, timeout=120)
    return process.returncode, out, err


def export_all(rapport, target: str, folder: Path) -> dict[str, bytes]:
    rapport("--db", target, "export", "all", "-o", str(folder))
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


STORY = [
    ["add", "José Núñez", "--company", "Tiles & Co", "--stage", "dating", "--tag", "vip"],
    ["add", "Ann Lee", "--email", "ann@example.com", "--birthday", "1980-12-01"],
    ["log", "jose,ann", "Walked through the plan", "--mood", "pleased", "--at", "2026-11-20"],
    ["promise", "jose", "send the revised quote", "--due", "2026-11-27"],
    ["expect", "ann", "signed order", "--due", "2026-12-01"],
    ["problem", "ann", "invoice sent twice"],
    ["gesture", "jose", "card", "thank-you"],
    ["stage", "jose", "engaged", "--why", "signed", "--at", "2026-11-21"],
    ["done", "1"],
]


def test_a_journal_copied_between_two_files_exports_identically(rapport, isolated):
    for args in STORY:
        rapport(*args)
    here = os.environ["RAPPORT_DB"]
    laptop = str(isolated / "laptop.db")
    assert rapport("copy", "--to", laptop).stdout.strip() == laptop
    assert export_all(rapport, here, isolated / "a") == export_all(rapport, laptop, isolated / "b")
    refused = rapport("copy", "--to", laptop, expect=2)
    assert "not empty" in refused.stderr and "--replace" in refused.stderr
    rapport("copy", "--to", laptop, "--replace")
    assert rapport("copy", "--to", here, expect=2).stderr.count("\n") == 1
    assert "--to and --from" in rapport("copy", expect=2).stderr


def test_a_copy_from_a_missing_file_creates_nothing(rapport, isolated):
    rapport("add", "Ann")
    result = rapport("copy", "--from", str(isolated / "nowhere.db"), expect=2)
    assert "no journal" in result.stderr
    assert not (isolated / "nowhere.db").exists()


def test_a_copy_to_a_name_too_long_for_the_system_is_one_line(rapport, isolated):
    rapport("add", "Ann")
    for option in ("--to", "--from"):
        result = rapport("copy", option, str(isolated / ("a" * 300)), expect=2)
        assert "File name too long" in result.stderr and result.stderr.count("\n") == 1


@needs_server
def test_same_answers_on_the_server_and_copied_back_identical(rapport, isolated, server_url):
    for args in STORY:
        rapport(*args)
    here = os.environ["RAPPORT_DB"]
    shown = rapport("copy", "--to", server_url).stdout
    assert password(server_url) not in shown and "***" in shown
    for report in (["due"], ["ledger"], ["pipeline"], ["people"], ["timeline"]):
        mine = rapport("--db", here, *report, "--format", "csv").stdout
        theirs = rapport("--db", server_url, *report, "--format", "csv").stdout
        assert mine == theirs, report
    back = str(isolated / "back.db")
    rapport("--db", back, "copy", "--from", server_url)
    assert export_all(rapport, here, isolated / "a") == export_all(rapport, back, isolated / "b")


@needs_server
def test_a_server_backup_is_a_file_that_copy_restores(rapport, isolated, server_url):
    rapport("--db", server_url, "add", "Ann Lee", "--tag", "vip")
    rapport("--db", server_url, "log", "ann", "hello")
    copy = Path(rapport("--db", server_url, "backup", str(isolated / "team.db")).stdout.strip())
    assert copy.stat().st_mode & 0o777 == 0o600
    restored = str(isolated / "restored.db")
    rapport("--db", restored, "copy", "--from", str(copy))
    assert "hello" in rapport("--db", restored, "timeline", "--format", "csv").stdout
    checks = rapport("--db", server_url, "db", "check").stdout
    assert "PostgreSQL" in checks and password(server_url) not in checks


@needs_server
def test_a_newer_server_journal_is_refused_untouched(rapport, server_url):
    rapport("--db", server_url, "add", "Ann")
    admin = _admin(server_url)
    admin.execute("UPDATE rapport_meta SET value = '99' WHERE key = 'schema_version'")
    result = rapport("--db", server_url, "people", expect=2)
    assert "newer rapport" in result.stderr and password(server_url) not in result.stderr
    assert admin.execute("SELECT count(*) FROM person").fetchone() == (1,)
    admin.close()


@needs_server
def test_login_and_url_mistakes_are_one_line_and_never_show_the_password(rapport, server_url):
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    cases = {
        url.set(password="wrong-secret"): 2,
        url.set(database="no_such_journal"): 2,
        url.set(drivername="postgresql+psycopgg"): 2,
        url.set(port=1): 75,
    }
    for bad, code in cases.items():
        result = rapport("--db", bad.render_as_string(hide_password=False), "people", expect=code)
        assert result.stderr.count("\n") == 1, result
        assert "wrong-secret" not in result.stderr and password(server_url) not in result.stderr


@needs_server
@pytest.mark.slow
def test_concurrent_first_opens_and_same_name_adds_on_a_fresh_server(server_url):
    env = {"RAPPORT_DB": server_url}
    results = [finish(p) for p in [spawn(["add", f"Person {i}"], env) for i in range(8)]]
    assert [code for code, _, _ in results] == [0] * 8, results
    twins = [finish(p) for p in [spawn(["add", "Grace Hopper"], env) for _ in range(2)]]
    assert sorted(code for code, _, _ in twins) == [0, 2], twins
    refused = next(err for code, _, err in twins if code == 2)
    assert refused.count("\n") == 1 and "already" in refused
    admin = _admin(server_url)
    twins_kept = admin.execute("SELECT count(*) FROM person WHERE name = 'Grace Hopper'")
    assert twins_kept.fetchone() == (1,)
    admin.close()


@needs_server
@pytest.mark.slow
def test_four_team_members_logging_at_once_keep_every_row_and_author(rapport, server_url, isolated):
    rapport("--db", server_url, "add", "Ann Lee")
    members = ["dana", "eli", "fay", "gus"]
    processes = []
    for member in members:
        config = isolated / f"{member}.toml"
        config.write_text(f'author = "{member}"\ntimezone = "UTC"\n', encoding="utf-8")
        script = textwrap.dedent(
            f"""
            from typer.testing import CliRunner
            from rapport.cli import app
            runner = CliRunner()
            for n in range(10):
                result = runner.invoke(app, ["log", "ann", "{member} note " + str(n)])
                assert result.exit_code == 0, result.stderr
            """
        )
        processes.append(
            subprocess.Popen(
                [sys.executable, "-c", script],
                env={
                    **os.environ,
                    "PYTHONPATH": os.pathsep.join(sys.path),
                    "RAPPORT_DB": server_url,
                    "RAPPORT_CONFIG": str(config),
                },
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    assert [p.wait(timeout=120) for p in processes] == [0] * 4
    rows = rapport("--db", server_url, "export", "interactions", "--format", "json").stdout
    import json

    logged = json.loads(rows)
    assert len(logged) == 40
    assert sorted({(row["author"], row["text"].split()[0]) for row in logged}) == [
        (m, m) for m in members
    ]


@needs_server
@pytest.mark.slow
def test_a_writer_blocked_by_another_exits_75_in_bounded_time_with_the_text(server_url, isolated):
    import psycopg
    from sqlalchemy.engine import make_url

    config = isolated / "impatient.toml"
    config.write_text('author = "t"\ntimezone = "UTC"\nbusy_timeout = 1\n', encoding="utf-8")
    env = {"RAPPORT_DB": server_url, "RAPPORT_CONFIG": str(config)}
    assert finish(spawn(["add", "Ann"], env))[0] == 0
    plain = make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    holder = psycopg.connect(plain)
    holder.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
    try:
        code, _, err = finish(spawn(["log", "ann"], env, stdin=""), "what I said on the call\n")
    finally:
        holder.rollback()
        holder.close()
    assert code == 75, err
    assert "locked" in err and "what I said on the call" in err
    assert password(server_url) not in err


@needs_server
def test_a_server_journal_of_schema_1_upgrades_with_nothing_lost(rapport, isolated, server_url):
    journals = Path(__file__).parent / "journals"
    admin = _admin(server_url)
    admin.execute((journals / "schema1.postgres.sql").read_text(encoding="utf-8"))
    admin.close()
    on_file = isolated / "schema1.db"
    shutil.copyfile(journals / "schema1.db", on_file)
    upgraded = export_all(rapport, server_url, isolated / "server")
    assert upgraded == export_all(rapport, str(on_file), isolated / "file")
    assert b"Jos\xc3\xa9 N\xc3\xba\xc3\xb1ez" in upgraded["people.csv"]
    assert f"schema version {SCHEMA_VERSION}" in rapport("--db", server_url, "db", "upgrade").stdout
    rapport("--db", server_url, "log", "ann", "after the upgrade")
    rapport("--db", server_url, "undo")
    assert "after the upgrade" not in rapport("--db", server_url, "timeline", "ann").stdout


def test_each_commitment_says_who_made_it_and_due_and_open_narrow_to_one_member(
    rapport, isolated, monkeypatch
):
    rapport("add", "Ann Lee")
    rapport("add", "Bo Chen")
    rapport("promise", "ann", "send the deck", "--due", "2026-11-20")
    config = isolated / "eli.toml"
    config.write_text('author = "Eli"\ntimezone = "UTC"\n', encoding="utf-8")
    monkeypatch.setenv("RAPPORT_CONFIG", str(config))
    rapport("promise", "bo", "call the bank", "--due", "2026-11-21")
    rapport("log", "bo", "Talked it through")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(rapport("export", "commitments").stdout)))
    assert [(r["text"], r["author"]) for r in rows] == [
        ("send the deck", "tester"),
        ("call the bank", "Eli"),
    ]
    timeline = list(csv.DictReader(io.StringIO(rapport("timeline", "--format", "csv").stdout)))
    assert {(r["kind"], r["author"]) for r in timeline if r["kind"] != "stage"} == {
        ("commitment", "tester"),
        ("commitment", "Eli"),
        ("interaction", "Eli"),
    }
    mine = rapport("open", "--author", "eli", "--format", "csv").stdout
    assert "call the bank" in mine and "send the deck" not in mine
    due = rapport("due", "--author", "ELI", "--format", "csv").stdout
    assert "Bo Chen" in due and "Ann Lee" not in due
    assert rapport("due", "--author", "nobody", "--format", "csv").stdout.count("\n") == 1
    assert "--author NAME" in rapport("open", "--author", " ", expect=2).stderr

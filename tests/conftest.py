"""Every test runs on its own journal and config in a temporary folder.

When ``RAPPORT_TEST_POSTGRES`` names a reachable PostgreSQL server (an
SQLAlchemy URL whose role may create databases), every test that drives the
CLI runs twice: on an SQLite file and on a database of its own on that server,
created for the test and dropped after it. Tests about the file itself (its
path, modes, backups, upgrades of kept files) ask for ``journal_path`` or are
marked ``sqlite_only`` and run on SQLite alone.

Each test's server database is a copy of one that rapport itself gave a new
journal's schema, once per worker: the copy costs the server less than making
the schema again. A fresh, empty server is what the team tests make their own.
"""

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rapport.cli import app
from rapport.cli.wiring import needed_command

NOW = "2026-11-24T09:30:00+00:00"
SERVER = os.environ.get("RAPPORT_TEST_POSTGRES", "")
_databases = itertools.count()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: no automatic server variant (about the file, or makes its own)"
    )
    config.addinivalue_line("markers", "slow: a process-level test that takes seconds")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    both = (
        SERVER
        and "rapport" in metafunc.fixturenames
        and "journal_path" not in metafunc.fixturenames
        and metafunc.definition.get_closest_marker("sqlite_only") is None
    )
    if both:
        metafunc.parametrize("backend", ["sqlite", "postgresql"])


@pytest.fixture
def backend() -> str:
    """The journal's backend: SQLite unless the test runs in its server variant."""
    return "sqlite"


def _admin(url: str) -> Any:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url).set(drivername="postgresql")
    return psycopg.connect(parsed.render_as_string(hide_password=False), autocommit=True)


def _database_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(SERVER).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server_template() -> Iterator[tuple[Any, str]]:
    """One connection to the test server, and a new journal as rapport creates it there."""
    from rapport.store.journal import open_journal

    name = f"rapport_template_{os.getpid()}"
    admin = _admin(SERVER)
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    try:
        open_journal(_database_url(name)).close()
        yield admin, name
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


@pytest.fixture
def server_database(request: pytest.FixtureRequest, backend: str) -> Iterator[str | None]:
    """A copy of that new journal on the test server for a ``postgresql`` run, else None."""
    if backend != "postgresql":
        yield None
        return
    admin, template = request.getfixturevalue("server_template")
    name = f"rapport_test_{os.getpid()}_{next(_databases)}"
    admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    try:
        yield _database_url(name)
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server_database: str | None) -> Path:
    """Point rapport at a temporary journal and config; never at the user's own."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    config = tmp_path / "config.toml"
    config.write_text('author = "tester"\ntimezone = "UTC"\n', encoding="utf-8")
    monkeypatch.setenv("RAPPORT_CONFIG", str(config))
    monkeypatch.setenv("RAPPORT_DB", server_database or str(tmp_path / "journal.db"))
    monkeypatch.setenv("RAPPORT_NOW", NOW)
    for var in ("VISUAL", "EDITOR", "NO_COLOR", "RAPPORT_DEBUG", "COLUMNS", "LINES"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str, raw: bytes = b"") -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        self.raw = raw

    def __repr__(self) -> str:
        return f"<exit {self.exit_code}\nstdout: {self.stdout}\nstderr: {self.stderr}>"


Run = Callable[..., Result]


@pytest.fixture
def rapport() -> Run:
    """Run the CLI in-process: rapport("log", "ann", "hello", input=None).

    As ``rapport`` itself does, a run builds only the command its words name (all of
    them for --help or a word that names none): typer builds the tree it is given again
    for every run, and the whole tree is about a third of a short command's time.
    """
    runner = CliRunner()

    def run(*args: str, input: str | None = None, expect: int | None = 0) -> Result:
        word = needed_command(args, "_RAPPORT_COMPLETE")
        with app.only(word) if word is not None else nullcontext():
            result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        outcome = Result(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)
        if expect is not None:
            assert result.exit_code == expect, outcome
        return outcome

    return run


@pytest.fixture
def journal_path(isolated: Path) -> Path:
    return Path(os.environ["RAPPORT_DB"])

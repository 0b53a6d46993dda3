"""Every test runs on its own journal and config in a temporary folder."""

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapport.cli import app

NOW = "2026-11-24T09:30:00+00:00"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point rapport at a temporary journal and config; never at the user's own."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    config = tmp_path / "config.toml"
    config.write_text('author = "tester"\ntimezone = "UTC"\n', encoding="utf-8")
    monkeypatch.setenv("RAPPORT_CONFIG", str(config))
    monkeypatch.setenv("RAPPORT_DB", str(tmp_path / "journal.db"))
    monkeypatch.setenv("RAPPORT_NOW", NOW)
    for var in ("VISUAL", "EDITOR", "NO_COLOR", "RAPPORT_DEBUG"):
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
    """Run the CLI in-process: rapport("log", "ann", "hello", input=None)."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None, expect: int | None = 0) -> Result:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        outcome = Result(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)
        if expect is not None:
            assert result.exit_code == expect, outcome
        return outcome

    return run


@pytest.fixture
def journal_path(isolated: Path) -> Path:
    return Path(os.environ["RAPPORT_DB"])

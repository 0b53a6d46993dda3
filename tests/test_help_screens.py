"""Help pages read as a command line's help conventionally does, at any width."""

import re

import pytest
from typer.testing import CliRunner

from rapport.cli import app, leaf_commands

COMMANDS = [(), *(words for words, _ in leaf_commands())]
BOX = re.compile(r"[─│╭╮╰╯]")


def help_at(words: tuple[str, ...], width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    from typer import rich_utils

    # typer reads TERMINAL_WIDTH once, when first imported
    monkeypatch.setattr(rich_utils, "MAX_WIDTH", width, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(app, [*words, "--help"], prog_name="rapport")
    assert result.exit_code == 0, result.output
    return result.stdout


def words_of(text: str) -> list[str]:
    return BOX.sub(" ", text).split()


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "root")
def test_help_uses_conventional_placeholders(words, monkeypatch):
    text = help_at(words, 100, monkeypatch)
    assert "<" not in text.replace("<br>", ""), text  # no <str>, <bool>, <list[str]>
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert "{" not in usage and "}" not in usage, usage


def test_placeholders_say_what_a_value_is(monkeypatch):
    log = help_at(("log",), 100, monkeypatch)
    assert "Usage: rapport log [OPTIONS] PERSON[,PERSON…] [TEXT]" in log
    assert re.search(r"--at\s+DATE", log) and re.search(r"--tag\s+-t\s+TAG", log)
    due = help_at(("due",), 100, monkeypatch)
    assert re.search(r"--limit\s+-n\s+N\b", due)
    assert re.search(r"--explain\s+-x\s+Show", due)  # a flag shows no value
    assert re.search(r"--format\s+-f\s+\[table\|csv\|json\]", due)
    assert "Usage: rapport done [OPTIONS] ID" in help_at(("done",), 100, monkeypatch)


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "root")
def test_nothing_breaks_mid_word_at_60_columns(words, monkeypatch):
    whole = set(words_of(help_at(words, 250, monkeypatch)))
    narrow = help_at(words, 60, monkeypatch)
    assert max(len(line) for line in narrow.splitlines()) <= 60
    cut = [w for w in words_of(narrow) if w not in whole]
    assert not cut, narrow

"""The command line as a whole: help, start-up cost, the error boundary."""

import os
import re
import subprocess
import sys

from typer.testing import CliRunner

from rapport import __version__
from rapport.cli import app, leaf_commands

COMMANDS = ["add", "edit", "people", "show", "log", "stage", "timeline", "export", "db"]


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for words, _ in leaf_commands():
        result = runner.invoke(app, [*words, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, words
        assert "Example: rapport " + " ".join(words) in result.stdout, words


def test_root_help_lists_the_commands_and_an_example():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    # A command's row in a panel: the frame, its name, then its help after a gap.
    rows = re.findall(r"^│ (\S+) {2,}\S", result.stdout, flags=re.M)
    assert set(COMMANDS) <= set(rows), rows
    assert 'rapport log ann "Called about the renewal"' in result.stdout


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports this rapport."""
    full = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full)


def test_help_does_not_import_the_orm():
    code = (
        "import sys\n"
        "from rapport.cli import main\n"
        "sys.argv = ['rapport', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'dateutil') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = run_python(code)
    assert "HEAVY []" in done.stderr, done.stderr


def test_each_command_is_where_the_wiring_says():
    from typer.main import get_command

    from rapport.cli.wiring import COMMANDS, module_of

    group = get_command(app)
    assert sorted(group.commands) == sorted(w for words in COMMANDS.values() for w in words)
    for name, command in group.commands.items():
        where = command.callback.__module__ if command.callback else "rapport.cli.admin"
        assert module_of(name) == where, name


def test_the_command_a_run_needs_is_read_from_its_words(monkeypatch):
    from rapport.cli.wiring import needed_command

    assert needed_command(["--db", "show", "log", "ann"], "_RAPPORT_COMPLETE") == "log"
    assert needed_command(["--debug", "show", "--db", "x"], "_RAPPORT_COMPLETE") == "show"
    for everything in (["--help"], ["frobnicate"], ["--", "show"], []):
        assert needed_command(everything, "_RAPPORT_COMPLETE") is None
    # Completing: the command counts once a word follows it.
    monkeypatch.setenv("_RAPPORT_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "rapport done 1")
    monkeypatch.setenv("COMP_CWORD", "2")
    assert needed_command([], "_RAPPORT_COMPLETE") == "done"
    monkeypatch.setenv("COMP_CWORD", "1")
    assert needed_command([], "_RAPPORT_COMPLETE") is None
    monkeypatch.delenv("COMP_WORDS")
    monkeypatch.setenv("_RAPPORT_COMPLETE", "complete_zsh")
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "rapport show ")
    assert needed_command([], "_RAPPORT_COMPLETE") == "show"
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "rapport show")
    assert needed_command([], "_RAPPORT_COMPLETE") is None


def test_a_command_imports_its_own_module_alone():
    code = (
        "import sys\n"
        "from rapport.cli import main\n"
        "sys.argv = ['rapport', '--db', 'x.db', 'show', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "from rapport.cli.wiring import MODULES\n"
        "print('LOADED', [m for m in MODULES if m in sys.modules], file=sys.stderr)\n"
    )
    done = run_python(code, COLUMNS="200")
    assert "LOADED ['rapport.cli.people']" in done.stderr, done.stderr
    full = CliRunner().invoke(app, ["show", "--help"], env={"COLUMNS": "200"}, prog_name="rapport")
    assert done.stdout == full.stdout


def test_a_command_collects_its_own_garbage():
    # The collector is off while rapport loads, and on again once the command works.
    code = (
        "import gc, sys\n"
        "from rapport.cli import main, app\n"
        "from rapport.cli.app import state\n"
        "seen = []\n"
        "@app.command('probe')\n"
        "def probe(ctx: __import__('typer').Context) -> None:\n"
        "    seen.append(gc.isenabled())\n"
        "    state(ctx)\n"
        "    seen.append(gc.isenabled())\n"
        "sys.argv = ['rapport', 'probe']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('COLLECTING', seen, file=sys.stderr)\n"
    )
    done = run_python(code)
    assert "COLLECTING [False, True]" in done.stderr, done.stderr


def test_python_dash_m_works_and_prints_the_version():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run(
        [sys.executable, "-m", "rapport", "--version"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0
    assert done.stdout.startswith("rapport 0.")


def test_debug_shows_the_traceback_for_a_mistake(rapport):
    quiet = rapport("show", "nobody", expect=2)
    assert "Traceback" not in quiet.stderr
    import pytest

    from rapport.errors import NotFound

    with pytest.raises(NotFound):
        CliRunner().invoke(app, ["--debug", "show", "nobody"], catch_exceptions=False)


def test_piped_output_has_no_escape_codes(rapport):
    rapport("add", "Ann", "--tag", "vip")
    for args in (("people",), ("show", "ann"), ("timeline",)):
        assert "\x1b[" not in rapport(*args).stdout


def test_command_line_mistakes_are_one_line_too(rapport):
    rapport("add", "Ann")
    for args, message in [
        (("promise", "ann", "quote"), "missing option '--due'"),
        (("due", "--format", "xml"), "'xml' is not one of"),
        (("done",), "missing argument 'ID'"),
        (("frobnicate",), "no such command 'frobnicate'"),
    ]:
        result = rapport(*args, expect=2)
        assert result.stderr.startswith("rapport: ") and message in result.stderr, result
        assert len(result.stderr.strip().splitlines()) == 1, result


def test_show_completion_prints_the_script_of_the_shell_named(rapport):
    assert rapport("--show-completion", "zsh").stdout.startswith("#compdef rapport")
    assert rapport("--show-completion", "fish").stdout.startswith("complete --command rapport")
    assert "complete -o" in rapport("--show-completion", "bash").stdout


def test_root_options_work_after_the_command(rapport, tmp_path):
    assert rapport("due", "--version").stdout == f"rapport {__version__}\n"
    other = tmp_path / "other.db"
    rapport("add", "Ann", "--db", str(other))
    assert rapport("people", "--db", str(other), "-f", "csv").stdout.count("\n") == 2
    assert rapport("people", "-f", "csv").stdout.count("\n") == 1  # the default journal: empty

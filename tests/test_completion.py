"""Shell completion: person names from the journal, fast, in bash, zsh and fish."""

import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from rapport.cli import app
from rapport.completion import candidate, complete_people, complete_person, person_names
from rapport.core.people import name_key as core_name_key
from rapport.names import name_key


class Ctx:
    """What a click context offers the callback: the root's parsed --db."""

    def __init__(self, db: str | None) -> None:
        self.params = {"db": db}

    def find_root(self) -> "Ctx":
        return self


@pytest.fixture
def journal(rapport, journal_path):
    for name in ("Ann Lee", "Anna Smith", "José Núñez", "Zoë Martin", "Bob Stone"):
        rapport("add", name)
    return journal_path


def test_names_complete_from_their_start_in_any_case_or_accent(journal):
    assert person_names(journal, "an") == ["Ann Lee", "Anna Smith"]
    assert person_names(journal, "ANN L") == ["Ann Lee"]
    assert person_names(journal, "ann ") == ["Ann Lee"]
    assert person_names(journal, "jose") == ["José Núñez"]
    assert person_names(journal, "") == [
        "Ann Lee",
        "Anna Smith",
        "Bob Stone",
        "José Núñez",
        "Zoë Martin",
    ]
    assert person_names(journal, "x") == []
    assert person_names(journal, "", limit=2) == ["Ann Lee", "Anna Smith"]


def test_a_candidate_starts_with_what_was_typed():
    # the shell keeps only candidates that start with the typed text
    assert candidate("Jo", "José Núñez") == "José Núñez"
    assert candidate("jose", "José Núñez") == "jose Núñez"
    assert candidate("jo", "José Núñez") == "josé Núñez"
    assert candidate("ann ", "Ann Lee") == "ann Lee"
    assert candidate("ZOE M", "Zoë Martin") == "ZOE Martin"


def test_the_callbacks_read_the_db_option_then_the_environment(journal, tmp_path, monkeypatch):
    assert complete_person(Ctx(None), "zo") == ["zoë Martin"]
    assert complete_person(Ctx(str(journal)), "b") == ["bob Stone"]
    assert complete_person(Ctx(f"sqlite:///{journal}"), "B") == ["Bob Stone"]
    assert complete_person(Ctx("postgresql://server/db"), "B") == []
    assert complete_people(Ctx(None), "bob,Ann ") == ["bob,Ann Lee"]
    monkeypatch.setenv("_RAPPORT_COMPLETE", "complete_bash")
    assert complete_person(Ctx(None), "an") == ["ann\\ Lee", "anna\\ Smith"]


def test_no_journal_or_a_broken_one_completes_nothing_and_creates_nothing(tmp_path):
    missing = tmp_path / "none.db"
    assert complete_person(Ctx(str(missing)), "a") == []
    assert not missing.exists()
    broken = tmp_path / "broken.db"
    broken.write_text("not a database", encoding="utf-8")
    assert complete_person(Ctx(str(broken)), "a") == []


def test_completion_and_the_core_fold_names_alike():
    for name in ("José Núñez", "Jose\u0301  NU\u0303N\u0303EZ", "Zoë", "ß"):
        assert name_key(name) == core_name_key(name)


def run_completion(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        "from rapport.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'vobject', 'icalendar')\n"
        "print('HEAVY', [m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    full = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full)


def test_bash_completes_a_person_without_importing_the_orm(journal):
    done = run_completion(
        {"_RAPPORT_COMPLETE": "complete_bash", "COMP_WORDS": "rapport show jo", "COMP_CWORD": "2"}
    )
    assert done.stdout.splitlines() == ["josé\\ Núñez"]
    assert "HEAVY []" in done.stderr, done.stderr


def complete(env: dict[str, str]) -> str:
    """Run a completion request in-process, as the shell's script would."""
    result = CliRunner().invoke(app, [], env=env, prog_name="rapport")
    return result.stdout


def test_zsh_and_fish_complete_people_and_honour_db(journal, tmp_path):
    other = tmp_path / "other.db"
    shutil.copy(journal, other)
    zsh = complete(
        {"_RAPPORT_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "rapport log ann,Zo"}
    )
    assert zsh.strip() == "_arguments '*: :((\"ann,Zoë Martin\"))'"
    fish = complete(
        {
            "_RAPPORT_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            "_TYPER_COMPLETE_ARGS": f"rapport --db {other} brief B",
            "RAPPORT_DB": str(tmp_path / "nowhere.db"),
        }
    )
    assert fish.splitlines() == ["Bob Stone"]
    assert not (tmp_path / "nowhere.db").exists()


@pytest.mark.parametrize(
    ("shell", "script"),
    [
        ("bash", ".bash_completions/rapport.sh"),
        ("zsh", ".zfunc/_rapport"),
        ("fish", ".config/fish/completions/rapport.fish"),
    ],
)
def test_completion_scripts_show_and_install_for_each_shell(shell, script, isolated, monkeypatch):
    # typer reads this as it builds the command: name the shell instead of detecting it
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    runner = CliRunner()
    marker = f"_RAPPORT_COMPLETE=complete_{shell}"
    shown = runner.invoke(app, ["--show-completion", shell], prog_name="rapport")
    assert marker in shown.stdout
    installed = runner.invoke(app, ["--install-completion", shell], prog_name="rapport")
    assert installed.exit_code == 0, installed.output
    assert marker in (isolated / "home" / script).read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_tab_in_a_real_bash(journal, tmp_path):
    """Source the script that --show-completion prints and press Tab after 'rapport show zo'."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "rapport"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m rapport "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    env = dict(
        os.environ,
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        PYTHONPATH=os.pathsep.join(sys.path),
        _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1",
    )
    script = subprocess.run(
        ["rapport", "--show-completion", "bash"], capture_output=True, text=True, env=env
    ).stdout
    press_tab = (
        f"{script}\n"
        "COMP_WORDS=(rapport show zo); COMP_CWORD=2\n"
        "_rapport_completion rapport\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "--norc", "-c", press_tab], capture_output=True, text=True, env=env
    )
    assert done.stdout.splitlines() == ["zoë\\ Martin"], done.stderr


def fish(words: str) -> list[str]:
    """What fish offers for the last word of ``words``, each 'value<TAB>help'."""
    env = {
        "_RAPPORT_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        "_TYPER_COMPLETE_ARGS": words,
    }
    return complete(env).splitlines()


def test_ids_complete_with_their_text_after_done_broke_release_and_resolve(rapport, journal):
    rapport("promise", "ann lee", "send the tile samples", "--due", "2026-11-30")
    rapport("expect", "bob", "deposit", "--due", "2026-12-02")
    rapport("promise", "ann lee", "old promise", "--due", "2026-11-30")
    rapport("done", "3")
    rapport("problem", "jose", "grout colour wrong")
    rapport("problem", "jose", "fixed already")
    rapport("resolve", "2")
    for command in ("done", "broke", "release"):
        offered = fish(f"rapport {command} ")
        assert offered == [
            "2\tdeposit (due 2026-12-02)",
            "1\tsend the tile samples (due 2026-11-30)",
        ]
    assert fish("rapport resolve ") == ["1\tgrout colour wrong"]
    bash = {"_RAPPORT_COMPLETE": "complete_bash", "COMP_WORDS": "rapport done 1", "COMP_CWORD": "2"}
    assert complete(bash).splitlines() == ["1"]


def test_words_complete_after_their_options(rapport, journal):
    rapport("edit", "ann lee", "--tag", "vip", "--tag", "bank")
    rapport("log", "bob", "hello", "--tag", "visit-2026")
    assert fish("rapport log ann --mood p") == ["pleased"]
    assert fish("rapport log ann --channel m") == ["meeting", "message"]
    assert fish("rapport add Cy --stage e") == ["engaged"]
    assert fish("rapport gesture ann t") == ["thanks"]
    assert fish("rapport people --tag ") == ["bank", "vip", "visit-2026"]
    assert fish("rapport log ann --tag vi") == ["vip", "visit-2026"]
    assert fish("rapport edit ann --untag b") == ["bank"]


def test_a_name_inside_an_open_quote_completes_unescaped(journal):
    quoted = {
        "_RAPPORT_COMPLETE": "complete_bash",
        "COMP_WORDS": 'rapport show "jo',
        "COMP_CWORD": "2",
    }
    assert complete(quoted).splitlines() == ["josé Núñez"]
    single = dict(quoted, COMP_WORDS="rapport log 'Ann L")
    assert complete(single).splitlines() == ["Ann Lee"]
    bare = dict(quoted, COMP_WORDS="rapport show jo")
    assert complete(bare).splitlines() == ["josé\\ Núñez"]

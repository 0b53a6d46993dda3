"""The docs agree with the program: the reference is fresh and every command is shown in use."""

import os
import subprocess
import sys
from pathlib import Path

from rapport.cli import leaf_commands

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_the_command_reference_is_generated_from_the_current_help():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_every_command_is_shown_in_use_in_the_guides():
    guides = "\n".join(
        p.read_text(encoding="utf-8") for p in DOCS.glob("*.md") if p.name != "cli.md"
    )
    missing = [" ".join(w) for w, _ in leaf_commands() if f"rapport {' '.join(w)}" not in guides]
    assert missing == []


def test_the_readme_gives_the_two_setup_commands_that_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install . && rapport demo" in readme
    test_command = next(line for line in readme.splitlines() if "python -m pytest" in line)
    assert test_command in ci.splitlines()
    for picture in ("docs/img/due.svg",):
        assert picture in readme and (ROOT / picture).exists()

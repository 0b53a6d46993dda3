"""What the user typed survives: text that can't be read is kept, the editor explains itself."""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def ann(rapport):
    rapport("add", "Ann Lee")


@pytest.fixture
def scratch(tmp_path, monkeypatch) -> Path:
    """The folder where rapport keeps the files of text it could not save."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def editor(tmp_path: Path, monkeypatch, body: str) -> Path:
    """A stand-in $EDITOR: copies what it was shown to shown.txt, then runs ``body``."""
    script = tmp_path / "fake-editor"
    script.write_text(
        f"#!{sys.executable}\nimport shutil, sys\npath = sys.argv[1]\n"
        f"shutil.copy(path, {str(tmp_path / 'shown.txt')!r})\n{body}\n",
        encoding="utf-8",
    )
    script.chmod(0o700)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.setattr("rapport.cli.journal.stdin_is_terminal", lambda: True)
    return tmp_path / "shown.txt"


def logged(rapport) -> list[dict]:
    return json.loads(rapport("export", "interactions", "--format", "json").stdout)


def kept_file(stderr: str) -> Path:
    match = re.search(r"kept in (\S+)$", stderr.strip())
    assert match, stderr
    return Path(match[1])


def test_editor_text_in_latin_1_is_kept_and_named(rapport, ann, tmp_path, monkeypatch, scratch):
    editor(
        tmp_path,
        monkeypatch,
        "open(path, 'wb').write('Caf\\xe9 with Ren\\xe9e\\n'.encode('latin-1'))",
    )
    result = rapport("log", "ann", expect=2)
    assert result.stderr.count("\n") == 1
    assert "is not UTF-8 text (byte 0xe9 on line 1)" in result.stderr
    assert kept_file(result.stderr).read_bytes() == "Café with Renée\n".encode("latin-1")
    assert logged(rapport) == []


def test_the_editor_opens_on_a_header_that_is_left_out(rapport, ann, tmp_path, monkeypatch):
    shown = editor(
        tmp_path,
        monkeypatch,
        "text = open(path).read() + 'Renewal agreed\\n# a note to self\\n'\n"
        "open(path, 'w').write(text)",
    )
    rapport("log", "ann", "--channel", "visit")
    header = shown.read_text(encoding="utf-8")
    assert header.splitlines() == [
        "# With Ann Lee, by visit, on Tue 24 Nov 2026 09:30 (logged by tester).",
        "# Write below. Lines starting with # are left out.",
        "# To cancel, save an empty text (or quit without saving).",
    ]
    assert logged(rapport)[0]["text"] == "Renewal agreed"


def test_an_empty_editor_text_cancels_in_one_line(rapport, ann, tmp_path, monkeypatch, scratch):
    editor(tmp_path, monkeypatch, "pass  # saved as shown: only the header")
    result = rapport("log", "ann", expect=1)
    assert result.stderr == "rapport: cancelled: the text was empty, so nothing was saved\n"
    assert logged(rapport) == []
    assert list(scratch.iterdir()) == []


def test_a_failing_editor_keeps_what_was_typed(rapport, ann, tmp_path, monkeypatch, scratch):
    editor(tmp_path, monkeypatch, "open(path, 'a').write('half a thought')\nsys.exit(3)")
    result = rapport("log", "ann", expect=2)
    assert "exited with status 3" in result.stderr
    assert kept_file(result.stderr).read_text(encoding="utf-8").endswith("half a thought")


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "rapport", *args], input=stdin, capture_output=True, check=False
    )


def test_invalid_utf8_on_standard_input_is_kept(rapport, ann, tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env_tmp = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(scratch)
    try:
        result = run("log", "ann", stdin=b"line one\nna\xefve\n")
    finally:
        if env_tmp is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = env_tmp
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "standard input is not UTF-8 text (byte 0xef on line 2)" in stderr
    assert kept_file(stderr).read_bytes() == b"line one\nna\xefve\n"
    assert logged(rapport) == []


def test_an_argument_that_is_not_utf8_is_one_line(ann):
    result = subprocess.run(
        [sys.executable, "-m", "rapport", "log", "ann", os.fsdecode(b"caf\xe9")],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 2
    assert (
        result.stderr == b"rapport: an argument is not UTF-8 text (b'caf\\xe9'); nothing was done\n"
    )


@pytest.mark.parametrize("mood", ["²", "٢", "+²"])
def test_a_mood_in_other_digits_is_a_plain_mistake(rapport, ann, mood):
    result = rapport("log", "ann", "hello", "--mood", mood, expect=2)
    assert result.stderr.startswith(f"rapport: unknown mood '{mood}'")

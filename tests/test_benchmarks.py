"""The benchmarks run at their smallest size and print their table: a smoke test, never a timing."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_benchmarks_run_at_the_small_size_and_print_their_table(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--size",
            "small",
            "--runs",
            "1",
            "--warmup",
            "0",
            "--only=--help,show PERSON,due --format csv,export interactions",
            "--journals",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "rapport benchmarks: small journal, 1,000 people, 10,000 interactions"
    )
    header = next(line for line in lines if line.startswith("command"))
    assert header.split()[:4] == ["command", "median", "s", "floor"]
    for name in ("--help", "show PERSON", "due --format csv", "export interactions"):
        assert any(line.startswith(name + " ") for line in lines), name
    saved = json.loads((tmp_path / "results-small.json").read_text(encoding="utf-8"))
    assert saved["journal"]["people"] == 1000
    names = {r["name"] for r in saved["results"]}
    assert names >= {"--help", "due --format csv", "export interactions"}
    assert all(r["floor_s"] > 0 and r["peak_mb"] > 0 for r in saved["results"])

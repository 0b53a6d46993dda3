"""Regenerate docs/cli.md from `--help`, and the pictures in docs/img from real output.

python scripts/gen_docs.py            # write docs/cli.md and docs/img/*.svg
python scripts/gen_docs.py --check    # exit 1 if docs/cli.md is stale (used by the tests)
"""

import io
import os
import sys
import tempfile
from pathlib import Path

# Help is rendered at a fixed width, without colour, so that the reference is stable.
os.environ["TERMINAL_WIDTH"] = "100"
os.environ["COLUMNS"] = "100"
os.environ["NO_COLOR"] = "1"
os.environ.pop("FORCE_COLOR", None)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from typer.testing import CliRunner  # noqa: E402

from rapport.cli import app, leaf_commands  # noqa: E402

CLI_MD = ROOT / "docs" / "cli.md"
PICTURES = {
    "due": ["due"],
    "brief": ["brief", "helen"],
    "pipeline": ["pipeline"],
    "ledger": ["ledger"],
}
PINNED_NOW = "2026-11-24T09:30:00+01:00"


def help_text(words: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, [*words, "--help"], prog_name="rapport")
    assert result.exit_code == 0, result.output
    return "\n".join(line.rstrip() for line in result.stdout.strip("\n").splitlines())


def reference() -> str:
    parts = [
        "# Command reference\n",
        "Generated from `rapport --help` by `scripts/gen_docs.py`; do not edit by hand.",
        "The guide (docs/guide.md) shows these commands at work.\n",
        "## rapport\n",
        "```text\n" + help_text(()) + "\n```\n",
    ]
    for words, _ in leaf_commands():
        parts.append(f"## rapport {' '.join(words)}\n")
        parts.append("```text\n" + help_text(words) + "\n```\n")
    return "\n".join(parts)


def pictures() -> None:
    from rich.console import Console
    from rich.text import Text

    with tempfile.TemporaryDirectory() as folder:
        # A config file named by RAPPORT_CONFIG must exist; this one pins the time zone.
        (Path(folder) / "none.toml").write_text('timezone = "UTC"\n', encoding="utf-8")
        env = {
            "RAPPORT_DB": str(Path(folder) / "demo.db"),
            "RAPPORT_CONFIG": str(Path(folder) / "none.toml"),
            "RAPPORT_NOW": PINNED_NOW,
            "FORCE_COLOR": "1",
            "NO_COLOR": "",
            "COLUMNS": "120",
        }
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        del os.environ["NO_COLOR"]
        try:
            runner = CliRunner()
            runner.invoke(app, ["demo"], catch_exceptions=False)
            for name, args in PICTURES.items():
                result = runner.invoke(app, args, catch_exceptions=False, terminal_width=120)
                console = Console(record=True, width=120, file=io.StringIO())
                console.print(Text.from_ansi(result.stdout))
                console.save_svg(str(ROOT / "docs" / "img" / f"{name}.svg"),
                                 title=f"rapport {' '.join(args)}")  # fmt: skip
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def main() -> int:
    text = reference()
    if "--check" in sys.argv:
        if not CLI_MD.exists() or CLI_MD.read_text(encoding="utf-8") != text:
            print("docs/cli.md is stale: run python scripts/gen_docs.py", file=sys.stderr)
            return 1
        return 0
    CLI_MD.write_text(text, encoding="utf-8")
    pictures()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

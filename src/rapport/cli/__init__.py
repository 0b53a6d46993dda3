"""The command line: typer apps that parse, call the core once, and render."""

# isort: off
# Commands register on import; this order is the order of the panels in --help.
from rapport.cli import people, journal, commitments, reports, transfer, admin, demo  # noqa: F401
from rapport.cli.app import app
# isort: on


def main() -> None:
    app(prog_name="rapport")


__all__ = ["app", "main"]

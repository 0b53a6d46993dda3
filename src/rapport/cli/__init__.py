"""The command line: typer apps that parse, call the core once, and render."""

from rapport.cli import (  # noqa: F401  (register commands)
    admin,
    commitments,
    journal,
    people,
    reports,
    transfer,
)
from rapport.cli.app import app


def main() -> None:
    app(prog_name="rapport")


__all__ = ["app", "main"]

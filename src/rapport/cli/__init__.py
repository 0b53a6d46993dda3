"""The command line: typer apps that parse, call the core once, and render."""

from collections.abc import Iterator
from typing import Any

# isort: off
# Commands register on import; this order is the order of the panels in --help.
from rapport.cli import people, journal, craft, commitments, reports  # noqa: F401
from rapport.cli import transfer, fixing, finding, admin, demo  # noqa: F401
from rapport.cli.app import app
# isort: on


def main() -> None:
    app(prog_name="rapport")


def leaf_commands() -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command that runs something, as its words and its click command."""
    from typer.main import get_command

    def walk(group: Any, prefix: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
        for name in sorted(group.commands):
            command = group.commands[name]
            if hasattr(command, "commands"):
                yield from walk(command, (*prefix, name))
            else:
                yield (*prefix, name), command

    return walk(get_command(app), ())


__all__ = ["app", "leaf_commands", "main"]

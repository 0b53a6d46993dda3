"""The command line: typer apps that parse, call the core once, and render."""

import gc
import sys
from collections.abc import Iterator
from typing import Any

from rapport.cli.app import app


def main() -> None:
    # Loading rapport makes tens of thousands of objects that live as long as the process
    # (modules, classes, the ORM's mappings). The cyclic collector would go over them again
    # and again while they are made, and once more at exit, finding nothing to free: it is
    # held off until the command begins its work (see cli.app.state), and what is left at
    # the end is left to the exit, which frees it with the process.
    gc.disable()
    try:
        from rapport.cli.wiring import needed_command

        word = needed_command(sys.argv[1:], "_RAPPORT_COMPLETE")
        if word is None:
            app(prog_name="rapport")
        else:
            with app.only(word):
                app(prog_name="rapport")
    finally:
        gc.freeze()


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

"""Writing to the terminal or to scripts: Rich on a terminal, plain text otherwise."""

import os
import sys
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from rapport.render import Listing, Record


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def console(stderr: bool = False) -> "Console":
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty() or bool(os.environ.get("FORCE_COLOR"))
    return Console(
        file=stream,
        highlight=False,
        no_color="NO_COLOR" in os.environ or not terminal,
        width=None if terminal or os.environ.get("COLUMNS") else 120,
        force_terminal=False if not terminal else None,
        emoji=False,
    )


def note(message: str) -> None:
    """A message for the user, on stderr so that stdout stays data."""
    sys.stderr.write(message + "\n")


def write_records(listing: "Listing", records: Iterable["Record"], fmt: Format) -> None:
    from rapport.render import write_csv, write_json

    if fmt is Format.csv:
        write_csv(listing, records, sys.stdout)
    else:
        write_json(listing, records, sys.stdout)


def table(*columns: str, title: str | None = None, **options: Any) -> Any:
    from rich import box
    from rich.table import Table

    grid = Table(title=title, box=box.SIMPLE_HEAD, header_style="bold", **options)
    for column in columns:
        grid.add_column(column)
    return grid


def add_row(grid: Any, *values: str) -> None:
    """Add a row of user text, never read as Rich markup."""
    from rich.text import Text

    grid.add_row(*(Text(v) for v in values))

"""Writing to the terminal or to scripts: Rich on a terminal, plain text otherwise."""

import io
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

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
    plain = "NO_COLOR" in os.environ or not (stream.isatty() or os.environ.get("FORCE_COLOR"))
    if plain:  # no escape codes at all: no colour, no bold
        width = 120 if not stream.isatty() and not os.environ.get("COLUMNS") else None
        return Console(file=stream, highlight=False, force_terminal=False, no_color=True,
                       width=width, emoji=False)  # fmt: skip
    return Console(file=stream, highlight=False, force_terminal=True, emoji=False)


@contextmanager
def utf8_stdout() -> Iterator[TextIO]:
    """Standard output as UTF-8 with no newline translation, whatever the locale says."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        yield sys.stdout
        return
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield stream
    finally:
        stream.flush()
        stream.detach()


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def note(message: str) -> None:
    """A message for the user, on stderr so that stdout stays data."""
    sys.stderr.write(message + "\n")


def reference(ref: str) -> None:
    """The reference of the record a command wrote, on stdout for scripts: i12, c3, 7."""
    sys.stdout.write(ref + "\n")


def write_document(document: object) -> None:
    """One JSON object on stdout: a card for scripts."""
    import json

    with utf8_stdout() as stream:
        json.dump(document, stream, ensure_ascii=False, indent=2)
        stream.write("\n")


def write_records(listing: "Listing", records: Iterable["Record"], fmt: Format) -> None:
    from rapport.render import write_csv, write_json

    with utf8_stdout() as stream:
        if fmt is Format.csv:
            write_csv(listing, records, stream)
        else:
            write_json(listing, records, stream)


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

"""Writing to the terminal or to scripts: Rich on a terminal, plain text otherwise."""

import io
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, TextIO

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.table import Table
    from rich.text import Text

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


def styled(text: str, style: str) -> "str | Text":
    """A cell in ``style``: plain text when there is none, which a long listing keeps cheaply."""
    if not style:
        return text
    from rich.text import Text

    return Text(text, style=style)


def show(grid: "Screen") -> None:
    """Print a table: Rich lays it out on a terminal; plain lines go straight to a pipe."""
    from rapport.cli.plain import plain_lines

    out = console()
    if not (out.is_terminal or out.record or out.legacy_windows) and out.encoding.startswith("utf"):
        lines = plain_lines(grid, out.width)
        if lines is not None:
            out.file.writelines(line + "\n" for line in lines)
            return
    out.print(grid)


def write_records(listing: "Listing", records: Iterable["Record"], fmt: Format) -> None:
    from rapport.render import write_csv, write_json

    with utf8_stdout() as stream:
        if fmt is Format.csv:
            write_csv(listing, records, stream)
        else:
            write_json(listing, records, stream)


@dataclass(frozen=True)
class Column:
    """One column of a listing on the terminal, declared once with the listing.

    ``drop`` is its priority when the terminal is narrow: 0 is always shown, and
    columns with higher numbers go first, those sharing a number together. A
    ``wrap`` column holds free text: it wraps between words and the first one
    gets the room left over. Every other column is never cut nor split.
    """

    header: str
    drop: int = 0
    justify: Literal["left", "right"] = "left"
    wrap: bool = False


_GAP = 2  # each column's padding on its right and the blank separator after it
_NARROWEST_TEXT = 12


class Screen:
    """A table that fits its columns to the terminal's width when it is printed."""

    def __init__(self, columns: Sequence[Column], *, title: str | None = None) -> None:
        self.columns = tuple(columns)
        self.title = title
        self.rows: list[tuple[list[str], str, bool]] = []  # each cell's text, style, end
        self.cells: list[list[str | Text]] = []  # the cells as given, for Rich
        self.plain = True  # no cell needs Rich to lay it out (plain.py)

    def row(self, *cells: "str | Text | None", style: str = "", end: bool = False) -> None:
        """Add a row of user text (never read as markup); ``end`` closes a group of rows."""
        from rich.control import strip_control_codes
        from rich.text import Text

        given = [c if isinstance(c, Text) else strip_control_codes(c or "") for c in cells]
        texts = [c.plain if isinstance(c, Text) else c for c in given]
        own_layout = [
            (c.end, c.justify, c.overflow, c.no_wrap, c.tab_size)
            for c in given
            if isinstance(c, Text)
        ]
        if any("\t" in t for t in texts) or any(o != ("\n", *[None] * 4) for o in own_layout):
            self.plain = False
        self.rows.append((texts, style, end))
        self.cells.append(given)

    def __rich_console__(self, console: "Console", options: "ConsoleOptions") -> "RenderResult":
        yield self.table(options.max_width)

    def _filled(self, index: int) -> bool:
        return any(texts[index] for texts, _, _ in self.rows)

    def _natural(self, index: int) -> int:
        lines = [self.columns[index].header]
        for texts, _, _ in self.rows:
            lines += texts[index].splitlines()
        return max(len(line) for line in lines)

    def _narrowest(self, index: int) -> int:
        """The least a column can take: its longest word if it wraps, else all of each
        value (its header may wrap between words)."""
        header = max(len(w) for w in self.columns[index].header.split() or [""])
        if not self.columns[index].wrap:
            cells = [line for texts, _, _ in self.rows for line in texts[index].splitlines()]
            return max(header, *(len(line) for line in cells or [""]))
        words = [w for texts, _, _ in self.rows for w in texts[index].split()]
        longest = max([header, *(len(w) for w in words)])
        return max(longest, min(self._natural(index), _NARROWEST_TEXT))

    def widths(self, width: int) -> dict[int, int]:
        """The columns that fit in ``width``, each with its width."""

        def total(widths: dict[int, int]) -> int:
            return sum(widths.values()) + _GAP * len(widths) - 1

        kept = [
            i for i in range(len(self.columns)) if self._filled(i)
        ]  # a column nobody has a value in is left out
        least = {i: self._narrowest(i) for i in kept}
        for level in sorted({c.drop for c in self.columns if c.drop}, reverse=True):
            if total({i: least[i] for i in kept}) <= width:
                break
            kept = [i for i in kept if self.columns[i].drop != level]
        sizes = {i: self._natural(i) for i in kept}
        if total(sizes) > width:  # long headers wrap first
            sizes.update({i: least[i] for i in kept if not self.columns[i].wrap})
        # Free text shares what the whole columns leave: the first text column gets the
        # room, the others a third of it at most unless the first needs less.
        texts = [i for i in kept if self.columns[i].wrap]
        if texts and total(sizes) > width:
            first, others = texts[0], texts[1:]
            room = (
                width
                - total({i: w for i, w in sizes.items() if i not in texts})
                - _GAP * len(texts)
            )
            natural = {i: sizes[i] for i in texts}
            for i in others:
                sizes[i] = max(least[i], min(natural[i], room // 3 // len(others)))
            sizes[first] = max(
                least[first], min(natural[first], room - sum(sizes[i] for i in others))
            )
            for i in others:
                spare = width - total(sizes)
                if spare > 0:
                    sizes[i] = min(natural[i], sizes[i] + spare)
        return sizes

    def table(self, width: int) -> "Table":
        from rich import box
        from rich.table import Table
        from rich.text import Text

        sizes = self.widths(width)
        fits = sum(sizes.values()) + _GAP * len(sizes) - 1 <= width
        grid = Table(
            title=self.title,
            box=box.SIMPLE_HEAD,
            header_style="bold",
            show_edge=False,
            padding=(0, 1, 0, 0),
        )
        for i, size in sizes.items():
            column = self.columns[i]
            grid.add_column(
                Text(column.header, no_wrap=False),
                justify=column.justify,
                no_wrap=fits and not column.wrap,
                width=size if fits else None,
                overflow="fold",
            )
        for (_, style, end), given in zip(self.rows, self.cells, strict=True):
            cells = [c if isinstance(c, Text) else Text(c) for c in given]
            grid.add_row(*(cells[i] for i in sizes), style=style or None, end_section=end)
        return grid

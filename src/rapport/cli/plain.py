"""A table as plain lines: the characters Rich prints for it where no colour is shown.

Rich lays out a table cell by cell, which costs milliseconds a row: a listing of
ten thousand rows piped to a file took seconds. Without colours the result is
only text, so it is laid out here by the same rules (Rich's own word wrapping
and cell widths, its justification, the box and padding ``Screen`` asks for)
and written line by line. What these rules do not cover (tabs, markup in a
title, text with its own layout, a table wider than the screen) is left to Rich.
"""

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size

if TYPE_CHECKING:
    from rapport.cli.output import Column, Screen

_TRAILING_SPACE = re.compile(r"\s+$")


def _justified(line: str, width: int, justify: str) -> str:
    """One line of a cell, exactly ``width`` cells wide."""
    if justify == "left":
        return set_cell_size(line, width)
    line = line.rstrip()
    if cell_len(line) > width:
        line = set_cell_size(line, width)
    room = width - cell_len(line)
    if justify == "right":
        return " " * room + line
    left = room // 2
    return " " * left + line + " " * (room - left)


def _lines(text: str, width: int, justify: str, *, wrap: bool) -> list[str]:
    """A cell's text laid out in ``width`` cells, as ``rich.text.Text.wrap`` does."""
    out: list[str] = []
    for line in text.split("\n"):
        if not wrap or cell_len(line) <= width:
            out.append(_justified(line, width, justify))
            continue
        offsets = divide_line(line, width, fold=True)
        for start, end in zip([0, *offsets], [*offsets, len(line)], strict=True):
            piece = line[start:end]
            excess = len(piece) - width
            if excess > 0:  # whitespace beyond the width goes first
                trailing = _TRAILING_SPACE.search(piece)
                if trailing is not None:
                    piece = piece[: len(piece) - min(len(trailing.group(0)), excess)]
            out.append(_justified(piece, width, justify))
    return out


def _laid_out(cells: Sequence[list[str]], widths: Sequence[int], *, bottom: bool) -> list[str]:
    """The lines of one row: each cell padded to the row's height, then side by side."""
    height = max(len(lines) for lines in cells)
    padded = []
    for lines, width in zip(cells, widths, strict=True):
        blank = [" " * width] * (height - len(lines))
        padded.append(blank + lines if bottom else lines + blank)
    return ["  ".join(parts) + " " for parts in zip(*padded, strict=True)]


def plain_lines(screen: "Screen", width: int) -> Iterator[str] | None:
    """The lines Rich would print for ``screen`` in ``width`` cells without colour, or None
    when they are not laid out here."""
    sizes = screen.widths(width)
    widths = list(sizes.values())
    total = sum(widths) + 2 * len(widths) - 1
    title = screen.title or ""
    if not sizes or total > width or min(widths) < 1 or "[" in title or not screen.plain:
        return None
    columns = [screen.columns[i] for i in sizes]
    return _generate(screen, sizes, total, title, columns)


def _generate(
    screen: "Screen", sizes: dict[int, int], total: int, title: str, columns: list["Column"]
) -> Iterator[str]:
    widths = list(sizes.values())
    if title:
        yield from _lines(title, total, "center", wrap=True)
    headers = [
        _lines(c.header, w, c.justify, wrap=True) for c, w in zip(columns, widths, strict=True)
    ]
    yield from _laid_out(headers, widths, bottom=True)
    yield "─" * total
    last = len(screen.rows) - 1
    for n, (texts, _, end) in enumerate(screen.rows):
        cells = [
            _lines(texts[i], w, c.justify, wrap=c.wrap)
            for i, c, w in zip(sizes, columns, widths, strict=True)
        ]
        yield from _laid_out(cells, widths, bottom=False)
        if end and n < last:
            yield " " * total

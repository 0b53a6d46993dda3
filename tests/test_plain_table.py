"""A table piped to a file is laid out without Rich, and reads exactly as Rich would print it."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from rapport.cli.output import Column, Screen
from rapport.cli.plain import plain_lines

WORDS = st.sampled_from(
    ["a", "promise", "“invoice”", "x" * 30, "日本語", "café", "", " ", "  ", "\n", "\u2013", "#12"]
)
TEXT = st.lists(WORDS, max_size=8).map(" ".join)
COLUMNS = st.lists(
    st.builds(
        Column,
        st.sampled_from(["#", "person", "why", "next", "avg days", ""]),
        st.integers(0, 3),
        st.sampled_from(["left", "right"]),
        st.booleans(),
    ),
    min_size=1,
    max_size=5,
)


def rich_prints(grid: Screen, width: int) -> str:
    out = io.StringIO()
    Console(file=out, width=width, force_terminal=False, no_color=True, emoji=False).print(grid)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(
    COLUMNS,
    st.lists(st.tuples(st.lists(TEXT, min_size=5, max_size=5), st.booleans())),
    st.integers(20, 140),
    st.sampled_from([None, "Who needs you \u2014 Tue 2026-11-24", "x " * 80]),
)
def test_plain_lines_are_what_rich_prints(
    columns: list[Column], rows: list[tuple[list[str], bool]], width: int, title: str | None
) -> None:
    grid = Screen(columns, title=title)
    for texts, end in rows:
        grid.row(*texts[: len(columns)], end=end)
    lines = plain_lines(grid, width)
    if lines is not None:
        assert "".join(line + "\n" for line in lines) == rich_prints(grid, width)


def test_a_due_listing_is_laid_out_here() -> None:
    grid = Screen((Column("#", justify="right"), Column("why", wrap=True)), title="Who")
    grid.row("1", Text("you promised “pay the invoice”, due 2026-03-27", style="red"), end=True)
    grid.row("2", "last contact 12 days ago\nhelps most: call", end=True)
    lines = plain_lines(grid, 30)
    assert lines is not None
    assert "".join(line + "\n" for line in lines) == rich_prints(grid, 30)


def test_tabs_are_left_to_rich() -> None:
    grid = Screen((Column("what"),))
    grid.row("a\tb")
    assert plain_lines(grid, 80) is None

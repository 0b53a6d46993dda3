"""Fixing mistakes: undo, history."""

from typing import Annotated

import typer

from rapport.cli.app import app, state
from rapport.cli.args import Formats
from rapport.cli.output import Format, add_row, console, note, table, write_records

PANEL = "Fixing mistakes"


@app.command(rich_help_panel=PANEL)
def undo(
    ctx: typer.Context,
    change: Annotated[
        int | None,
        typer.Argument(help="A change's number from `rapport history` (default: the latest)."),
    ] = None,
) -> None:
    """Revert the latest change not yet undone; run it again to go further back.

    A change that later changes built on is not undone: undo those first.

    Example: rapport undo
    """
    from rapport.core.undo import undo as revert

    st = state(ctx)
    with st.journal.write() as session:
        done = revert(session, now=st.now(), ident=change)
    note(f"undid change {done.id} ({done.command}): {done.summary}")


@app.command(rich_help_panel=PANEL)
def history(
    ctx: typer.Context,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="Show the N latest changes.")
    ] = 20,
    fmt: Formats = Format.table,
) -> None:
    """The latest changes to the journal, newest first: when, who, what.

    Example: rapport history --limit 5
    """
    from rapport.core.undo import HISTORY, history_records
    from rapport.render import cell

    st = state(ctx)
    with st.journal.read() as session:
        records = list(history_records(session, limit))
    if fmt is not Format.table:
        write_records(HISTORY, records, fmt)
        return
    if not records:
        note("no changes recorded yet")
        return
    zone = st.zone()
    grid = table("#", "when", "who", "command", "what")
    for record in records:
        undone = record["undone_at"] is not None
        add_row(
            grid,
            str(record["id"]),
            cell(record["at"], zone),
            str(record["author"] or ""),
            str(record["command"]) + (" (undone)" if undone else ""),
            str(record["summary"]),
        )
    console().print(grid)

"""Listening and outcomes: heard, outcomes."""

from typing import Annotated

import typer

from rapport.cli.app import app, state
from rapport.cli.args import Formats
from rapport.cli.output import Column, Format, Screen, console, note, reference, write_records

PANEL = "Journal"

OUTCOME_COLUMNS = (
    Column("person"),
    Column("wants", wrap=True),
    Column("now", drop=1, wrap=True),
    Column("still for", wrap=True),
)


@app.command(rich_help_panel=PANEL)
def heard(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="The interaction, such as i12.")],
    confirmed: Annotated[
        bool, typer.Option("--confirmed", help="You repeated it back and they agreed.")
    ] = False,
    corrected: Annotated[
        str | None,
        typer.Option("--corrected", metavar="TEXT", help="What they actually meant."),
    ] = None,
) -> None:
    """Record how repeating back what you heard went: confirmed, or corrected.

    Example: rapport heard i12 --corrected "even tiles on both ends, not the cheapest"
    """
    from rapport.core.heard import find_interaction, repeat_back

    st = state(ctx)
    with st.journal.write() as session:
        item = repeat_back(
            session,
            find_interaction(session, ref),
            now=st.now(),
            confirmed=confirmed,
            corrected=corrected,
        )
        ident, state_now = item.id, item.heard_state
    reference(f"i{ident}")
    note(f"i{ident}: what you heard is {state_now}")


@app.command(rich_help_panel="Attention and reports")
def outcomes(ctx: typer.Context, fmt: Formats = Format.table) -> None:
    """People whose desired outcome has not moved for longer than their cadence.

    An outcome moves when their current state (--now) or desired outcome (--wants)
    changes, or a commitment made --toward it is kept.

    Example: rapport outcomes
    """
    from rapport.core.outcomes import OUTCOMES, stuck

    st = state(ctx)
    with st.journal.read() as session:
        rows = stuck(session, st.today(), st.zone())
    if fmt is not Format.table:
        write_records(OUTCOMES, rows, fmt)
        return
    if not rows:
        note("every desired outcome has moved within its cadence")
        return
    grid = Screen(OUTCOME_COLUMNS, title="Outcomes that have not moved")
    for r in rows:
        grid.row(
            f"{r['person']} #{r['person_id']}",
            str(r["desired_outcome"]),
            str(r["current_state"] or ""),
            f"{r['days']} days (every {r['cadence_days']})",
        )
    console().print(grid)

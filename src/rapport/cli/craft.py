"""Listening and outcomes: heard, outcomes."""

from typing import Annotated

import typer

from rapport.cli.app import app, state
from rapport.cli.output import note

PANEL = "Journal"


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
    typer.echo(f"i{ident}")
    note(f"i{ident}: what you heard is {state_now}")

"""demo."""

from typing import Annotated

import typer

from rapport.cli.app import State, app, state
from rapport.cli.output import note


@app.command(rich_help_panel="Journal file")
def demo(
    ctx: typer.Context,
    force: Annotated[
        bool,
        typer.Option("--force", help="Use the journal given by --db even if it is not empty."),
    ] = False,
) -> None:
    """Fill a demo journal with a small story and show its `due` list.

    Without --db or RAPPORT_DB it writes demo.db beside your journal, never into it.

    Example: rapport demo
    """
    from pathlib import Path

    from rapport.cli.reports import show_due
    from rapport.config import data_dir
    from rapport.core.demo import fill
    from rapport.store.journal import discard

    st = state(ctx)
    target = st.db or str(data_dir() / "demo.db")
    if st.db is None:
        discard(Path(target))  # our own demo journal is made anew each time
    demo_state = State(db=target, debug=st.debug, command=st.command)
    with demo_state.journal.write() as session:
        fill(session, demo_state.now(), demo_state.zone(), author="demo", force=force)
    show_due(demo_state, demo_state.today())
    note(f"demo journal: {target}")
    note(f"try:  rapport --db {target} brief helen   (or  pipeline, ledger, timeline raj)")

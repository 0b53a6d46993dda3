"""demo."""

from typing import Annotated

import typer

from rapport.cli.app import State, app, state
from rapport.cli.output import note
from rapport.errors import Conflict


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

    from sqlmodel import func, select

    from rapport.cli.reports import show_due
    from rapport.config import data_dir
    from rapport.core.demo import fill
    from rapport.models import Person

    st = state(ctx)
    target = st.db or str(data_dir() / "demo.db")
    path = Path(target)
    if st.db is None and path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    demo_state = State(db=target, debug=st.debug)
    with demo_state.journal.write() as session:
        people = session.exec(select(func.count()).select_from(Person)).one()
        if people and not force:
            raise Conflict(
                f"{target} already holds {people} {'person' if people == 1 else 'people'};"
                " use --force to add the demo to it,"
                " or run rapport demo without --db"
            )
        fill(session, demo_state.now(), demo_state.zone(), author="demo")
    show_due(demo_state, demo_state.today())
    note(f"demo journal: {target}")
    note(f"try:  rapport --db {target} brief helen   (or  pipeline, ledger, timeline raj)")

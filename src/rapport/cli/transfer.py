"""export."""

from enum import StrEnum
from typing import Annotated

import typer

from rapport.cli.app import app, state
from rapport.cli.output import Format, write_records


class Table(StrEnum):
    people = "people"
    interactions = "interactions"
    commitments = "commitments"
    problems = "problems"
    gestures = "gestures"
    stages = "stages"


@app.command(rich_help_panel="Data in and out")
def export(
    ctx: typer.Context,
    kind: Annotated[
        Table,
        typer.Argument(
            metavar="TABLE", help="people, interactions, commitments, problems, gestures or stages."
        ),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="csv or json.")] = Format.csv,
) -> None:
    """Write every record of one table as CSV or JSON, for scripts and spreadsheets.

    Example: rapport export interactions --format csv > interactions.csv
    """
    from rapport.core.records import LISTINGS, export_records

    st = state(ctx)
    with st.journal.read() as session:
        fmt = Format.csv if fmt is Format.table else fmt
        write_records(LISTINGS[kind.value], export_records(session, kind.value), fmt)

"""db path | check | upgrade."""

import typer

from rapport.cli.app import app, state

db_app = typer.Typer(help="The journal file: where it is, whether it is sound, its schema.")
app.add_typer(db_app, name="db", rich_help_panel="Journal file")


@db_app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print where the journal is (without creating it).

    Example: rapport db path
    """
    typer.echo(state(ctx).target)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring an older journal's schema up to date (opening it does this too).

    Example: rapport db upgrade
    """
    from rapport.store.schema import SCHEMA_VERSION

    state(ctx).journal.close()
    typer.echo(f"schema version {SCHEMA_VERSION}")

"""backup, and db path | check | upgrade."""

from typing import Annotated

import typer

from rapport.cli.app import app, state

db_app = typer.Typer(
    help="The journal file: where it is, whether it is sound, its schema.\n\nExample: rapport db check",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db", rich_help_panel="Journal file")


@app.command(rich_help_panel="Journal file")
def backup(
    ctx: typer.Context,
    file: Annotated[
        str | None,
        typer.Argument(
            metavar="FILE",
            help="Where to write the copy (a file or a folder); default: backups/ beside the journal.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Copy the journal safely, even while other rapport commands write to it.

    The copy is checked and readable by you only. Without FILE it goes to the
    backups/ folder beside the journal, and only the newest 10 are kept
    (backup_keep in the config file). Prints where the copy is.

    Example: rapport backup ~/Documents/rapport-before-import.db
    """
    from rapport.store.backup import DEFAULT_KEEP, backup_journal

    st = state(ctx)
    made = backup_journal(
        st.target,
        file,
        now=st.now(),
        keep=st.config.raw.get("backup_keep", DEFAULT_KEEP),
        busy_timeout=st.config.busy_timeout,
    )
    typer.echo(str(made))


@db_app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print where the journal is (without creating it).

    Example: rapport db path
    """
    typer.echo(state(ctx).target)


@db_app.command("check")
def db_check(ctx: typer.Context) -> None:
    """Check the journal: integrity, references, schema, SQLite version, permissions.

    One line per check: ok, warning or error. Changes nothing. Exits 1 if the
    journal is damaged.

    Example: rapport db check
    """
    from rapport.store.health import ERROR, check_journal

    checks = check_journal(state(ctx).target)
    for check in checks:
        typer.echo(f"{check.status:<8} {check.name}: {check.detail}")
    if any(check.status == ERROR for check in checks):
        raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring an older journal's schema up to date (opening it does this too).

    Example: rapport db upgrade
    """
    from rapport.store.schema import SCHEMA_VERSION

    state(ctx).journal.close()
    typer.echo(f"schema version {SCHEMA_VERSION}")

"""backup, and db path | check | upgrade."""

from typing import Annotated

import typer

from rapport.cli.app import app, state
from rapport.cli.output import note

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
    (backup_keep in the config file). Prints where the copy is. A journal on
    a PostgreSQL server is copied into an SQLite file the same way (backups/
    in your data folder); restore it with `rapport copy --from FILE`.

    Example: rapport backup ~/Documents/rapport-before-import.db
    """
    from rapport.config import sqlite_path
    from rapport.store.backup import DEFAULT_KEEP, backup_journal
    from rapport.store.copying import backup_server

    st = state(ctx)
    copy = backup_journal if sqlite_path(st.target) is not None else backup_server
    made = copy(
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
    from rapport.store.copying import describe

    typer.echo(describe(state(ctx).target))


@db_app.command("check")
def db_check(ctx: typer.Context) -> None:
    """Check the journal: integrity, references, schema, SQLite version, permissions.

    One line per check: ok, warning or error. Changes nothing. Exits 1 if the
    journal is damaged.

    Example: rapport db check
    """
    from rapport.config import sqlite_path
    from rapport.store.health import ERROR, check_journal
    from rapport.store.server import check_server

    st = state(ctx)
    if sqlite_path(st.target) is None:
        checks = check_server(st.target, st.config.busy_timeout)
    else:
        checks = check_journal(st.target)
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


@app.command(rich_help_panel="Journal file")
def copy(
    ctx: typer.Context,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="FILE_OR_URL",
            help="Copy this journal onto that one (a file, or a postgresql+psycopg:// URL).",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FILE_OR_URL",
            help="Copy that journal onto this one.",
            show_default=False,
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Overwrite a target journal that already holds records."),
    ] = False,
) -> None:
    """Copy a whole journal between a file and a team server, ids and uids kept.

    The copy is one transaction on the target: it completes or leaves the target
    as it was. A target that already holds records is refused unless --replace.

    Example: rapport copy --to postgresql+psycopg://dana@db.example.com/team
    Example: rapport --db postgresql+psycopg://dana@db.example.com/team copy --from laptop.db
    """
    from rapport.store.copying import copy_targets

    st = state(ctx)
    if (to is None) == (source is None):
        raise typer.BadParameter("give exactly one of --to and --from")
    here = st.target
    copied, shown_from, shown_to = copy_targets(
        here if to is not None else str(source),
        str(to) if to is not None else here,
        replace=replace,
        busy_timeout=st.config.busy_timeout,
    )
    typer.echo(shown_to)
    note(f"copied {copied} from {shown_from} to {shown_to}")

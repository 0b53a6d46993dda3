"""Team journals on a PostgreSQL server: the engine, its timeouts, the writers' lock.

SQLite serializes writers by itself (``BEGIN IMMEDIATE``). On a server every write
transaction first takes one transaction-level advisory lock, so writers from
several machines run one after the other exactly as they do on a file: the
duplicate-name check and its insert, the current stage and the change log's
order need nothing more. ``lock_timeout`` bounds the wait for that lock by the
same busy timeout as SQLite's, and ``statement_timeout`` bounds a server that
stops answering; both end in exit 75 with the typed text printed back.
"""

from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import NullPool

from rapport.errors import (
    BadValue,
    JournalLocked,
    NotAJournal,
    RapportError,
    ServerUnavailable,
)

if TYPE_CHECKING:
    from rapport.store.health import Check
    from rapport.store.journal import Journal

# Any fixed 64-bit number shared by every rapport writer ("rapport" in ASCII).
WRITE_LOCK = 0x72617070_6F7274
# A statement may run this many busy timeouts before the server counts as not answering:
# a report on a large journal takes seconds, a hung server for ever.
STATEMENT_SPAN = 12
# The server's words for a mistake in the URL or the login (exit 2), as opposed to a
# server that is down or slow (exit 75, so that cron retries).
LOGIN_MISTAKES = (
    "password authentication failed",
    "no password supplied",
    "does not exist",
    "could not translate host name",
    "name or service not known",
    "role ",
    "permission denied",
    "pg_hba.conf",
)


def parse(url: str) -> tuple[URL, str]:
    """The URL, and how it may be shown: never with its password."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise BadValue(f"can't read the journal URL: {exc}") from None
    return parsed, parsed.render_as_string(hide_password=True)


def server_engine(url: str, busy_timeout: float) -> tuple[Engine, str]:
    """An engine for a server URL, and the URL as it may be shown."""
    parsed, shown = parse(url)
    if parsed.get_backend_name() == "sqlite":
        raise BadValue(f"{shown} names no file (a database in memory is lost on exit)")
    if parsed.get_backend_name() != "postgresql":
        raise BadValue(
            f"unknown kind of journal URL {shown}: give a file path or a postgresql+psycopg:// URL"
        )
    millis = max(1, int(busy_timeout * 1000))
    connect_args: dict[str, Any] = {}
    if parsed.get_driver_name() == "psycopg":
        settings = f"-c lock_timeout={millis} -c statement_timeout={millis * STATEMENT_SPAN}"
        user_options = parsed.query.get("options")
        if isinstance(user_options, str):
            settings = f"{user_options} {settings}"
        connect_args = {"connect_timeout": max(2, round(busy_timeout)), "options": settings}
        parsed = parsed.difference_update_query(["options"])
    try:
        engine = create_engine(parsed, poolclass=NullPool, connect_args=connect_args)
    except NoSuchModuleError:
        raise BadValue(
            f"unknown kind of journal URL {shown}: give a file path or a postgresql+psycopg:// URL"
        ) from None
    except ImportError as exc:
        raise BadValue(
            f"journals at {parsed.drivername}:// URLs need the {exc.name} package:"
            " pip install 'rapport[postgres]'"
        ) from None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("rapport_write", False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    return engine, shown


def server_error(exc: DBAPIError, shown: str) -> RapportError | None:
    """The one-line mistake a server's refusal stands for, or None for a bug of rapport's."""
    orig = exc.orig
    code = getattr(orig, "sqlstate", None) or ""
    reason = str(orig).strip().splitlines()[0] if orig is not None else type(exc).__name__
    if code == "55P03" or code.startswith("40"):
        # lock_timeout, or a serialization failure or deadlock against another tool's writes.
        return JournalLocked(
            f"journal {shown} is locked by other writers; nothing was saved, try again"
        )
    if code == "57014":
        return ServerUnavailable(
            f"the journal server {shown} did not answer in time; nothing was saved, try again"
        )
    if code.startswith("08") or not code:
        lowered = reason.lower()
        if any(mistake in lowered for mistake in LOGIN_MISTAKES):
            return BadValue(f"can't open the journal at {shown}: {reason}")
        return ServerUnavailable(f"can't reach the journal at {shown}: {reason}; try again")
    if code.startswith("28") or code == "3D000":
        return BadValue(f"can't open the journal at {shown}: {reason}")
    if code.startswith("53"):
        return ServerUnavailable(f"the journal server {shown} is out of resources: {reason}")
    return None


def open_server(url: str, busy_timeout: float) -> "Journal":
    """Open the journal on a server, creating or upgrading its schema one opener at a time."""
    from rapport.store import schema
    from rapport.store.journal import Journal, refuse_newer

    engine, shown = server_engine(url, busy_timeout)
    journal = Journal(shown, engine, None)
    try:
        with journal.read() as session:
            version = schema.read_version(session.connection())
        if version is None:
            raise NotAJournal(f"{shown} holds tables that are not a rapport journal")
        refuse_newer(shown, version)
        if version < schema.SCHEMA_VERSION:
            # The writers' lock makes concurrent first opens wait for one creator, and an
            # upgrade one transaction that nobody else writes through (PostgreSQL's DDL
            # is transactional: a failed upgrade leaves the old schema as it was).
            with journal.write() as session:
                conn = session.connection()
                version = schema.read_version(conn)
                if version is None:
                    raise NotAJournal(f"{shown} holds tables that are not a rapport journal")
                refuse_newer(shown, version)
                if version == 0:
                    schema.create(conn)
                elif version < schema.SCHEMA_VERSION:
                    schema.upgrade(conn, version)
    except BaseException:
        journal.close()
        raise
    return journal


def check_server(url: str, busy_timeout: float) -> list["Check"]:
    """`db check` on a server: what can be checked from here, and what the server keeps."""
    from sqlalchemy import inspect, text
    from sqlmodel import SQLModel

    from rapport.store import schema
    from rapport.store.health import ERROR, OK, Check

    journal = open_server(url, busy_timeout)
    try:
        with journal.read() as session:
            conn = session.connection()
            server = str(conn.execute(text("SHOW server_version")).scalar_one())
            version = schema.read_version(conn)
            present = set(inspect(conn).get_table_names())
    finally:
        journal.close()
    missing = sorted(set(SQLModel.metadata.tables) - present)
    return [
        Check(OK, "server", f"PostgreSQL {server} at {journal.target}"),
        Check(OK, "schema", f"version {version}, as this rapport writes")
        if not missing
        else Check(ERROR, "schema", f"tables missing: {', '.join(missing)}"),
        Check(OK, "references", "enforced by the server"),
        Check(
            OK,
            "integrity and permissions",
            "kept by the server and its roles; see the server's own tools (pg_amcheck)",
        ),
    ]

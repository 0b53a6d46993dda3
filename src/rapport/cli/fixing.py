"""Fixing mistakes: amend, delete, reopen, open, undo, history."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from rapport.cli.app import State, app, state
from rapport.cli.args import AnyPerson, At, Channel, Formats
from rapport.cli.output import Column, Format, Screen, console, note, write_records
from rapport.completion import complete_people
from rapport.errors import BadValue

if TYPE_CHECKING:
    from rapport.core.fixing import Amendment

PANEL = "Fixing mistakes"
Ref = Annotated[str, typer.Argument(metavar="REF", help="i12, c3, p2, g5 or s7, as listings show.")]
Text = Annotated[str | None, typer.Option("--text", help="The new text.")]


def _amendment(st: State, values: dict[str, Any]) -> "Amendment":
    """Options as typed, read into the core's terms."""
    from rapport.cli.args import moment
    from rapport.core.fixing import Amendment
    from rapport.core.journal import parse_mood
    from rapport.dates import parse_day

    change = Amendment(
        text=values["text"],
        heard=values["heard"],
        started_by=values["started_by"],
        channel=values["channel"],
        mood=parse_mood(values["mood"]) if values["mood"] is not None else None,
        at=moment(st, values["at"]) if values["at"] is not None else None,
        tags=values["tag"] or [],
        untag=values["untag"] or [],
        due=parse_day(values["due"], st.today()) if values["due"] is not None else None,
        resolved=moment(st, values["resolved"]) if values["resolved"] is not None else None,
        note=values["note"],
        kind=values["kind"],
        stage=values["stage"],
        why=values["why"],
    )
    if values["mine"] and values["theirs"]:
        raise typer.BadParameter("give --mine or --theirs, not both")
    change.direction = "mine" if values["mine"] else "theirs" if values["theirs"] else None
    return change


def _edited(record: Any, field: str) -> str:
    """The record's text, as the user leaves it in their editor."""
    from rapport.cli.editor import edit_text
    from rapport.cli.journal import EDITOR_HELP
    from rapport.core.refs import NAMES, PREFIX, ref

    what = NAMES[PREFIX[type(record)]]
    header = f"Editing the {'reason' if field == 'why' else 'text'} of {what} {ref(record)}."
    return edit_text(f"{header}\n{EDITOR_HELP}", str(getattr(record, field) or "")).strip()


OPEN_COLUMNS = (
    Column("ref"),
    Column("who", drop=2),
    Column("what", wrap=True),
    Column("due"),
    Column("late", drop=1, justify="right"),
)
HISTORY_COLUMNS = (
    Column("#", justify="right"),
    Column("when"),
    Column("who", drop=2),
    Column("command", drop=1),
    Column("what", wrap=True),
)


@app.command(rich_help_panel=PANEL)
def amend(
    ctx: typer.Context,
    reference: Ref,
    text: Text = None,
    heard: Annotated[str | None, typer.Option("--heard", help="What they said they need.")] = None,
    channel: Channel = None,
    started_by: Annotated[
        str | None, typer.Option("--from", help="Who started it: me or them.")
    ] = None,
    mood: Annotated[
        str | None, typer.Option("--mood", "-m", help="-2..2 or upset…delighted.")
    ] = None,
    at: At = None,
    with_: Annotated[
        str | None,
        typer.Option(
            "--with",
            help="Who took part, comma-separated (replaces them).",
            autocompletion=complete_people,
        ),
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Add a tag.")] = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag.")] = None,
    due: Annotated[str | None, typer.Option("--due", "-d", help="A new due date.")] = None,
    mine: Annotated[bool, typer.Option("--mine", help="It is my commitment.")] = False,
    theirs: Annotated[bool, typer.Option("--theirs", help="It is their commitment.")] = False,
    resolved: Annotated[
        str | None, typer.Option("--resolved", help="When the problem was resolved.")
    ] = None,
    note_: Annotated[str | None, typer.Option("--note", help="How the problem was fixed.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="The gesture's kind.")] = None,
    stage: Annotated[str | None, typer.Option("--stage", "-s", help="The stage moved to.")] = None,
    why: Annotated[str | None, typer.Option("--why", help="The reason given.")] = None,
) -> None:
    """Correct a record; with no option, edit its text in $EDITOR.

    --at is when it happened (was made, opened, given). Interactions take --text --heard
    --channel --from --mood --at --with --tag --untag; commitments --text --due --mine/--theirs
    --at --why; problems --text --at --resolved --note; gestures --kind --text --at;
    stage changes --stage --why --at.

    Example: rapport amend c3 --due fri
    """
    from rapport.core.fixing import amend as apply
    from rapport.core.fixing import text_field
    from rapport.core.refs import find, ref
    from rapport.core.resolving import resolve_many

    st = state(ctx)
    values = dict(locals())
    change = _amendment(st, values | {"at": at, "note": note_})
    with st.journal.read() as session:
        record = find(session, reference)
        field = text_field(record)
        if with_ is not None:
            resolve_many(session, with_)
    if not change.given() and with_ is None:
        from rapport.cli import journal
        from rapport.cli.editor import read_stdin

        piped = None if journal.stdin_is_terminal() else read_stdin()
        if piped is not None and not piped.strip():
            raise BadValue(
                f"no new text on standard input for {ref(record)}; nothing was changed"
                " (pipe the text in, or give an option such as --mood)"
            )
        setattr(change, field, _edited(record, field) if piped is None else piped)
    with st.journal.write() as session:
        record = find(session, reference)
        if with_ is not None:
            change.people = resolve_many(session, with_)
        changed = apply(session, record, change, now=st.now(), zone=st.zone())
    if changed:
        note(f"amended {ref(record)}: {', '.join(changed)}")
    else:
        note(f"{ref(record)} unchanged")
    print(ref(record))


@app.command(rich_help_panel=PANEL)
def delete(
    ctx: typer.Context,
    references: Annotated[
        list[str], typer.Argument(metavar="REF...", help="i12, c3, p2, g5 or s7 (several allowed).")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Don't ask for confirmation.")] = False,
) -> None:
    """Delete records (never a person); `rapport undo` brings them back.

    Example: rapport delete i12 g5
    """
    from rapport.core.fixing import remove
    from rapport.core.refs import find, ref

    st = state(ctx)
    with st.journal.read() as session:
        found = list(
            {ref(r): _line(session, r) for r in (find(session, t) for t in references)}.items()
        )
    from rapport.cli import journal

    if not yes and journal.stdin_is_terminal():
        listing = "\n".join(f"  {line}" for _, line in found)
        typer.confirm(f"Delete these?\n{listing}\n", abort=True, err=True)
    with st.journal.write() as session:
        for text, _line_text in found:
            remove(session, find(session, text))
    for _, line in found:
        note(f"deleted {line}")


def _line(session: Any, record: Any) -> str:
    """One line that says which record it is."""
    from rapport.core.refs import NAMES, PREFIX, ref

    text = str(getattr(record, "text", None) or getattr(record, "why", None) or record.stage)
    short = text if len(text) <= 60 else text[:59] + "…"
    return f"{ref(record)} {NAMES[PREFIX[type(record)]]}: {short}"


@app.command(rich_help_panel=PANEL)
def reopen(ctx: typer.Context, reference: Ref) -> None:
    """Reopen a closed commitment or a resolved problem.

    Example: rapport reopen c3
    """
    from rapport.core.fixing import reopen as reopen_record
    from rapport.core.refs import find, ref

    st = state(ctx)
    with st.journal.write() as session:
        record = find(session, reference, kinds="cp")
        reopen_record(session, record)
    note(f"reopened {ref(record)}: {record.text}")
    print(ref(record))


@app.command("open", rich_help_panel=PANEL)
def open_(
    ctx: typer.Context,
    person: AnyPerson = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only what you promised.")] = False,
    theirs: Annotated[bool, typer.Option("--theirs", help="Only what they promised.")] = False,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            metavar="NAME",
            help="Only the commitments NAME made (a shared journal).",
            show_default=False,
        ),
    ] = None,
    fmt: Formats = Format.table,
) -> None:
    """Open commitments (soonest due first) and open problems, as a plain list.

    Example: rapport open ann --mine
    Example: rapport open --author dana
    """
    from rapport.core.fixing import OPEN, open_records
    from rapport.core.resolving import resolve
    from rapport.render import cell

    st = state(ctx)
    if mine and theirs:
        raise typer.BadParameter("give --mine or --theirs, not both")
    direction = "mine" if mine else "theirs" if theirs else None
    with st.journal.read() as session:
        who = resolve(session, person) if person is not None else None
        records = list(
            open_records(session, st.today(), person=who, direction=direction, author=author)
        )
    if fmt is not Format.table:
        write_records(OPEN, records, fmt)
        return
    if not records:
        note("nothing open")
        return
    zone = st.zone()
    grid = Screen(OPEN_COLUMNS, title=f"open with {who.name}" if who else None)
    for r in records:
        label = {"mine": "I promised: ", "theirs": "they promised: "}.get(
            str(r["direction"]), "problem: "
        )
        late = r["days_late"]
        since = f"since {cell(r['opened_at'], zone)[:10]}" if r["kind"] == "problem" else ""
        grid.row(
            str(r["ref"]),
            str(r["person"]),
            label + str(r["text"]),
            cell(r["due"], zone) or since,
            f"{late}d" if late else "",
        )
    console().print(grid)


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
    grid = Screen(HISTORY_COLUMNS)
    for record in records:
        undone = record["undone_at"] is not None
        grid.row(
            str(record["id"]),
            cell(record["at"], zone),
            str(record["author"] or ""),
            str(record["command"]) + (" (undone)" if undone else ""),
            str(record["summary"]),
        )
    console().print(grid)

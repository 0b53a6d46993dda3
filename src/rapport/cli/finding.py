"""search, merge, people --duplicates: finding records, and tidying people."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from rapport.cli.app import State, app, state
from rapport.cli.args import (
    Channel,
    Formats,
    KindFilter,
    Person,
    Since,
    TagFilter,
    Until,
    day_window,
)
from rapport.cli.output import (
    Format,
    console,
    note,
    write_records,
)
from rapport.completion import complete_person
from rapport.errors import BadValue

if TYPE_CHECKING:
    from rich.text import Text

    from rapport.core.merge import Merged
    from rapport.core.search import Hit
    from rapport.store.fts import Term

PANEL = "Finding and tidying"


def table(*columns: str, title: str | None = None) -> Any:
    from rich import box
    from rich.table import Table

    grid = Table(title=title, box=box.SIMPLE_HEAD, header_style="bold")
    for column in columns:
        grid.add_column(column)
    return grid


def add_row(grid: Any, *values: str) -> None:
    """A row of user text, never read as Rich markup."""
    from rich.text import Text

    grid.add_row(*(Text(v) for v in values))


SHOWN = 20


@app.command(rich_help_panel=PANEL)
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help='Words (all must match), "a phrase", pric*.')],
    person: Annotated[
        str | None,
        typer.Option(
            "--person", "-p", help="Only about this person.", autocompletion=complete_person
        ),
    ] = None,
    kind: KindFilter = None,
    channel: Channel = None,
    tag: TagFilter = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=1,
            help=f"At most N hits (a table shows {SHOWN}; csv and json all).",
        ),
    ] = None,
    fmt: Formats = Format.table,
) -> None:
    """Find notes, promises, problems, gestures and people by their words.

    Case and accents never matter; every word must match; quote a phrase;
    end a word with * to match its beginning. Best matches first.

    Example: rapport search 'pric* "next quarter"' --person ann --since -6m
    """
    from rapport.core.resolving import resolve
    from rapport.core.search import SEARCH, hit_records, parse_query
    from rapport.core.search import search as find

    st = state(ctx)
    start, end = day_window(st, since, until)
    terms = parse_query(text)
    capped = limit is None and fmt is Format.table  # a table is for reading
    wanted = SHOWN if capped else limit
    with st.journal.read() as session:
        who = resolve(session, person) if person is not None else None
        hits = find(
            session,
            text,
            person=who,
            kind=kind,
            channel=channel,
            tag=tag,
            since=start,
            until=end,
            limit=None if wanted is None else wanted + 1,
        )
    more = wanted is not None and len(hits) > wanted
    hits = hits[:wanted]
    if fmt is not Format.table:
        write_records(SEARCH, hit_records(hits), fmt)
        return
    if not hits:
        note(f"nothing matches {text}")
        return
    console().print(_hits_table(hits, terms, st.zone()))
    if more:
        note(f"more not shown: rapport search {text!r} --limit 100")


def _hits_table(hits: "list[Hit]", terms: "list[Term]", zone: object) -> object:
    grid = table("when", "what", "who", "text", "ref")
    for hit in hits:
        grid.add_row(
            f"{hit.at.astimezone(zone):%Y-%m-%d}",  # type: ignore[arg-type]
            hit.kind,
            ", ".join(hit.people),
            _marked(hit.text, terms),
            hit.ref,
        )
    return grid


def _marked(text: str, terms: "list[Term]") -> "Text":
    """The text with the query's words in bold, never read as markup."""
    from rich.text import Text

    from rapport.core.search import matches

    shown = Text(text)
    for start, end in matches(text, terms):
        shown.stylize("bold yellow", start, end)
    return shown


Yes = Annotated[bool, typer.Option("--yes", "-y", help="Don't ask for confirmation.")]


def confirm(question: str, yes: bool) -> None:
    """Ask once on the terminal (or read the answer from standard input); --yes skips it."""
    if yes:
        return
    if not typer.confirm(question, default=False, err=True):
        raise typer.Abort()


@app.command(rich_help_panel=PANEL)
def merge(
    ctx: typer.Context,
    duplicate: Annotated[
        str,
        typer.Argument(
            help="The duplicate, folded in and removed.", autocompletion=complete_person
        ),
    ],
    into: Annotated[str, typer.Argument(metavar="into", help="The word into.")],
    survivor: Person,
    yes: Yes = False,
) -> None:
    """Fold a duplicate into the person who stays: every record, tag and detail moves.

    The survivor's own details win; the duplicate's others are listed.
    Its uid stays as an alias: importing a file that carries it lands on
    the survivor. `rapport undo` takes a merge back.

    Example: rapport merge "ann lee" into 3
    """
    from rapport.core.merge import merge_people
    from rapport.core.resolving import resolve

    if into.casefold() != "into":
        raise BadValue(f"say merge PERSON into PERSON (not '{into}')")
    st = state(ctx)
    with st.journal.read() as session:
        gone, kept = resolve(session, duplicate), resolve(session, survivor)
        if gone.id != kept.id:
            confirm(f"merge #{gone.id} {gone.name} into #{kept.id} {kept.name}?", yes)
    with st.journal.write() as session:
        report = merge_people(
            session, resolve(session, str(gone.id)), resolve(session, str(kept.id))
        )
    _say_merged(report)


def _say_merged(report: "Merged") -> None:
    survivor = report.survivor
    moved = ", ".join(f"{n} {what}{'s' if n != 1 else ''}" for what, n in report.moved.items() if n)
    note(
        f"merged {report.gone} into #{survivor.id} {survivor.name}"
        + (f": moved {moved}" if moved else "")
    )
    if report.taken:
        note(f"took from {report.gone}: {', '.join(report.taken)}")
    if report.tags:
        note(f"tags added: {', '.join(report.tags)}")
    for what, value in report.not_kept:
        note(f"not kept: {what} {value!r} (#{survivor.id} keeps its own)")
    if survivor.stage != report.stage_before:
        note(f"stage: {report.stage_before} → {survivor.stage} (the latest in the joined history)")


def show_duplicates(st: State, fmt: Format) -> None:
    from rapport.core.merge import DUPLICATES, duplicate_records, likely_duplicates

    with st.journal.read() as session:
        records = list(duplicate_records(likely_duplicates(session)))
    if fmt is not Format.table:
        write_records(DUPLICATES, records, fmt)
        return
    if not records:
        note("no likely duplicates")
        return
    grid = table("keep", "merge in", "why", "command", title="Likely duplicates")
    for r in records:
        add_row(
            grid,
            f"#{r['person_id']} {r['person']}",
            f"#{r['duplicate_id']} {r['duplicate']}",
            str(r["why"]),
            str(r["command"]),
        )
    console().print(grid)


@app.command(rich_help_panel=PANEL)
def forget(
    ctx: typer.Context,
    person: Person,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Don't ask to type the name: erase at once.")
    ] = False,
) -> None:
    """Erase a person who asks to be forgotten, and everything that is theirs alone.

    Their profile, tags, promises, problems, gestures and stage history
    go, and every conversation with them alone; conversations shared with
    others stay, without them. The search index and the change log keep
    nothing of them, and the file is rewritten so that no bytes linger.
    There is no undo; backups made before still hold them. You confirm by
    typing their name.

    Example: rapport forget "Ann Lee"
    """
    from rapport.core.forget import backups_beside, counts_of, forget_person, plural
    from rapport.core.resolving import resolve
    from rapport.names import name_key
    from rapport.store.scrub import scrub, secure_deletes

    st = state(ctx)
    with st.journal.read() as session:
        found = resolve(session, person)
        what = plural(counts_of(session, found))
    if not yes:
        note(
            f"this erases #{found.id} {found.name}" + (f" and {what}" if what else "") + "; no undo"
        )
        typed = typer.prompt("type their name to confirm", default="", show_default=False, err=True)
        if name_key(typed) != name_key(found.name):
            raise BadValue(f"'{typed}' is not {found.name}: nothing was erased")
    with st.journal.write() as session:
        secure_deletes(st.journal, session.connection())
        chosen = resolve(session, str(found.id))
        report = forget_person(session, chosen, now=st.now(), author=st.config.author)
    clean = scrub(st.journal)
    erased = plural(report.erased)
    note(f"erased {report.name}" + (f" and {erased}" if erased else ""))
    if report.shared:
        note(f"left {report.shared} shared conversation(s), without them")
    if report.changes:
        note(f"emptied {report.changes} change(s) in the change log: undo refuses them")
    if report.mentions:
        note(
            f"{report.mentions} record(s) kept still name them in their text:"
            f" rapport search '\"{found.name}\"'"
        )
    if st.journal.path is not None and not clean:
        note("another program has the journal open: its log is emptied when that one closes")
    held = backups_beside(st.journal.path) if st.journal.path is not None else []
    note(
        "backups made before this still hold them"
        + (": " + ", ".join(held) if held else " (rapport backup copies, exports, server dumps)")
    )

"""log, stage, timeline."""

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from rapport.cli.app import State, app, state
from rapport.cli.args import (
    AnyPerson,
    At,
    Channel,
    Formats,
    KindFilter,
    Mood,
    Person,
    Since,
    StageArgument,
    TagFilter,
    Tags,
    Until,
    day_window,
    moment,
)
from rapport.cli.output import (
    Column,
    Format,
    Screen,
    note,
    reference,
    show,
    write_records,
)
from rapport.completion import complete_people
from rapport.errors import RapportError
from rapport.vocab import MOOD_WORDS

EDITOR_HELP = """\
Write below. Lines starting with # are left out.
To cancel, save an empty text (or quit without saving)."""

if TYPE_CHECKING:
    from sqlmodel import Session

    from rapport import models


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def read_text(text: str | None, *, required: bool = True, header: str = "") -> str:
    """The text given, else standard input when piped, else what the editor saves."""
    from rapport.cli.editor import edit_text, read_stdin

    if text is not None:
        return text
    if not stdin_is_terminal():
        return read_stdin()
    if not required:
        return ""
    return edit_text("\n".join(line for line in (header, EDITOR_HELP) if line))


TIMELINE_COLUMNS = (
    Column("when"),
    Column("what", drop=1),
    Column("who"),
    Column("text", wrap=True),
)


@app.command(rich_help_panel="Journal")
def log(
    ctx: typer.Context,
    people: Annotated[
        str,
        typer.Argument(
            help="Who: name fragments or numbers, comma-separated.", autocompletion=complete_people
        ),
    ],
    text: Annotated[
        str | None, typer.Argument(help="What was said (else stdin, else $EDITOR).")
    ] = None,
    channel: Channel = None,
    mood: Mood = None,
    heard: Annotated[
        str | None, typer.Option("--heard", help="What they said they need, in their words.")
    ] = None,
    at: At = None,
    tag: Tags = None,
    started_by: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Who started it: me or them (default: default_from in the config, else me).",
        ),
    ] = None,
) -> None:
    """Log a conversation with one or several people.

    Text that starts with a dash goes after --, as in: rapport log ann -- "-5% agreed"

    Example: rapport log ann,zoe "Walked through the tiling plan" --channel meeting --mood pleased --heard "the big picture first" --from them
    """
    from rapport.core.journal import check_starter, log_interaction, parse_mood
    from rapport.core.resolving import resolve_many
    from rapport.dates import names_a_time

    st = state(ctx)
    when = moment(st, at)
    mood_value = parse_mood(mood) if mood is not None else None
    starter = check_starter(st.config.default_from if started_by is None else started_by)
    with st.journal.read() as session:
        named = resolve_many(session, people)
    way = st.config.default_channel if channel is None else channel
    header = (
        f"With {', '.join(p.name for p in named)}, by {way}, on {when:%a %d %b %Y %H:%M}"
        f" (logged by {st.config.author})."
    )
    body = read_text(text, required=heard is None, header=header)
    try:
        with st.journal.write() as session:
            found = resolve_many(session, people)
            item = log_interaction(
                session,
                found,
                body,
                at=when,
                channel=way,
                mood=mood_value,
                heard=heard,
                tags=tag or [],
                author=st.config.author,
                started_by=starter,
                day_only=at is not None and not names_a_time(at, st.today()),
            )
            names = ", ".join(p.name for p in found)
            snoozes = _snoozes(st, session, found)
        note(f"logged i{item.id} {item.channel} with {names}")
        for line in snoozes:
            note(line)
        reference(f"i{item.id}")
    except RapportError as exc:
        if body.strip() and text is None:
            exc.unsaved = body
        raise


def _snoozes(st: State, session: "Session", found: "Sequence[models.Person]") -> list[str]:
    """What logging did to the snoozes of the people logged: kept, or ended if so configured."""
    from rapport.core.commitments import snooze
    from rapport.render import snoozed_until

    lines = []
    for person in found:
        held = snoozed_until(person.snoozed_until, st.today())
        if held is None:
            continue
        if st.config.log_ends_snooze:
            snooze(session, person, None)
            lines.append(f"#{person.id} {person.name}'s snooze ended (log_ends_snooze)")
        else:
            lines.append(
                f"#{person.id} {person.name} is still snoozed until {held}, out of `due` till"
                f" then (end it: rapport snooze {person.id} --off)"
            )
    return lines


@app.command(rich_help_panel="Journal")
def stage(
    ctx: typer.Context,
    person: Person,
    new_stage: StageArgument,
    why: Annotated[str | None, typer.Option("--why", help="What moved them.")] = None,
    at: At = None,
) -> None:
    """Record that a relationship moved to another stage.

    Example: rapport stage ann engaged --why "signed the pilot"
    """
    from rapport.core.people import change_stage, check_stage
    from rapport.core.resolving import resolve

    st = state(ctx)
    when = moment(st, at)
    with st.journal.write() as session:
        found = resolve(session, person)
        before = found.stage
        if check_stage(new_stage) == before and at is None:
            note(f"#{found.id} {found.name} is already {before}; nothing recorded")
            return
        change = change_stage(session, found, new_stage, why=why, at=when)
    reference(f"s{change.id}")
    note(
        f"#{found.id} {found.name}: {before} → {change.stage}"
        + ("" if found.stage == change.stage else f" (still {found.stage}: a later change stands)")
    )


@app.command(rich_help_panel="Journal")
def timeline(
    ctx: typer.Context,
    person: AnyPerson = None,
    since: Since = None,
    until: Until = None,
    kind: KindFilter = None,
    channel: Channel = None,
    tag: TagFilter = None,
    fmt: Formats = Format.table,
) -> None:
    """Everything that happened, oldest first: conversations, stage changes and more.

    Example: rapport timeline ann --since -3m --kind interaction --channel call
    """
    from rapport.core import journal
    from rapport.core.narrowing import narrow
    from rapport.core.records import TIMELINE, timeline_records
    from rapport.core.resolving import resolve
    from rapport.render import shown_at

    st = state(ctx)
    zone = st.zone()
    start, end = day_window(st, since, until)
    with st.journal.read() as session:
        who = resolve(session, person) if person is not None else None
        events = journal.timeline(session, who, since=start, until=end)
        events = narrow(session, events, kind=kind, channel=channel, tag=tag)
    if fmt is not Format.table:
        write_records(TIMELINE, timeline_records(events), fmt)
        return
    if not events:
        note("nothing in the journal for that yet")
        return
    title = f"timeline of {who.name}" if who else None
    grid = Screen(TIMELINE_COLUMNS, title=title)
    for event in events:
        text = event.text
        if event.mood is not None:
            text += f" ({MOOD_WORDS[event.mood]})"
        if event.ref:
            text += f" [{event.ref}]"
        grid.row(
            shown_at(event.at, zone, day_only=event.day_only),
            event.kind,
            "" if who else "\n".join(event.people),  # one person's timeline names them once
            text,
        )
    show(grid)

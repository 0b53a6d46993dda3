"""promise, expect, done, broke, release, problem, resolve, gesture, snooze."""

from typing import Annotated

import typer

from rapport.cli.app import app, state
from rapport.cli.args import At, CommitmentId, Kind, Person, ProblemId, moment
from rapport.cli.output import note, reference
from rapport.errors import BadValue

Due = Annotated[str, typer.Option("--due", "-d", help="Due date: fri, +3d, 2026-12-01, eom…")]
Toward = Annotated[
    bool, typer.Option("--toward", help="It serves their desired outcome (set with --wants).")
]
PANEL = "Commitments and care"


def _ident(text: str, what: str) -> int:
    """The number of a commitment (``12`` or ``c12``) or a problem (``4`` or ``p4``)."""
    from rapport.core.refs import NAMES, parse

    letter = what[0]
    prefix, number = parse(text, bare=letter)
    if prefix != letter:
        kind = NAMES[prefix or letter]
        article = "an" if kind[0] in "aeiou" else "a"
        raise BadValue(f"{text.strip()} is {article} {kind}, not a {what}")
    return number


def _commit(
    ctx: typer.Context,
    person: str,
    text: str,
    due: str,
    direction: str,
    at: str | None,
    toward: bool,
) -> None:
    from rapport.core.commitments import commit
    from rapport.core.resolving import resolve
    from rapport.dates import parse_day

    st = state(ctx)
    due_day = parse_day(due, st.today())
    made = moment(st, at)
    with st.journal.write() as session:
        who = resolve(session, person)
        item = commit(
            session,
            who,
            text,
            due=due_day,
            direction=direction,
            now=made,
            toward=toward,
            author=st.config.author,
        )
    if direction == "mine":
        note(f"commitment {item.id}: you promised {who.name} “{item.text}” by {item.due}")
    else:
        note(f"commitment {item.id}: {who.name} promised you “{item.text}” by {item.due}")
    if item.toward:
        note(f"toward: {item.toward}")
    if due_day < st.today() and at is None:  # typed in after the fact, it may well be past
        note(f"note: that was due {due_day}, already past")
    reference(f"c{item.id}")


@app.command(rich_help_panel=PANEL)
def promise(
    ctx: typer.Context,
    person: Person,
    text: Annotated[str, typer.Argument(help="What you will deliver.")],
    due: Due,
    at: Annotated[str | None, typer.Option("--at", help="When you made it (default now).")] = None,
    toward: Toward = False,
) -> None:
    """Record a commitment you made to someone, with its deadline.

    Example: rapport promise ann "send the revised quote" --due fri --toward
    """
    _commit(ctx, person, text, due, "mine", at, toward)


@app.command(rich_help_panel=PANEL)
def expect(
    ctx: typer.Context,
    person: Person,
    text: Annotated[str, typer.Argument(help="What they will deliver.")],
    due: Due,
    at: Annotated[str | None, typer.Option("--at", help="When they made it (default now).")] = None,
    toward: Toward = False,
) -> None:
    """Record a commitment someone made to you, with its deadline.

    Example: rapport expect ann "signed purchase order" --due 2026-12-01
    """
    _commit(ctx, person, text, due, "theirs", at, toward)


def _close(ctx: typer.Context, ident: str, outcome: str, at: str | None, why: str | None) -> None:
    from rapport.core.commitments import close_commitment

    st = state(ctx)
    number = _ident(ident, "commitment")
    when = moment(st, at)
    with st.journal.write() as session:
        item = close_commitment(session, number, outcome, at=when, zone=st.zone(), why=why)
    note(f"commitment {item.id} {item.status}: “{item.text}”")


@app.command(rich_help_panel=PANEL)
def done(ctx: typer.Context, ident: CommitmentId, at: At = None) -> None:
    """Mark a commitment kept (late if after its due date).

    Example: rapport done 12 --at yesterday
    """
    _close(ctx, ident, "kept", at, None)


@app.command(rich_help_panel=PANEL)
def broke(
    ctx: typer.Context,
    ident: CommitmentId,
    why: Annotated[str | None, typer.Option("--why", help="What happened.")] = None,
    at: At = None,
) -> None:
    """Mark a commitment broken.

    Example: rapport broke 12 --why "supplier went bust"
    """
    _close(ctx, ident, "broken", at, why)


@app.command(rich_help_panel=PANEL)
def release(
    ctx: typer.Context,
    ident: CommitmentId,
    why: Annotated[str | None, typer.Option("--why", help="What you agreed.")] = None,
    at: At = None,
) -> None:
    """Release a commitment by agreement: neither kept nor broken.

    Example: rapport release 12 --why "they no longer need it"
    """
    _close(ctx, ident, "released", at, why)


@app.command(rich_help_panel=PANEL)
def problem(
    ctx: typer.Context,
    person: Person,
    text: Annotated[str, typer.Argument(help="What went wrong.")],
    at: At = None,
) -> None:
    """Open a problem with someone: it rises to the top of `due` until resolved.

    Example: rapport problem dealer "wrong VIN on the loan papers"
    """
    from rapport.core.commitments import open_problem
    from rapport.core.resolving import resolve

    st = state(ctx)
    when = moment(st, at)
    with st.journal.write() as session:
        who = resolve(session, person)
        item = open_problem(session, who, text, at=when)
    note(f"problem {item.id} opened with {who.name}: {item.text}")
    reference(f"p{item.id}")


@app.command(rich_help_panel=PANEL)
def resolve(
    ctx: typer.Context,
    ident: ProblemId,
    note_: Annotated[str | None, typer.Option("--note", help="How it was fixed.")] = None,
    at: At = None,
) -> None:
    """Close a problem; `due` then suggests a follow-up gesture.

    Example: rapport resolve 4 --note "bank reissued the papers"
    """
    from rapport.core.commitments import resolve_problem

    st = state(ctx)
    number = _ident(ident, "problem")
    when = moment(st, at)
    with st.journal.write() as session:
        item = resolve_problem(session, number, at=when, zone=st.zone(), note=note_)
    note(f"problem {item.id} resolved: {item.text}")


@app.command(rich_help_panel=PANEL)
def gesture(
    ctx: typer.Context,
    person: Person,
    kind: Kind,
    text: Annotated[str | None, typer.Argument(help="What it was.")] = None,
    at: At = None,
    toward: Toward = False,
) -> None:
    """Log a gesture: a card, a gift, a sample, a thank-you, a visit.

    Example: rapport gesture dealer card "handwritten thank-you for the patience"
    """
    from rapport.core.commitments import log_gesture
    from rapport.core.resolving import resolve

    st = state(ctx)
    when = moment(st, at)
    with st.journal.write() as session:
        who = resolve(session, person)
        item = log_gesture(session, who, kind, text, at=when, toward=toward)
    note(f"gesture {item.id} for {who.name}: {item.kind}")
    reference(f"g{item.id}")


@app.command(rich_help_panel=PANEL)
def snooze(
    ctx: typer.Context,
    person: Person,
    until: Annotated[
        str | None,
        typer.Option("--until", "-u", help="Left out of `due` through this day (today works)."),
    ] = None,
    off: Annotated[bool, typer.Option("--off", help="Wake them now.")] = False,
) -> None:
    """Leave someone out of `due` until a day has passed.

    Example: rapport snooze ann --until "2 weeks"
    """
    from datetime import timedelta

    from rapport.core.commitments import snooze as snooze_person
    from rapport.core.resolving import resolve
    from rapport.dates import parse_day

    st = state(ctx)
    if off == (until is not None):
        raise BadValue("give either --until DATE or --off")
    day = parse_day(until, st.today()) if until is not None else None
    if day is not None and day < st.today():
        raise BadValue(f"--until {until} is in the past ({day})")
    # Worded before the write, so that nothing can fail once the snooze is saved.
    until_text = "" if day is None else (
        f" is out of `due` through {day:%a %Y-%m-%d}, back on {day + timedelta(days=1):%a %Y-%m-%d}"
    )  # fmt: skip
    with st.journal.write() as session:
        who = resolve(session, person)
        snooze_person(session, who, day)
    note(f"{who.name}{until_text or ' is back in `due`'}")

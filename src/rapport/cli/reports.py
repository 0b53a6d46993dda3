"""due, brief, ledger, pipeline."""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rapport.cli.app import State, app, state
from rapport.cli.args import AnyPerson, CardFormat, Formats, Person, card_as_json
from rapport.cli.output import (
    Column,
    Format,
    Screen,
    console,
    note,
    show,
    stdout_is_terminal,
    styled,
    write_document,
    write_records,
)

if TYPE_CHECKING:
    from rich.text import Text

    from rapport.core.actions import Advice
    from rapport.core.attention import Attention

PANEL = "Attention and reports"


LEDGER_COLUMNS = (
    Column("person"),
    Column("deposits", drop=2, justify="right"),
    Column("withdrawals", drop=2, justify="right"),
    Column("balance", justify="right"),
    Column("kept", drop=3, justify="right"),
    Column("late", drop=3, justify="right"),
    Column("broken", drop=3, justify="right"),
    Column("open", drop=3, justify="right"),
    Column("follow-through", drop=1, justify="right"),
)
BAR = 30
PIPELINE_COLUMNS = (
    Column("stage"),
    Column("people", justify="right"),
    Column("", drop=1),
    Column("avg days", justify="right"),
    Column("moved (30d)", justify="right"),
)
MOVED_COLUMNS = (Column("when"), Column("who", wrap=True), Column("move"))
STATEMENT_COLUMNS = (
    Column("when"),
    Column("points", justify="right"),
    Column("what", wrap=True),
    Column("ref", drop=1),
)


def _money(points: "Any") -> "Text":
    """Points with their sign: deposits green, withdrawals red."""
    from rich.text import Text

    if not points:
        return Text("0")
    return Text(f"{points:+g}", style="green" if points > 0 else "red")


def _day(st: State, on: str | None) -> date:
    from rapport.dates import parse_day

    return parse_day(on, st.today()) if on is not None else st.today()


@app.command(rich_help_panel=PANEL)
def due(
    ctx: typer.Context,
    on: Annotated[str | None, typer.Option("--on", help="Evaluate as of this day.")] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="Show at most N people.")
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", "-a", help="No limit on a terminal.")] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", "-x", help="Show each term's points and the action that helps most."
        ),
    ] = False,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            metavar="NAME",
            help="Only people owed a commitment NAME made (a shared journal).",
            show_default=False,
        ),
    ] = None,
    fmt: Formats = Format.table,
) -> None:
    """Who needs your attention today, why, and what to do next.

    Example: rapport due --on mon --explain
    Example: rapport due --author dana
    """
    st = state(ctx)
    show_due(
        st, _day(st, on), limit=limit, show_all=show_all, explain=explain, fmt=fmt, author=author
    )


def show_due(
    st: State,
    day: date,
    *,
    limit: int | None = None,
    show_all: bool = False,
    explain: bool = False,
    fmt: Format = Format.table,
    author: str | None = None,
) -> None:
    """Rank the journal's people for ``day`` and print them as asked."""
    from rapport.core.attention import Weights, due_records
    from rapport.core.attention import due as rank
    from rapport.core.records import DUE

    weights = Weights.from_config(st.config.raw.get("due", {}))
    with st.journal.read() as session:
        ranked = rank(session, day, st.zone(), weights)
        if author is not None:
            from rapport.core.commitments import authored

            theirs = authored(session, author)
            ranked = [a for a in ranked if any(t.ref in theirs for t in a.terms)]
    capped = limit is None and fmt is Format.table and not show_all and stdout_is_terminal()
    if capped:
        limit = 20
    shown = ranked[:limit] if limit else ranked
    if fmt is not Format.table:
        write_records(DUE, due_records(shown), fmt)
        return
    if not shown:
        note(f"nobody needs you on {day:%a %Y-%m-%d}: every promise kept, every friend in touch")
        return
    advice = None
    if explain:
        from rapport.core.actions import best

        advice = [best(item.facts, day, weights) for item in shown]
    show(due_table(shown, day, advice))
    if len(ranked) > len(shown):
        more = len(ranked) - len(shown)
        note(f"{more} more: rapport due --all" if capped else f"{more} more not shown")


# A term's colour says what kind of attention it asks for.
TERM_STYLES = {
    "my_overdue": "red",
    "their_overdue": "red",
    "problem": "red",
    "my_due_soon": "yellow",
    "too_frequent": "dim",
}
DUE_COLUMNS = (
    Column("#", drop=3, justify="right"),
    Column("person"),
    Column("score", drop=2, justify="right"),
    Column("points", justify="right"),
    Column("why", wrap=True),
    Column("next", drop=1, wrap=True),
)


def due_table(
    shown: "Sequence[Attention]", day: date, advice: "Sequence[Advice | None] | None" = None
) -> Screen:
    """One row per reason, the person's rank, name, score and next step on the first."""

    grid = Screen(DUE_COLUMNS, title=f"Who needs you — {day:%a %Y-%m-%d}")
    for rank_no, item in enumerate(shown, start=1):
        terms = sorted(item.terms, key=lambda t: -t.points)
        action = item.lead.action
        if advice is not None:
            helps = advice[rank_no - 1]
            action += f"\nhelps most: {helps}" if helps else "\nnothing you do lowers it today"
        for n, t in enumerate(terms):
            style = TERM_STYLES.get(t.term, "")
            first = n == 0
            grid.row(
                str(rank_no) if first else "",
                f"{item.person.name} #{item.person.id}" if first else "",
                f"{item.score:.1f}" if first else "",
                styled(f"{t.points:.1f}", style) if advice is not None else "",
                styled(f"{t.term}: {t.reason}" if advice is not None else t.reason, style),
                action if first else "",
                end=n == len(terms) - 1,
            )
    return grid


@app.command(rich_help_panel=PANEL)
def brief(
    ctx: typer.Context,
    person: Person,
    full: Annotated[
        bool, typer.Option("--full", help="Everything: no folding, older moods and promises too.")
    ] = False,
    fmt: CardFormat = Format.table,
) -> None:
    """One screen before a call: what changed since last time, what is open, how they think.

    Example: rapport brief jose --full
    """
    from rapport.cli.cards import brief_card
    from rapport.core.brief import brief as make_brief
    from rapport.core.resolving import resolve

    st = state(ctx)
    with st.journal.read() as session:
        card = make_brief(
            session, resolve(session, person), st.now(), author=st.config.author, full=full
        )
    if card_as_json(fmt):
        from rapport.core.documents import brief_document

        write_document(brief_document(card))
        return
    console().print(brief_card(card, st.now()))


@app.command(rich_help_panel=PANEL)
def ledger(
    ctx: typer.Context,
    person: AnyPerson = None,
    fmt: Formats = Format.table,
) -> None:
    """The trust account: deposits, withdrawals and follow-through, weakest first.

    Example: rapport ledger --format csv
    """
    from rich.text import Text

    from rapport.core.ledger import (
        LedgerWeights,
        ledger_records,
        statement_records,
        total_records,
        totals,
    )
    from rapport.core.ledger import ledger as accounts_of
    from rapport.core.records import LEDGER, STATEMENT
    from rapport.core.resolving import resolve

    st = state(ctx)
    weights = LedgerWeights.from_config(st.config.raw.get("ledger", {}))
    accounts = []
    with st.journal.read() as session:
        who = resolve(session, person) if person is not None else None
        if who is None and fmt is not Format.table:
            write_records(LEDGER, total_records(session, st.today(), weights), fmt)
            return
        if who is None:
            records = totals(session, st.today(), weights)
        else:
            accounts = accounts_of(session, st.today(), st.zone(), weights, who)
            records = ledger_records(accounts)
    if fmt is not Format.table:
        write_records(STATEMENT, statement_records(accounts[0]), fmt)
        return
    if not records:
        note("nobody yet: add someone with  rapport add NAME")
        return
    grid = Screen(LEDGER_COLUMNS, title="Trust ledger")
    for r in records:
        ratio = r["follow_through"]
        grid.row(
            str(r["person"]),
            Text(f"{r['deposits']:g}", style="green" if r["deposits"] else ""),
            Text(f"{r['withdrawals']:g}", style="red" if r["withdrawals"] else ""),
            _money(r["balance"]),
            str(r["kept"]),
            str(r["late"]),
            str(r["broken"]),
            str(r["open"]),
            "" if ratio is None else f"{ratio:.0%}",
        )
    out = console()
    out.print(grid)
    if who is not None and accounts[0].entries:
        zone = st.zone()
        statement = Screen(STATEMENT_COLUMNS, title=f"Statement for {who.name}")
        for entry in accounts[0].entries:
            statement.row(
                f"{entry.at.astimezone(zone):%Y-%m-%d}",
                _money(entry.points),
                entry.what,
                entry.ref or "",
            )
        out.print(statement)


@app.command(rich_help_panel=PANEL)
def pipeline(
    ctx: typer.Context,
    fmt: Formats = Format.table,
) -> None:
    """How many people stand in each stage, for how long, and who moved in 30 days.

    Example: rapport pipeline
    """
    from rapport.core.pipeline import pipeline as stages_of
    from rapport.core.records import PIPELINE

    st = state(ctx)
    with st.journal.read() as session:
        rows, moves = stages_of(session, st.today(), st.zone())
    records = [asdict(r) for r in rows]  # a StageRow's fields are the listing's columns
    if fmt is not Format.table:
        write_records(PIPELINE, records, fmt)
        return
    from rich.text import Text

    widest = max((r.people for r in rows), default=0) or 1
    grid = Screen(PIPELINE_COLUMNS, title="Pipeline")
    for r in rows:
        grid.row(
            r.stage,
            str(r.people),
            Text("█" * round(BAR * r.people / widest), style="cyan"),
            "" if r.avg_days_in_stage is None else f"{r.avg_days_in_stage:g}",
            str(r.moved_in_30d) if r.moved_in_30d else "",
        )
    out = console()
    out.print(grid)
    if moves:
        zone = st.zone()
        moved = Screen(MOVED_COLUMNS, title="Moved in the last 30 days")
        for m in moves:
            moved.row(f"{m.at.astimezone(zone):%Y-%m-%d}", m.person, f"{m.before} → {m.after}")
        out.print(moved)

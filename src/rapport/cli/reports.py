"""due, brief, ledger, pipeline."""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rapport.cli.app import State, app, state
from rapport.cli.args import AnyPerson, CardFormat, Formats, Person, card_as_json
from rapport.cli.output import (
    Format,
    add_row,
    console,
    note,
    stdout_is_terminal,
    table,
    write_document,
    write_records,
)

if TYPE_CHECKING:
    from rapport.core.actions import Advice
    from rapport.core.attention import Attention

PANEL = "Attention and reports"


def _signed(points: object) -> str:
    return f"{points:+g}" if points else "0"


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
    fmt: Formats = Format.table,
) -> None:
    """Who needs your attention today, why, and what to do next.

    Example: rapport due --on mon --explain
    """
    st = state(ctx)
    show_due(st, _day(st, on), limit=limit, show_all=show_all, explain=explain, fmt=fmt)


def show_due(
    st: State,
    day: date,
    *,
    limit: int | None = None,
    show_all: bool = False,
    explain: bool = False,
    fmt: Format = Format.table,
) -> None:
    """Rank the journal's people for ``day`` and print them as asked."""
    from rapport.core.attention import Weights, due_records
    from rapport.core.attention import due as rank
    from rapport.core.records import DUE

    weights = Weights.from_config(st.config.raw.get("due", {}))
    with st.journal.read() as session:
        ranked = rank(session, day, st.zone(), weights)
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
    console().print(due_table(shown, day, advice))
    if len(ranked) > len(shown):
        more = len(ranked) - len(shown)
        note(f"{more} more: rapport due --all" if capped else f"{more} more not shown")


def due_table(
    shown: "Sequence[Attention]", day: date, advice: "Sequence[Advice | None] | None" = None
) -> Any:
    grid = table(
        "#", "person", "score", "why", "next", title=f"Who needs you — {day:%a %Y-%m-%d}", leading=1
    )
    for rank_no, item in enumerate(shown, start=1):
        terms = sorted(item.terms, key=lambda t: -t.points)
        action = item.lead.action
        if advice is not None:
            why = "\n".join(f"{t.points:>5.1f}  {t.term}: {t.reason}" for t in terms)
            helps = advice[rank_no - 1]
            action += f"\nhelps most: {helps}" if helps else "\nnothing you do lowers it today"
        else:
            why = "\n".join(t.reason for t in terms)
        add_row(
            grid,
            str(rank_no),
            f"{item.person.name} #{item.person.id}",
            f"{item.score:.1f}",
            why,
            action,
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
    from rapport.core.people import resolve

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
    from rapport.core.ledger import LedgerWeights, ledger_records, statement_records, totals
    from rapport.core.ledger import ledger as accounts_of
    from rapport.core.people import resolve
    from rapport.core.records import LEDGER, STATEMENT

    st = state(ctx)
    weights = LedgerWeights.from_config(st.config.raw.get("ledger", {}))
    accounts = []
    with st.journal.read() as session:
        who = resolve(session, person) if person is not None else None
        if who is None:
            records = totals(session, st.today(), weights)
        else:
            accounts = accounts_of(session, st.today(), st.zone(), weights, who)
            records = ledger_records(accounts)
    if fmt is not Format.table and who is not None:
        write_records(STATEMENT, statement_records(accounts[0]), fmt)
        return
    if fmt is not Format.table:
        write_records(LEDGER, records, fmt)
        return
    if not records:
        note("nobody yet: add someone with  rapport add NAME")
        return
    grid = table(
        "person",
        "deposits",
        "withdrawals",
        "balance",
        "kept",
        "late",
        "broken",
        "open",
        "follow-through",
        title="Trust ledger",
    )
    for r in records:
        ratio = r["follow_through"]
        add_row(
            grid,
            str(r["person"]),
            f"{r['deposits']:g}",
            f"{r['withdrawals']:g}",
            _signed(r["balance"]),
            str(r["kept"]),
            str(r["late"]),
            str(r["broken"]),
            str(r["open"]),
            "" if ratio is None else f"{ratio:.0%}",
        )
    console().print(grid)
    if who is not None and accounts[0].entries:
        zone = st.zone()
        statement = table("when", "points", "what", "ref", title=f"Statement for {who.name}")
        for entry in accounts[0].entries:
            add_row(
                statement,
                f"{entry.at.astimezone(zone):%Y-%m-%d}",
                _signed(entry.points),
                entry.what,
                entry.ref or "",
            )
        console().print(statement)


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
    from rich.bar import Bar

    widest = max((r.people for r in rows), default=0) or 1
    grid = table("stage", "people", "", "avg days", "moved (30d)", title="Pipeline")
    for r in rows:
        grid.add_row(
            r.stage,
            str(r.people),
            Bar(widest, 0, r.people, width=30, color="cyan"),
            "" if r.avg_days_in_stage is None else f"{r.avg_days_in_stage:g}",
            str(r.moved_in_30d) if r.moved_in_30d else "",
        )
    console().print(grid)
    if moves:
        zone = st.zone()
        moved = table("when", "who", "move", title="Moved in the last 30 days")
        for m in moves:
            add_row(moved, f"{m.at.astimezone(zone):%Y-%m-%d}", m.person, f"{m.before} → {m.after}")
        console().print(moved)

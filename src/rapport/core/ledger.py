"""The trust ledger: what each relationship has gained and lost, computed from the journal."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import and_, case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from rapport.core.choices import read_settings
from rapport.models import Commitment, Gesture, Interaction, InteractionPerson, Person, Problem
from rapport.vocab import MOOD_WORDS


@dataclass(frozen=True)
class LedgerWeights:
    """Points per event; deposits and withdrawals are both written as positive numbers."""

    kept: float = 3.0
    gesture: float = 2.0
    resolved: float = 2.0
    pleased: float = 1.0
    broken: float = 5.0
    late: float = 2.0
    overdue: float = 2.0
    problem: float = 3.0
    upset: float = 1.0
    understood: float = 1.0

    @classmethod
    def from_config(cls, raw: Mapping[str, Any]) -> "LedgerWeights":
        return read_settings(cls(), raw, "ledger")


@dataclass(frozen=True)
class Entry:
    """One line of a statement: when, how many points, what happened, and the record's ref."""

    at: datetime
    points: float
    what: str
    ref: str | None = None


@dataclass
class Account:
    person: Person
    entries: list[Entry]
    kept: int = 0
    late: int = 0
    broken: int = 0
    open: int = 0
    rescheduled: int = 0

    @property
    def deposits(self) -> float:
        return round(sum(e.points for e in self.entries if e.points > 0), 2)

    @property
    def withdrawals(self) -> float:
        return round(-sum(e.points for e in self.entries if e.points < 0), 2)

    @property
    def balance(self) -> float:
        return round(self.deposits - self.withdrawals, 2)

    @property
    def follow_through(self) -> float | None:
        closed = self.kept + self.late + self.broken
        return round(self.kept / closed, 2) if closed else None


def ledger(
    session: Session,
    today: date,
    zone: tzinfo,
    w: LedgerWeights,
    person: Person | None = None,
) -> list[Account]:
    """One account per person (or just ``person``), weakest balance first."""
    query = select(Person)
    if person is not None:
        query = query.where(Person.id == person.id)
    accounts = {p.id: Account(p, []) for p in session.exec(query)}
    overdue_from = datetime.combine(today, time(), zone)

    def mine(model: Any) -> Any:
        return col(model.person_id).in_(list(accounts)) if person is not None else True

    for c in session.exec(
        select(Commitment).where(Commitment.direction == "mine", mine(Commitment))
    ):
        account = accounts[c.person_id]
        ref, moved = f"c{c.id}", ""
        if c.rescheduled:  # a new date agreed is not a broken promise: kept by it, it is kept
            account.rescheduled += 1
            moved = ", rescheduled"
        if c.status == "kept" and c.closed_at is not None:
            account.kept += 1
            account.entries.append(
                Entry(c.closed_at, w.kept, f"kept “{c.text}” on time{moved}", ref)
            )
        elif c.status == "late" and c.closed_at is not None:
            account.late += 1
            account.entries.append(
                Entry(c.closed_at, -w.late, f"kept “{c.text}” late (due {c.due}{moved})", ref)
            )
        elif c.status == "broken" and c.closed_at is not None:
            account.broken += 1
            account.entries.append(Entry(c.closed_at, -w.broken, f"broke “{c.text}”", ref))
        elif c.status == "open":
            account.open += 1
            if c.due < today:
                due_at = datetime.combine(c.due + timedelta(days=1), time(), zone)
                account.entries.append(
                    Entry(
                        min(due_at, overdue_from),
                        -w.overdue,
                        f"“{c.text}” is overdue (due {c.due}{moved})",
                        ref,
                    )
                )
    for g in session.exec(select(Gesture).where(mine(Gesture))):
        what = f"gesture: {g.kind}" + (f" “{g.text}”" if g.text else "")
        accounts[g.person_id].entries.append(Entry(g.at, w.gesture, what, f"g{g.id}"))
    for p in session.exec(select(Problem).where(mine(Problem))):
        ref = f"p{p.id}"
        accounts[p.person_id].entries.append(
            Entry(p.opened_at, -w.problem, f"problem: {p.text}", ref)
        )
        if p.resolved_at is not None:
            accounts[p.person_id].entries.append(
                Entry(p.resolved_at, w.resolved, f"resolved: {p.text}", ref)
            )
    _mood_entries(session, accounts, w, person)
    _understood_entries(session, accounts, w, person)
    for account in accounts.values():
        account.entries.sort(key=lambda e: e.at)
    return sorted(accounts.values(), key=lambda a: (a.balance, a.person.name_key))


def _short(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _mood_entries(
    session: Session, accounts: dict[int | None, Account], w: LedgerWeights, person: Person | None
) -> None:
    """How conversations left them: one entry each for a statement, summed in SQL for all."""
    link = InteractionPerson
    felt = col(Interaction.mood).is_not(None), Interaction.mood != 0
    joined = col(Interaction.id) == link.interaction_id
    if person is not None:
        talks = session.exec(
            select(Interaction).join(link, joined).where(link.person_id == person.id, *felt)
        )
        for talk in talks:
            mood = talk.mood or 0
            points = mood * (w.pleased if mood > 0 else w.upset)
            what = f"left {MOOD_WORDS.get(mood, mood)}: {talk.channel} “{_short(talk.text)}”"
            accounts[person.id].entries.append(Entry(talk.at, points, what, f"i{talk.id}"))
        return
    pleased = func.sum(case((col(Interaction.mood) > 0, Interaction.mood), else_=0))
    upset = func.sum(case((col(Interaction.mood) < 0, -col(Interaction.mood)), else_=0))
    for pid, up, down, last in session.exec(
        select(link.person_id, pleased, upset, func.max(Interaction.at))
        .join(Interaction, joined)
        .where(*felt)
        .group_by(col(link.person_id))
    ):
        if pid not in accounts:
            continue
        if up:
            accounts[pid].entries.append(Entry(last, up * w.pleased, "conversations that pleased"))
        if down:
            accounts[pid].entries.append(Entry(last, -down * w.upset, "conversations that upset"))


def _understood_entries(
    session: Session, accounts: dict[int | None, Account], w: LedgerWeights, person: Person | None
) -> None:
    """What you heard, repeated back and confirmed: a small deposit each (summed in SQL for all)."""
    link = InteractionPerson
    joined = col(Interaction.id) == link.interaction_id
    confirmed = Interaction.heard_state == "confirmed"
    if person is not None:
        for at, ident, text in session.exec(
            select(Interaction.heard_checked_at, Interaction.id, Interaction.heard)
            .join(link, joined)
            .where(link.person_id == person.id, confirmed)
        ):
            if at is not None:
                accounts[person.id].entries.append(
                    Entry(at, w.understood, f"understood “{text}”", f"i{ident}")
                )
        return
    for pid, count, last in session.exec(
        select(link.person_id, func.count(), func.max(Interaction.heard_checked_at))
        .join(Interaction, joined)
        .where(confirmed)
        .group_by(col(link.person_id))
    ):
        if pid in accounts and last is not None:
            accounts[pid].entries.append(Entry(last, count * w.understood, "understood"))


def _sum_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _by_person(session: Session, query: Any) -> dict[Any, tuple[Any, ...]]:
    """A grouped query's sums, keyed by its first column (the person), read as plain tuples."""
    return {row[0]: row[1:] for row in session.connection().execute(query).all()}


def _counts(session: Session, today: date) -> list[dict[Any, tuple[Any, ...]]]:
    """Per person: my commitments' outcomes, gestures, problems, moods and understandings."""
    mine = col(Commitment.direction) == "mine"
    closed = col(Commitment.closed_at).is_not(None)
    status = col(Commitment.status)
    link = InteractionPerson
    mood = col(Interaction.mood)
    # Grouped by an expression, not the indexed column: SQLite would otherwise walk the
    # links person by person and fetch each conversation out of order, ten times slower.
    who = (col(link.person_id) + 0).label("who")
    queries = (
        sa_select(
            col(Commitment.person_id),
            _sum_if(and_(status == "kept", closed)),
            _sum_if(and_(status == "late", closed)),
            _sum_if(and_(status == "broken", closed)),
            _sum_if(status == "open"),
            _sum_if(and_(status == "open", col(Commitment.due) < today)),
            _sum_if(col(Commitment.rescheduled) != 0),
        )
        .where(mine)
        .group_by(col(Commitment.person_id)),
        sa_select(col(Gesture.person_id), func.count()).group_by(col(Gesture.person_id)),
        sa_select(
            col(Problem.person_id), func.count(), func.count(col(Problem.resolved_at))
        ).group_by(col(Problem.person_id)),
        sa_select(
            who,
            func.sum(case((mood > 0, mood), else_=0)),
            func.sum(case((mood < 0, -mood), else_=0)),
        )
        .join(Interaction, col(Interaction.id) == col(link.interaction_id))
        .where(mood.is_not(None), mood != 0)
        .group_by(who),
    )
    counts = [_by_person(session, query) for query in queries]
    understood = session.connection().execute(
        sa_select(col(link.person_id), func.count(), func.max(col(Interaction.heard_checked_at)))
        .join(Interaction, col(Interaction.id) == col(link.interaction_id))
        .where(
            col(link.interaction_id).in_(
                sa_select(col(Interaction.id)).where(col(Interaction.heard_state) == "confirmed")
            )
        )
        .group_by(col(link.person_id))
    )
    # Understood when it was confirmed: without a date, no deposit.
    counts.append({pid: (count,) for pid, count, last in understood if last is not None})
    return counts


# kept, late, broken, open, overdue, rescheduled; gestures; problems, resolved;
# pleased, upset; understood
Counts = tuple[int, int, int, int, int, int, int, int, int, int, int, int]
Summary = tuple[float, float, float, int, int, int, int, float | None, int]


def _summary(counts: Counts, w: LedgerWeights) -> Summary:
    """Deposits, withdrawals, balance, the commitments' counts, follow-through, rescheduled."""
    kept, late, broken, open_, overdue, moved, given, opened, resolved, up, down, understood = (
        value or 0 for value in counts
    )
    points = (
        kept * w.kept,
        late * -w.late,
        broken * -w.broken,
        overdue * -w.overdue,
        given * w.gesture,
        opened * -w.problem,
        resolved * w.resolved,
        up * w.pleased,
        down * -w.upset,
        understood * w.understood,
    )
    deposits = round(sum(p for p in points if p > 0), 2)
    withdrawals = round(-sum(p for p in points if p < 0), 2)
    settled = kept + late + broken
    follow_through = round(kept / settled, 2) if settled else None
    balance = round(deposits - withdrawals, 2)
    return deposits, withdrawals, balance, kept, late, broken, open_, follow_through, moved


def total_records(session: Session, today: date, w: LedgerWeights) -> Iterator[dict[str, object]]:
    """Every person's account as ``ledger_records`` gives it, counted in SQL, weakest first.

    The same sums as ``ledger`` without reading a row per event: the whole journal's
    ledger groups commitments, gestures, problems, moods and understandings by person,
    keeps one small tuple per person to sort them, and makes each record as it is written.
    """
    commitments, gestures, problems, moods, understood = _counts(session, today)
    none6, none2, none1 = (0,) * 6, (0, 0), (0,)
    # People share a handful of kinds of history: each is summed once.
    summaries: dict[tuple[int, ...], Summary] = {}
    rows = []
    for pid, name, key in (
        session.connection()
        .execute(
            sa_select(col(Person.id), col(Person.name), col(Person.name_key)).order_by(
                col(Person.id)
            )
        )
        .all()
    ):
        counts = (
            commitments.get(pid, none6)
            + gestures.get(pid, none1)
            + problems.get(pid, none2)
            + moods.get(pid, none2)
            + understood.get(pid, none1)
        )
        summary = summaries.get(counts)
        if summary is None:
            summary = summaries[counts] = _summary(counts, w)
        rows.append((summary[2], key, pid, name, summary))
    rows.sort()  # by balance, then name; the id settles a tie, as the people are read
    for _balance, _key, pid, name, summary in rows:
        deposits, withdrawals, balance, kept, late, broken, open_, follow_through, moved = summary
        yield {
            "person": name,
            "deposits": deposits,
            "withdrawals": withdrawals,
            "balance": balance,
            "kept": kept,
            "late": late,
            "broken": broken,
            "open": open_,
            "follow_through": follow_through,
            "rescheduled": moved,
            "person_id": pid,
        }


def totals(session: Session, today: date, w: LedgerWeights) -> list[dict[str, object]]:
    """``total_records`` as a list."""
    return list(total_records(session, today, w))


def ledger_records(accounts: list[Account]) -> list[dict[str, object]]:
    return [
        {
            "person": a.person.name,
            "deposits": a.deposits,
            "withdrawals": a.withdrawals,
            "balance": a.balance,
            "kept": a.kept,
            "late": a.late,
            "broken": a.broken,
            "open": a.open,
            "follow_through": a.follow_through,
            "rescheduled": a.rescheduled,
            "person_id": a.person.id,
        }
        for a in accounts
    ]


def statement_records(account: Account) -> list[dict[str, object]]:
    """One row per statement line, each carrying the person's summary in front.

    An empty account still gives its summary, on one row with no line.
    """
    (summary,) = ledger_records([account])
    lines = [
        {**summary, "at": e.at, "points": e.points, "what": e.what, "ref": e.ref}
        for e in account.entries
    ]
    return lines or [{**summary, "at": None, "points": None, "what": None, "ref": None}]

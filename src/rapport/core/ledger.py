"""The trust ledger: what each relationship has gained and lost, computed from the journal."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from rapport.core.choices import read_settings
from rapport.models import Commitment, Gesture, Interaction, InteractionPerson, Person, Problem


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
    at: datetime
    points: float
    what: str


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
        ref = f"(c{c.id})"
        if c.rescheduled:  # a new date agreed is not a broken promise: kept by it, it is kept
            account.rescheduled += 1
            ref = f"(c{c.id}, rescheduled)"
        if c.status == "kept" and c.closed_at is not None:
            account.kept += 1
            account.entries.append(Entry(c.closed_at, w.kept, f"kept “{c.text}” on time {ref}"))
        elif c.status == "late" and c.closed_at is not None:
            account.late += 1
            account.entries.append(Entry(c.closed_at, -w.late, f"kept “{c.text}” late {ref}"))
        elif c.status == "broken" and c.closed_at is not None:
            account.broken += 1
            account.entries.append(Entry(c.closed_at, -w.broken, f"broke “{c.text}” {ref}"))
        elif c.status == "open":
            account.open += 1
            if c.due < today:
                due_at = datetime.combine(c.due + timedelta(days=1), time(), zone)
                account.entries.append(
                    Entry(min(due_at, overdue_from), -w.overdue, f"“{c.text}” is overdue {ref}")
                )
    for g in session.exec(select(Gesture).where(mine(Gesture))):
        accounts[g.person_id].entries.append(Entry(g.at, w.gesture, f"gesture: {g.kind}"))
    for p in session.exec(select(Problem).where(mine(Problem))):
        ref = f"(p{p.id})"
        accounts[p.person_id].entries.append(
            Entry(p.opened_at, -w.problem, f"problem: {p.text} {ref}")
        )
        if p.resolved_at is not None:
            accounts[p.person_id].entries.append(
                Entry(p.resolved_at, w.resolved, f"resolved: {p.text} {ref}")
            )
    _mood_entries(session, accounts, w, person)
    _understood_entries(session, accounts, w, person)
    for account in accounts.values():
        account.entries.sort(key=lambda e: e.at)
    return sorted(accounts.values(), key=lambda a: (a.balance, a.person.name_key))


def _mood_entries(
    session: Session, accounts: dict[int | None, Account], w: LedgerWeights, person: Person | None
) -> None:
    """How conversations left them: one entry each for a statement, summed in SQL for all."""
    link = InteractionPerson
    felt = col(Interaction.mood).is_not(None), Interaction.mood != 0
    joined = col(Interaction.id) == link.interaction_id
    if person is not None:
        rows = session.exec(
            select(Interaction.at, Interaction.mood)
            .join(link, joined)
            .where(link.person_id == person.id, *felt)
        )
        for at, mood in rows:
            if mood:
                points = mood * (w.pleased if mood > 0 else w.upset)
                accounts[person.id].entries.append(
                    Entry(at, points, "left pleased" if mood > 0 else "left upset")
                )
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
            accounts[pid].entries.append(Entry(last, up * w.pleased, "left pleased"))
        if down:
            accounts[pid].entries.append(Entry(last, -down * w.upset, "left upset"))


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
                    Entry(at, w.understood, f"understood “{text}” (i{ident})")
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
        }
        for a in accounts
    ]

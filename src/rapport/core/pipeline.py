"""How many people stand in each stage, for how long, and who moved lately."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlmodel import Session, col, select

from rapport.core.people import STARTS
from rapport.models import Person, StageChange
from rapport.vocab import STAGES

WINDOW_DAYS = 30


@dataclass(frozen=True)
class Move:
    person: str
    before: str
    after: str
    at: datetime


@dataclass(frozen=True)
class StageRow:
    stage: str
    people: int
    avg_days_in_stage: float | None
    moved_in_30d: int


def pipeline(session: Session, today: date, zone: tzinfo) -> tuple[list[StageRow], list[Move]]:
    people = {p.id: p for p in session.exec(select(Person))}
    # A history's start comes first even where it was dated after changes typed in later.
    changes = session.exec(
        select(StageChange).order_by(
            col(StageChange.person_id),
            col(StageChange.why).not_in(STARTS) | col(StageChange.why).is_(None),
            col(StageChange.at),
        )
    ).all()
    since: dict[int, date] = {}
    moves: list[Move] = []
    window = datetime.combine(today - timedelta(days=WINDOW_DAYS - 1), time(), zone)
    end = datetime.combine(today + timedelta(days=1), time(), zone)
    previous: dict[int, str] = {}
    for change in changes:
        person = people.get(change.person_id)
        if person is None or change.at >= end:
            continue
        before = previous.get(change.person_id)
        if change.stage == person.stage and before != change.stage:
            since[change.person_id] = change.at.astimezone(zone).date()
        # An "added" or "imported" record starts a history; it is not a move.
        starts = change.why in STARTS
        if before is not None and before != change.stage and not starts and change.at >= window:
            moves.append(Move(person.name, before, change.stage, change.at))
        previous[change.person_id] = change.stage
    rows = []
    for stage in STAGES:
        members = [pid for pid, p in people.items() if p.stage == stage and pid is not None]
        ages = [(today - since[pid]).days for pid in members if pid in since]
        average = round(sum(ages) / len(ages), 1) if ages else None
        moved = sum(1 for m in moves if m.after == stage)
        rows.append(StageRow(stage, len(members), average, moved))
    moves.sort(key=lambda m: m.at)
    return rows, moves

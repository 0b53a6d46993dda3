"""How many people stand in each stage, for how long, and who moved lately."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import String, func, or_, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

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


def _history(end: datetime, moved_since: datetime | None = None) -> Any:
    """Each change beside the stage before it, and its place in the person's history.

    LAG over the person's history, oldest first, a history's start first even where it
    was dated after changes typed in later. With ``moved_since``, only the histories of
    people with a change since then.
    """
    change = StageChange
    later = or_(col(change.why).not_in(STARTS), col(change.why).is_(None))
    order = (later, col(change.at), col(change.id))
    query = sa_select(
        col(change.id),
        col(change.person_id),
        col(change.stage),
        col(change.at),
        col(change.why),
        func.lag(col(change.stage))
        .over(partition_by=col(change.person_id), order_by=order)
        .label("before"),
        func.row_number().over(partition_by=col(change.person_id), order_by=order).label("seq"),
    ).where(col(change.at) < end)
    if moved_since is not None:
        recent = sa_select(col(change.person_id)).where(
            col(change.at) >= moved_since, col(change.at) < end
        )
        query = query.where(col(change.person_id).in_(recent))
    return query.subquery()


def pipeline(session: Session, today: date, zone: tzinfo) -> tuple[list[StageRow], list[Move]]:
    """Counts, time in stage and moves, grouped in SQL: a row per person, not per change."""
    window = datetime.combine(today - timedelta(days=WINDOW_DAYS - 1), time(), zone)
    end = datetime.combine(today + timedelta(days=1), time(), zone)
    connection = session.connection()
    h = _history(end).c
    # Since when each person stands in their stage: their last entry into it, in that order.
    entries = (
        sa_select(
            col(Person.stage),
            # As stored: read here, it is only ever turned into a day.
            type_coerce(h.at, String).label("at"),
            func.row_number().over(partition_by=h.person_id, order_by=h.seq.desc()).label("last"),
        )
        .join(Person, col(Person.id) == h.person_id)
        .where(h.stage == col(Person.stage), or_(h.before.is_(None), h.before != h.stage))
        .subquery()
    )
    ages: dict[str, list[int]] = {}
    for stage, at in connection.execute(
        sa_select(entries.c.stage, entries.c.at).where(entries.c.last == 1)
    ).all():
        ages.setdefault(stage, []).append((today - _as_moment(at).astimezone(zone).date()).days)
    # An "added" or "imported" record starts a history; it is not a move.
    h = _history(end, window).c
    moves = [
        Move(name, before, after, _as_moment(at))
        for name, before, after, at in connection.execute(
            sa_select(col(Person.name), h.before, h.stage, h.at)
            .join(Person, col(Person.id) == h.person_id)
            .where(
                h.before.is_not(None),
                h.before != h.stage,
                func.coalesce(h.why, "").not_in(STARTS),
                h.at >= window,
            )
            .order_by(h.at, h.person_id, h.id)
        )
    ]
    counts = dict(
        connection.execute(
            sa_select(col(Person.stage), func.count()).group_by(col(Person.stage))
        ).all()
    )
    rows = []
    for stage in STAGES:
        stayed = ages.get(stage, [])
        average = round(sum(stayed) / len(stayed), 1) if stayed else None
        moved = sum(1 for m in moves if m.after == stage)
        rows.append(StageRow(stage, counts.get(stage, 0), average, moved))
    return rows, moves


def _as_moment(value: datetime | str) -> datetime:
    """A UTC moment from a subquery's column, which SQLite hands back as its stored text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

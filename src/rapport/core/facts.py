"""What scoring needs to know about each person, read from the journal as it stood on a day.

The facts come from a handful of queries whose columns are index lookups per
person (on interaction links by (person_id, at)), so their cost grows with the
number of people, not with the number of notes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from rapport.core.people import PersonRow, earliest_record, effective_cadence, person_columns
from rapport.models import (
    Commitment,
    Gesture,
    Interaction,
    InteractionPerson,
    Person,
    Problem,
    StageChange,
    pk,
)

if TYPE_CHECKING:
    from rapport.core.attention import Weights

VOICE = ("call", "meeting", "visit")
WRITTEN = ("email", "letter", "message")


@dataclass
class Facts:
    """What scoring needs to know about one person, as of the day asked about."""

    person: Person | PersonRow
    last_contact: date | None = None
    last_voice: date | None = None
    written_recent: int = 0
    contacts_in_cadence: int = 0
    last_stage_change: date | None = None
    stage_since: date | None = None
    last_gesture: date | None = None
    last_resolution: tuple[int, date, str] | None = None
    mine: list[Commitment] = field(default_factory=list)
    theirs: list[Commitment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    opened: dict[int, date] = field(default_factory=dict)
    created: date = date.min
    last_theirs: date | None = None  # the last conversation they started
    mine_recent: int = 0  # conversations you started in the last one_sided_days
    unanswered: int = 0  # conversations you started since their last reply, when that many


def _local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def gather(session: Session, today: date, zone: tzinfo, w: "Weights") -> list[Facts]:
    """The facts for every person not snoozed on ``today``, as the journal stood that day."""
    cutoff = datetime.combine(today + timedelta(days=1), time(), zone)
    # Snoozed people come back once their day has passed. A person exists from their earliest
    # dated record, not from the day they were typed in: back-dated history counts.
    # Core selects on the connection: tuples, without the ORM's handling of each result.
    rows = session.connection().execute
    born = earliest_record()
    people = {
        row[0]: (PersonRow(*row[:-1]), row[-1]) for row in rows(sa_select(*person_columns(), born))
    }
    facts = {
        pid: Facts(person=person, created=_local_day(first, zone))
        for pid, (person, first) in people.items()
        if (person.snoozed_until is None or person.snoozed_until < today) and first < cutoff
    }

    def day(value: datetime | None) -> date | None:
        return None if value is None else _local_day(value, zone)

    # One row per person: each column an index lookup on (person_id, at).
    link = InteractionPerson

    def latest(*conditions: Any) -> Any:
        return (
            select(link.at)
            .where(link.person_id == Person.id, link.at < cutoff, *conditions)
            .order_by(col(link.at).desc())
            .limit(1)
            .scalar_subquery()
        )

    written_from = datetime.combine(today - timedelta(days=w.written_only_days - 1), time(), zone)
    written = (
        select(func.count())
        .select_from(link)
        .where(
            link.person_id == Person.id,
            col(link.channel).in_(WRITTEN),
            link.at >= written_from,
            link.at < cutoff,
        )
        .scalar_subquery()
    )
    nth_latest = (
        select(link.at)
        .where(link.person_id == Person.id, link.at < cutoff)
        .order_by(col(link.at).desc())
        .offset(max(0, w.frequent_contacts - 1))
        .limit(1)
        .scalar_subquery()
    )
    # Who started: each a lookup by primary key per link, walking one person's links only.
    joined = col(link.interaction_id) == col(Interaction.id)
    # A reply: they started it, their mood was logged, or it was held by voice (two sides).
    reply = and_(
        joined,
        or_(
            col(Interaction.started_by).is_(None),
            col(Interaction.started_by) != "me",
            col(Interaction.mood).is_not(None),
            col(link.channel).in_(VOICE),
        ),
    )
    one_sided_from = datetime.combine(today - timedelta(days=w.one_sided_days - 1), time(), zone)
    mine_recent = (
        select(func.count())
        .select_from(link)
        .where(
            link.person_id == Person.id,
            joined,
            col(Interaction.started_by) == "me",
            link.at >= one_sided_from,
            link.at < cutoff,
        )
        .scalar_subquery()
    )
    nth_unanswered = (
        select(link.at)
        .where(link.person_id == Person.id, link.at < cutoff)
        .order_by(col(link.at).desc())
        .offset(max(0, w.unanswered_contacts - 1))
        .limit(1)
        .scalar_subquery()
    )
    crowded: list[tuple[Facts, datetime]] = []
    unanswered: list[tuple[Facts, datetime | None]] = []
    for pid, last, voice, count, nth, mine, last_reply, nth_mine in rows(
        sa_select(
            col(Person.id),
            latest(),
            latest(col(link.channel).in_(VOICE)),
            written,
            nth_latest,
            mine_recent,
            latest(reply),
            nth_unanswered,
        )
    ):
        item = facts.get(pid)
        if item is None:
            continue
        item.last_contact = day(last)
        item.last_voice = day(voice)
        item.written_recent = count or 0
        item.mine_recent = mine or 0
        waiting = nth_mine is not None and (last_reply is None or nth_mine > last_reply)
        if w.unanswered_contacts > 0 and waiting:
            unanswered.append((item, last_reply))
        cadence = effective_cadence(item.person)
        if nth is not None and cadence and w.frequent_contacts > 0:
            window = datetime.combine(today - timedelta(days=cadence - 1), time(), zone)
            if nth >= window:
                crowded.append((item, window))
    # The last conversation they started, found from the conversations' side: most people
    # started none, and looking for one among each person's links would walk them all.
    for pid, their_last in rows(
        sa_select(col(link.person_id), func.max(col(link.at)))
        .where(
            col(link.interaction_id).in_(
                sa_select(col(Interaction.id)).where(col(Interaction.started_by) == "them")
            ),
            col(link.at) < cutoff,
        )
        .group_by(col(link.person_id))
    ):
        if pid in facts:
            facts[pid].last_theirs = day(their_last)
    for item, window in crowded:
        item.contacts_in_cadence = session.exec(
            select(func.count())
            .select_from(link)
            .where(link.person_id == item.person.id, link.at >= window, link.at < cutoff)
        ).one()
    for item, since in unanswered:
        after = [] if since is None else [link.at > since]
        item.unanswered = session.exec(
            select(func.count())
            .select_from(link)
            .where(link.person_id == item.person.id, link.at < cutoff, *after)
        ).one()

    for pid, last in rows(
        select(StageChange.person_id, func.max(StageChange.at))
        .where(StageChange.at < cutoff)
        .group_by(col(StageChange.person_id))
    ):
        if pid in facts:
            facts[pid].last_stage_change = day(last)
    for pid, since in rows(
        select(StageChange.person_id, func.max(StageChange.at))
        .join(Person, col(Person.id) == StageChange.person_id)
        .where(StageChange.stage == Person.stage, StageChange.at < cutoff)
        .group_by(col(StageChange.person_id))
    ):
        if pid in facts:
            facts[pid].stage_since = day(since)
    for pid, last in rows(
        select(Gesture.person_id, func.max(Gesture.at))
        .where(Gesture.at < cutoff)
        .group_by(col(Gesture.person_id))
    ):
        if pid in facts:
            facts[pid].last_gesture = day(last)

    for c in session.exec(
        select(Commitment).where(
            Commitment.created_at < cutoff,
            or_(col(Commitment.status) == "open", col(Commitment.closed_at) >= cutoff),
        )
    ):
        if c.person_id in facts:
            side = facts[c.person_id].mine if c.direction == "mine" else facts[c.person_id].theirs
            side.append(c)
    for p in session.exec(
        select(Problem).where(
            Problem.opened_at < cutoff,
            or_(col(Problem.resolved_at).is_(None), col(Problem.resolved_at) >= cutoff),
        )
    ):
        if p.person_id in facts:
            facts[p.person_id].problems.append(p)
            facts[p.person_id].opened[pk(p)] = _local_day(p.opened_at, zone)
    for p in session.exec(
        select(Problem)
        .where(
            col(Problem.resolved_at) >= cutoff - timedelta(days=w.follow_up_days),
            col(Problem.resolved_at) < cutoff,
        )
        .order_by(col(Problem.resolved_at))
    ):
        if p.person_id in facts and p.resolved_at is not None:
            facts[p.person_id].last_resolution = (p.id or 0, day(p.resolved_at) or today, p.text)
    return list(facts.values())

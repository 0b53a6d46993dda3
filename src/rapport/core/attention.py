"""Who needs attention: the score behind ``rapport due``.

A person's score is a sum of terms, each a coefficient times a factor between
0 and 1. The facts each term needs are gathered with a handful of aggregate
queries (one row or a few per person), so the cost grows with the number of
people, not with the number of notes. Scoring itself is a pure function of
those facts and the day.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import and_, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from rapport.core.choices import read_settings
from rapport.core.people import effective_cadence
from rapport.models import (
    Commitment,
    Gesture,
    InteractionPerson,
    Person,
    Problem,
    StageChange,
    pk,
)

VOICE = ("call", "meeting", "visit")
WRITTEN = ("email", "letter", "message")


@dataclass(frozen=True)
class Weights:
    """Coefficients (points at full strength) and windows (days); see docs/scoring.md."""

    problem: float = 30.0
    my_overdue: float = 18.0
    my_due_soon: float = 6.0
    their_overdue: float = 8.0
    follow_up: float = 6.0
    cadence: float = 10.0
    stalled: float = 5.0
    no_gesture: float = 4.0
    birthday: float = 5.0
    call_or_visit: float = 3.0
    too_frequent: float = 0.5

    due_soon_days: int = 3
    lateness_days: int = 14
    problem_age_days: int = 30
    follow_up_days: int = 60
    stalled_days: int = 30
    gesture_days: int = 180
    birthday_days: int = 7
    written_only_days: int = 60
    frequent_contacts: int = 4

    @classmethod
    def from_config(cls, raw: Mapping[str, Any]) -> "Weights":
        """Read the ``[due]`` table of the config file; unknown keys are named in the error."""
        return read_settings(cls(), raw, "due")


@dataclass(frozen=True)
class Term:
    term: str
    points: float
    reason: str
    action: str
    ref: str | None = None


@dataclass
class Facts:
    """What scoring needs to know about one person, as of the day asked about."""

    person: Person
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


@dataclass
class Attention:
    person: Person
    terms: list[Term]

    @property
    def score(self) -> float:
        return round(sum(t.points for t in self.terms), 2)

    @property
    def lead(self) -> Term:
        return max(self.terms, key=lambda t: t.points)


def _ramp(value: float, full: float) -> float:
    return 1.0 if full <= 0 else max(0.0, min(1.0, value / full))


def _when(day: date) -> str:
    return f"{day:%a} {day:%Y-%m-%d}"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _birthday_in(birthday: str | None, today: date) -> int | None:
    if not birthday:
        return None
    month, day = int(birthday[-5:-3]), int(birthday[-2:])
    for year in (today.year, today.year + 1):
        try:
            next_one = date(year, month, day)
        except ValueError:  # 29 February in a common year: celebrate on the 28th
            next_one = date(year, 2, 28)
        if next_one >= today:
            return (next_one - today).days
    return None


def score(facts: Facts, today: date, w: Weights) -> list[Term]:
    """Every term that applies to one person on ``today``."""
    terms: list[Term] = []
    person = facts.person

    for c in facts.mine:
        ref = f"commitment {c.id}"
        late = (today - c.due).days
        if late > 0:
            factor = 0.7 + 0.3 * _ramp(late, w.lateness_days)
            terms.append(
                Term(
                    "my_overdue",
                    w.my_overdue * factor,
                    f"you promised “{c.text}”, due {c.due}, {_days(late)} late",
                    f"deliver it or agree a new date (rapport done {c.id})",
                    ref,
                )
            )
        elif -late <= w.due_soon_days:
            factor = max(0.25, (w.due_soon_days + 1 + late) / (w.due_soon_days + 1))
            when = "today" if late == 0 else f"in {_days(-late)} ({_when(c.due)})"
            terms.append(
                Term(
                    "my_due_soon",
                    w.my_due_soon * factor,
                    f"you promised “{c.text}”, due {when}",
                    f"deliver “{c.text}” (rapport done {c.id})",
                    ref,
                )
            )
    for c in facts.theirs:
        late = (today - c.due).days
        if late > 0:
            factor = 0.5 + 0.5 * _ramp(late, w.lateness_days)
            terms.append(
                Term(
                    "their_overdue",
                    w.their_overdue * factor,
                    f"they promised “{c.text}”, due {c.due}, {_days(late)} late",
                    f"chase “{c.text}”, kindly",
                    f"commitment {c.id}",
                )
            )
    for p in facts.problems:
        age = max(0, (today - facts.opened[pk(p)]).days)
        factor = 0.7 + 0.3 * _ramp(age, w.problem_age_days)
        terms.append(
            Term(
                "problem",
                w.problem * factor,
                f"open problem for {_days(age)}: {p.text}",
                f"fix it, then rapport resolve {p.id}",
                f"problem {p.id}",
            )
        )
    if facts.last_resolution is not None:
        ident, resolved, text = facts.last_resolution
        fresh = (today - resolved).days < w.follow_up_days
        if fresh and (facts.last_gesture is None or facts.last_gesture < resolved):
            terms.append(
                Term(
                    "follow_up",
                    w.follow_up,
                    f"problem resolved on {resolved} ({text}), no gesture since",
                    "send an apology or thank-you card",
                    f"problem {ident}",
                )
            )

    cadence = effective_cadence(person)
    if cadence:
        if facts.last_contact is None:
            terms.append(
                Term(
                    "cadence",
                    w.cadence,
                    f"never contacted (every {_days(cadence)})",
                    "get in touch",
                )
            )
        else:
            since = (today - facts.last_contact).days
            if since >= cadence:
                factor = max(0.5, _ramp(since, 2 * cadence))
                terms.append(
                    Term(
                        "cadence",
                        w.cadence * factor,
                        f"last contact {_days(since)} ago (every {_days(cadence)})",
                        "get in touch",
                    )
                )
            recent = facts.contacts_in_cadence
            if recent >= w.frequent_contacts > 0:
                terms.append(
                    Term(
                        "too_frequent",
                        w.too_frequent,
                        f"{recent} contacts in the last {_days(cadence)}"
                        f" (every {_days(cadence)} is enough)",
                        "ease off: give them room",
                    )
                )

    if person.stage in ("dating", "engaged"):
        moved = max(
            d for d in (facts.last_stage_change, facts.last_contact, facts.created) if d is not None
        )
        idle = (today - moved).days
        if idle >= w.stalled_days:
            factor = max(0.5, _ramp(idle, 2 * w.stalled_days))
            terms.append(
                Term(
                    "stalled",
                    w.stalled * factor,
                    f"{person.stage}, nothing has moved for {_days(idle)}",
                    "propose a next step",
                )
            )

    if person.stage in ("engaged", "married"):
        start = facts.last_gesture or facts.stage_since or facts.created
        quiet = (today - start).days
        if quiet >= w.gesture_days:
            factor = max(0.5, _ramp(quiet, 2 * w.gesture_days))
            what = "no gesture" if facts.last_gesture is None else "last gesture"
            terms.append(
                Term(
                    "no_gesture",
                    w.no_gesture * factor,
                    f"{person.stage}, {what} for {_days(quiet)}",
                    "send a card or a small gift",
                )
            )

    days_to_birthday = _birthday_in(person.birthday, today)
    if days_to_birthday is not None and days_to_birthday <= w.birthday_days:
        factor = max(0.125, (w.birthday_days + 1 - days_to_birthday) / (w.birthday_days + 1))
        when = "today" if days_to_birthday == 0 else f"in {_days(days_to_birthday)}"
        terms.append(
            Term(
                "birthday",
                w.birthday * factor,
                f"birthday {when} ({_when(today + timedelta(days_to_birthday))})",
                "send your wishes",
            )
        )

    if facts.written_recent and person.stage != "lost":
        silent = None if facts.last_voice is None else (today - facts.last_voice).days
        if silent is None or silent >= w.written_only_days:
            factor = 1.0 if silent is None else max(0.5, _ramp(silent, 2 * w.written_only_days))
            span = "ever" if silent is None else f"for {_days(silent)}"
            terms.append(
                Term(
                    "call_or_visit",
                    w.call_or_visit * factor,
                    f"only email, letters or messages {span}",
                    "call or visit",
                )
            )

    return [replace(t, points=round(t.points, 2)) for t in terms]


def _local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def gather(session: Session, today: date, zone: tzinfo, w: Weights) -> list[Facts]:
    """The facts for every person not snoozed on ``today``, as the journal stood that day."""
    cutoff = datetime.combine(today + timedelta(days=1), time(), zone)
    # Snoozed people come back once their day has passed; people added later are not there yet.
    awake = and_(
        or_(col(Person.snoozed_until).is_(None), col(Person.snoozed_until) < today),
        col(Person.created_at) < cutoff,
    )
    people = session.exec(select(Person).where(awake)).all()
    facts = {p.id: Facts(person=p, created=_local_day(p.created_at, zone)) for p in people}

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
    crowded: list[tuple[Facts, datetime]] = []
    for pid, last, voice, count, nth in session.execute(
        sa_select(
            col(Person.id), latest(), latest(col(link.channel).in_(VOICE)), written, nth_latest
        ).where(awake)
    ):
        item = facts[pid]
        item.last_contact = day(last)
        item.last_voice = day(voice)
        item.written_recent = count or 0
        cadence = effective_cadence(item.person)
        if nth is not None and cadence and w.frequent_contacts > 0:
            window = datetime.combine(today - timedelta(days=cadence - 1), time(), zone)
            if nth >= window:
                crowded.append((item, window))
    for item, window in crowded:
        item.contacts_in_cadence = session.exec(
            select(func.count())
            .select_from(link)
            .where(link.person_id == item.person.id, link.at >= window, link.at < cutoff)
        ).one()

    for pid, last in session.exec(
        select(StageChange.person_id, func.max(StageChange.at))
        .where(StageChange.at < cutoff)
        .group_by(col(StageChange.person_id))
    ):
        if pid in facts:
            facts[pid].last_stage_change = day(last)
    for pid, since in session.exec(
        select(StageChange.person_id, func.max(StageChange.at))
        .join(Person, col(Person.id) == StageChange.person_id)
        .where(StageChange.stage == Person.stage, StageChange.at < cutoff)
        .group_by(col(StageChange.person_id))
    ):
        if pid in facts:
            facts[pid].stage_since = day(since)
    for pid, last in session.exec(
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


def due(session: Session, today: date, zone: tzinfo, w: Weights) -> list[Attention]:
    """Everyone who needs something on ``today``, highest score first."""
    ranked = [Attention(f.person, score(f, today, w)) for f in gather(session, today, zone, w)]
    ranked = [a for a in ranked if a.terms]
    ranked.sort(key=lambda a: (-a.score, a.person.name_key, a.person.id or 0))
    return ranked


def due_records(ranked: Sequence[Attention]) -> list[dict[str, object]]:
    """One row per reason, for scripts: the columns of the ``due`` listing."""
    rows: list[dict[str, object]] = []
    for rank, item in enumerate(ranked, start=1):
        for term in sorted(item.terms, key=lambda t: -t.points):
            rows.append(
                {
                    "rank": rank,
                    "person": item.person.name,
                    "person_id": item.person.id,
                    "score": item.score,
                    "term": term.term,
                    "points": term.points,
                    "reason": term.reason,
                    "action": term.action,
                    "ref": term.ref,
                }
            )
    return rows

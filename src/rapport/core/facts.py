"""What scoring needs to know about each person, read from the journal as it stood on a day.

The facts come from a handful of queries whose columns are index lookups per
person (on interaction links by (person_id, at)), and from the links of the
last weeks' conversations, so their cost grows with the number of people and
of recent notes, not with years of notes. Moments are read as stored, without
the ORM's parsing of each one.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from sys import intern
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, and_, func, or_, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from rapport.core.people import cadence_for, earliest_record
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


@dataclass(frozen=True, slots=True)
class Someone:
    """A person as scoring reads them: a listing of everyone holds these alone."""

    id: int
    name: str
    name_key: str
    stage: str
    cadence_days: int | None
    birthday: str | None


_NOTHING_OPENED: Mapping[int, date] = MappingProxyType({})


@dataclass(slots=True)
class Facts:
    """What scoring needs to know about one person, as of the day asked about.

    Most people have no commitment nor problem open: those share one empty value.
    """

    person: Someone
    last_contact: date | None = None
    last_voice: date | None = None
    written_recent: int = 0
    contacts_in_cadence: int = 0
    last_stage_change: date | None = None
    stage_since: date | None = None
    last_gesture: date | None = None
    last_resolution: tuple[int, date, str] | None = None
    mine: Sequence[Commitment] = ()
    theirs: Sequence[Commitment] = ()
    problems: Sequence[Problem] = ()
    opened: Mapping[int, date] = field(default_factory=lambda: _NOTHING_OPENED)
    created: date = date.min
    last_theirs: date | None = None  # the last conversation they started
    mine_recent: int = 0  # conversations you started in the last one_sided_days
    unanswered: int = 0  # conversations you started since their last reply, when that many


def _local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def _stored(expr: Any) -> Any:
    """A column as the driver returns it: moments skip the ORM's parsing, read by ``_reader``."""
    return type_coerce(expr, String)


def _moment(value: Any) -> datetime:
    """A stored moment, aware, in UTC: SQLite keeps text, other databases naive UTC datetimes."""
    moment: datetime = datetime.fromisoformat(value) if type(value) is str else value
    return moment.replace(tzinfo=UTC) if moment.utcoffset() is None else moment.astimezone(UTC)


def _naive(value: Any) -> datetime:
    """A stored moment as naive UTC, the cheapest form to compare with ``_utc``'s bounds."""
    moment: datetime = datetime.fromisoformat(value) if type(value) is str else value
    return moment if moment.utcoffset() is None else _utc(moment)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _reader(zone: tzinfo) -> Callable[[Any], date | None]:
    """The local day of a stored moment, or None."""
    if getattr(zone, "key", None) in ("UTC", "Etc/UTC") or zone is UTC:
        days: dict[str, date] = {}  # one date object a day, shared by every fact on it

        def utc_day(value: Any) -> date | None:
            if value is None:
                return None
            if type(value) is str and value[10:11] in (" ", "T") and len(value) <= 26:
                key = value[:10]  # naive UTC text: its date is the day
                found = days.get(key)
                if found is None:
                    found = days[key] = date.fromisoformat(key)
                return found
            return _moment(value).date()

        return utc_day

    def local_day(value: Any) -> date | None:
        return None if value is None else _moment(value).astimezone(zone).date()

    return local_day


def gather(session: Session, today: date, zone: tzinfo, w: "Weights") -> list[Facts]:
    """The facts for every person not snoozed on ``today``, as the journal stood that day."""
    cutoff = datetime.combine(today + timedelta(days=1), time(), zone)
    # Core selects on the connection: tuples, without the ORM's handling of each result;
    # moments come as stored, ``day`` reads them and they are compared as naive UTC.
    before = _utc(cutoff)
    rows = session.connection().execute
    day = _reader(zone)
    # Snoozed people come back once their day has passed. A person exists from their earliest
    # dated record, not from the day they were typed in: back-dated history counts.
    facts: dict[int, Facts] = {}
    for pid, name, key, stage, cadence, birthday, snoozed_until, born in rows(
        sa_select(
            col(Person.id),
            col(Person.name),
            col(Person.name_key),
            col(Person.stage),
            col(Person.cadence_days),
            col(Person.birthday),
            col(Person.snoozed_until),
            _stored(earliest_record()),
        )
    ):
        if snoozed_until is not None and snoozed_until >= today:
            continue
        if _naive(born) < before:
            person = Someone(pid, name, key, intern(stage), cadence, birthday)
            facts[pid] = Facts(person=person, created=day(born) or date.min)

    # One row per person: each column an index lookup on (person_id, at).
    link = InteractionPerson

    def latest(*conditions: Any, offset: int = 0) -> Any:
        return _stored(
            select(link.at)
            .where(link.person_id == Person.id, link.at < cutoff, *conditions)
            .order_by(col(link.at).desc())
            .offset(offset)
            .limit(1)
            .scalar_subquery()
        )

    # A reply: they started it, their mood was logged, or it was held by voice (two sides).
    reply = and_(
        col(link.interaction_id) == col(Interaction.id),
        or_(
            col(Interaction.started_by).is_(None),
            col(Interaction.started_by) != "me",
            col(Interaction.mood).is_not(None),
            col(link.channel).in_(VOICE),
        ),
    )
    crowded: list[tuple[Facts, datetime]] = []
    waiting: list[tuple[Facts, datetime | None]] = []
    windows: dict[int, datetime] = {}  # by cadence, where it starts
    for pid, last, voice, nth, last_reply, nth_mine in rows(
        sa_select(
            col(Person.id),
            latest(),
            latest(col(link.channel).in_(VOICE)),
            latest(offset=max(0, w.frequent_contacts - 1)),
            latest(reply),
            latest(offset=max(0, w.unanswered_contacts - 1)),
        )
    ):
        item = facts.get(pid)
        if item is None:
            continue
        item.last_contact = day(last)
        item.last_voice = day(voice)
        if nth_mine is not None and w.unanswered_contacts > 0:
            since = None if last_reply is None else _naive(last_reply)
            if since is None or _naive(nth_mine) > since:
                waiting.append((item, since))
        cadence = cadence_for(item.person.stage, item.person.cadence_days)
        if nth is not None and cadence and w.frequent_contacts > 0:
            window = windows.get(cadence)
            if window is None:
                start = datetime.combine(today - timedelta(days=cadence - 1), time(), zone)
                window = windows[cadence] = _utc(start)
            if _naive(nth) >= window:
                crowded.append((item, window))
    _recent(session, facts, today, zone, w, cutoff, crowded, waiting)
    # The last conversation they started, found from the conversations' side: most people
    # started none, and looking for one among each person's links would walk them all.
    for pid, their_last in rows(
        sa_select(col(link.person_id), _stored(func.max(col(link.at))))
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

    for pid, last in rows(
        select(StageChange.person_id, _stored(func.max(StageChange.at)))
        .where(StageChange.at < cutoff)
        .group_by(col(StageChange.person_id))
    ):
        if pid in facts:
            facts[pid].last_stage_change = day(last)
    for pid, since in rows(
        select(StageChange.person_id, _stored(func.max(StageChange.at)))
        .join(Person, col(Person.id) == StageChange.person_id)
        .where(StageChange.stage == Person.stage, StageChange.at < cutoff)
        .group_by(col(StageChange.person_id))
    ):
        if pid in facts:
            facts[pid].stage_since = day(since)
    for pid, last in rows(
        select(Gesture.person_id, _stored(func.max(Gesture.at)))
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
        owed = facts.get(c.person_id or 0)
        if owed is not None and c.direction == "mine":
            owed.mine = [*owed.mine, c]
        elif owed is not None:
            owed.theirs = [*owed.theirs, c]
    for p in session.exec(
        select(Problem).where(
            Problem.opened_at < cutoff,
            or_(col(Problem.resolved_at).is_(None), col(Problem.resolved_at) >= cutoff),
        )
    ):
        hurt = facts.get(p.person_id or 0)
        if hurt is not None:
            hurt.problems = [*hurt.problems, p]
            hurt.opened = {**hurt.opened, pk(p): _local_day(p.opened_at, zone)}
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


def _recent(
    session: Session,
    facts: dict[int, Facts],
    today: date,
    zone: tzinfo,
    w: "Weights",
    cutoff: datetime,
    crowded: list[tuple[Facts, datetime]],
    waiting: list[tuple[Facts, datetime | None]],
) -> None:
    """What is counted over the last weeks: written contacts, conversations you started, and
    the contacts of those seen often or waiting for a reply.

    The links of recent conversations are found through the conversations' time, which
    their links repeat: a few weeks of them, whatever the size of the journal.
    """
    link = InteractionPerson
    written_from = datetime.combine(today - timedelta(days=w.written_only_days - 1), time(), zone)
    one_sided_from = datetime.combine(today - timedelta(days=w.one_sided_days - 1), time(), zone)
    since = min(written_from, one_sided_from)
    bounds = _utc(since), _utc(written_from), _utc(one_sided_from), _utc(cutoff)
    recent_from, written_n, one_sided_n, before = bounds
    # Counts from a start of each person's own: contacts in their cadence, or since their
    # last reply; found among the recent links when the start is recent enough.
    tallies: dict[int, list[_Tally]] = {}
    further: list[_Tally] = []
    for item, window in crowded:
        tally = _Tally(item, window, "contacts_in_cadence")
        recent = window >= recent_from
        (tallies.setdefault(item.person.id or 0, []) if recent else further).append(tally)
    for item, last_reply in waiting:
        tally = _Tally(item, last_reply, "unanswered", after=True)
        recent = last_reply is not None and last_reply >= recent_from
        (tallies.setdefault(item.person.id or 0, []) if recent else further).append(tally)
    rows = session.connection().execute
    for pid, at, channel, started_by in rows(
        sa_select(
            col(link.person_id), _stored(link.at), col(link.channel), col(Interaction.started_by)
        )
        .join_from(Interaction, link, col(link.interaction_id) == col(Interaction.id))
        .where(col(Interaction.at) >= since, col(Interaction.at) < cutoff)
    ):
        known = facts.get(pid)
        moment = _naive(at)
        if known is None or not recent_from <= moment < before:
            continue
        if channel in WRITTEN and moment >= written_n:
            known.written_recent += 1
        if started_by == "me" and moment >= one_sided_n:
            known.mine_recent += 1
        for tally in tallies.get(pid, ()):
            tally.add(moment)
    for tally in [t for ts in tallies.values() for t in ts]:
        setattr(tally.facts, tally.name, tally.count)
    at = col(link.at)
    for tally in further:
        start = None if tally.start is None else tally.start.replace(tzinfo=UTC)
        since_start = [] if start is None else [at > start if tally.after else at >= start]
        count = rows(
            sa_select(func.count())
            .select_from(link)
            .where(col(link.person_id) == tally.facts.person.id, at < cutoff, *since_start)
        ).scalar_one()
        setattr(tally.facts, tally.name, count)


@dataclass
class _Tally:
    """How many of one person's contacts came from ``start`` (naive UTC; after it, or from
    it on)."""

    facts: Facts
    start: datetime | None
    name: str
    after: bool = False
    count: int = 0

    def add(self, moment: datetime) -> None:
        if self.start is None or moment > self.start or (moment == self.start and not self.after):
            self.count += 1

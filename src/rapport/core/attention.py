"""Who needs attention: the score behind ``rapport due``.

A person's score is a sum of terms, each a coefficient times a factor between
0 and 1. Scoring is a pure function of the facts core/facts.py reads from the
journal and of the day.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta, tzinfo
from typing import Any

from sqlmodel import Session

from rapport.core.choices import read_settings
from rapport.core.facts import Facts, gather
from rapport.core.people import effective_cadence
from rapport.models import (
    Person,
    pk,
)


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

    def add(term: str, factor: float, reason: str, action: str, ref: str | None = None) -> None:
        terms.append(Term(term, getattr(w, term) * factor, reason, action, ref))

    for c in facts.mine:
        ref = f"commitment {c.id}"
        late = (today - c.due).days
        if late > 0:
            factor = 0.7 + 0.3 * _ramp(late, w.lateness_days)
            add(
                "my_overdue",
                factor,
                f"you promised “{c.text}”, due {c.due}, {_days(late)} late",
                f"deliver it or agree a new date (rapport done {c.id})",
                ref,
            )
        elif -late <= w.due_soon_days:
            factor = max(0.25, (w.due_soon_days + 1 + late) / (w.due_soon_days + 1))
            when = "today" if late == 0 else f"in {_days(-late)} ({_when(c.due)})"
            add(
                "my_due_soon",
                factor,
                f"you promised “{c.text}”, due {when}",
                f"deliver “{c.text}” (rapport done {c.id})",
                ref,
            )
    for c in facts.theirs:
        late = (today - c.due).days
        if late > 0:
            factor = 0.5 + 0.5 * _ramp(late, w.lateness_days)
            add(
                "their_overdue",
                factor,
                f"they promised “{c.text}”, due {c.due}, {_days(late)} late",
                f"chase “{c.text}”, kindly",
                f"commitment {c.id}",
            )
    for p in facts.problems:
        age = max(0, (today - facts.opened[pk(p)]).days)
        factor = 0.7 + 0.3 * _ramp(age, w.problem_age_days)
        add(
            "problem",
            factor,
            f"open problem for {_days(age)}: {p.text}",
            f"fix it, then rapport resolve {p.id}",
            f"problem {p.id}",
        )
    if facts.last_resolution is not None:
        ident, resolved, text = facts.last_resolution
        fresh = (today - resolved).days < w.follow_up_days
        if fresh and (facts.last_gesture is None or facts.last_gesture < resolved):
            add(
                "follow_up",
                1.0,
                f"problem resolved on {resolved} ({text}), no gesture since",
                "send an apology or thank-you card",
                f"problem {ident}",
            )

    cadence = effective_cadence(person)
    if cadence:
        if facts.last_contact is None:
            add(
                "cadence",
                1.0,
                f"never contacted (every {_days(cadence)})",
                "get in touch",
            )
        else:
            since = (today - facts.last_contact).days
            if since >= cadence:
                factor = max(0.5, _ramp(since, 2 * cadence))
                add(
                    "cadence",
                    factor,
                    f"last contact {_days(since)} ago (every {_days(cadence)})",
                    "get in touch",
                )
            recent = facts.contacts_in_cadence
            if recent >= w.frequent_contacts > 0:
                add(
                    "too_frequent",
                    1.0,
                    f"{recent} contacts in the last {_days(cadence)}"
                    f" (every {_days(cadence)} is enough)",
                    "ease off: give them room",
                )

    if person.stage in ("dating", "engaged"):
        moved = max(
            d for d in (facts.last_stage_change, facts.last_contact, facts.created) if d is not None
        )
        idle = (today - moved).days
        if idle >= w.stalled_days:
            factor = max(0.5, _ramp(idle, 2 * w.stalled_days))
            add(
                "stalled",
                factor,
                f"{person.stage}, nothing has moved for {_days(idle)}",
                "propose a next step",
            )

    if person.stage in ("engaged", "married"):
        start = facts.last_gesture or facts.stage_since or facts.created
        quiet = (today - start).days
        if quiet >= w.gesture_days:
            factor = max(0.5, _ramp(quiet, 2 * w.gesture_days))
            what = "no gesture" if facts.last_gesture is None else "last gesture"
            add(
                "no_gesture",
                factor,
                f"{person.stage}, {what} for {_days(quiet)}",
                "send a card or a small gift",
            )

    days_to_birthday = _birthday_in(person.birthday, today)
    if days_to_birthday is not None and days_to_birthday <= w.birthday_days:
        factor = max(0.125, (w.birthday_days + 1 - days_to_birthday) / (w.birthday_days + 1))
        when = "today" if days_to_birthday == 0 else f"in {_days(days_to_birthday)}"
        add(
            "birthday",
            factor,
            f"birthday {when} ({_when(today + timedelta(days_to_birthday))})",
            "send your wishes",
        )

    if facts.written_recent and person.stage != "lost":
        silent = None if facts.last_voice is None else (today - facts.last_voice).days
        if silent is None or silent >= w.written_only_days:
            factor = 1.0 if silent is None else max(0.5, _ramp(silent, 2 * w.written_only_days))
            span = "ever" if silent is None else f"for {_days(silent)}"
            add(
                "call_or_visit",
                factor,
                f"only email, letters or messages {span}",
                "call or visit",
            )

    return [replace(t, points=round(t.points, 2)) for t in terms]


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

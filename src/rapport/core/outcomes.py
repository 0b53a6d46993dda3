"""Current state → desired outcome, tracked: their history, their progress, who is stuck.

Every change of a person's current state (``--now``) or desired outcome (``--wants``)
is kept, dated, in ``profile_change``; ``track`` is the one writer of that history.
An outcome moves when either changes or a commitment toward it is kept.
"""

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from rapport.errors import BadValue
from rapport.models import Commitment, Person, ProfileChange, pk
from rapport.render import Listing

TRACKED = ("current_state", "desired_outcome")


def before(person: Person) -> dict[str, str | None]:
    """The tracked values as they are, to compare with after a change."""
    return {a: getattr(person, a) for a in TRACKED}


def track(session: Session, person: Person, was: dict[str, str | None], at: datetime) -> None:
    """Record, dated ``at``, each tracked value of ``person`` that differs from ``was``."""
    for attribute in TRACKED:
        value = getattr(person, attribute)
        if value != was.get(attribute):
            session.add(
                ProfileChange(person_id=pk(person), attribute=attribute, value=value, at=at)
            )


def serving(person: Person) -> str:
    """The desired outcome a commitment or gesture ``--toward`` serves."""
    if not person.desired_outcome:
        raise BadValue(
            f"#{person.id} {person.name} has no desired outcome yet:"
            f" rapport edit {person.id} --wants 'what they want'"
        )
    return person.desired_outcome


@dataclass(frozen=True)
class Progress:
    """How the current state moved toward the desired outcome."""

    since: datetime | None
    states: list[str]
    wants: str | None
    toward: list[str]

    def describe(self, zone: tzinfo) -> str | None:
        """'since 12 Oct: bathrooms half done → tiles laid; wants: even tiles on both ends'."""
        parts = []
        if self.states:
            when = f"since {self.since.astimezone(zone):%-d %b %Y}: " if self.since else ""
            parts.append(when + " → ".join(self.states))
        if self.wants:
            parts.append(f"wants: {self.wants}")
        return "; ".join(parts) or None


def history(session: Session, person: Person) -> list[ProfileChange]:
    """Every tracked change for ``person``, oldest first."""
    return list(
        session.exec(
            select(ProfileChange)
            .where(ProfileChange.person_id == person.id)
            .order_by(col(ProfileChange.at), col(ProfileChange.id))
        )
    )


def progress(session: Session, person: Person, shown: int = 3) -> Progress:
    """The last ``shown`` current states since the desired outcome was set, and what serves it."""
    changes = history(session, person)
    wants_since = max(
        (c.at for c in changes if c.attribute == "desired_outcome"), default=person.created_at
    )
    states = [c for c in changes if c.attribute == "current_state" and c.value]
    # The state the outcome started from is the last one before it was set, if any.
    earlier = [c for c in states if c.at <= wants_since][-1:]
    moves = (earlier + [c for c in states if c.at > wants_since])[-shown:]
    toward = session.exec(
        select(Commitment.text).where(
            Commitment.person_id == person.id,
            Commitment.status == "open",
            col(Commitment.toward).is_not(None),
            Commitment.toward == person.desired_outcome,
        )
    ).all()
    if moves:
        return Progress(
            moves[0].at, [c.value or "" for c in moves], person.desired_outcome, list(toward)
        )
    now = [person.current_state] if person.current_state else []
    return Progress(None, now, person.desired_outcome, list(toward))


OUTCOMES = Listing(
    "outcomes",
    ("person", "person_id", "desired_outcome", "current_state", "moved_at", "days", "cadence_days"),
    frozenset({"person_id", "moved_at", "days", "cadence_days"}),
)


def stuck(session: Session, today: date, zone: tzinfo) -> list[dict[str, object]]:
    """People whose desired outcome has not moved for longer than their cadence, longest first."""
    from rapport.core.people import effective_cadence

    changed = dict(
        session.exec(
            select(ProfileChange.person_id, func.max(ProfileChange.at)).group_by(
                col(ProfileChange.person_id)
            )
        ).all()
    )
    kept = dict(
        session.exec(
            select(Commitment.person_id, func.max(Commitment.closed_at))
            .where(
                col(Commitment.toward).is_not(None), col(Commitment.status).in_(("kept", "late"))
            )
            .group_by(col(Commitment.person_id))
        ).all()
    )
    rows: list[tuple[int, str, dict[str, object]]] = []
    for p in session.exec(select(Person).where(col(Person.desired_outcome).is_not(None))):
        cadence = effective_cadence(p)
        if not cadence:
            continue
        moved = max(d for d in (changed.get(pk(p)), kept.get(pk(p)), p.created_at) if d is not None)
        days = (today - moved.astimezone(zone).date()).days
        if days > cadence:
            rows.append(
                (
                    -days,
                    p.name_key,
                    {
                        "person": p.name,
                        "person_id": p.id,
                        "desired_outcome": p.desired_outcome,
                        "current_state": p.current_state,
                        "moved_at": moved,
                        "days": days,
                        "cadence_days": cadence,
                    },
                )
            )
    return [row for *_, row in sorted(rows, key=lambda r: r[:2])]

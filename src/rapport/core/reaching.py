"""Who reaches out: the balance of conversations started by each side lately."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from rapport.models import Interaction, InteractionPerson, Person

BALANCE_DAYS = 90


@dataclass(frozen=True)
class Balance:
    mine: int
    theirs: int
    unknown: int
    days: int = BALANCE_DAYS

    def __str__(self) -> str:
        known = self.mine + self.theirs
        if not known:
            said = f"nobody noted who started the {self.unknown}" if self.unknown else "none"
            return f"{said} in {self.days} days"
        text = f"you started {self.mine} of {known} in {self.days} days"
        return text + (f" ({self.unknown} more not noted)" if self.unknown else "")


def balance(session: Session, person: Person, now: datetime) -> Balance:
    """Conversations with ``person`` in the last 90 days, by who started them."""
    counts = dict(
        session.exec(
            select(Interaction.started_by, func.count())
            .join(InteractionPerson, col(InteractionPerson.interaction_id) == Interaction.id)
            .where(
                InteractionPerson.person_id == person.id,
                InteractionPerson.at >= now - timedelta(days=BALANCE_DAYS),
                InteractionPerson.at <= now,
            )
            .group_by(col(Interaction.started_by))
        ).all()
    )
    return Balance(counts.get("me", 0), counts.get("them", 0), counts.get(None, 0))

"""Listen and repeat back: what was heard in a conversation, and whether they agreed.

What a conversation recorded with ``--heard`` is open until it is repeated back:
``confirmed`` when they agreed, ``corrected`` when they said what they actually meant
(the correction is kept beside the original). Confirming a corrected item confirms
the correction.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from rapport.errors import BadValue
from rapport.models import Interaction, InteractionPerson, Person


def find_interaction(session: Session, ref: str) -> Interaction:
    """The interaction ``ref`` names: ``i12`` (or ``12``)."""
    from rapport.core.refs import find

    found: Interaction = find(session, ref, kinds="i", bare="i")
    return found


def repeat_back(
    session: Session,
    item: Interaction,
    *,
    now: datetime,
    confirmed: bool = False,
    corrected: str | None = None,
) -> Interaction:
    """Record that what was heard in ``item`` was confirmed, or corrected to ``corrected``."""
    if confirmed == (corrected is not None):
        raise BadValue("say how it went: --confirmed, or --corrected TEXT")
    if not item.heard:
        raise BadValue(f"i{item.id} has nothing heard to repeat back (log it with --heard)")
    if corrected is not None:
        corrected = " ".join(corrected.split())
        if not corrected:
            raise BadValue("a correction needs its text: --corrected 'what they meant'")
        item.heard_correction = corrected
    item.heard_state = "confirmed" if confirmed else "corrected"
    item.heard_checked_at = now
    session.add(item)
    return item


@dataclass(frozen=True)
class Heard:
    ref: str
    at: datetime
    heard: str
    state: str
    correction: str | None
    checked_at: datetime | None

    @property
    def understood(self) -> str:
        """What they need, as best understood: the correction when there is one."""
        return self.correction or self.heard


def heard_items(session: Session, person: Person, limit: int | None = None) -> list[Heard]:
    """What was heard from ``person``, newest first."""
    links = select(InteractionPerson.interaction_id).where(InteractionPerson.person_id == person.id)
    query = (
        select(Interaction)
        .where(col(Interaction.id).in_(links), col(Interaction.heard).is_not(None))
        .order_by(col(Interaction.at).desc(), col(Interaction.id).desc())
        .limit(limit)
    )
    return [
        Heard(
            f"i{i.id}",
            i.at,
            i.heard or "",
            i.heard_state or "open",
            i.heard_correction,
            i.heard_checked_at,
        )
        for i in session.exec(query)
    ]

"""The pre-call brief: what they need and what is open, before the past."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from rapport.core.heard import Heard, heard_items
from rapport.core.people import Profile, profile
from rapport.models import Commitment, Interaction, InteractionPerson, Person, Problem

RECENT = 5
HEARD = 5
STYLE_HINTS = {
    "detail": "lead with specifics: numbers, steps, the plan line by line",
    "detail-oriented": "lead with specifics: numbers, steps, the plan line by line",
    "big-picture": "lead with the outcome; keep the details for later",
}


@dataclass
class Brief:
    profile: Profile
    heard: list[Heard]
    mine: list[Commitment]
    theirs: list[Commitment]
    problems: list[Problem]
    recent: list[Interaction]

    @property
    def style_hint(self) -> str | None:
        style = self.profile.person.style
        return STYLE_HINTS.get(style.strip().lower()) if style else None


def brief(session: Session, person: Person, now: datetime | None = None) -> Brief:
    links = select(InteractionPerson.interaction_id).where(InteractionPerson.person_id == person.id)
    heard = heard_items(session, person, limit=HEARD)
    open_items = session.exec(
        select(Commitment)
        .where(Commitment.person_id == person.id, Commitment.status == "open")
        .order_by(col(Commitment.due), col(Commitment.id))
    ).all()
    problems = session.exec(
        select(Problem)
        .where(Problem.person_id == person.id, col(Problem.resolved_at).is_(None))
        .order_by(col(Problem.opened_at))
    ).all()
    recent = session.exec(
        select(Interaction)
        .where(col(Interaction.id).in_(links))
        .order_by(col(Interaction.at).desc())
        .limit(RECENT)
    ).all()
    return Brief(
        profile=profile(session, person, now),
        # What still needs repeating back comes first.
        heard=sorted(heard, key=lambda h: h.state != "open"),
        mine=[c for c in open_items if c.direction == "mine"],
        theirs=[c for c in open_items if c.direction == "theirs"],
        problems=list(problems),
        recent=list(recent),
    )

"""The rules a record obeys, checked where it is written, so every command agrees.

`log`, `promise`, `amend`, import and the rest call these beside the one function that
writes each copied value: an interaction's time and channel on its people links
(``sync_links``, ``set_people``), a person's current stage (``people.settle_stage``),
and whatever else is derived from records, such as a search index (``records_changed``):
change a record, and what is derived from it changes with it.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo

from sqlmodel import Session, col, select

from rapport.errors import BadDate, BadValue
from rapport.models import Commitment, Interaction, InteractionPerson, Problem

# A clock a little ahead of another is not the future.
SLACK = timedelta(minutes=1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def in_past(
    when: datetime, now: datetime, typed: str | None = None, option: str = "--at"
) -> datetime:
    """``when``, if it has happened: the journal records what has happened."""
    if when <= now + SLACK:
        return when
    shown = typed if typed is not None else f"{when:%Y-%m-%d %H:%M}"
    first = shown.strip().lower().split()[0] if shown.strip() else ""
    hint = f"; for the past one, say 'last {shown.strip()}'" if first[:3] in WEEKDAYS else ""
    raise BadDate(
        f"{option} '{shown}' is in the future ({when:%a %Y-%m-%d %H:%M}): the journal records"
        f" what has happened{hint}"
    )


def closed_after(item: Commitment, at: datetime, zone: tzinfo) -> None:
    """A commitment is not closed before it was made."""
    if at < item.created_at:
        raise BadValue(
            f"commitment {item.id} was made on {item.created_at.astimezone(zone):%Y-%m-%d %H:%M};"
            " it can't be closed before that"
        )


def resolved_after(item: Problem, at: datetime, zone: tzinfo) -> None:
    if at < item.opened_at:
        raise BadValue(
            f"problem {item.id} was opened on {item.opened_at.astimezone(zone):%Y-%m-%d %H:%M};"
            " it can't be resolved before that"
        )


def settle_outcome(item: Commitment, zone: tzinfo) -> None:
    """A kept commitment is ``late`` when closed after its due date, else ``kept``."""
    if item.status in ("kept", "late") and item.closed_at is not None:
        item.status = "late" if item.closed_at.astimezone(zone).date() > item.due else "kept"


def move_due(item: Commitment, due: date, zone: tzinfo) -> None:
    """A new due date; moving an open promise later is a rescheduling, counted as such."""
    if item.status == "open" and due > item.due:
        item.rescheduled += 1
    item.due = due
    settle_outcome(item, zone)


def sync_links(session: Session, interaction: Interaction) -> None:
    """The one writer of the time and channel that each people link repeats."""
    for link in session.exec(
        select(InteractionPerson).where(InteractionPerson.interaction_id == interaction.id)
    ):
        if link.at != interaction.at or link.channel != interaction.channel:
            link.at, link.channel = interaction.at, interaction.channel
            session.add(link)


def set_people(session: Session, interaction: Interaction, people: list[int]) -> None:
    """Who took part, in order; links are added and removed, never rewritten in place."""
    if not people:
        raise BadValue("an interaction needs at least one person")
    links = {
        link.person_id: link
        for link in session.exec(
            select(InteractionPerson)
            .where(InteractionPerson.interaction_id == interaction.id)
            .order_by(col(InteractionPerson.position))
        )
    }
    for pid, link in links.items():
        if pid not in people:
            session.delete(link)
    session.flush()
    for position, pid in enumerate(people):
        link = links.get(pid) or InteractionPerson(
            interaction_id=interaction.id or 0, person_id=pid, at=interaction.at
        )
        link.position, link.at, link.channel = position, interaction.at, interaction.channel
        session.add(link)


# Spans of ids, first and last included, per table ("interaction": [(12, 12), (40, 1039)]).
Touched = Mapping[str, Sequence[tuple[int, int]]]


def records_changed(session: Session, touched: Touched) -> None:
    """Called once per write, in its transaction, with the records it touched (a link or
    tag counts as its interaction or person): by the change log's recorder as a command
    commits, and by undo after it reverts one. Copies kept beside the records that the
    write paths do not maintain themselves (a search index) are brought up to date here."""
    from rapport.store import fts

    fts.catch_up(session, touched)

"""Erasing a person who asks to be forgotten, and every trace the journal keeps of them."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, SQLModel, col, func, select

from rapport.core.changes import stop
from rapport.core.merge import owned_models
from rapport.core.undo import erase_person
from rapport.models import (
    Change,
    Interaction,
    InteractionPerson,
    InteractionTag,
    Person,
    PersonAlias,
    PersonTag,
    pk,
)
from rapport.store import fts


@dataclass
class Erased:
    name: str
    erased: dict[str, int] = field(default_factory=dict)
    shared: int = 0  # conversations with others, which only lose this person
    changes: int = 0  # change-log entries purged
    mentions: int = 0  # notes that stay (shared, or others') and still name them


def forget_person(
    session: Session, person: Person, *, now: datetime, author: str | None = None
) -> Erased:
    """Erase ``person``: their records, their place in shared conversations, their changes.

    Every change that concerned them is emptied and marked erased, so that undo
    refuses it; the erasure itself is logged as one such change, naming nobody.
    """
    stop(session)
    pid = pk(person)
    report = Erased(f"#{pid} {person.name}")
    links = session.exec(select(InteractionPerson).where(InteractionPerson.person_id == pid)).all()
    talks = [link.interaction_id for link in links]
    others = set(
        session.exec(
            select(InteractionPerson.interaction_id).where(
                col(InteractionPerson.interaction_id).in_(talks), InteractionPerson.person_id != pid
            )
        )
    )
    alone = [t for t in talks if t not in others]
    report.shared = len(others)
    erasing: list[SQLModel] = [*links]
    erasing += session.exec(
        select(InteractionPerson).where(
            col(InteractionPerson.interaction_id).in_(alone), InteractionPerson.person_id != pid
        )
    ).all()
    erasing += session.exec(
        select(InteractionTag).where(col(InteractionTag.interaction_id).in_(alone))
    ).all()
    notes = session.exec(select(Interaction).where(col(Interaction.id).in_(alone))).all()
    report.erased["interaction"] = len(notes)
    for model in (*owned_models(), PersonTag):
        rows = session.exec(select(model).where(model.person_id == pid)).all()
        report.erased[_label(model)] = len(rows)
        erasing += rows
    records: dict[str, set[int]] = {"interaction": set(talks)}
    for record in [*erasing, *notes, person]:
        ident = getattr(record, "id", None)
        if ident is not None:
            records.setdefault(str(record.__tablename__), set()).add(int(ident))
        session.delete(record)
        session.flush()  # children before their parents
    report.changes = erase_person(session, pid, records)
    _unname(session, person.name)
    erased = sum(report.erased.values())
    session.add(
        Change(
            at=now,
            author=author,
            command="forget",
            summary=f"erased a person and {erased} record(s) of theirs alone",
            erased=True,
        )
    )
    fts.catch_up(session)
    report.mentions = _mentions(session, person.name)
    fts.compact(session.connection())
    return report


def _unname(session: Session, name: str) -> None:
    """Take their name out of what the change log says of changes kept (a shared talk)."""
    for change in session.exec(select(Change).where(col(Change.summary).contains(name))).all():
        change.summary = change.summary.replace(name, "(erased)")
        session.add(change)
    session.flush()


def _mentions(session: Session, name: str) -> int:
    """How many notes kept (shared, or other people's) still hold their name."""
    from rapport.core.search import search

    words = [w for w in name.split() if any(ch.isalnum() for ch in w)]
    if not words:
        return 0
    return len(search(session, '"' + " ".join(words) + '"'))


def counts_of(session: Session, person: Person) -> dict[str, int]:
    """What forgetting would erase, for the question asked before it."""
    pid = pk(person)
    talks = select(InteractionPerson.interaction_id).where(InteractionPerson.person_id == pid)
    shared = select(InteractionPerson.interaction_id).where(
        col(InteractionPerson.interaction_id).in_(talks), InteractionPerson.person_id != pid
    )
    found = {
        "interaction": session.exec(
            select(func.count()).where(
                col(Interaction.id).in_(talks), col(Interaction.id).not_in(shared)
            )
        ).one()
    }
    for model in owned_models():
        if model is not PersonAlias:
            count = session.exec(select(func.count()).where(model.person_id == pid)).one()
            found[_label(model)] = count
    return found


def _label(model: Any) -> str:
    name = str(model.__tablename__)
    return {"person_tag": "tag", "person_alias": "alias"}.get(name, name.replace("_", " "))


def plural(counts: dict[str, int] | Iterable[tuple[str, int]]) -> str:
    items = counts.items() if isinstance(counts, dict) else counts
    return ", ".join(f"{n} {what}{'' if n == 1 else 's'}" for what, n in items if n)


def backups_beside(path: Any) -> Sequence[str]:
    """Backup files rapport made of this journal that still hold what was erased."""
    from pathlib import Path

    from rapport.store.backup import FOLDER, backups_of

    journal = Path(path)
    found = sorted(journal.parent.glob(f"{journal.name}.schema*.bak"))
    if (journal.parent / FOLDER).is_dir():
        found += backups_of(journal.parent / FOLDER, journal.stem)
    return [str(p) for p in found]

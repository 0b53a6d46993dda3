"""More of a contact than one email and one phone: other emails and phones, postal
addresses and web pages, each with its label; and the ids other address books give.

``add_details`` is the one writer of person_detail and ``note_source`` of person_source.
In CSV and JSON a detail is written ``value (label)``, several joined like tags.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from rapport.models import Person, PersonDetail, PersonSource, pk
from rapport.transfer.contact import split_label

# The kinds of detail, in the order they are listed, with their export columns.
KINDS = {"email": "other_emails", "phone": "other_phones", "address": "addresses", "url": "urls"}


@dataclass(frozen=True)
class Detail:
    kind: str
    value: str
    label: str | None = None

    def __str__(self) -> str:
        return f"{self.value} ({self.label})" if self.label else self.value


def parse_detail(kind: str, text: str) -> Detail:
    """'+44 7700 900123 (cell)' → the value and its label."""
    value, label = split_label(text)
    return Detail(kind, value, label)


def _same(kind: str, value: str) -> str:
    if kind == "phone":
        return "".join(ch for ch in value if ch.isdigit() or ch == "+")
    return value.casefold()


def details_of(session: Session, person_ids: Iterable[int | None]) -> dict[int, list[Detail]]:
    ids = [i for i in person_ids if i is not None]
    query = select(PersonDetail).order_by(
        col(PersonDetail.person_id), col(PersonDetail.kind), col(PersonDetail.position)
    )
    query = query.where(col(PersonDetail.person_id).in_(ids))
    found: dict[int, list[Detail]] = {}
    for row in session.exec(query):
        found.setdefault(row.person_id, []).append(Detail(row.kind, row.value, row.label))
    return found


def by_kind(details: Sequence[Detail]) -> dict[str, list[str]]:
    """The export columns of a person's details: other_emails, other_phones, addresses, urls."""
    columns: dict[str, list[str]] = {column: [] for column in KINDS.values()}
    for detail in details:
        columns[KINDS[detail.kind]].append(str(detail))
    return columns


# A detail as the journal holds it: kind, value, label, position.
HeldDetail = tuple[str, str, str | None, int]


def plan_details(
    held: Sequence[HeldDetail], email: str | None, phone: str | None, details: Iterable[Detail]
) -> tuple[list[tuple[Detail, int]], dict[int, str]]:
    """What ``add_details`` would write for a person holding ``held`` (and ``email`` and
    ``phone`` on the person): the details to add with their positions, and the labels
    that held ones without a label gain (by their index in ``held``)."""
    known: dict[tuple[str, str], int] = {}  # index in held, or -1 - index in added
    for index, (kind, value, _label, _position) in enumerate(held):
        known[(kind, _same(kind, value))] = index
    primary = {("email", _same("email", email or "")), ("phone", _same("phone", phone or ""))}
    next_position = {kind: 0 for kind in KINDS}
    for kind, _value, _label, position in held:
        next_position[kind] = max(next_position[kind], position + 1)
    added: list[tuple[Detail, int]] = []
    labelled: dict[int, str] = {}
    for detail in details:
        key = (detail.kind, _same(detail.kind, detail.value))
        if not detail.value or key in primary:
            continue
        if (at := known.get(key)) is not None:
            if at >= 0 and held[at][2] is None and at not in labelled and detail.label:
                labelled[at] = detail.label
            elif at < 0 and added[-1 - at][0].label is None and detail.label:
                old, position = added[-1 - at]
                added[-1 - at] = (Detail(old.kind, old.value, detail.label), position)
            continue
        known[key] = -1 - len(added)
        added.append((detail, next_position[detail.kind]))
        next_position[detail.kind] += 1
    return added, labelled


def add_details(session: Session, person: Person, details: Iterable[Detail]) -> bool:
    """Add the details the person does not have yet (never the first email or phone, which
    live on the person); a known value without a label gains the one given. True if any."""
    pid = pk(person)
    rows = list(session.exec(select(PersonDetail).where(PersonDetail.person_id == pid)))
    held = [(row.kind, row.value, row.label, row.position) for row in rows]
    added, labelled = plan_details(held, person.email, person.phone, details)
    for index, label in labelled.items():
        rows[index].label = label
        session.add(rows[index])
    for detail, position in added:
        session.add(
            PersonDetail(
                person_id=pid,
                kind=detail.kind,
                value=detail.value,
                label=detail.label,
                position=position,
            )
        )
    return bool(added or labelled)


def sources(session: Session) -> Iterable[tuple[str, str, int, str | None]]:
    query = select(
        PersonSource.source, PersonSource.source_id, PersonSource.person_id, PersonSource.name
    )
    return session.exec(query)


def source_row(session: Session, source: str, source_id: str) -> PersonSource | None:
    return session.exec(
        select(PersonSource).where(
            PersonSource.source == source, PersonSource.source_id == source_id
        )
    ).first()


def note_source(
    session: Session, person: Person, source: str, source_id: str, name: str
) -> str | None:
    """Remember the id ``source`` gives the person and the name it gave; returns the name
    it gave last time (None the first time)."""
    row = source_row(session, source, source_id)
    if row is None:
        session.add(
            PersonSource(source=source, source_id=source_id, person_id=pk(person), name=name)
        )
        return None
    before = row.name
    if before != name or row.person_id != pk(person):
        row.name, row.person_id = name, pk(person)
        session.add(row)
    return before

"""Whole tables as CSV, the cells formatted by the database and streamed to the writer.

The rows are those ``records.export_records`` gives and ``render.csv_rows`` formats, cell
for cell (a test compares the two on a journal of every awkward value). Doing the work in
SQL keeps Python out of the per-row loop: the driver's tuples go straight to
``csv.writer.writerows``, a batch at a time, however long the table.
"""

import csv
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    types,
)
from sqlmodel import Session, col

from rapport.core import records
from rapport.core.details import KINDS
from rapport.core.refs import PREFIX
from rapport.models import (
    Commitment,
    Gesture,
    Interaction,
    InteractionPerson,
    InteractionTag,
    Person,
    PersonDetail,
    PersonTag,
    Problem,
    StageChange,
    UTCDateTime,
)
from rapport.render import Listing
from rapport.store.cells import Cells, concat

# Positions of the people of one interaction as SQLite joins them, when they are in order.
IN_ORDER = ",".join(str(n) for n in range(100))


def _value(cells: Cells, column: Any) -> ColumnElement[Any]:
    """A table's column as its CSV cell before the formula guard."""
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return cells.moment(column)
    if isinstance(kind, types.Date):
        return cells.day(column)
    if isinstance(kind, types.Boolean):
        return cells.flag(column)
    return column  # type: ignore[no-any-return]


def _ref(model: Any, column: Any) -> ColumnElement[str]:
    return concat(literal(PREFIX[model], String), cast(column, String))


def _cells(cells: Cells, listing: Listing, values: dict[str, Any]) -> list[Any]:
    """The listing's columns in contract order, free text guarded."""
    return [
        values[name] if name in listing.literal else cells.guarded(values[name])
        for name in listing.columns
    ]


def _owned_query(cells: Cells, model: Any, listing: Listing) -> Select[Any]:
    own = [c for c in listing.columns if c not in ("person", "person_uid", "ref")]
    values: dict[str, Any] = {name: _value(cells, getattr(model, name)) for name in own}
    values |= {
        "person": col(Person.name),
        "person_uid": col(Person.uid),
        "ref": _ref(model, col(model.id)),
    }
    return (
        select(*_cells(cells, listing, values))
        .join_from(model, Person, col(Person.id) == col(model.person_id))
        .order_by(col(model.id))
    )


def _people_query(cells: Cells) -> Select[Any]:
    p, tag, detail, link = Person, PersonTag, PersonDetail, InteractionPerson
    lists = {
        "tags": cells.ordered_list(
            cells.item(col(tag.tag)), (tag,), col(tag.person_id) == col(p.id), col(tag.tag)
        )
    }
    for kind, name in KINDS.items():
        lists[name] = cells.ordered_list(
            cells.item(cells.labelled(col(detail.value), col(detail.label))),
            (detail,),
            and_(col(detail.person_id) == col(p.id), col(detail.kind) == kind),
            col(detail.position),
        )
    last = select(func.max(link.at)).where(col(link.person_id) == col(p.id)).scalar_subquery()
    own = [getattr(p, c) for c in records.PERSON_COLUMNS]
    # OFFSET 0: the lists are computed once each, not once per use in the formula guard.
    rows = (
        select(*own, last.label("last_contact_at"), *(v.label(k) for k, v in lists.items()))
        .order_by(col(p.id))
        .offset(0)
        .subquery()
    )
    values = {c: _value(cells, rows.c[c]) for c in records.PERSON_COLUMNS}
    values["last_contact_at"] = cells.moment(rows.c.last_contact_at)
    values |= {name: rows.c[name] for name in lists}
    return select(*_cells(cells, records.PEOPLE, values))


def _interactions_query(cells: Cells) -> Select[Any]:
    i, link, p, tag = Interaction, InteractionPerson, Person, InteractionTag
    own = [c for c in records.INTERACTIONS.columns if c in Interaction.model_fields]
    tags = cells.ordered_list(
        cells.item(col(tag.tag)), (tag,), col(tag.interaction_id) == col(i.id), col(tag.tag)
    )
    grouped = (
        select(
            *(getattr(i, c) for c in own),
            cells.joined(cells.item(col(p.name)), col(link.position)).label("names"),
            cells.joined(col(p.uid), col(link.position)).label("uids"),
            func.group_concat(col(link.position), ",").label("positions")
            if not cells.postgres
            else cast(None, String).label("positions"),
            tags.label("tags"),
        )
        .select_from(i)
        .outerjoin(link, col(link.interaction_id) == col(i.id))
        .outerjoin(p, col(p.id) == col(link.person_id))
        .group_by(col(i.id))
        .order_by(col(i.id))
        .offset(0)
        .subquery()
    )
    people: Any = grouped.c.names
    uids: Any = grouped.c.uids
    if not cells.postgres:
        # SQLite joins a group in the order its rows come, which is by person id: that is
        # the order of the meeting when the positions, joined alike, read 0,1,2,… .
        positions = grouped.c.positions
        in_order = or_(
            positions.is_(None), positions == func.substr(IN_ORDER, 1, func.length(positions))
        )
        mine = and_(col(link.interaction_id) == grouped.c.id, col(p.id) == col(link.person_id))
        by_position = col(link.position)
        people = case(
            (in_order, people),
            else_=cells.ordered_list(cells.item(col(p.name)), (link, p), mine, by_position),
        )
        uids = case(
            (in_order, uids), else_=cells.ordered_list(col(p.uid), (link, p), mine, by_position)
        )
    rows = (
        select(
            *(grouped.c[c] for c in own),
            people.label("people"),
            uids.label("people_uids"),
            grouped.c.tags,
        )
        .offset(0)
        .subquery()
    )
    values = {c: _value(cells, rows.c[c]) for c in own}
    values |= {
        "people": rows.c.people,
        "people_uids": rows.c.people_uids,
        "tags": rows.c.tags,
        "ref": _ref(Interaction, rows.c.id),
    }
    # the columns of a subquery lose their model's types: say which are timestamps again
    values["at"] = cells.moment(rows.c.at)
    values["heard_checked_at"] = cells.moment(rows.c.heard_checked_at)
    values["day_only"] = cells.flag(rows.c.day_only)
    return select(*_cells(cells, records.INTERACTIONS, values))


def csv_query(dialect: str, table: str) -> Select[Any]:
    """The rows of one table's CSV export (without the header), in id order."""
    cells = Cells(dialect)
    if table == "people":
        return _people_query(cells)
    if table == "interactions":
        return _interactions_query(cells)
    models = {
        "commitments": Commitment,
        "problems": Problem,
        "gestures": Gesture,
        "stages": StageChange,
    }
    return _owned_query(cells, models[table], records.LISTINGS[table])


def _batches(session: Session, query: Select[Any]) -> Iterator[Sequence[Any]]:
    """The rows of ``query`` as the driver's own tuples, ``records.BATCH`` at a time, in the
    session's transaction (every cell is already text or a number: nothing to convert)."""
    connection = session.connection()
    compiled = query.compile(dialect=connection.dialect)
    named = compiled.construct_params()
    names = compiled.positiontup
    params = named if names is None else tuple(named[name] for name in names)
    dbapi = connection.connection.dbapi_connection
    assert dbapi is not None
    # On a server, a named cursor streams the rows instead of receiving them all at once.
    cursor = (
        dbapi.cursor(name="rapport_export")
        if connection.dialect.name == "postgresql"
        else dbapi.cursor()
    )
    try:
        cursor.execute(str(compiled), params)
        while rows := cursor.fetchmany(records.BATCH):
            yield rows
    finally:
        cursor.close()


def write_csv_table(session: Session, table: str, out: TextIO) -> None:
    """One table as CSV, streamed: the same bytes as ``render.write_csv`` of its records."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(records.LISTINGS[table].columns)
    query = csv_query(session.get_bind().dialect.name, table)
    for rows in _batches(session, query):
        writer.writerows(rows)

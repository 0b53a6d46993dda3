"""Whole tables as CSV, the cells formatted by the database and streamed to the writer.

The rows are those ``records.export_records`` gives and ``render.csv_rows`` formats, cell
for cell (a test compares the two on a journal of every awkward value). Doing the work in
SQL keeps Python out of the per-row loop: the driver's tuples go straight to
``csv.writer.writerows``, a batch at a time, however long the table.
"""

import csv
from collections.abc import Iterator
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
    values: dict[str, Any] = {c: _value(cells, getattr(p, c)) for c in records.PERSON_COLUMNS}
    values["tags"] = cells.ordered_list(
        cells.item(col(tag.tag)), (tag,), col(tag.person_id) == col(p.id), col(tag.tag)
    )
    for kind, name in KINDS.items():
        values[name] = cells.ordered_list(
            cells.item(cells.labelled(col(detail.value), col(detail.label))),
            (detail,),
            and_(col(detail.person_id) == col(p.id), col(detail.kind) == kind),
            col(detail.position),
        )
    last = select(func.max(link.at)).where(col(link.person_id) == col(p.id)).scalar_subquery()
    values["last_contact_at"] = cells.moment(last)
    lists = {"tags", *KINDS.values()}  # guarded inside their subqueries, computed once
    columns = [
        values[c] if c in records.PEOPLE.literal or c in lists else cells.guarded(values[c])
        for c in records.PEOPLE.columns
    ]
    return select(*columns).order_by(col(p.id))


# Where an interaction's people go in its row, and their uids.
PEOPLE_AT = records.INTERACTIONS.columns.index("people")
UIDS_AT = records.INTERACTIONS.columns.index("people_uids")


def _interactions_query(cells: Cells) -> Select[Any]:
    """One row per interaction, its people joined in the order they were named. On SQLite,
    where that is not the order of their ids, the people cell is NULL and the uids cell
    holds both, ordered by ``_named_in_order``, for ``_unpack``."""
    i, link, p, tag = Interaction, InteractionPerson, Person, InteractionTag
    values: dict[str, Any] = {
        c: _value(cells, getattr(i, c))
        for c in records.INTERACTIONS.columns
        if c in Interaction.model_fields
    }
    names = cells.guarded(cells.joined(cells.item(col(p.name)), col(link.position)))
    uids = cells.joined(col(p.uid), col(link.position))
    if not cells.postgres:
        # SQLite joins a group in the order its rows come, by person id: that is the
        # order they were named in when the positions, joined alike, read 0,1,2,…
        positions = func.group_concat(col(link.position), ",", type_=String)
        in_order = or_(
            positions.is_(None), positions == func.substr(IN_ORDER, 1, func.length(positions))
        )
        names = case((in_order, func.coalesce(names, "")))
        uids = case((in_order, func.coalesce(uids, "")), else_=_named_in_order(cells, col(i.id)))
    values |= {
        "people": names,
        "people_uids": uids,
        "tags": cells.ordered_list(
            cells.item(col(tag.tag)), (tag,), col(tag.interaction_id) == col(i.id), col(tag.tag)
        ),
        "ref": _ref(Interaction, col(i.id)),
    }
    literal = records.INTERACTIONS.literal | {"people", "tags"}  # guarded already
    columns = [
        values[c] if c in literal else cells.guarded(values[c])
        for c in records.INTERACTIONS.columns
    ]
    return (
        select(*columns)
        .select_from(i)
        .outerjoin(link, col(link.interaction_id) == col(i.id))
        .outerjoin(p, col(p.id) == col(link.person_id))
        .group_by(col(i.id))
        .order_by(col(i.id))
    )


def _named_in_order(cells: Cells, interaction: Any) -> ColumnElement[str]:
    """The people and uids of an interaction in the order they were named, both in one
    cell for ``_unpack``: the length of the first, a colon, then the two."""
    link, p = InteractionPerson, Person
    ordered = (
        select(cells.item(col(p.name)).label("name"), col(p.uid).label("uid"))
        .join_from(link, p, col(p.id) == col(link.person_id))
        .where(col(link.interaction_id) == interaction)
        .order_by(col(link.position))
        .offset(0)
        .correlate_except(link, p)
        .subquery()
    )
    joined = select(
        cells.guarded(cells.joined(ordered.c.name)).label("names"),
        cells.joined(ordered.c.uid).label("uids"),
    ).subquery()
    length = cast(func.length(joined.c.names), String)
    both = concat(length, literal(":", String), joined.c.names, joined.c.uids)
    return func.coalesce(select(both).scalar_subquery(), "0:")


def _unpack(rows: list[Any]) -> None:
    """Split the cells ``_named_in_order`` packed into the people and uids columns."""
    for n in [n for n, row in enumerate(rows) if row[PEOPLE_AT] is None]:
        row = list(rows[n])
        length, _, both = row[UIDS_AT].partition(":")
        row[PEOPLE_AT], row[UIDS_AT] = both[: int(length)], both[int(length) :]
        rows[n] = row


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


def _batches(session: Session, query: Select[Any]) -> Iterator[list[Any]]:
    """The rows of ``query`` as the driver's own tuples, ``records.BATCH`` at a time, in the
    session's transaction (every cell is already text or a number: nothing to convert)."""
    connection = session.connection()
    # Its constants are rapport's own (no value from the journal or the user): written inline,
    # SQLite evaluates them once instead of once a row.
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
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
            yield list(rows)
    finally:
        cursor.close()


def write_csv_table(session: Session, table: str, out: TextIO) -> None:
    """One table as CSV, streamed: the same bytes as ``render.write_csv`` of its records."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(records.LISTINGS[table].columns)
    query = csv_query(session.get_bind().dialect.name, table)
    for rows in _batches(session, query):
        if table == "interactions":
            _unpack(rows)
        writer.writerows(rows)

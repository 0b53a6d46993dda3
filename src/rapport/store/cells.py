"""CSV cells formatted by the database, as ``render.csv_rows`` formats them in Python.

Exports of hundreds of thousands of rows spend their time turning each value into text;
SQLite and PostgreSQL do it in C. Each function here gives the SQL for one rule of the
CSV contract (a timestamp in UTC ISO 8601, the formula guard, a list joined with '; '),
in the spelling of the journal's dialect. ``render`` stays the reference: a test keeps
the two in step.
"""

from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, func, literal, select

from rapport.render import FORMULA_STARTS, LIST_SEPARATOR

Text = ColumnElement[str]
# A column or an SQL expression (SQLModel's attributes are typed as their Python values).
SQL = Any


def _text(value: str) -> Text:
    return literal(value, String)


def concat(*parts: SQL) -> Text:
    """``a || b || …`` typed as text, whatever the parts (a NULL part makes it NULL)."""
    joined: Text = parts[0]
    for part in parts[1:]:
        joined = joined.op("||", return_type=String)(part)
    return joined


class Cells:
    """The SQL that formats cells, for one dialect (``sqlite`` or ``postgresql``)."""

    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgresql"

    def moment(self, value: SQL) -> Text:
        """A stored UTC timestamp as '2026-11-20T15:00:00+00:00', whole seconds."""
        if self.postgres:
            return func.to_char(value, 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"', type_=String)
        return func.strftime("%Y-%m-%dT%H:%M:%S+00:00", value, type_=String)

    def day(self, value: SQL) -> Text:
        """A calendar date as '2026-12-01'."""
        if self.postgres:
            return func.to_char(value, "YYYY-MM-DD", type_=String)
        return func.strftime("%Y-%m-%d", value, type_=String)

    @staticmethod
    def flag(value: SQL) -> Text:
        return case((value, _text("true")), else_=_text("false"))

    def guarded(self, value: SQL) -> Text:
        """The formula guard: a leading ' when a spreadsheet would run the cell."""
        first = func.substr(value, 1, 1, type_=String)
        starts: ColumnElement[bool] = first.in_([_text(c) for c in FORMULA_STARTS])
        if not self.postgres:
            # Every formula start sorts before 'A' byte by byte: most cells stop at this test.
            starts = and_(value < _text("A"), starts)
        return case((starts, concat(_text("'"), value)), else_=value)

    @staticmethod
    def item(value: SQL) -> Text:
        """One value of a list cell, with '\\' and ';' escaped as ``render.join_items`` does."""
        slashes = func.replace(value, _text("\\"), _text("\\\\"), type_=String)
        return func.replace(slashes, _text(";"), _text("\\;"), type_=String)

    def joined(self, item: SQL, *order_by: SQL) -> Text:
        """The aggregate joining a group's items with '; ', in ``order_by`` order.

        SQLite (before 3.44) has no ORDER BY inside an aggregate: it joins in the order
        rows reach it, which callers make the order they want (``ordered_list``)."""
        if self.postgres:
            from sqlalchemy.dialects.postgresql import aggregate_order_by

            return func.string_agg(
                item, aggregate_order_by(_text(LIST_SEPARATOR), *order_by), type_=String
            )
        return func.group_concat(item, _text(LIST_SEPARATOR), type_=String)

    def ordered_list(
        self, item: SQL, tables: tuple[Any, ...], where: SQL, *order_by: Any, guard: bool = True
    ) -> Text:
        """The items of the rows of ``tables`` matching ``where`` (a condition on the outer
        query's row), joined in order, guarded unless ``guard`` is false."""
        if self.postgres:
            joined = self.joined(item, *order_by)
            query = select(self.guarded(joined) if guard else joined)
            return (
                query.select_from(*tables).where(where).correlate_except(*tables).scalar_subquery()
            )
        # OFFSET 0 keeps SQLite from flattening the ordered rows into the aggregate.
        rows = select(item.label("item")).select_from(*tables).where(where).order_by(*order_by)
        ordered = rows.offset(0).correlate_except(*tables).subquery()
        joined = self.joined(ordered.c.item)
        return select(self.guarded(joined) if guard else joined).scalar_subquery()

    @staticmethod
    def labelled(value: SQL, label: SQL) -> Text:
        """'value (label)', or the value alone when there is no label."""
        text = concat(value, _text(" ("), label, _text(")"))
        return case((and_(label.is_not(None), label != ""), text), else_=value)

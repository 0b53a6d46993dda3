"""One record serializer for every listing: CSV (RFC 4180), JSON and table cells.

A record is a dict whose keys are the listing's columns. Values are str, int,
float, bool, date, datetime, None, or a list of str (people, tags, uids).
"""

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
LIST_SEPARATOR = "; "

Record = Mapping[str, Any]


@dataclass(frozen=True)
class Listing:
    """The columns of one kind of record, in contract order.

    ``literal`` columns are those rapport formats itself (numbers, dates, uids):
    they are written as they are. Every other column is free text and gets the
    spreadsheet-formula guard in CSV.
    """

    name: str
    columns: tuple[str, ...]
    literal: frozenset[str] = field(default_factory=frozenset)


def iso(value: date | datetime) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="seconds")
    return value.isoformat()


def plain(value: Any) -> Any:
    """The JSON form of one value."""
    if isinstance(value, date | datetime):
        return iso(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def guard(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _escape_item(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;")


def join_items(values: Iterable[object]) -> str:
    """Several values in one CSV cell, joined with '; '. A ';' inside a value is written
    '\\;' and a backslash '\\\\', so that ``split_items`` gives the values back exactly."""
    return LIST_SEPARATOR.join(
        text if ";" not in text and "\\" not in text else _escape_item(text)
        for text in map(str, values)
    )


def split_items(cell: str) -> list[str]:
    """The values ``join_items`` joined, stripped, empty ones left out. A backslash before
    anything but ';' or a backslash is kept as it is."""
    if "\\" not in cell:
        pieces = cell.split(";")
    else:
        pieces, current, chars = [], [], iter(cell)
        for char in chars:
            if char == "\\":
                following = next(chars, "")
                current.append(following if following in (";", "\\") else char + following)
            elif char == ";":
                pieces.append("".join(current))
                current = []
            else:
                current.append(char)
        pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


def unguard(text: str) -> str:
    """Undo ``guard``: the exact inverse, used by import."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def csv_cell(value: Any, *, literal: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return iso(value)
    if isinstance(value, list | tuple):
        text = join_items(value)
    elif isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, int):
        return str(value)
    else:
        text = str(value)
    return text if literal else guard(text)


def csv_rows(listing: Listing, records: Iterable[Record]) -> Iterator[list[str]]:
    columns = listing.columns
    plan = [(c, c in listing.literal) for c in columns]
    yield list(columns)
    starts = FORMULA_STARTS
    for record in records:
        row: list[str] = []
        append = row.append
        for column, literal in plan:
            value = record.get(column)
            # Most cells are text or empty: those skip csv_cell's dispatch.
            if type(value) is str:
                append(value if literal or not value.startswith(starts) else "'" + value)
            elif value is None:
                append("")
            elif type(value) is int:
                append(str(value))
            elif type(value) is list and not value:
                append("")
            elif type(value) is list and all(type(v) is str for v in value):
                text = join_items(value)
                append(text if literal or not text.startswith(starts) else "'" + text)
            elif type(value) is datetime:
                append(value.isoformat(timespec="seconds") if value.tzinfo is UTC else iso(value))
            elif type(value) is float:
                append(str(int(value)) if value.is_integer() else repr(value))
            else:
                append(csv_cell(value, literal=literal))
        yield row


def write_csv(listing: Listing, records: Iterable[Record], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(csv_rows(listing, records))


def write_json(listing: Listing, records: Iterable[Record], out: TextIO) -> None:
    """A JSON array written record by record, so long listings stream."""
    out.write("[")
    first = True
    for record in records:
        out.write("\n  " if first else ",\n  ")
        first = False
        item = {c: plain(record.get(c)) for c in listing.columns}
        out.write(json.dumps(item, ensure_ascii=False))
    out.write("\n]\n" if not first else "]\n")


def cell(value: Any, zone: tzinfo | None = None) -> str:
    """A value as shown in a table on the terminal, times in ``zone``."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def shown_at(moment: datetime, zone: tzinfo | None, *, day_only: bool = False) -> str:
    """'2026-11-20 15:30' in ``zone``, or the date alone when no time of day was given."""
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d}" if day_only else f"{local:%Y-%m-%d %H:%M}"


def ago(moment: datetime, now: datetime) -> str:
    """'today', 'yesterday', '12 days ago', 'in 3 days', by calendar day in now's zone."""
    days = (now.date() - moment.astimezone(now.tzinfo).date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    return f"{days} days ago" if days > 0 else f"in {-days} days"  # never 1: named above


def day_name(day: date, today: date) -> str:
    """'Fri 4 Dec', with the year when it is not this year."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def snoozed_until(until: date | None, today: date) -> str | None:
    """'Fri 4 Dec' while a snooze holds (through its day), else None."""
    if until is None or until < today:
        return None
    return day_name(until, today)

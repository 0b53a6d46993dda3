"""Reading CSV files: rapport's own exports and those made elsewhere.

The kind of records a file holds is told by its header. Cells come back as
typed values, with the spreadsheet-formula guard of ``render`` undone, and
every mistake names the file, the row and the line it starts on.
"""

import csv
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from rapport.errors import BadValue
from rapport.render import split_items, unguard
from rapport.transfer.notice import Skip
from rapport.transfer.text import detect_file

# Free text can be long (a pasted email); the csv module's default limit is 128 KiB.
FIELD_LIMIT = 64 * 1024 * 1024
# What an import reads at most: a header wider than any table, a line longer than a field.
MAX_COLUMNS = 1000
LINE_LIMIT = FIELD_LIMIT
# SQLite's integers are 64-bit.
LARGEST = 2**63 - 1


@dataclass(frozen=True)
class Kind:
    """What a header may hold for one table: its columns, and which of them name it."""

    name: str
    columns: tuple[str, ...]
    needs: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)


def normalize(column: str) -> str:
    """'Current State' and 'current-state' read as current_state."""
    return "_".join(column.strip().lower().replace("-", " ").split())


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def detect(label: str, header: Sequence[str], kinds: Sequence[Kind]) -> tuple[Kind, list[str]]:
    """The kind a header belongs to, and its columns in the table's names ('' = ignored)."""
    names = [normalize(c) for c in header]
    present = [n for n in names if n]
    if not present:
        raise BadValue(f"{label}: the first line should be a header of column names")
    twice = sorted({n for n in present if present.count(n) > 1})
    if twice:
        raise BadValue(f"{label}: column {_quoted(twice)} appears more than once")
    fits: list[tuple[Kind, list[str]]] = []
    closest: tuple[int, Kind, list[str]] | None = None
    for kind in kinds:
        columns = [
            kind.aliases[n] if n in kind.aliases and kind.aliases[n] not in present else n
            for n in names
        ]
        if not any(need in columns for need in kind.needs):
            continue
        unknown = [
            orig.strip()
            for orig, c in zip(header, columns, strict=True)
            if c and c not in kind.columns
        ]
        if not unknown:
            fits.append((kind, columns))
        elif closest is None or len(unknown) < closest[0]:
            closest = (len(unknown), kind, unknown)
    if len(fits) == 1:
        return fits[0]
    stem = normalize(Path(label).stem)
    named = [fit for fit in fits if stem in (fit[0].name, fit[0].name.removesuffix("s"))]
    if len(named) == 1:
        return named[0]
    if fits:
        tables = " or ".join(kind.name for kind, _ in fits)
        raise BadValue(
            f"{label}: can't tell whether it holds {tables}; add a column that only one of"
            f" them has, or name the file after its table (e.g. {fits[0][0].name}.csv)"
        )
    if closest is not None:
        _, kind, unknown = closest
        plural = "s" if len(unknown) > 1 else ""
        raise BadValue(
            f"{label}: unknown column{plural} {_quoted(unknown)} for {kind.name}"
            f" (its columns: {', '.join(kind.columns)})"
        )
    needs = "; ".join(f"{' or '.join(kind.needs)} for {kind.name}" for kind in kinds)
    raise BadValue(f"{label}: can't tell what it holds; the header needs {needs}")


@dataclass(frozen=True)
class Row:
    """One data row: ``number`` counts data rows from 1, ``line`` is where it starts."""

    label: str
    number: int
    line: int
    cells: Mapping[str, str]

    @property
    def where(self) -> str:
        return f"{self.label} row {self.number} (line {self.line})"

    def has(self, column: str) -> bool:
        return column in self.cells

    def literal(self, column: str) -> str | None:
        """A cell rapport writes itself (uids, numbers, dates), stripped; None if empty."""
        value = self.cells.get(column, "").strip()
        return value or None

    def text(self, column: str) -> str | None:
        """Free text exactly as exported, formula guard undone; None if blank."""
        value = self.cells.get(column)
        if not value:
            return None
        value = unguard(value)
        return value if value.strip() else None

    def name(self, column: str) -> str | None:
        value = self.text(column)
        return " ".join(value.split()) if value else None

    def items(self, column: str, *, literal: bool = False) -> list[str]:
        """Several values in one cell, joined with '; ' ('\\;' a ';' inside one)."""
        cell = self.cells.get(column)
        if not cell:
            return []
        if not literal:
            cell = unguard(cell)
        return split_items(cell)

    def flag(self, column: str) -> bool:
        """true or false, as rapport writes them; empty is false."""
        value = (self.literal(column) or "false").lower()
        if value not in ("true", "false"):
            raise BadValue(f"{column} should be true or false, not '{value}'")
        return value == "true"

    def integer(self, column: str) -> int | None:
        value = self.literal(column)
        if value is None:
            return None
        try:
            number = int(value)
        except ValueError:
            raise BadValue(f"{column} should be a whole number, not '{value}'") from None
        if not -LARGEST <= number <= LARGEST:
            raise BadValue(f"{column} {value} is too large (at most {LARGEST})")
        return number

    def moment(self, column: str, now: datetime) -> datetime | None:
        """An ISO 8601 timestamp (local time when it has no offset), or any form `--at` takes."""
        value = self.literal(column)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            from rapport.dates import parse_when

            return parse_when(value, now)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=now.tzinfo)

    def day(self, column: str, today: date) -> date | None:
        value = self.literal(column)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            from rapport.dates import parse_day

            return parse_day(value, today)


def _delimiter(first: list[str]) -> str:
    """A comma unless the first line, read as comma-separated, is one cell holding
    semicolons or tabs (a spreadsheet in a locale that writes decimal commas)."""
    if len(first) == 1:
        for candidate in (";", "\t"):
            if candidate in first[0]:
                return candidate
    return ","


def _is_preamble(record: list[str], index: int) -> bool:
    """LinkedIn's export opens with 'Notes:', a paragraph and a blank line."""
    cells = [c for c in record if c.strip()]
    if index == 0:
        return len(cells) == 1 and cells[0].strip().lower() == "notes:"
    return index < 3 and len(cells) <= 1


def _lines(stream: TextIO, label: str) -> Iterator[str]:
    """The lines of ``stream``, none longer than ``LINE_LIMIT`` (a CSV has no endless line)."""
    while line := stream.readline(LINE_LIMIT + 1):
        if len(line) > LINE_LIMIT:
            raise BadValue(
                f"{label}: a line is longer than {LINE_LIMIT // 2**20} MiB; is it really CSV?"
            )
        yield line


class CsvFile:
    """A CSV file and its header; ``detect_kind`` tells which table it holds.

    The delimiter (comma, semicolon or tab) is told by the header line. A preamble such
    as LinkedIn's ("Notes:", a quoted paragraph, a blank line) is passed over.
    ``rename`` gives header columns other names (--map) and ``ignore`` leaves some out.
    """

    def __init__(
        self,
        path: Path,
        label: str,
        kinds: Sequence[Kind] = (),
        *,
        encoding: str | None = None,
        rename: Mapping[str, str] | None = None,
        ignore: Sequence[str] = (),
    ) -> None:
        self.path = path
        self.label = label
        self.encoding = detect_file(path, encoding)
        self.delimiter = ","
        self.skip = 0
        first = next(self._records(), (0, []))[1]
        self.delimiter = _delimiter(first)
        records = self._records()
        header: list[str] = []
        for _, header in records:
            if not _is_preamble(header, self.skip):
                break
            self.skip += 1
        if len(header) > MAX_COLUMNS:
            raise BadValue(
                f"{label}: its header has {len(header)} columns; rapport reads at most"
                f" {MAX_COLUMNS}"
            )
        self.original = [h.strip() for h in header]
        renames = {normalize(k): v for k, v in (rename or {}).items()}
        left_out = {normalize(c) for c in ignore}
        self.header = [
            "" if normalize(h) in left_out else renames.get(normalize(h), h) for h in self.original
        ]
        self.kind: Kind | None = None
        self.columns = self.header
        if kinds:
            self.detect_kind(kinds)

    def detect_kind(self, kinds: Sequence[Kind]) -> Kind:
        self.kind, self.columns = detect(self.label, self.header, kinds)
        return self.kind

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        """Each record with the line it starts on."""
        csv.field_size_limit(FIELD_LIMIT)
        line = 1
        try:
            with self.path.open(
                encoding=self.encoding.name, errors=self.encoding.errors, newline=""
            ) as stream:
                reader = csv.reader(
                    _lines(stream, self.label), strict=True, delimiter=self.delimiter
                )
                for record in reader:
                    yield line, record
                    line = reader.line_num + 1
        except UnicodeDecodeError:
            raise BadValue(
                f"{self.label} line {self._undecodable()}: not {self.encoding.name} text"
            ) from None
        except csv.Error as exc:
            raise BadValue(f"{self.label} line {line}: malformed CSV ({exc})") from None
        except OSError as exc:
            raise BadValue(f"can't read {self.label}: {exc.strerror or exc}") from None

    def _undecodable(self) -> int:
        """The first line that is not UTF-8 (the text reader decodes ahead of the csv reader)."""
        with self.path.open("rb") as stream:
            for number, raw in enumerate(stream, start=1):
                try:
                    raw.decode(self.encoding.name)
                except UnicodeDecodeError:
                    return number
        return 1

    def data(self) -> Iterator[tuple[int, list[str]]]:
        """The records after the header, each with the line it starts on."""
        records = self._records()
        for _ in range(self.skip + 1):
            next(records, None)
        return records

    def rows(self) -> Iterator[Row | Skip]:
        records = self.data()
        width = len(self.columns)
        number = 0
        for line, record in records:
            if not record:
                continue
            number += 1
            if len(record) > width:
                yield Skip(
                    f"{self.label} row {number} (line {line})",
                    f"{len(record)} cells but the header has {width} columns",
                )
                continue
            record += [""] * (width - len(record))
            cells = {c: v for c, v in zip(self.columns, record, strict=True) if c}
            yield Row(self.label, number, line, cells)

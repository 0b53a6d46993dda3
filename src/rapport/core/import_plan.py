"""What an import reads: the files, the table each feeds, and how their rows are read.

Everything here happens before the write lock is taken (core/importing.py writes),
except reading the rows of a large file, which happens as they are written.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapport.core.import_people import TABLES, Tally
from rapport.core.records import LISTINGS
from rapport.errors import BadValue
from rapport.transfer.csv_in import CsvFile, Kind
from rapport.transfer.notice import Remark, Skip
from rapport.transfer.profiles import Profile, closest, find_profile, read_contacts
from rapport.transfer.vcard import read_vcards

# The columns that say whom a row is about; any one of them will do.
NEEDS = {"people": ("name",), "interactions": ("people", "people_uids")}
# A call log says "person" even when an interaction may have several.
ALIASES = {"interactions": {"person": "people", "person_uid": "people_uids"}}
KINDS = tuple(
    Kind(
        name,
        LISTINGS[name].columns,
        NEEDS.get(name, ("person", "person_uid")),
        ALIASES.get(name, {}),
    )
    for name in TABLES
)
VCARD_SUFFIXES = (".vcf", ".vcard")
# A CSV file larger than this is read as it is imported rather than whole before.
READ_AHEAD = 8 * 2**20


@dataclass(frozen=True)
class Source:
    """One file to import and the table it feeds (vCards feed people).

    ``strict``: one bad row refuses the whole import. rapport's own exports (a CSV with
    uids) are strict, since a bad row there means a damaged file; contacts from
    elsewhere skip what they cannot use and report it.
    """

    path: Path
    label: str
    table: str
    csv: CsvFile | None = None
    strict: bool = False
    encoding: str | None = None
    profile: Profile | None = None


@dataclass(frozen=True)
class Options:
    """How to read files made elsewhere: --strict, --encoding, --profile, --map, --ignore."""

    strict: bool = False
    encoding: str | None = None
    profile: str | None = None
    rename: Mapping[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()


@dataclass
class Report:
    sources: list[Source]
    skipped: list[str] = field(default_factory=list)
    tallies: dict[str, Tally] = field(default_factory=dict)
    dry_run: bool = False
    skips: list[Skip] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)

    def lines(self) -> list[str]:
        added, updated = ("to add", "to update") if self.dry_run else ("added", "updated")
        lines = [f"skipped {name} (neither .csv nor .vcf)" for name in self.skipped]
        lines += [f"note: {remark}" for remark in self.remarks]
        if self.dry_run and "people" in self.tallies:
            names = self.tallies["people"].names
            lines += [f"would add {name}" for name in names["add"]]
            lines += [f"would update {name}" for name in names["update"]]
        lines += [f"skipped {skip}" for skip in self.skips]
        for table in TABLES:
            if table in self.tallies:
                t = self.tallies[table]
                counts = f"{t.added} {added}, {t.updated} {updated}, {t.unchanged} unchanged"
                if table == "people" and self.skips:
                    counts += f", {len(self.skips)} skipped"
                lines.append(f"{table}: {counts}")
        if self.dry_run:
            lines.append("dry run: nothing was saved")
        return lines


def _source(path: Path, label: str, options: Options) -> Source:
    suffix = path.suffix.lower()
    strict, encoding = options.strict, options.encoding
    if suffix in VCARD_SUFFIXES:
        return Source(path, label, "people", strict=strict, encoding=encoding)
    if suffix == ".json":
        raise BadValue(f"{label}: rapport imports CSV and vCard files, not JSON")
    if suffix != ".csv" and _looks_like_vcard(path):
        return Source(path, label, "people", strict=strict, encoding=encoding)
    sheet = CsvFile(path, label, encoding=encoding, rename=options.rename, ignore=options.ignore)
    profile = find_profile(sheet.header, options.profile)
    if profile is not None:
        return Source(path, label, "people", sheet, strict=strict, profile=profile)
    try:
        kind = sheet.detect_kind(KINDS)
    except BadValue as exc:
        if "unknown column" not in exc.message and "can't tell what" not in exc.message:
            raise
        columns = ", ".join(f"'{c}'" for c in sheet.original if c)
        raise BadValue(
            f"{exc.message}; its header: {columns}; {closest(sheet.original)}"
            " (--profile NAME to use it, --map 'Their Column=rapport_column' to name a column)"
        ) from None
    # Only contacts are skipped and reported: the other tables name people who must be
    # in the journal, and a row that misses is a mistake to correct, not to leave out.
    elsewhere = kind.name == "people" and "uid" not in sheet.columns
    return Source(path, label, kind.name, sheet, strict=strict or not elsewhere)


def _looks_like_vcard(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            start = stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return start.upper().startswith(b"BEGIN:VCARD")


def plan_import(target: Path, options: Options | None = None) -> Report:
    """What an import of ``target`` (a file, or a folder of them) reads, in the order it will.

    With ``options.strict``, a card or row that cannot be used refuses the whole import;
    else only rapport's own exports are read that way.
    """
    options = options or Options()
    if not target.exists():
        raise BadValue(f"no file or folder {target}")
    if not target.is_dir() and not target.is_file():
        raise BadValue(f"{target} is not a regular file (a pipe or a device?); import reads files")
    if not target.is_dir():
        return Report([_source(target, str(target), options)])
    sources: list[Source] = []
    skipped: list[str] = []
    for path in sorted(target.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() in (".csv", *VCARD_SUFFIXES):
            sources.append(_source(path, str(path), options))
        else:
            skipped.append(path.name)
    if not sources:
        raise BadValue(f"{target}: no .csv or .vcf file in it")

    def order(source: Source) -> tuple[int, bool]:
        return TABLES.index(source.table), source.csv is None

    return Report(sorted(sources, key=order), skipped)


def read_source(source: Source) -> Iterable[Any]:
    """Every card or row of ``source``, read and checked as text.

    A file is read whole now, before the journal is locked, unless it is larger than
    ``READ_AHEAD``: then its rows are read as they are imported, so that memory stays
    flat however long the file (a mistake in it still leaves the journal as it was).
    """
    if source.csv is None:
        return list(read_vcards(source.path, source.label, encoding=source.encoding))
    if source.profile is not None:
        return list(read_contacts(source.csv, source.profile))
    if _size(source.path) > READ_AHEAD:
        return source.csv.rows()
    return list(source.csv.rows())


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0

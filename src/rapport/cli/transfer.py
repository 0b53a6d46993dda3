"""export, import."""

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from rapport.cli.app import app, state
from rapport.cli.output import note, utf8_stdout
from rapport.errors import BadValue

PANEL = "Data in and out"


class Table(StrEnum):
    people = "people"
    interactions = "interactions"
    commitments = "commitments"
    problems = "problems"
    gestures = "gestures"
    stages = "stages"
    calendar = "calendar"
    all = "all"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    ics = "ics"
    vcf = "vcf"


@contextmanager
def _destination(output: Path | None, journal: Path | None) -> Iterator[TextIO]:
    if output is None or str(output) == "-":
        with utf8_stdout() as stream:
            yield stream
        return
    from rapport.transfer.files import private_file

    with private_file(output, journal=journal) as stream:
        yield stream


@app.command(rich_help_panel=PANEL)
def export(
    ctx: typer.Context,
    kind: Annotated[
        Table,
        typer.Argument(
            metavar="TABLE",
            help="people, interactions, commitments, problems, gestures, stages, calendar (with --format ics), or all (one CSV each, into -o DIR).",
        ),
    ],
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="csv, json, ics (commitments as to-dos, or the calendar) or vcf (people as vCards).",
        ),
    ] = ExportFormat.csv,
    vcard: Annotated[
        int, typer.Option("--vcard", help="vCard version for --format vcf: 4 or 3.")
    ] = 4,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (for all: this folder), readable by you only, instead of standard output; a pipe or device is written into, and a journal or any SQLite database is never overwritten.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export a table as CSV or JSON, all tables to a folder, promises as to-dos, people as vCards, or a calendar.

    The calendar holds birthdays (yearly), open commitments' due dates (with an alarm the day before) and the days snoozes end, with UIDs that stay the same from one export to the next.

    Example: rapport export interactions --format csv -o interactions.csv
    Example: rapport export all -o backup
    Example: rapport export commitments --format ics -o promises.ics
    Example: rapport export people --format vcf -o contacts.vcf
    Example: rapport export calendar --format ics -o rapport.ics
    """
    from rapport.config import sqlite_path
    from rapport.core.exporting import export_folder, export_table

    st = state(ctx)
    output = output.expanduser() if output is not None else None
    journal = sqlite_path(st.target)
    if kind is Table.all:
        if fmt is not ExportFormat.csv:
            raise BadValue("export all writes CSV only; export --format json table by table")
        if output is None or str(output) == "-":
            raise BadValue("export all writes one CSV per table into a folder: add -o DIR")
        names = export_folder(st.journal, output)
        note(f"wrote {', '.join(names)} to {output}")
        return
    if kind is Table.calendar and fmt is not ExportFormat.ics:
        raise BadValue("the calendar is written as iCalendar: rapport export calendar -f ics")
    if fmt is ExportFormat.ics and kind not in (Table.commitments, Table.calendar):
        raise BadValue(
            "--format ics is for commitments and the calendar: rapport export calendar -f ics"
        )
    if vcard not in (3, 4):
        raise BadValue(f"--vcard {vcard}: rapport writes vCard 4 or 3")
    if fmt is ExportFormat.vcf and kind is not Table.people:
        raise BadValue("--format vcf is for people: rapport export people -f vcf")
    with _destination(output, journal) as stream:
        export_table(st.journal, kind.value, fmt.value, stream, vcard_version=vcard)
    if output is not None and str(output) != "-":
        note(f"wrote {kind.value} to {output}")


@app.command("import", rich_help_panel=PANEL)
def import_(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE_OR_DIR",
            help="A CSV (rapport's own, or any with a header of its columns), a vCard file (.vcf), or a folder of them.",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Show who would be added, updated and skipped; save nothing."
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Refuse the whole import if one card or row can't be used (rapport's own exports always are).",
        ),
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Read the files in this encoding (utf-8, utf-16, cp1252, latin-1…) instead of the one detected.",
            show_default=False,
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            help="Read CSVs as this exporter writes them: google, google-legacy, outlook, linkedin or hubspot (told by the header otherwise).",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Read their column as one of rapport's, e.g. 'Mobile=phone' (repeat for more).",
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore", help="Leave this column out (repeat for more).", show_default=False
        ),
    ] = None,
) -> None:
    """Import CSVs and vCards in one transaction.

    What the journal already holds is updated, never duplicated: a person is known by their uid, else the source's own id (a vCard UID), else any of their emails, else any of their phones, else their exact name. An empty cell erases nothing. A card or row from elsewhere that can't be used is skipped and named at the end; in rapport's own exports (and with --strict) it refuses the whole import. --dry-run tells who would change.

    Contacts exported as CSV by Google Contacts, Outlook, LinkedIn (Connections.csv) and HubSpot are told by their header; see docs/import.md for what each keeps.

    Example: rapport import contacts.vcf --dry-run
    Example: rapport import Connections.csv
    Example: rapport import sheet.csv --map 'Mobile=phone' --ignore Fax
    """
    from rapport.core.import_plan import Options, plan_import
    from rapport.core.importing import run_import

    st = state(ctx)
    renames: dict[str, str] = {}
    for pair in mapping or []:
        theirs, equals, ours = pair.partition("=")
        if not equals or not theirs.strip() or not ours.strip():
            raise BadValue(f"--map '{pair}': write it as 'Their Column=rapport_column'")
        renames[theirs.strip()] = ours.strip()
    options = Options(strict, encoding, profile, renames, tuple(ignore or ()))
    plan = plan_import(source.expanduser(), options)
    report = run_import(
        st.journal,
        plan,
        now=st.now(),
        author=st.config.author,
        channel=st.config.default_channel,
        dry_run=dry_run,
    )
    for line in report.lines():
        note(line)

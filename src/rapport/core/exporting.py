"""Export: every record of a table, streamed as CSV, JSON or iCalendar."""

from pathlib import Path
from typing import TextIO

from sqlmodel import Session

from rapport import __version__
from rapport.core.export_rows import write_csv_table
from rapport.core.records import LISTINGS, commitment_records, export_records
from rapport.render import write_json
from rapport.store import Journal
from rapport.store.paths import refuse_protected
from rapport.transfer.files import private_folder, unwritable

PRODID = f"-//rapport//rapport {__version__}//EN"


def write_table(
    session: Session, table: str, fmt: str, out: TextIO, *, vcard_version: int = 4
) -> None:
    """One table as csv or json; ``ics`` writes the open commitments as to-dos, ``vcf``
    the people as vCards, and the ``calendar`` table is birthdays, due dates and snoozes."""
    if table == "calendar":
        from rapport.transfer.ics import write_calendar

        people = export_records(session, "people")
        commitments = commitment_records(session, only_open=True)
        write_calendar(people, commitments, out, prodid=PRODID)
    elif fmt == "vcf":
        from rapport.transfer.vcard_out import write_vcards

        write_vcards(export_records(session, "people"), out, version=vcard_version)
    elif fmt == "ics":
        from rapport.transfer.ics import write_ics

        write_ics(commitment_records(session, only_open=True), out, prodid=PRODID)
    elif fmt == "json":
        write_json(LISTINGS[table], export_records(session, table), out)
    else:
        write_csv_table(session, table, out)


def export_table(
    journal: Journal, table: str, fmt: str, out: TextIO, *, vcard_version: int = 4
) -> None:
    with journal.read() as session:
        write_table(session, table, fmt, out, vcard_version=vcard_version)


def export_folder(journal: Journal, folder: Path) -> list[str]:
    """One CSV per table, all read in one transaction so that they agree with each other."""
    names = {table: f"{table}.csv" for table in LISTINGS}
    try:
        for name in names.values():
            refuse_protected(folder / name, journal.path, "export")
    except OSError as exc:
        raise unwritable(folder, exc) from exc
    with private_folder(folder, list(names.values())) as streams, journal.read() as session:
        for table, name in names.items():
            write_csv_table(session, table, streams[name])
    return list(names.values())

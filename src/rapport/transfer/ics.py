"""Open commitments as iCalendar to-dos (RFC 5545), so that promises sit next to meetings."""

from collections.abc import Iterable
from typing import TextIO

from rapport.render import Record


def summary(record: Record) -> str:
    if record["direction"] == "mine":
        return f"Promised {record['person']}: {record['text']}"
    return f"Expecting from {record['person']}: {record['text']}"


def write_ics(records: Iterable[Record], out: TextIO, *, prodid: str) -> None:
    """One VTODO per open commitment, written as it is read so long lists stream."""
    from icalendar import Calendar, Todo

    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    head, end, _ = calendar.to_ical().decode("utf-8").partition("END:VCALENDAR")
    out.write(head)
    for record in records:
        if record["status"] != "open":
            continue
        todo = Todo()
        todo.add("uid", f"{record['uid']}@rapport")
        todo.add("dtstamp", record["created_at"])
        todo.add("created", record["created_at"])
        todo.add("summary", summary(record))
        todo.add("description", f"{record['text']}\n\nrapport commitment {record['id']}")
        todo.add("due", record["due"])
        todo.add("status", "NEEDS-ACTION")
        out.write(todo.to_ical().decode("utf-8"))
    out.write(end + "\r\n")

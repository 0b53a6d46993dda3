"""Commitments, birthdays and snoozes as iCalendar (RFC 5545), so that promises sit next
to meetings: open commitments as to-dos, or a whole calendar of all-day events."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, TextIO

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


def _day(value: str) -> date:
    """A stored birthday as the day its yearly event starts on (2000 when no year)."""
    return date.fromisoformat(value.replace("--", "2000-", 1) if value.startswith("--") else value)


def write_calendar(
    people: Iterable[Record], commitments: Iterable[Record], out: TextIO, *, prodid: str
) -> None:
    """Birthdays (yearly), open commitments' due dates (an alarm the day before) and the
    days snoozes end, as all-day events whose UIDs stay the same from one export to the
    next, so that a subscribed calendar updates rather than duplicates."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "rapport")
    head, end, _ = calendar.to_ical().decode("utf-8").partition("END:VCALENDAR")
    out.write(head)

    def event(uid: str, stamp: datetime, start: date, title: str) -> Any:
        item = Event()
        item.add("uid", uid)
        item.add("dtstamp", stamp)
        item.add("dtstart", start)
        item.add("dtend", start + timedelta(days=1))
        item.add("summary", title)
        item.add("transp", "TRANSPARENT")
        return item

    for person in people:
        stamp = person["created_at"]
        if person.get("birthday"):
            item = event(
                f"birthday-{person['uid']}@rapport",
                stamp,
                _day(person["birthday"]),
                f"{person['name']}'s birthday",
            )
            item.add("rrule", {"freq": "yearly"})
            out.write(item.to_ical().decode("utf-8"))
        if person.get("snoozed_until"):
            item = event(
                f"snooze-{person['uid']}@rapport",
                stamp,
                person["snoozed_until"],
                f"{person['name']}: snooze ends",
            )
            out.write(item.to_ical().decode("utf-8"))
    for record in commitments:
        if record["status"] != "open":
            continue
        item = event(
            f"due-{record['uid']}@rapport", record["created_at"], record["due"], summary(record)
        )
        item.add("description", f"{record['text']}\n\nrapport commitment {record['id']}")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary(record))
        alarm.add("trigger", timedelta(days=-1))
        item.add_component(alarm)
        out.write(item.to_ical().decode("utf-8"))
    out.write(end + "\r\n")

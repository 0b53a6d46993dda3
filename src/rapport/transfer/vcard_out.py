"""People as vCards, 4.0 (RFC 6350) or 3.0 (RFC 2426), for address books and phones.

rapport's uid is the card's UID, so a card that comes back through an address book
finds its person again, and importing it adds nothing.
"""

from collections.abc import Iterable
from typing import TextIO

from rapport.render import Record
from rapport.transfer.contact import split_label

# RFC 6350 3.2: lines longer than 75 octets are folded.
FOLD = 75


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a character, ending in CRLF."""
    out: list[str] = []
    current, size = "", 0
    limit = FOLD
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = "", 0, FOLD - 1
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out) + "\r\n"


def _type(label: str | None, version: int, *, pref: bool = False) -> str:
    params = []
    if label:
        params.append(f"TYPE={_escape(label)}")
    if pref:
        params.append("PREF=1" if version == 4 else "TYPE=pref")
    return "".join(f";{p}" for p in params)


def _birthday(value: str, version: int) -> str:
    if value.startswith("--"):
        month_day = value[2:].replace("-", "")
        if version == 4:
            return f"BDAY:--{month_day}"
        # 3.0 has no year-less date: Apple's convention, which its readers know.
        return f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{value[2:]}"
    return f"BDAY:{value.replace('-', '')}" if version == 4 else f"BDAY:{value}"


def card(record: Record, version: int = 4) -> str:
    """One person as a vCard."""
    name = str(record["name"])
    given, _, family = name.rpartition(" ")
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}.0",
        f"UID:urn:uuid:{record['uid']}" if version == 4 else f"UID:{record['uid']}",
        f"FN:{_escape(name)}",
        f"N:{_escape(family)};{_escape(given)};;;",
    ]
    if record.get("company"):
        lines.append(f"ORG:{_escape(str(record['company']))}")
    if record.get("title"):
        lines.append(f"TITLE:{_escape(str(record['title']))}")
    for prop, first, others in (
        ("EMAIL", record.get("email"), record.get("other_emails") or []),
        ("TEL", record.get("phone"), record.get("other_phones") or []),
    ):
        if first:
            lines.append(f"{prop}{_type(None, version, pref=True)}:{_escape(str(first))}")
        for item in others:
            value, label = split_label(item)
            lines.append(f"{prop}{_type(label, version)}:{_escape(value)}")
    for item in record.get("addresses") or []:
        value, label = split_label(item)
        lines.append(f"ADR{_type(label, version)}:;;{_escape(value)};;;;")
    for item in record.get("urls") or []:
        value, label = split_label(item)
        lines.append(f"URL{_type(label, version)}:{value}")
    if record.get("birthday"):
        lines.append(_birthday(str(record["birthday"]), version))
    if record.get("tags"):
        lines.append("CATEGORIES:" + ",".join(_escape(t) for t in record["tags"]))
    if record.get("notes"):
        lines.append(f"NOTE:{_escape(str(record['notes']))}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def write_vcards(records: Iterable[Record], out: TextIO, *, version: int = 4) -> None:
    """Every person as a vCard, written as read so that long address books stream."""
    for record in records:
        out.write(card(record, version))

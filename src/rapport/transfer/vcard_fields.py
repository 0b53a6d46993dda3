"""What a relationship journal keeps of one vCard: names, addresses, dates, labels.

vobject reads the content lines and undoes the escapes (see transfer/vcard.py);
these functions pick the values out of a card's lines, by lower-case name.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FULL_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})")
# Partial dates RFC 6350 allows: a year, a year and month, a month, a day.
_PARTIAL = re.compile(r"\d{4}|\d{4}-\d{2}|--\d{2}|---\d{2}")
# Apple and CardBook write 1604 for "year not known".
NO_YEAR = "1604"
_UNRANKED = 101
# TYPE values that say how, not which: not labels.
_NOT_LABELS = frozenset({"internet", "pref", "voice", "x400", "text", "uri", "x-internet"})
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")


@dataclass
class Card:
    number: int
    line: int
    properties: dict[str, list[Any]] = field(default_factory=dict)
    broken: str | None = None
    ignored: int = 0

    def lines(self, name: str) -> list[Any]:
        return self.properties.get(name, [])


def unescape(value: Any, separator: str | None = None) -> list[str]:
    """The value's parts split at unescaped ``separator`` (one part if None), unescaped."""
    from vobject.icalendar import stringToTextValues  # type: ignore[import-untyped]

    return [str(part) for part in stringToTextValues(str(value), listSeparator=separator)]


def clean(text: str) -> str | None:
    return " ".join(text.split()) or None


def first(card: Card, name: str) -> str | None:
    for line in card.lines(name):
        if text := clean(unescape(line.value)[0]):
            return text
    return None


def _types(line: Any) -> list[str]:
    types = [t.strip().lower() for v in line.params.get("TYPE", []) for t in str(v).split(",")]
    return types + [str(s).lower() for s in line.singletonparams]


def _rank(line: Any) -> int:
    """vCard 4.0 PREF=1..100 (1 first); TYPE=pref in 3.0; a bare PREF in 2.1."""
    pref = line.params.get("PREF")
    if pref:
        try:
            return int(pref[0])
        except (TypeError, ValueError):
            return 1
    return 1 if "pref" in _types(line) else _UNRANKED


def _label(card: Card, line: Any) -> str | None:
    """'work', 'cell', or the label Apple keeps beside the line (item1.X-ABLabel)."""
    if line.group:
        for other in card.lines("x-ablabel"):
            if other.group == line.group and (text := clean(unescape(other.value)[0])):
                found = _APPLE_LABEL.fullmatch(text)
                return (found.group(1) if found else text).lower()
    labels = [t for t in _types(line) if t and t not in _NOT_LABELS]
    return ",".join(dict.fromkeys(labels)) or None


def preferred(card: Card, name: str) -> list[tuple[str, str | None]]:
    """The values of ``name`` lines, the preferred first, each with its label."""
    values: list[tuple[str, str | None]] = []
    for line in sorted(card.lines(name), key=_rank):
        value = clean(unescape(line.value)[0])
        if value and name == "tel" and value.lower().startswith("tel:"):
            value = value[4:].strip()
        if value and value not in (v for v, _ in values):
            values.append((value, _label(card, line)))
    return values


def company(card: Card) -> str | None:
    for line in card.lines("org"):
        # ORG is "organisation;unit;unit": the organisation comes first.
        if text := clean(unescape(line.value, ";")[0]):
            return text
    return None


def name(card: Card) -> str | None:
    if found := first(card, "fn"):
        return found
    for line in card.lines("n"):
        parts = unescape(line.value, ";") + [""] * 5
        family, given, additional, prefix, suffix = parts[:5]
        if found := clean(" ".join((prefix, given, additional, family, suffix)).replace(",", " ")):
            return found
    return company(card)


def addresses(card: Card) -> list[tuple[str, str | None]]:
    """Postal addresses on one line each: street, town, region, code, country."""
    found: list[tuple[str, str | None]] = []
    for line in sorted(card.lines("adr"), key=_rank):
        parts = [clean(p) for p in unescape(line.value, ";")]
        text = ", ".join(p for p in parts if p)
        if text and text not in (t for t, _ in found):
            found.append((text, _label(card, line)))
    return found


def birthday(value: str, *, omit_year: str | None = None) -> str:
    """'1980-03-14' or '--03-14' from the forms vCards use: 19800314, --0314, --03-14,
    1980-03-14T00:00:00Z; a year of 1604, or the one X-APPLE-OMIT-YEAR names, is no year."""
    day = value.strip().split("T")[0]
    year: str | None
    if m := _NO_YEAR.fullmatch(day):
        year, month, dom = None, int(m.group(1)), int(m.group(2))
    elif m := _FULL_DATE.fullmatch(day):
        year, month, dom = m.group(1), int(m.group(2)), int(m.group(3))
        if year in (omit_year, NO_YEAR):
            year = None
    else:
        raise ValueError(value)
    date(int(year) if year else 2000, month, dom)  # 2000: a year-less Feb 29 is fine
    return f"{year}-{month:02d}-{dom:02d}" if year else f"--{month:02d}-{dom:02d}"


def card_birthday(card: Card) -> tuple[str | None, str | None]:
    """The card's birthday, and a remark when it could be read only in part or not at all."""
    for line in card.lines("bday"):
        value = unescape(line.value)[0].strip()
        if not value:
            continue
        if "text" in (str(v).lower() for v in line.params.get("VALUE", [])):
            return None, f"birthday '{value}' is free text; left out"
        omit = line.params.get("X-APPLE-OMIT-YEAR", [None])[0]
        try:
            return birthday(value, omit_year=omit), None
        except ValueError:
            pass
        if _PARTIAL.fullmatch(value):
            if value.isdigit():
                return None, f"birthday '{value}' gives the year only (born {value}); left out"
            return None, f"birthday '{value}' gives no full month and day; left out"
        return None, f"can't read the birthday '{value}'; left out"
    return None, None


def tags(card: Card, ignored: frozenset[str]) -> list[str]:
    found: list[str] = []
    for line in card.lines("categories"):
        for piece in unescape(line.value, ","):
            tag = clean(piece)
            if tag and tag.casefold() not in ignored and tag not in found:
                found.append(tag)
    return found


def note(card: Card) -> str | None:
    notes = [_LINE_BREAK.sub("\n", unescape(line.value)[0]).strip() for line in card.lines("note")]
    return "\n".join(n for n in notes if n) or None


def uid(card: Card) -> tuple[str | None, str | None]:
    """The card's UID as a UUID (rapport's uid for someone new) when it holds one, and as
    it is written (the address book's own id for the person, whatever its form).

    'urn:uuid:…' (vCard 4.0) and macOS's '…:ABPerson' are reduced to the UUID.
    """
    value = first(card, "uid")
    if value is None:
        return None, None
    bare = value[len("urn:uuid:") :] if value.lower().startswith("urn:uuid:") else value
    try:
        return str(uuid.UUID(bare.split(":")[0])), value
    except ValueError:
        return None, value


def is_group(card: Card) -> bool:
    kinds = {(first(card, key) or "").lower() for key in ("kind", "x-addressbookserver-kind")}
    return "group" in kinds

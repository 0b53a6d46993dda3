"""Reading vCards: 3.0 (RFC 2426), 4.0 (RFC 6350) and the 2.1 of older phones.

vobject reads the content lines (unfolding, parameters, quoted-printable) and
undoes the escapes; this module picks out what a relationship journal keeps of
a contact. vobject's own vCard objects are not used: they keep only the text
before the first unescaped comma of a NOTE, which 2.1 never escapes.
"""

import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rapport.errors import BadValue

# Google puts every contact in this system group; it says nothing about the person.
IGNORED_CATEGORIES = frozenset({"mycontacts"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A fold (line break then a space or tab), as bytes: some writers fold inside a
# multi-byte character, which RFC 6350 3.2 asks readers to put back together.
_BYTE_FOLD = re.compile(rb"\r?\n[ \t]")
_FULL_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})")
_UNRANKED = 101


@dataclass(frozen=True)
class Contact:
    """One card: ``number`` counts cards from 1, ``line`` is where it begins."""

    number: int
    line: int
    name: str
    uid: str | None = None
    company: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    birthday: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None

    @property
    def email(self) -> str | None:
        """The preferred address (the first when none is marked)."""
        return self.emails[0] if self.emails else None

    @property
    def phone(self) -> str | None:
        return self.phones[0] if self.phones else None


@dataclass
class _Card:
    number: int
    line: int
    properties: dict[str, list[Any]] = field(default_factory=dict)

    def lines(self, name: str) -> list[Any]:
        return self.properties.get(name, [])


def _decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return _BYTE_FOLD.sub(b"", data).decode("utf-8-sig")
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise BadValue(f"{label} line {line}: not UTF-8 text") from None


def _reason(exc: Exception) -> str:
    return re.sub(r"^At line \d+: ", "", str(exc)).strip() or type(exc).__name__


def _cards(text: str, label: str) -> Iterator[_Card]:
    """The cards of a file, each with its content lines by lower-case name."""
    from vobject.base import (  # type: ignore[import-untyped]
        getLogicalLines,
        textLineToContentLine,
    )

    number = depth = 0
    card = _Card(0, 1)
    normalized = _LINE_BREAK.sub("\n", text)
    for logical, reported in getLogicalLines(io.StringIO(normalized), allowQP=True):
        line = max(reported, 1)
        where = f"{label} card {number + 1} (line {line})" if depth else f"{label} line {line}"
        try:
            content = textLineToContentLine(logical, line)
        # Beyond its ParseError, vobject lets decoding errors through (unknown charset...).
        except Exception as exc:
            raise BadValue(f"{where}: {_reason(exc)}") from None
        name = content.name.upper()
        begins = name == "BEGIN" and str(content.value).strip().upper() == "VCARD"
        if depth == 0:
            if not begins:
                raise BadValue(f"{where}: not a vCard (expected BEGIN:VCARD)")
            depth, card = 1, _Card(number + 1, line)
        elif begins:
            depth += 1  # a vCard 2.1 AGENT: a card inside the card, not a person of its own
        elif name == "END":
            depth -= 1
            if depth == 0:
                number += 1
                yield card
        elif depth == 1:
            card.properties.setdefault(name.lower(), []).append(content)
    if depth:
        raise BadValue(f"{label} card {number + 1} (line {card.line}): no END:VCARD")
    if not number:
        raise BadValue(f"{label}: no vCard in it")


def _unescape(value: Any, separator: str | None = None) -> list[str]:
    """The value's parts split at unescaped ``separator`` (one part if None), unescaped."""
    from vobject.icalendar import stringToTextValues  # type: ignore[import-untyped]

    return [str(part) for part in stringToTextValues(str(value), listSeparator=separator)]


def _clean(text: str) -> str | None:
    return " ".join(text.split()) or None


def _first(card: _Card, name: str) -> str | None:
    for line in card.lines(name):
        if text := _clean(_unescape(line.value)[0]):
            return text
    return None


def _types(line: Any) -> set[str]:
    types = {t.strip().lower() for v in line.params.get("TYPE", []) for t in str(v).split(",")}
    return types | {str(s).lower() for s in line.singletonparams}


def _rank(line: Any) -> int:
    """vCard 4.0 PREF=1..100 (1 first); TYPE=pref in 3.0; a bare PREF in 2.1."""
    pref = line.params.get("PREF")
    if pref:
        try:
            return int(pref[0])
        except (TypeError, ValueError):
            return 1
    return 1 if "pref" in _types(line) else _UNRANKED


def _preferred(card: _Card, name: str) -> list[str]:
    values: list[str] = []
    for line in sorted(card.lines(name), key=_rank):
        value = _clean(_unescape(line.value)[0])
        if value and name == "tel" and value.lower().startswith("tel:"):
            value = value[4:].strip()
        if value and value not in values:
            values.append(value)
    return values


def _company(card: _Card) -> str | None:
    for line in card.lines("org"):
        # ORG is "organisation;unit;unit": the organisation comes first.
        if text := _clean(_unescape(line.value, ";")[0]):
            return text
    return None


def _name(card: _Card) -> str | None:
    if name := _first(card, "fn"):
        return name
    for line in card.lines("n"):
        parts = _unescape(line.value, ";") + [""] * 5
        family, given, additional, prefix, suffix = parts[:5]
        if name := _clean(" ".join((prefix, given, additional, family, suffix)).replace(",", " ")):
            return name
    return _company(card)


def birthday(value: str, *, omit_year: str | None = None) -> str:
    """'1980-03-14' or '--03-14' from the forms vCards use: 19800314, --0314, --03-14,
    1980-03-14T00:00:00Z; macOS marks a year-less day with X-APPLE-OMIT-YEAR."""
    day = value.strip().split("T")[0]
    year: str | None
    if m := _NO_YEAR.fullmatch(day):
        year, month, dom = None, int(m.group(1)), int(m.group(2))
    elif m := _FULL_DATE.fullmatch(day):
        year, month, dom = m.group(1), int(m.group(2)), int(m.group(3))
        if year == omit_year:
            year = None
    else:
        raise ValueError(value)
    date(int(year) if year else 2000, month, dom)  # 2000: a year-less Feb 29 is fine
    return f"{year}-{month:02d}-{dom:02d}" if year else f"--{month:02d}-{dom:02d}"


def _birthday(card: _Card) -> str | None:
    for line in card.lines("bday"):
        if "text" in (str(v).lower() for v in line.params.get("VALUE", [])):
            continue  # vCard 4.0 allows "circa 1800": nothing a date can hold
        value = _unescape(line.value)[0].strip()
        if not value:
            continue
        omit = line.params.get("X-APPLE-OMIT-YEAR", [None])[0]
        try:
            return birthday(value, omit_year=omit)
        except ValueError:
            raise BadValue(f"can't read the birthday '{value}'") from None
    return None


def _tags(card: _Card) -> list[str]:
    tags: list[str] = []
    for line in card.lines("categories"):
        for piece in _unescape(line.value, ","):
            tag = _clean(piece)
            if tag and tag.casefold() not in IGNORED_CATEGORIES and tag not in tags:
                tags.append(tag)
    return tags


def _note(card: _Card) -> str | None:
    notes = [_LINE_BREAK.sub("\n", _unescape(line.value)[0]).strip() for line in card.lines("note")]
    return "\n".join(n for n in notes if n) or None


def _uid(card: _Card) -> str | None:
    """The card's UID when it holds a UUID (as rapport's uids are), else None.

    'urn:uuid:…' (vCard 4.0) and macOS's '…:ABPerson' are reduced to the UUID.
    """
    value = _first(card, "uid")
    if value is None:
        return None
    if value.lower().startswith("urn:uuid:"):
        value = value[len("urn:uuid:") :]
    try:
        return str(uuid.UUID(value.split(":")[0]))
    except ValueError:
        return None


def _is_group(card: _Card) -> bool:
    kinds = {(_first(card, key) or "").lower() for key in ("kind", "x-addressbookserver-kind")}
    return "group" in kinds


def _contact(card: _Card) -> Contact:
    name = _name(card)
    if name is None:
        raise BadValue("no name (FN, N or ORG)")
    return Contact(
        number=card.number,
        line=card.line,
        name=name,
        uid=_uid(card),
        company=_company(card),
        emails=_preferred(card, "email"),
        phones=_preferred(card, "tel"),
        birthday=_birthday(card),
        tags=_tags(card),
        note=_note(card),
    )


def read_vcards(path: Path, label: str) -> Iterator[Contact]:
    """The people in a .vcf file, in file order; group cards are left out."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadValue(f"can't read {label}: {exc.strerror or exc}") from None
    for card in _cards(_decode(data, label), label):
        if _is_group(card):
            continue
        try:
            contact = _contact(card)
        except BadValue as exc:
            raise BadValue(
                f"{label} card {card.number} (line {card.line}): {exc.message}"
            ) from None
        yield contact

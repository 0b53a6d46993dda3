"""Reading vCards: 3.0 (RFC 2426), 4.0 (RFC 6350) and the 2.1 of older phones.

vobject reads the content lines (unfolding, parameters, quoted-printable) and
undoes the escapes; transfer/vcard_fields.py picks out what a relationship
journal keeps of a contact. vobject's own vCard objects are not used: they keep
only the text before the first unescaped comma of a NOTE, which 2.1 never escapes.

A card that cannot be used (no name and no email, a line that is not a content
line, no END) comes out as a ``Skip``; a field read only in part as a remark on
its contact. Lines whose name starts with ``X-`` are a vendor's own: one that
cannot be read is ignored.
"""

import io
import re
from collections.abc import Iterator
from pathlib import Path

from rapport.errors import BadValue
from rapport.transfer import vcard_fields as fields
from rapport.transfer.contact import Contact
from rapport.transfer.notice import Remark, Skip
from rapport.transfer.text import Encoding, check_encoding, sniff
from rapport.transfer.vcard_fields import Card, birthday

__all__ = ["Contact", "birthday", "read_vcards"]

# Google puts every contact in this system group; it says nothing about the person.
IGNORED_CATEGORIES = frozenset({"mycontacts"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A fold (line break then a space or tab), as bytes: some writers fold inside a
# multi-byte character, which RFC 6350 3.2 asks readers to put back together.
_BYTE_FOLD = re.compile(rb"\r?\n[ \t]")
_VENDOR_LINE = re.compile(r"^\s*(?:[\w-]+\.)?X-", re.IGNORECASE)


def _decode(data: bytes, label: str, encoding: str | None) -> tuple[str, Encoding]:
    if encoding is not None:
        chosen = Encoding(check_encoding(encoding))
    elif (certain := sniff(data)) is not None:
        chosen = Encoding(certain)
    else:
        for candidate in (data, _BYTE_FOLD.sub(b"", data)):
            try:
                return candidate.decode("utf-8-sig"), Encoding("utf-8")
            except UnicodeDecodeError:
                pass
        chosen = Encoding("windows-1252", guessed=True)
    from rapport.transfer.text import decode

    return decode(data, label, chosen), chosen


def _reason(exc: Exception) -> str:
    return re.sub(r"^At line \d+: ", "", str(exc)).strip() or type(exc).__name__


def _cards(text: str, label: str) -> Iterator[Card | Skip]:
    """The cards of a file, each with its content lines by lower-case name, and what
    lies between them that is not a card."""
    from vobject.base import (  # type: ignore[import-untyped]
        getLogicalLines,
        textLineToContentLine,
    )

    number = depth = 0
    card = Card(0, 1)
    stray = False
    normalized = _LINE_BREAK.sub("\n", text)
    for logical, reported in getLogicalLines(io.StringIO(normalized), allowQP=True):
        line = max(reported, 1)
        try:
            content = textLineToContentLine(logical, line)
        # Beyond its ParseError, vobject lets decoding errors through (unknown charset...).
        except Exception as exc:
            if depth == 0:
                if not number and not stray:
                    raise BadValue(f"{label} line {line}: not a vCard ({_reason(exc)})") from None
                stray = True
                yield Skip(f"{label} line {line}", f"not part of a card ({_reason(exc)})")
            elif _VENDOR_LINE.match(logical):
                card.ignored += 1
            elif card.broken is None:
                card.broken = f"line {line}: {_reason(exc)}"
            continue
        name = content.name.upper()
        begins = name == "BEGIN" and str(content.value).strip().upper() == "VCARD"
        if depth == 0:
            if begins:
                depth, card, stray = 1, Card(number + 1, line), False
            elif not number and not stray:
                raise BadValue(f"{label} line {line}: not a vCard (expected BEGIN:VCARD)")
            elif not stray:
                stray = True
                yield Skip(f"{label} line {line}", "not part of a card (expected BEGIN:VCARD)")
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
        yield Skip(f"{label} card {number + 1} (line {card.line})", "no END:VCARD")
    elif not number:
        raise BadValue(f"{label}: no vCard in it")


def _contact(card: Card) -> Contact | str:
    """The contact on a card, or why it cannot be one."""
    if card.broken is not None:
        return card.broken
    emails = fields.preferred(card, "email")
    name = fields.name(card) or (emails[0][0] if emails else None)
    if name is None:
        return "no name (FN, N or ORG) and no email"
    phones = fields.preferred(card, "tel")
    addresses = fields.addresses(card)
    urls = fields.preferred(card, "url")
    labels = {value: label for value, label in emails + phones + addresses + urls if label}
    uid, source_id = fields.uid(card)
    day, remark = fields.card_birthday(card)
    return Contact(
        number=card.number,
        line=card.line,
        name=name,
        uid=uid,
        source_id=source_id,
        company=fields.company(card),
        title=fields.first(card, "title"),
        emails=[value for value, _ in emails],
        phones=[value for value, _ in phones],
        addresses=[value for value, _ in addresses],
        urls=[value for value, _ in urls],
        labels=labels,
        birthday=day,
        tags=fields.tags(card, IGNORED_CATEGORIES),
        note=fields.note(card),
        remarks=[remark] if remark else [],
    )


def read_vcards(
    path: Path, label: str, *, encoding: str | None = None
) -> Iterator[Contact | Skip | Remark]:
    """The people in a .vcf file, in file order, and what could not be used; group cards
    are left out."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadValue(f"can't read {label}: {exc.strerror or exc}") from None
    text, chosen = _decode(data, label, encoding)
    if note := chosen.note(label):
        yield Remark(label, note.removeprefix(f"{label}: "))
    for card in _cards(text, label):
        if isinstance(card, Skip):
            yield card
            continue
        if fields.is_group(card):
            continue
        made = _contact(card)
        if isinstance(made, str):
            yield Skip(f"{label} card {card.number} (line {card.line})", made)
        else:
            yield made

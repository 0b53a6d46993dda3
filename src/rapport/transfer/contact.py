"""A contact as an address book or a service exports it, whatever the file's format."""

import re
from dataclasses import dataclass, field
from datetime import datetime

_LABELLED = re.compile(r"(.*\S) \(([^()]+)\)")


def split_label(text: str) -> tuple[str, str | None]:
    """'+44 7700 900123 (cell)' → the value and its label, as exports write a detail."""
    text = " ".join(text.split())
    if found := _LABELLED.fullmatch(text):
        return found.group(1), found.group(2)
    return text, None


@dataclass(frozen=True)
class Contact:
    """One card: ``number`` counts cards from 1, ``line`` is where it begins.

    ``labels`` gives the label of an email, phone, address or URL ('work', 'cell'…).
    ``source_id`` is the id ``source`` gives the person (a vCard's UID as written, a
    LinkedIn profile); ``uid`` a UUID the card holds, rapport's uid for someone new.
    ``began`` is when the relationship began (LinkedIn's "Connected On").
    """

    number: int
    line: int
    name: str
    uid: str | None = None
    source_id: str | None = None
    company: str | None = None
    title: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    birthday: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    remarks: list[str] = field(default_factory=list)
    source: str = "vcard"
    began: datetime | None = None
    stage: str | None = None

    @property
    def email(self) -> str | None:
        """The preferred address (the first when none is marked)."""
        return self.emails[0] if self.emails else None

    @property
    def phone(self) -> str | None:
        return self.phones[0] if self.phones else None

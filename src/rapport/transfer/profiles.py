"""Contacts exported by other programs as CSV, told by their headers.

Each profile knows one exporter's published layout (Google Contacts in its current
and its older form, Outlook, LinkedIn's Connections.csv, HubSpot) and turns a row
into a ``Contact``, as a vCard is. docs/import.md lists what each keeps.
"""

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rapport.errors import BadValue
from rapport.transfer.contact import Contact
from rapport.transfer.csv_in import CsvFile
from rapport.transfer.notice import Skip

Cells = Mapping[str, str]

# HubSpot's lifecycle stages (labels and internal values) as rapport's stages.
HUBSPOT_STAGES = {
    "subscriber": "acquaintance",
    "lead": "acquaintance",
    "marketingqualifiedlead": "friend",
    "salesqualifiedlead": "dating",
    "opportunity": "engaged",
    "customer": "married",
    "evangelist": "married",
}
# Google's system groups say nothing about the person.
GOOGLE_SYSTEM = re.compile(r"^\*\s*(my\s*contacts|starred)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(E-mail|Phone|Address|Website) (\d+) - (Label|Type|Value|Formatted)$")


def _get(cells: Cells, *names: str) -> str | None:
    for name in names:
        if value := " ".join(cells.get(name, "").split()):
            return value
    return None


def _joined(*parts: str | None) -> str | None:
    return " ".join(p for p in parts if p) or None


def _birthday(value: str | None) -> tuple[str | None, str | None]:
    """A birthday as rapport keeps it, or a remark when it can't be read."""
    if value is None or value in ("0/0/00", "00/00/0000"):
        return None, None
    from rapport.dates import parse_birthday
    from rapport.errors import BadDate

    try:
        return parse_birthday(value), None
    except BadDate:
        return None, f"can't read the birthday '{value}'; left out"


class Builder:
    """Collects one row's values into a Contact."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.emails: list[str] = []
        self.phones: list[str] = []
        self.addresses: list[str] = []
        self.urls: list[str] = []
        self.labels: dict[str, str] = {}
        self.remarks: list[str] = []

    def add(self, kind: str, value: str | None, label: str | None = None) -> None:
        if not value:
            return
        target = {"email": self.emails, "phone": self.phones}.get(kind)
        if target is None:
            target = self.addresses if kind == "address" else self.urls
        for piece in value.split(" ::: "):  # Google puts several values in one cell
            piece = " ".join(piece.split())
            if piece and piece not in target:
                target.append(piece)
                if label and (label := label.strip("* ").lower()):
                    self.labels[piece] = label

    def contact(self, number: int, line: int, name: str | None, **values: object) -> Contact | str:
        name = name or (self.emails[0] if self.emails else None)
        if name is None:
            return "no name and no email"
        return Contact(
            number=number,
            line=line,
            name=name,
            emails=self.emails,
            phones=self.phones,
            addresses=self.addresses,
            urls=self.urls,
            labels=self.labels,
            remarks=self.remarks,
            source=self.source,
            **values,  # type: ignore[arg-type]
        )


def _numbered(cells: Cells, into: Builder) -> None:
    """Google's 'E-mail 1 - Label' / 'E-mail 1 - Value' pairs, and the like."""
    groups: dict[tuple[str, str], dict[str, str]] = {}
    for column, value in cells.items():
        if found := _NUMBERED.match(column):
            groups.setdefault((found.group(1), found.group(2)), {})[found.group(3)] = value
    kinds = {"E-mail": "email", "Phone": "phone", "Address": "address", "Website": "url"}
    for (what, _), parts in sorted(groups.items(), key=lambda item: (item[0][0], int(item[0][1]))):
        label = parts.get("Label") or parts.get("Type")
        text = parts.get("Formatted" if what == "Address" else "Value", "")
        lines = (" ".join(part.split()) for part in text.splitlines())
        into.add(kinds[what], ", ".join(line for line in lines if line) or None, label)


def _google_tags(cell: str | None) -> list[str]:
    tags = [t.strip() for t in (cell or "").split(":::")]
    return [t for t in tags if t and not GOOGLE_SYSTEM.match(t)]


def google(cells: Cells, number: int, line: int) -> Contact | str:
    """Google Contacts as it exports today (First Name, Labels, E-mail 1 - Label…)."""
    into = Builder("google")
    _numbered(cells, into)
    day, remark = _birthday(_get(cells, "Birthday"))
    into.remarks += [remark] if remark else []
    name = _joined(
        _get(cells, "Name Prefix"),
        _get(cells, "First Name"),
        _get(cells, "Middle Name"),
        _get(cells, "Last Name"),
        _get(cells, "Name Suffix"),
    )
    return into.contact(
        number,
        line,
        name or _get(cells, "File As", "Nickname", "Organization Name"),
        company=_get(cells, "Organization Name"),
        title=_get(cells, "Organization Title"),
        birthday=day,
        note=(cells.get("Notes") or "").strip() or None,
        tags=_google_tags(cells.get("Labels")),
    )


def google_legacy(cells: Cells, number: int, line: int) -> Contact | str:
    """Google Contacts' older 'Google CSV' (Name, Given Name, Group Membership…)."""
    into = Builder("google")
    _numbered(cells, into)
    day, remark = _birthday(_get(cells, "Birthday"))
    into.remarks += [remark] if remark else []
    name = _get(cells, "Name") or _joined(
        _get(cells, "Given Name"), _get(cells, "Additional Name"), _get(cells, "Family Name")
    )
    return into.contact(
        number,
        line,
        name or _get(cells, "Nickname", "Organization 1 - Name"),
        company=_get(cells, "Organization 1 - Name"),
        title=_get(cells, "Organization 1 - Title"),
        birthday=day,
        note=(cells.get("Notes") or "").strip() or None,
        tags=_google_tags(cells.get("Group Membership")),
    )


OUTLOOK_PHONES = (
    ("Mobile Phone", "mobile"),
    ("Business Phone", "work"),
    ("Business Phone 2", "work"),
    ("Home Phone", "home"),
    ("Home Phone 2", "home"),
    ("Primary Phone", None),
    ("Company Main Phone", "work"),
    ("Other Phone", "other"),
)


def outlook(cells: Cells, number: int, line: int) -> Contact | str:
    """Outlook's CSV (First Name, E-mail Address, Mobile Phone, Business Street…)."""
    into = Builder("outlook")
    for column in ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address"):
        into.add("email", _get(cells, column))
    for column, label in OUTLOOK_PHONES:
        into.add("phone", _get(cells, column), label)
    for prefix, label in (("Business", "work"), ("Home", "home"), ("Other", "other")):
        parts = [
            _get(cells, f"{prefix} {part}")
            for part in ("Street", "City", "State", "Postal Code", "Country", "Country/Region")
        ]
        into.add("address", ", ".join(p for p in parts if p) or None, label)
    into.add("url", _get(cells, "Web Page"))
    day, remark = _birthday(_get(cells, "Birthday"))
    into.remarks += [remark] if remark else []
    name = _joined(_get(cells, "First Name"), _get(cells, "Middle Name"), _get(cells, "Last Name"))
    categories = [t.strip() for t in (cells.get("Categories") or "").split(";")]
    return into.contact(
        number,
        line,
        name or _get(cells, "Company"),
        company=_get(cells, "Company"),
        title=_get(cells, "Job Title"),
        birthday=day,
        note=(cells.get("Notes") or "").strip() or None,
        tags=[t for t in categories if t],
    )


def _connected_on(value: str | None) -> datetime | None:
    """LinkedIn writes '05 Mar 2024' (older exports '3/5/24')."""
    if not value:
        return None
    for form in ("%d %b %Y", "%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, form).replace(hour=12, tzinfo=UTC)
        except ValueError:
            continue
    return None


def linkedin(cells: Cells, number: int, line: int) -> Contact | str:
    """LinkedIn's Connections.csv: the profile URL is their id, Connected On the day the
    relationship began."""
    into = Builder("linkedin")
    into.add("email", _get(cells, "Email Address"))
    url = _get(cells, "URL")
    into.add("url", url, "linkedin")
    began = _connected_on(_get(cells, "Connected On"))
    if _get(cells, "Connected On") and began is None:
        into.remarks.append(f"can't read Connected On '{_get(cells, 'Connected On')}'; left out")
    return into.contact(
        number,
        line,
        _joined(_get(cells, "First Name"), _get(cells, "Last Name")),
        source_id=url.rstrip("/").lower() if url else None,
        company=_get(cells, "Company"),
        title=_get(cells, "Position"),
        began=began,
    )


def hubspot(cells: Cells, number: int, line: int) -> Contact | str:
    """HubSpot's contacts export: Record ID is their id, the lifecycle stage a stage."""
    into = Builder("hubspot")
    into.add("email", _get(cells, "Email"))
    into.add("phone", _get(cells, "Phone Number"), "work")
    into.add("phone", _get(cells, "Mobile Phone Number"), "mobile")
    parts = [
        _get(cells, column)
        for column in ("Street Address", "City", "State/Region", "Postal Code", "Country/Region")
    ]
    into.add("address", ", ".join(p for p in parts if p) or None)
    into.add("url", _get(cells, "Website URL"))
    lifecycle = _get(cells, "Lifecycle Stage")
    stage = HUBSPOT_STAGES.get("".join((lifecycle or "").lower().split()))
    return into.contact(
        number,
        line,
        _joined(_get(cells, "First Name"), _get(cells, "Last Name")),
        source_id=_get(cells, "Record ID"),
        company=_get(cells, "Company Name", "Associated Company"),
        title=_get(cells, "Job Title"),
        stage=stage,
    )


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    # Columns that all appear in this exporter's header, and only together in its.
    signature: tuple[str, ...]
    read: Callable[[Cells, int, int], Contact | str]


PROFILES = (
    Profile("google", "Google Contacts", ("First Name", "Last Name", "Labels"), google),
    Profile(
        "google-legacy",
        "Google Contacts (older Google CSV)",
        ("Given Name", "Family Name", "Group Membership"),
        google_legacy,
    ),
    Profile("outlook", "Outlook", ("First Name", "Last Name", "E-mail Address"), outlook),
    Profile(
        "linkedin",
        "LinkedIn Connections",
        ("First Name", "Last Name", "URL", "Connected On"),
        linkedin,
    ),
    Profile("hubspot", "HubSpot contacts", ("Record ID", "First Name", "Last Name"), hubspot),
)
BY_NAME = {profile.name: profile for profile in PROFILES}


def find_profile(header: Sequence[str], forced: str | None = None) -> Profile | None:
    """The profile a header is, or the one ``--profile`` names."""
    if forced is not None:
        if forced not in BY_NAME:
            raise BadValue(f"unknown profile '{forced}' (profiles: {', '.join(BY_NAME)})")
        return BY_NAME[forced]
    present = {h.strip().casefold() for h in header}
    for profile in PROFILES:
        if all(column.casefold() in present for column in profile.signature):
            return profile
    return None


def closest(header: Sequence[str]) -> str:
    """The profile sharing most columns with ``header``, said for an error message."""
    present = {h.strip().casefold() for h in header}
    best = max(PROFILES, key=lambda p: sum(c.casefold() in present for c in p.signature))
    missing = [c for c in best.signature if c.casefold() not in present]
    return f"the closest profile is {best.name} ({best.title}), which also has {', '.join(missing)}"


def read_contacts(sheet: CsvFile, profile: Profile) -> Iterator[Contact | Skip]:
    """The contacts of a CSV file in ``profile``'s layout, and the rows that can't be used."""
    header = sheet.header
    number = 0
    for line, record in sheet.data():
        if not any(cell.strip() for cell in record):
            continue
        number += 1
        cells = {column: value for column, value in zip(header, record, strict=False) if column}
        made = profile.read(cells, number, line)
        if isinstance(made, str):
            yield Skip(f"{sheet.label} row {number} (line {line})", made)
        else:
            yield made

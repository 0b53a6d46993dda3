"""Finding the person a card or row from elsewhere is about.

In order: rapport's uid, the source's own id for them, any of their email
addresses, any of their phone numbers, their exact name (ignoring case and
accents). When the email says one person and the phone another, nothing is
folded: the import reports it, for `rapport merge` to settle.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from rapport.core.details import sources
from rapport.errors import Conflict
from rapport.models import Person, PersonAlias, PersonDetail, pk
from rapport.names import name_key

# Numbers are compared on their last digits, so that +44 7700 900123, 0044 7700 900123
# and 07700 900123 are one number; shorter ones (extensions, short codes) never match.
PHONE_DIGITS = 9


def phone_key(phone: str | None) -> str | None:
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits[-PHONE_DIGITS:] if len(digits) >= PHONE_DIGITS else None


def email_key(email: str | None) -> str | None:
    return email.strip().casefold() or None if email else None


@dataclass
class Wanted:
    """What a card or row says about who it is."""

    name: str | None
    uid: str | None = None
    source: str | None = None
    source_id: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)

    @property
    def identity(self) -> tuple[str, str] | None:
        """The id it carries, if any, with where it comes from: the source's own, else
        rapport's uid."""
        if self.source is not None and self.source_id is not None:
            return self.source, self.source_id
        return ("uid", self.uid) if self.uid is not None else None


class Identities:
    """The journal's people by what identifies them, kept in step during an import."""

    def __init__(self, session: Session) -> None:
        self.by_uid: dict[str, int] = {}
        self.by_key: dict[str, list[int]] = {}
        self.by_email: dict[str, set[int]] = {}
        self.by_phone: dict[str, set[int]] = {}
        self.by_source: dict[tuple[str, str], int] = {}
        self.names: dict[int, str] = {}
        # The ids each person is known by, per source: a card or row with another id of
        # the same source never lands on them by name alone (two UIDs, one name: two people).
        self.claimed: dict[int, set[tuple[str, str]]] = {}
        columns = [col(c) for c in (Person.id, Person.uid, Person.name, Person.email, Person.phone)]
        for pid, uid, name, email, phone in session.execute(select_columns(*columns)):
            if pid is not None:
                self._index(pid, uid, name, [email] if email else [], [phone] if phone else [])
        for detail in session.exec(
            select(PersonDetail).where(col(PersonDetail.kind).in_(("email", "phone")))
        ):
            emails, phones = (
                ([detail.value], []) if detail.kind == "email" else ([], [detail.value])
            )
            self._index(detail.person_id, None, None, emails, phones)
        for source, source_id, pid, _ in sources(session):
            self.by_source[(source, source_id)] = pid
            self.claimed.setdefault(pid, set()).add((source, source_id))
        # A merged person's uid names the one they were merged into.
        for uid, pid in session.execute(
            select_columns(col(PersonAlias.uid), col(PersonAlias.person_id))
        ):
            self.by_uid.setdefault(uid, pid)

    def _index(
        self,
        pid: int,
        uid: str | None,
        name: str | None,
        emails: Iterable[str],
        phones: Iterable[str],
    ) -> None:
        if uid is not None and name is not None:
            self.by_uid[uid] = pid
            self.by_key.setdefault(name_key(name), []).append(pid)
            self.names[pid] = name
        for email in emails:
            if key := email_key(email):
                self.by_email.setdefault(key, set()).add(pid)
        for phone in phones:
            if key := phone_key(phone):
                self.by_phone.setdefault(key, set()).add(pid)

    def remember(
        self,
        person: Person,
        *,
        old_key: str | None = None,
        emails: Iterable[str] = (),
        phones: Iterable[str] = (),
    ) -> None:
        """Index a person just added or changed (``old_key``: the name key they had)."""
        emails, phones = [person.email or "", *emails], [person.phone or "", *phones]
        self.note(
            pk(person), person.uid, person.name, person.name_key, emails, phones, old_key=old_key
        )

    def note(
        self,
        pid: int,
        uid: str,
        name: str,
        key: str,
        emails: Iterable[str],
        phones: Iterable[str],
        *,
        old_key: str | None = None,
    ) -> None:
        """``remember`` for a person not loaded as a record (one imported in bulk)."""
        if old_key is not None and pid in self.by_key.get(old_key, []):
            self.by_key[old_key].remove(pid)
        if pid not in self.by_key.get(key, []):
            self.by_key.setdefault(key, []).append(pid)
        self.by_uid[uid] = pid
        self.names[pid] = name
        for email in emails:
            if found := email_key(email):
                self.by_email.setdefault(found, set()).add(pid)
        for phone in phones:
            if found := phone_key(phone):
                self.by_phone.setdefault(found, set()).add(pid)

    def _one(self, found: set[int], what: str, wanted: Wanted) -> int | None:
        if len(found) > 1:
            raise Conflict(self._conflict(sorted(found), f"its {what} belongs to", wanted))
        return next(iter(found), None)

    def _conflict(self, ids: list[int], said: str, wanted: Wanted) -> str:
        people = " and ".join(f"#{pid} {self.names.get(pid, '')}".strip() for pid in ids)
        keep, other = ids[0], ids[-1]
        return (
            f"{said} {people}; not folded in: if they are one person,"
            f" run `rapport merge {other} into {keep}` and import again"
        )

    def find(self, wanted: Wanted) -> int | None:
        """The id of the person ``wanted`` is about, or None for someone new."""
        if wanted.uid is not None and wanted.uid in self.by_uid:
            return self.by_uid[wanted.uid]
        identity = wanted.identity
        if identity is not None and identity in self.by_source:
            return self.by_source[identity]
        by_email = self._one(
            {pid for e in wanted.emails if (k := email_key(e)) for pid in self.by_email.get(k, ())},
            "email",
            wanted,
        )
        by_phone = self._one(
            {pid for p in wanted.phones if (k := phone_key(p)) for pid in self.by_phone.get(k, ())},
            "phone",
            wanted,
        )
        if by_email is not None and by_phone is not None and by_email != by_phone:
            raise Conflict(
                self._conflict(
                    sorted({by_email, by_phone}), "its email and its phone point at", wanted
                )
            )
        if (found := by_email if by_email is not None else by_phone) is not None:
            return found
        if wanted.name is None:
            return None
        candidates = [
            pid
            for pid in self.by_key.get(name_key(wanted.name), [])
            if identity is None
            or not any(other[0] == identity[0] for other in self.claimed.get(pid, ()))
        ]
        if len(candidates) > 1:
            numbers = ", ".join(f"#{pid}" for pid in candidates)
            raise Conflict(f"'{wanted.name}' names several people ({numbers}); give their uid")
        return candidates[0] if candidates else None

    def claim(self, pid: int, wanted: Wanted) -> None:
        """Record that ``wanted``'s id is this person's."""
        if (identity := wanted.identity) is not None:
            self.claimed.setdefault(pid, set()).add(identity)
            if identity[0] != "uid":
                self.by_source[identity] = pid

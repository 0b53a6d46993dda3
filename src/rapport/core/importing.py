"""Import: rapport's own CSVs, CSVs made elsewhere, and vCards, as one transaction.

Records are known by their uid: a known uid updates its record, an unknown one
is inserted with that uid. Rows without a uid name their people exactly (the
whole name, ignoring case and accents). An empty cell never erases what the
journal holds, and tags are only ever added. Into a table that was empty before
the import, records keep the ids they were exported with.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy import text as sql
from sqlmodel import Session, col, select

from rapport.core.commitments import check_kind
from rapport.core.journal import check_channel, parse_mood
from rapport.core.people import change_stage, check_stage, clean_tags, settle_stage, tags_of
from rapport.core.records import LISTINGS
from rapport.errors import Ambiguous, BadValue, NotFound, RapportError
from rapport.models import (
    Commitment,
    Gesture,
    Interaction,
    InteractionPerson,
    InteractionTag,
    Person,
    PersonTag,
    Problem,
    StageChange,
    new_uid,
    pk,
)
from rapport.names import name_key
from rapport.store import Journal
from rapport.transfer.csv_in import CsvFile, Kind, Row
from rapport.transfer.vcard import Contact, read_vcards
from rapport.vocab import COMMITMENT_STATUSES

# People first: every other table names them.
TABLES = ("people", "stages", "interactions", "commitments", "problems", "gestures")
# The columns that say whom a row is about; any one of them will do.
NEEDS = {"people": ("name",), "interactions": ("people", "people_uids")}
# A call log says "person" even when an interaction may have several.
ALIASES = {"interactions": {"person": "people", "person_uid": "people_uids"}}
KINDS = tuple(
    Kind(
        name,
        LISTINGS[name].columns,
        NEEDS.get(name, ("person", "person_uid")),
        ALIASES.get(name, {}),
    )
    for name in TABLES
)
VCARD_SUFFIXES = (".vcf", ".vcard")
# Rows are flushed and let go of this often, so that a long import keeps memory flat.
BATCH = 1000

Model = TypeVar("Model", Person, Interaction, StageChange, Commitment, Problem, Gesture)
Item = TypeVar("Item", Row, Contact)
TABLE_OF: dict[type, str] = {
    Person: "people",
    Interaction: "interactions",
    StageChange: "stages",
    Commitment: "commitments",
    Problem: "problems",
    Gesture: "gestures",
}


@dataclass
class Tally:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, *, added: bool = False, changed: bool = False) -> None:
        if added:
            self.added += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


@dataclass(frozen=True)
class Source:
    """One file to import and the table it feeds (vCards feed people)."""

    path: Path
    label: str
    table: str
    csv: CsvFile | None = None


@dataclass
class Report:
    sources: list[Source]
    skipped: list[str] = field(default_factory=list)
    tallies: dict[str, Tally] = field(default_factory=dict)
    dry_run: bool = False

    def lines(self) -> list[str]:
        added, updated = ("to add", "to update") if self.dry_run else ("added", "updated")
        lines = [f"skipped {name} (neither .csv nor .vcf)" for name in self.skipped]
        for table in TABLES:
            if table in self.tallies:
                t = self.tallies[table]
                lines.append(
                    f"{table}: {t.added} {added}, {t.updated} {updated}, {t.unchanged} unchanged"
                )
        if self.dry_run:
            lines.append("dry run: nothing was saved")
        return lines


def _source(path: Path, label: str) -> Source:
    suffix = path.suffix.lower()
    if suffix in VCARD_SUFFIXES:
        return Source(path, label, "people")
    if suffix == ".json":
        raise BadValue(f"{label}: rapport imports CSV and vCard files, not JSON")
    if suffix != ".csv" and _looks_like_vcard(path):
        return Source(path, label, "people")
    csv_file = CsvFile(path, label, KINDS)
    return Source(path, label, csv_file.kind.name, csv_file)


def _looks_like_vcard(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            start = stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return start.upper().startswith(b"BEGIN:VCARD")


def plan_import(target: Path) -> Report:
    """What an import of ``target`` (a file, or a folder of them) reads, in the order it will."""
    if not target.exists():
        raise BadValue(f"no file or folder {target}")
    if not target.is_dir():
        return Report([_source(target, str(target))])
    sources: list[Source] = []
    skipped: list[str] = []
    for path in sorted(target.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() in (".csv", *VCARD_SUFFIXES):
            sources.append(_source(path, str(path)))
        else:
            skipped.append(path.name)
    if not sources:
        raise BadValue(f"{target}: no .csv or .vcf file in it")

    def order(source: Source) -> tuple[int, bool]:
        return TABLES.index(source.table), source.csv is None

    return Report(sorted(sources, key=order), skipped)


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def run_import(
    journal: Journal,
    report: Report,
    *,
    now: datetime,
    author: str | None,
    channel: str,
    dry_run: bool = False,
) -> Report:
    """Import every source of ``report`` in one transaction; with ``dry_run``, roll it back."""
    report.dry_run = dry_run
    try:
        with journal.write() as session:
            importer = Importer(session, now=now, author=author, channel=channel)
            for source in report.sources:
                importer.load(source)
            importer.finish()
            report.tallies = {t: importer.tallies[t] for t in TABLES if t in importer.seen}
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _same(old: Any, new: Any) -> bool:
    """Equal as an export shows them: timestamps to the second."""
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.replace(microsecond=0) == new.replace(microsecond=0)
    return bool(old == new)


class Importer:
    """Turns rows and contacts into records of one open write session."""

    def __init__(self, session: Session, *, now: datetime, author: str | None, channel: str):
        self.session = session
        self.now = now
        self.today = now.date()
        self.author = author
        self.channel = channel
        self.tallies = {t: Tally() for t in TABLES}
        self.seen: set[str] = set()
        self.fresh = {
            model
            for model in (Person, Interaction, StageChange, Commitment, Problem, Gesture)
            if session.exec(select(model.id).limit(1)).first() is None
        }
        self.by_uid: dict[str, int] = {}
        self.by_key: dict[str, list[int]] = {}
        for pid, uid, key in session.exec(select(Person.id, Person.uid, Person.name_key)):
            if pid is not None:
                self.by_uid[uid] = pid
                self.by_key.setdefault(key, []).append(pid)
        self.handled = 0
        self.unstaged: list[int] = []
        self.explicit: set[type[Any]] = set()

    def load(self, source: Source) -> None:
        self.seen.add(source.table)
        if source.csv is None:
            for contact in read_vcards(source.path, source.label):
                where = f"{source.label} card {contact.number} (line {contact.line})"
                self._guarded(where, self.contact, contact)
            return
        handler = {
            "people": self.person_row,
            "stages": self.stage_row,
            "interactions": self.interaction_row,
            "commitments": self.commitment_row,
            "problems": self.problem_row,
            "gestures": self.gesture_row,
        }[source.table]
        for row in source.csv.rows():
            self._guarded(row.where, handler, row)

    def _guarded(self, where: str, handler: Callable[[Item], None], item: Item) -> None:
        """Handle one row or card; a mistake in it names where it is."""
        try:
            handler(item)
        except RapportError as exc:
            raise BadValue(f"{where}: {exc.message}") from exc
        self.handled += 1
        if self.handled % BATCH == 0:
            self.session.flush()
            self.session.expunge_all()

    # -- records ------------------------------------------------------------------

    def _insert(self, record: Model, ident: int | None) -> Model:
        """Add a record, keeping its exported id when its table was empty and the id is free."""
        model = type(record)
        if ident is not None and model in self.fresh:
            taken = self.session.exec(select(model.id).where(col(model.id) == ident)).first()
            if taken is None:
                record.id = ident
                self.explicit.add(model)
        if record.id is None and model in self.explicit:
            self._sync_ids(model)
        self.session.add(record)
        self.session.flush()
        return record

    def _sync_ids(self, *models: type[Any]) -> None:
        """After explicit ids, move PostgreSQL's id sequences past them (SQLite needs nothing)."""
        self.session.flush()
        if self.session.get_bind().dialect.name == "postgresql":
            for model in models:
                table = model.__tablename__
                self.session.execute(
                    sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" GREATEST(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
                    )
                )
        self.explicit.difference_update(models)

    def _assign(self, record: Any, values: dict[str, Any]) -> bool:
        """Set what the row gives; an empty cell (None) leaves the journal's value."""
        changed = False
        for name, value in values.items():
            if value is not None and not _same(getattr(record, name), value):
                setattr(record, name, value)
                changed = True
        if changed:
            self.session.add(record)
        return changed

    def _existing(self, model: type[Model], uid: str | None) -> Model | None:
        if uid is None:
            return None
        found = self.session.exec(select(model.id).where(col(model.uid) == uid)).first()
        return None if found is None else self.session.get_one(model, found)

    # -- people -------------------------------------------------------------------

    def _named(self, name: str) -> int:
        """The one person with exactly this name (ignoring case and accents)."""
        ids = self.by_key.get(name_key(name), [])
        if not ids:
            raise NotFound(f"no one named '{name}' in the journal (add or import them first)")
        if len(ids) > 1:
            numbers = ", ".join(f"#{i}" for i in ids)
            raise Ambiguous(f"'{name}' names several people ({numbers}); give their uid")
        return ids[0]

    def _owner(self, row: Row) -> int:
        uid, name = row.literal("person_uid"), row.name("person")
        if uid is not None and uid in self.by_uid:
            return self.by_uid[uid]
        if name is not None:
            return self._named(name)
        if uid is not None:
            raise NotFound(f"no person has uid {uid}")
        raise BadValue("say who it is about: the person is empty")

    def _people_of(self, row: Row) -> list[int]:
        uids, names = row.items("people_uids", literal=True), row.items("people")
        ids: list[int] = []
        if uids:
            for index, uid in enumerate(uids):
                if uid in self.by_uid:
                    ids.append(self.by_uid[uid])
                elif len(names) == len(uids):
                    ids.append(self._named(names[index]))
                else:
                    raise NotFound(f"no person has uid {uid}")
        else:
            ids = [self._named(name) for name in names]
        if not ids:
            raise BadValue("say who it was with: people is empty")
        return list(dict.fromkeys(ids))

    def _remember(self, person: Person, old_key: str | None = None) -> None:
        pid = pk(person)
        if old_key is not None and pid in self.by_key.get(old_key, []):
            self.by_key[old_key].remove(pid)
        self.by_uid[person.uid] = pid
        self.by_key.setdefault(person.name_key, []).append(pid)

    def _add_person(self, person: Person, ident: int | None, tags: Iterable[str]) -> Person:
        self._insert(person, ident)
        self._remember(person)
        self._add_tags(person, tags)
        return person

    def _add_tags(self, person: Person, tags: Iterable[str]) -> bool:
        pid = pk(person)
        current = {t.casefold() for t in tags_of(self.session, [pid]).get(pid, [])}
        added = False
        for tag in clean_tags(tags):
            if tag.casefold() not in current:
                self.session.add(PersonTag(person_id=pid, tag=tag))
                current.add(tag.casefold())
                added = True
        return added

    def _rename(self, person: Person, name: str | None) -> bool:
        if name is None or name == person.name:
            return False
        old_key = person.name_key
        person.name, person.name_key = name, name_key(name)
        self.session.add(person)
        self._remember(person, old_key)
        return True

    def _imported_stage(self, person: Person) -> None:
        """Give a person new to the journal a dated stage, as `add` does, unless the
        import brings their stage history (checked at the end, in ``finish``)."""
        self.unstaged.append(pk(person))

    def finish(self) -> None:
        self._sync_ids(*self.explicit)
        for start in range(0, len(self.unstaged), BATCH):
            ids = self.unstaged[start : start + BATCH]
            staged = set(
                self.session.exec(
                    select(StageChange.person_id).where(col(StageChange.person_id).in_(ids))
                )
            )
            for person in self.session.exec(select(Person).where(col(Person.id).in_(ids))):
                if person.id not in staged:
                    self.session.add(
                        StageChange(
                            person_id=pk(person),
                            stage=person.stage,
                            at=person.created_at,
                            why="imported",
                        )
                    )
        self.unstaged.clear()
        self.session.flush()

    def person_row(self, row: Row) -> None:
        from rapport.dates import parse_birthday, parse_duration

        uid, name = row.literal("uid"), row.name("name")
        if name is not None and name.isdigit():
            raise BadValue(f"'{name}' would be read as a person's number; give a name")
        cadence, birthday = row.literal("cadence_days"), row.literal("birthday")
        fields: dict[str, Any] = {
            "company": row.text("company"),
            "email": row.text("email"),
            "phone": row.text("phone"),
            "cadence_days": parse_duration(cadence) if cadence else None,
            "style": row.text("style"),
            "current_state": row.text("current_state"),
            "desired_outcome": row.text("desired_outcome"),
            "birthday": parse_birthday(birthday) if birthday else None,
            "snoozed_until": row.day("snoozed_until", self.today),
        }
        stage = check_stage(typed) if (typed := row.literal("stage")) else None
        created = row.moment("created_at", self.now)
        tags = row.items("tags")
        tally = self.tallies["people"]
        if uid is not None:
            found = self.by_uid.get(uid)
        else:
            found = self._named(name) if name and name_key(name) in self.by_key else None
        if found is None:
            if name is None:
                raise BadValue(
                    f"a new person needs a name{f' (no one has uid {uid})' if uid else ''}"
                )
            person = Person(
                uid=uid or new_uid(),
                name=name,
                name_key=name_key(name),
                stage=stage or "acquaintance",
                created_at=created or self.now,
                **{k: v for k, v in fields.items() if v is not None},
            )
            self._add_person(person, row.integer("id"), tags)
            if uid is None:
                self._imported_stage(person)
            tally.count(added=True)
            return
        person = self.session.get_one(Person, found)
        changed = self._rename(person, name) if uid is not None else False
        changed = self._assign(person, fields) or changed
        if stage is not None and stage != person.stage:
            change_stage(self.session, person, stage, why="imported", at=self.now)
            changed = True
        changed = self._add_tags(person, tags) or changed
        tally.count(changed=changed)

    def contact(self, contact: Contact) -> None:
        """A vCard: the person with its UID, else one of its emails, else its exact name."""
        if contact.name.isdigit():
            raise BadValue(f"'{contact.name}' would be read as a person's number; give a name")
        person = self._match(contact)
        tally = self.tallies["people"]
        if person is None:
            person = Person(
                uid=contact.uid or new_uid(),
                name=contact.name,
                name_key=name_key(contact.name),
                company=contact.company,
                email=contact.email,
                phone=contact.phone,
                birthday=contact.birthday,
                current_state=contact.note,
                created_at=self.now,
            )
            self._add_person(person, None, contact.tags)
            self._imported_stage(person)
            tally.count(added=True)
            return
        values: dict[str, Any] = {"company": contact.company, "birthday": contact.birthday}
        if (person.email or "").casefold() not in {e.casefold() for e in contact.emails}:
            values["email"] = contact.email
        if _digits(person.phone) not in {_digits(p) for p in contact.phones}:
            values["phone"] = contact.phone
        if not person.current_state:
            values["current_state"] = contact.note
        changed = self._assign(person, values)
        changed = self._add_tags(person, contact.tags) or changed
        tally.count(changed=changed)

    def _match(self, contact: Contact) -> Person | None:
        if contact.uid is not None and contact.uid in self.by_uid:
            return self.session.get_one(Person, self.by_uid[contact.uid])
        if contact.emails:
            wanted = [e.casefold() for e in contact.emails]
            found = self.session.exec(
                select(Person.id).where(func.lower(Person.email).in_(wanted))
            ).all()
            ids = sorted({pid for pid in found if pid is not None})
            if len(ids) > 1:
                numbers = ", ".join(f"#{i}" for i in ids)
                raise Ambiguous(f"its email belongs to several people ({numbers})")
            if ids:
                return self.session.get_one(Person, ids[0])
        if name_key(contact.name) in self.by_key:
            return self.session.get_one(Person, self._named(contact.name))
        return None

    # -- what happened with them --------------------------------------------------

    def interaction_row(self, row: Row) -> None:
        uid = row.literal("uid")
        people = self._people_of(row)
        channel, mood = row.literal("channel"), row.literal("mood")
        values: dict[str, Any] = {
            "at": row.moment("at", self.now),
            "channel": check_channel(channel) if channel else None,
            "mood": parse_mood(mood) if mood else None,
            "text": row.text("text"),
            "heard": row.text("heard"),
            "author": row.text("author") if row.has("author") else None,
        }
        tags = row.items("tags")
        tally = self.tallies["interactions"]
        item = self._existing(Interaction, uid)
        # A call log from elsewhere has no uids: the same moment, people and text is the
        # same conversation, so importing the log again adds nothing.
        from_elsewhere = item is None and uid is None and values["at"] is not None
        if from_elsewhere and self._same_interaction(values["at"], values["text"] or "", people):
            tally.count()
            return
        if item is None:
            item = Interaction(
                uid=uid or new_uid(),
                at=values["at"] or self.now,
                channel=values["channel"] or check_channel(self.channel),
                mood=values["mood"],
                text=values["text"] or "",
                heard=values["heard"],
                author=values["author"] if row.has("author") else self.author,
            )
            self._insert(item, row.integer("id"))
            self._link(item, people)
            self._tag(item, tags, new=True)
            tally.count(added=True)
            return
        changed = self._assign(item, values)
        current = list(
            self.session.exec(
                select(InteractionPerson.person_id)
                .where(InteractionPerson.interaction_id == item.id)
                .order_by(col(InteractionPerson.position))
            ).all()
        )
        if current != people:
            for link in self.session.exec(
                select(InteractionPerson).where(InteractionPerson.interaction_id == item.id)
            ):
                self.session.delete(link)
            self.session.flush()
            self._link(item, people)
            changed = True
        elif changed:
            for link in self.session.exec(
                select(InteractionPerson).where(InteractionPerson.interaction_id == item.id)
            ):
                link.at, link.channel = item.at, item.channel
                self.session.add(link)
        changed = self._tag(item, tags) or changed
        tally.count(changed=changed)

    def _same_interaction(self, at: datetime, text: str, people: list[int]) -> bool:
        start = at.replace(microsecond=0)
        candidates = self.session.exec(
            select(Interaction.id).where(
                Interaction.at >= start,
                Interaction.at < start + timedelta(seconds=1),
                Interaction.text == text,
            )
        ).all()
        for ident in candidates:
            linked = self.session.exec(
                select(InteractionPerson.person_id)
                .where(InteractionPerson.interaction_id == ident)
                .order_by(col(InteractionPerson.position))
            ).all()
            if list(linked) == people:
                return True
        return False

    def _link(self, item: Interaction, people: list[int]) -> None:
        for position, pid in enumerate(people):
            self.session.add(
                InteractionPerson(
                    interaction_id=pk(item),
                    person_id=pid,
                    position=position,
                    at=item.at,
                    channel=item.channel,
                )
            )

    def _tag(self, item: Interaction, tags: list[str], *, new: bool = False) -> bool:
        if not tags:
            return False
        current = (
            set()
            if new
            else {
                t.casefold()
                for t in self.session.exec(
                    select(InteractionTag.tag).where(InteractionTag.interaction_id == item.id)
                )
            }
        )
        added = False
        for tag in clean_tags(tags):
            if tag.casefold() not in current:
                self.session.add(InteractionTag(interaction_id=pk(item), tag=tag))
                current.add(tag.casefold())
                added = True
        return added

    def _owned(
        self,
        row: Row,
        model: type[Model],
        values: dict[str, Any],
        *,
        needs: tuple[str, ...],
        defaults: dict[str, Any],
    ) -> Model:
        """Insert or update one record that belongs to a person; returns it."""
        uid = row.literal("uid")
        item = self._existing(model, uid)
        tally = self.tallies[TABLE_OF[model]]
        if item is not None:
            tally.count(changed=self._assign(item, values))
            return item
        missing = [name for name in needs if values.get(name) is None]
        if missing:
            raise BadValue(f"{' and '.join(missing)} missing")
        given = {k: v for k, v in values.items() if v is not None}
        fresh = model(uid=uid or new_uid(), **(defaults | given))
        tally.count(added=True)
        return self._insert(fresh, row.integer("id"))

    def commitment_row(self, row: Row) -> None:
        direction, status = row.literal("direction"), row.literal("status")
        if direction is not None and direction.lower() not in ("mine", "theirs"):
            raise BadValue(f"unknown direction '{direction}' (mine or theirs)")
        if status is not None and status.lower() not in COMMITMENT_STATUSES:
            raise BadValue(
                f"unknown status '{status}' (statuses: {', '.join(COMMITMENT_STATUSES)})"
            )
        values = {
            "person_id": self._owner(row),
            "direction": direction.lower() if direction else None,
            "text": row.text("text"),
            "due": row.day("due", self.today),
            "status": status.lower() if status else None,
            "closed_at": row.moment("closed_at", self.now),
            "why": row.text("why"),
        }
        defaults = {"created_at": row.moment("created_at", self.now) or self.now}
        self._owned(row, Commitment, values, needs=("direction", "text", "due"), defaults=defaults)

    def problem_row(self, row: Row) -> None:
        values = {
            "person_id": self._owner(row),
            "text": row.text("text"),
            "opened_at": row.moment("opened_at", self.now),
            "resolved_at": row.moment("resolved_at", self.now),
            "note": row.text("note"),
        }
        self._owned(row, Problem, values, needs=("text",), defaults={"opened_at": self.now})

    def gesture_row(self, row: Row) -> None:
        kind = row.literal("kind")
        values = {
            "person_id": self._owner(row),
            "kind": check_kind(kind) if kind else None,
            "text": row.text("text"),
            "at": row.moment("at", self.now),
        }
        self._owned(row, Gesture, values, needs=("kind",), defaults={"at": self.now})

    def stage_row(self, row: Row) -> None:
        stage = row.literal("stage")
        values = {
            "person_id": self._owner(row),
            "stage": check_stage(stage) if stage else None,
            "at": row.moment("at", self.now),
            "why": row.text("why"),
        }
        change = self._owned(row, StageChange, values, needs=("stage",), defaults={"at": self.now})
        self.session.flush()
        settle_stage(self.session, self.session.get_one(Person, change.person_id))


def _digits(phone: str | None) -> str:
    return "".join(ch for ch in phone or "" if ch.isdigit())

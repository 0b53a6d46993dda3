"""Import, part one: the session it writes in, and the people it reads.

Records are known by their uid: a known uid updates its record, an unknown one
is inserted with that uid. Rows without a uid name their people exactly (the
whole name, ignoring case and accents). An empty cell never erases what the
journal holds, and tags are only ever added. Into a table that was empty before
the import, records keep the ids they were exported with.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from rapport.core import import_ahead
from rapport.core.details import KINDS as DETAIL_COLUMNS
from rapport.core.details import (
    Detail,
    add_details,
    parse_detail,
    plan_details,
)
from rapport.core.import_ahead import Held, adds_tags, same
from rapport.core.import_bulk import Bulk, name_of, sync_sequence
from rapport.core.matching import Identities, Wanted
from rapport.core.people import change_stage, check_stage, tags_of
from rapport.errors import Ambiguous, BadValue, NotFound, RapportError
from rapport.models import (
    Commitment,
    Gesture,
    Interaction,
    Person,
    PersonDetail,
    PersonTag,
    Problem,
    StageChange,
    new_uid,
    pk,
)
from rapport.names import name_key
from rapport.transfer.contact import Contact
from rapport.transfer.csv_in import Row
from rapport.transfer.notice import Remark, Skip

# People first: every other table names them.
TABLES = ("people", "stages", "interactions", "commitments", "problems", "gestures")
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
    # Who was added and updated, by name (people only), for --dry-run to show.
    names: dict[str, list[str]] = field(default_factory=lambda: {"add": [], "update": []})

    def count(self, *, added: bool = False, changed: bool = False, name: str | None = None) -> None:
        if added:
            self.added += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1
        if name is not None and (added or changed):
            self.names["add" if added else "update"].append(name)


class PeopleImporter:
    """The import's hold on one write session: records in general, and people in particular.

    core/import_contacts.py builds on it for contacts, core/importing.py for the rest.
    """

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
        self.bulk = Bulk(session, {name_of(model) for model in self.fresh})
        # The records the rows being imported name, read ahead (core/import_ahead.py).
        self.held_people: dict[int, Held] = {}
        self.held_talks: dict[str, Held] = {}
        self.met: set[str] = set()  # the uids of the batch's interactions met so far
        self.written = import_ahead.Written()
        self.known = Identities(session)
        self.by_uid = self.known.by_uid
        self.by_key = self.known.by_key
        self.handled = 0
        self.unstaged: list[int] = []
        self.explicit: set[type[Any]] = set()
        self.skips: list[Skip] = []
        self.remarks: list[Remark] = []

    def skip(self, skip: Skip, *, strict: bool) -> None:
        """Set aside a card or row that cannot be used; with ``strict``, refuse the import."""
        if strict:
            raise BadValue(str(skip))
        self.skips.append(skip)

    def _guarded(
        self, where: str, handler: Callable[[Item], None], item: Item, *, strict: bool = True
    ) -> None:
        """Handle one row or card; a mistake in it names where it is.

        Handlers check everything before they write, so a mistake leaves nothing behind
        and, unless ``strict``, the item is skipped and the import goes on.
        """
        try:
            handler(item)
        except RapportError as exc:
            self.skip(Skip(where, exc.message), strict=strict)
        self.handled += 1
        if self.handled % BATCH == 0:
            self.session.flush()
            self.session.expunge_all()

    # -- records ------------------------------------------------------------------

    def _insert(self, record: Model, ident: int | None) -> Model:
        """Add a record, keeping its exported id when its table was empty and the id is free."""
        model = type(record)
        if ident is not None and model in self.fresh:
            with self.session.no_autoflush:
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
        for model in models:
            sync_sequence(self.session, model.__tablename__)
        self.explicit.difference_update(models)

    def _assign(self, record: Any, values: dict[str, Any]) -> bool:
        """Set what the row gives; an empty cell (None) leaves the journal's value."""
        changed = False
        for name, value in values.items():
            if value is not None and not same(getattr(record, name), value):
                setattr(record, name, value)
                changed = True
        if changed:
            self.session.add(record)
        return changed

    def _existing(self, model: type[Model], uid: str | None) -> Model | None:
        if uid is None:
            return None
        # Every new record is flushed as it is inserted (see _insert), so the lookup needs
        # no flush of the links and tags still pending: one flush per row, not two.
        with self.session.no_autoflush:
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
        self.known.remember(person, old_key=old_key)

    def _add_person(self, person: Person, ident: int | None, tags: Iterable[str]) -> Person:
        self._insert(person, ident)
        self._remember(person)
        self._add_tags(person, tags)
        return person

    def _add_tags(self, person: Person, tags: Iterable[str]) -> bool:
        pid = pk(person)
        added = adds_tags(tags_of(self.session, [pid]).get(pid, []), tags)
        for tag in added:
            self.session.add(PersonTag(person_id=pid, tag=tag))
        return bool(added)

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
        self.bulk.flush()
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
            "title": row.text("title"),
            "notes": row.text("notes"),
        }
        details = [
            parse_detail(kind, item)
            for kind, column in DETAIL_COLUMNS.items()
            for item in row.items(column)
        ]
        stage = check_stage(typed) if (typed := row.literal("stage")) else None
        created = row.moment("created_at", self.now)
        tags = row.items("tags")
        tally = self.tallies["people"]
        if uid is not None:
            found = self.by_uid.get(uid)
        else:
            found = self.known.find(
                Wanted(name, emails=row.items("email"), phones=row.items("phone"))
            )
        if found is None:
            if name is None:
                raise BadValue(
                    f"a new person needs a name{f' (no one has uid {uid})' if uid else ''}"
                )
            self._new_person(row, uid, name, stage, created, fields, details, tags)
            return
        held = self.held_people.pop(found, None)
        if uid is None and held is not None:
            # A sheet from elsewhere adds to what the journal holds: a different email or
            # phone joins the person's others rather than replacing theirs.
            for kind in ("email", "phone"):
                if held.values[kind] and fields[kind]:
                    details.insert(0, Detail(kind, fields.pop(kind)))
        if held is not None and held.same_person(
            name if uid is not None else None, fields, details, stage, tags
        ):
            tally.count()
            return
        self.bulk.flush()
        person = self.session.get_one(Person, found)
        if uid is None and held is None:
            for kind in ("email", "phone"):
                if getattr(person, kind) and fields[kind]:
                    details.insert(0, Detail(kind, fields.pop(kind)))
        changed = self._rename(person, name) if uid is not None else False
        changed = self._assign(person, fields) or changed
        changed = add_details(self.session, person, details) or changed
        if stage is not None and stage != person.stage:
            change_stage(self.session, person, stage, why="imported", at=self.now)
            changed = True
        changed = self._add_tags(person, tags) or changed
        if changed:
            self.known.remember(person, emails=[d.value for d in details if d.kind == "email"])
        tally.count(changed=changed, name=person.name)

    def _new_person(
        self,
        row: Row,
        uid: str | None,
        name: str,
        stage: str | None,
        created: datetime | None,
        fields: dict[str, Any],
        details: list[Detail],
        tags: list[str],
    ) -> None:
        """A person new to the journal, with their tags and details, written in bulk."""
        pid = self.bulk.new_id(Person, row.integer("id"))
        values = {k: v for k, v in fields.items() if v is not None}
        key = name_key(name)
        values |= {"id": pid, "uid": uid or new_uid(), "name": name, "name_key": key}
        values |= {"stage": stage or "acquaintance", "created_at": created or self.now}
        self.bulk.add(Person, values)
        email, phone = values.get("email"), values.get("phone")
        self.known.note(pid, values["uid"], name, key, [email or ""], [phone or ""])
        for tag in adds_tags((), tags):
            self.bulk.add(PersonTag, {"person_id": pid, "tag": tag})
        for detail, position in plan_details((), email, phone, details)[0]:
            ident = self.bulk.new_id(PersonDetail)
            self.bulk.add(
                PersonDetail,
                {"id": ident, "person_id": pid, "kind": detail.kind, "value": detail.value}
                | {"label": detail.label, "position": position},
            )
        if uid is None:
            self.unstaged.append(pid)
        self.tallies["people"].count(added=True, name=name)

    def read_ahead_people(self, rows: list[Row]) -> None:
        """Read the people these rows name, as they are, before the rows are imported."""
        ids = []
        for row in rows:
            uid = row.literal("uid")
            if uid is not None:
                found = self.by_uid.get(uid)
            else:
                wanted = Wanted(row.name("name"), emails=row.items("email"))
                wanted.phones = row.items("phone")
                try:
                    found = self.known.find(wanted)
                except RapportError:
                    found = None
            if found is not None:
                ids.append(found)
        self.held_people = import_ahead.people(self.session, ids)

"""Import: rapport's own CSVs, CSVs made elsewhere, and vCards, as one transaction.

This module runs the files that core/import_plan.py found in one write session,
and writes everything but people (core/import_people.py writes those).
"""

import contextlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, select

from rapport import faults
from rapport.core import import_ahead
from rapport.core.commitments import check_kind
from rapport.core.import_ahead import adds_tags
from rapport.core.import_contacts import ContactImporter
from rapport.core.import_people import BATCH, TABLE_OF, TABLES, Model
from rapport.core.import_plan import Report, Source, read_source
from rapport.core.journal import check_channel, heard_and_starter, parse_mood
from rapport.core.people import check_stage, settle_stage
from rapport.core.rules import in_past, set_people, sync_links
from rapport.errors import BadValue
from rapport.models import (
    Commitment,
    Gesture,
    Interaction,
    InteractionPerson,
    InteractionTag,
    Person,
    Problem,
    StageChange,
    new_uid,
    pk,
)
from rapport.store import Journal
from rapport.transfer.csv_in import Row
from rapport.transfer.notice import Remark, Skip
from rapport.vocab import COMMITMENT_STATUSES


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def _batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    """The rows of a file a batch at a time, for the records they name to be read ahead."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _moment(at: datetime, text: str, people: list[int]) -> tuple[datetime, str, tuple[int, ...]]:
    """What tells an interaction from elsewhere, without a uid, from the others."""
    return at.astimezone(UTC).replace(microsecond=0), text, tuple(people)


def run_import(
    journal: Journal,
    report: Report,
    *,
    now: datetime,
    author: str | None,
    channel: str,
    dry_run: bool = False,
) -> Report:
    """Import every source of ``report`` in one transaction; with ``dry_run``, roll it back.

    Every file is read whole before the write lock is taken, so that other commands wait
    only for the writing (a large one is read as it is written, to keep memory flat); a
    dry run writes into a copy in memory and takes no lock.
    """
    report.dry_run = dry_run
    items = [read_source(source) for source in report.sources]
    faults.point("import-read")
    try:
        with contextlib.ExitStack() as stack:
            target = stack.enter_context(journal.scratch()) if dry_run else journal
            session = stack.enter_context(target.write())
            importer = Importer(session, now=now, author=author, channel=channel)
            for source, read in zip(report.sources, items, strict=True):
                importer.load(source, read)
            importer.finish()
            report.tallies = {t: importer.tallies[t] for t in TABLES if t in importer.seen}
            report.skips, report.remarks = importer.skips, importer.remarks
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


class Importer(ContactImporter):
    """Turns rows and contacts into records of one open write session."""

    def load(self, source: Source, items: Iterable[Any]) -> None:
        self.seen.add(source.table)
        strict = source.strict
        if source.csv is not None and (note := source.csv.encoding.note(source.label)):
            self.remarks.append(Remark(source.label, note.removeprefix(f"{source.label}: ")))
        if source.csv is None or source.profile is not None:
            unit = "card" if source.csv is None else "row"
            for item in items:
                if isinstance(item, Skip):
                    self.skip(item, strict=strict)
                elif isinstance(item, Remark):
                    self.remarks.append(item)
                else:
                    where = f"{source.label} {unit} {item.number} (line {item.line})"
                    self.remarks += [Remark(where, text) for text in item.remarks]
                    self._guarded(where, self.contact, item, strict=strict)
            return
        handler = {
            "people": self.person_row,
            "stages": self.stage_row,
            "interactions": self.interaction_row,
            "commitments": self.commitment_row,
            "problems": self.problem_row,
            "gestures": self.gesture_row,
        }[source.table]
        ahead = {"people": self.read_ahead_people, "interactions": self.read_ahead_talks}
        for batch in _batches(items):
            self.bulk.flush()
            rows = [row for row in batch if isinstance(row, Row)]
            if source.table in ahead:
                ahead[source.table](rows)
            for row in batch:
                if isinstance(row, Skip):
                    self.skip(row, strict=strict)
                else:
                    self._guarded(row.where, handler, row, strict=strict)
        self.bulk.flush()

    # -- what happened with them --------------------------------------------------

    def read_ahead_talks(self, rows: list[Row]) -> None:
        """Read the interactions these rows name by uid, as they are, before the rows are
        imported; a uid met again in the same batch is looked up in the journal."""
        uids = [uid for row in rows if (uid := row.literal("uid")) is not None]
        if Interaction in self.fresh:  # the journal holds only what this import wrote
            uids = [uid for uid in uids if self.written.maybe(uid)]
        self.held_talks = import_ahead.interactions(self.session, uids)
        self.met = set()

    def interaction_row(self, row: Row) -> None:
        uid = row.literal("uid")
        people = self._people_of(row)
        channel, mood = row.literal("channel"), row.literal("mood")
        values: dict[str, Any] = {
            "at": self._happened(row, "at"),
            "channel": check_channel(channel) if channel else None,
            "mood": parse_mood(mood) if mood else None,
            "text": row.text("text"),
            "heard": row.text("heard"),
            "author": row.text("author") if row.has("author") else None,
            **heard_and_starter(row, self.now),
        }
        if row.has("day_only"):  # a file without it leaves what is known alone
            values["day_only"] = row.flag("day_only")
        tags = row.items("tags")
        tally = self.tallies["interactions"]
        item = held = None
        if uid is not None and uid in self.met:  # twice in one batch: the journal knows
            self.bulk.flush()
            item = self._existing(Interaction, uid)
        elif uid is not None:
            self.met.add(uid)
            held = self.held_talks.pop(uid, None)
        if held is not None:
            if held.same_interaction(values, people, tags):
                tally.count()
                return
            self.bulk.flush()
            item = self.session.get_one(Interaction, held.id)
        # A call log from elsewhere has no uids: the same moment, people and text is the
        # same conversation, so importing the log again adds nothing.
        from_elsewhere = item is None and uid is None and values["at"] is not None
        if from_elsewhere and self._same_interaction(values["at"], values["text"] or "", people):
            tally.count()
            return
        if item is None:
            self._new_interaction(row, uid, values, people, tags)
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
            set_people(self.session, item, people)
            changed = True
        elif changed:
            sync_links(self.session, item)
        changed = self._tag(item, tags) or changed
        tally.count(changed=changed)

    def _new_interaction(
        self, row: Row, uid: str | None, values: dict[str, Any], people: list[int], tags: list[str]
    ) -> None:
        at, channel = values["at"] or self.now, values["channel"] or check_channel(self.channel)
        record = values | {
            "uid": uid or new_uid(),
            "at": at,
            "channel": channel,
            "text": values["text"] or "",
            "author": values["author"] if row.has("author") else self.author,
            "heard_state": values["heard_state"] or ("open" if values["heard"] else None),
            "day_only": values.get("day_only", False),
        }
        ident = self.bulk.new_id(Interaction, row.integer("id"))
        self.bulk.add(Interaction, record | {"id": ident})
        self.written.add(record["uid"])
        for position, pid in enumerate(people):
            link = {"interaction_id": ident, "person_id": pid, "position": position}
            self.bulk.add(InteractionPerson, link | {"at": at, "channel": channel})
        for tag in adds_tags((), tags):
            self.bulk.add(InteractionTag, {"interaction_id": ident, "tag": tag})
        self.bulk.marks.add(_moment(at, record["text"], people))

    def _happened(self, row: Row, column: str) -> datetime | None:
        """A time from the file, which like every --at has to be in the past."""
        when = row.moment(column, self.now)
        return None if when is None else in_past(when, self.now, option=column)

    def _same_interaction(self, at: datetime, text: str, people: list[int]) -> bool:
        if _moment(at, text, people) in self.bulk.marks:
            return True
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

    def _tag(self, item: Interaction, tags: list[str]) -> bool:
        if not tags:
            return False
        query = select(InteractionTag.tag).where(InteractionTag.interaction_id == item.id)
        added = adds_tags(self.session.exec(query), tags)
        for tag in added:
            self.session.add(InteractionTag(interaction_id=pk(item), tag=tag))
        return bool(added)

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
            "closed_at": self._happened(row, "closed_at"),
            "why": row.text("why"),
            "toward": row.text("toward"),
            "author": row.text("author") if row.has("author") else None,
        }
        defaults = {
            "created_at": self._happened(row, "created_at") or self.now,
            "author": None if row.has("author") else self.author,
        }
        self._owned(row, Commitment, values, needs=("direction", "text", "due"), defaults=defaults)

    def problem_row(self, row: Row) -> None:
        values = {
            "person_id": self._owner(row),
            "text": row.text("text"),
            "opened_at": self._happened(row, "opened_at"),
            "resolved_at": self._happened(row, "resolved_at"),
            "note": row.text("note"),
        }
        self._owned(row, Problem, values, needs=("text",), defaults={"opened_at": self.now})

    def gesture_row(self, row: Row) -> None:
        kind = row.literal("kind")
        values = {
            "person_id": self._owner(row),
            "kind": check_kind(kind) if kind else None,
            "text": row.text("text"),
            "at": self._happened(row, "at"),
            "toward": row.text("toward"),
        }
        self._owned(row, Gesture, values, needs=("kind",), defaults={"at": self.now})

    def stage_row(self, row: Row) -> None:
        stage = row.literal("stage")
        values = {
            "person_id": self._owner(row),
            "stage": check_stage(stage) if stage else None,
            "at": self._happened(row, "at"),
            "why": row.text("why"),
        }
        change = self._owned(row, StageChange, values, needs=("stage",), defaults={"at": self.now})
        self.session.flush()
        settle_stage(self.session, self.session.get_one(Person, change.person_id))

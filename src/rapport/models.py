"""The journal's tables.

Timestamps are stored in UTC and read back as aware datetimes;
calendar dates (due dates, snoozes) are dates.
Every record carries a ``uid`` given at creation and never changed: exports and
imports rely on it as identity.
"""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Index, false, types
from sqlmodel import Field, SQLModel


def pk(record: Any) -> int:
    """The id of a record that has been flushed."""
    assert record.id is not None, "record not flushed yet"
    return int(record.id)


def new_uid() -> str:
    return str(uuid.uuid4())


class UTCDateTime(types.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, whatever the database keeps."""

    impl = types.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("rapport stores aware datetimes only")
        # Whole seconds, as exports write them: a journal and its export agree exactly.
        return value.astimezone(UTC).replace(tzinfo=None, microsecond=0)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)


def Moment(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Meta(SQLModel, table=True):
    __tablename__ = "rapport_meta"

    key: str = Field(primary_key=True)
    value: str


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    name: str
    name_key: str = Field(index=True)
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    stage: str = "acquaintance"
    cadence_days: int | None = None
    style: str | None = None
    current_state: str | None = None
    desired_outcome: str | None = None
    birthday: str | None = None
    snoozed_until: date | None = None
    created_at: datetime = Moment()
    title: str | None = None
    notes: str | None = None


class PersonDetail(SQLModel, table=True):
    """More ways to reach a person than the first email and phone on ``Person``: other
    emails and phones, postal addresses, web pages, each with its label ('work', 'cell')."""

    __tablename__ = "person_detail"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    kind: str
    value: str
    label: str | None = None
    position: int = 0


class PersonSource(SQLModel, table=True):
    """The id an address book or service gives a person (a vCard UID, a LinkedIn profile),
    and the name it gave them when last imported, so that a rename there is seen."""

    __tablename__ = "person_source"
    __table_args__ = (Index("ix_person_source_source_id", "source", "source_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    source: str
    source_id: str
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    name: str | None = None


class PersonTag(SQLModel, table=True):
    __tablename__ = "person_tag"

    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True)


class Interaction(SQLModel, table=True):
    __tablename__ = "interaction"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    at: datetime = Moment(index=True)
    channel: str = "call"
    mood: int | None = None
    text: str = ""
    heard: str | None = None
    author: str | None = None
    # "me" or "them"; None where nobody said (imports, journals from before it was asked).
    started_by: str | None = None
    # What was heard, once repeated back: "open", "confirmed" or "corrected" (with the correction).
    heard_state: str | None = None
    heard_correction: str | None = None
    heard_checked_at: datetime | None = Moment(default=None)
    # Logged with a day and no time of day: its time is a stand-in, never shown.
    day_only: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class InteractionPerson(SQLModel, table=True):
    """Who took part in an interaction.

    The link repeats the interaction's time and channel so that "last contact",
    "last call" and "contacts lately" are index lookups per person, whatever the
    number of notes (see core/attention.py). Both copies change together.
    """

    __tablename__ = "interaction_person"
    __table_args__ = (Index("ix_interaction_person_person_at", "person_id", "at"),)

    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")
    position: int = 0
    at: datetime = Moment()
    channel: str = "call"


class InteractionTag(SQLModel, table=True):
    __tablename__ = "interaction_tag"

    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True)


class StageChange(SQLModel, table=True):
    __tablename__ = "stage_change"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    stage: str
    at: datetime = Moment()
    why: str | None = None


class Commitment(SQLModel, table=True):
    __tablename__ = "commitment"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    direction: str
    text: str
    due: date
    status: str = Field(default="open", index=True)
    closed_at: datetime | None = Moment(default=None)
    why: str | None = None
    created_at: datetime = Moment()
    # How many times its due date was moved later while it was open (`amend c3 --due`).
    rescheduled: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    toward: str | None = None  # the desired outcome it serves, as it read then
    author: str | None = None  # who made it, on a shared journal (config `author`)


class Problem(SQLModel, table=True):
    __tablename__ = "problem"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    text: str
    opened_at: datetime = Moment()
    resolved_at: datetime | None = Moment(default=None, index=True)
    note: str | None = None


class Gesture(SQLModel, table=True):
    __tablename__ = "gesture"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    kind: str
    text: str | None = None
    at: datetime = Moment()
    toward: str | None = None


class Change(SQLModel, table=True):
    """One write command, as the change log keeps it to undo it (see core/changes.py)."""

    __tablename__ = "change"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Moment()
    author: str | None = None
    command: str
    summary: str = ""
    undone_at: datetime | None = Moment(default=None)
    # Emptied of its rows because a person it concerned was erased: it can't be undone.
    erased: bool = False


class ChangeRow(SQLModel, table=True):
    """One row a change inserted, updated or deleted, with what undoing it needs.

    ``row_key`` is the row's primary key (``12``, or ``12/3`` for a link); ``before`` and
    ``after`` are JSON objects of the columns that changed. A bulk insert is one ``range``
    row per table (``row_key`` ``first-last``), not a copy of every row.
    """

    __tablename__ = "change_row"
    __table_args__ = (Index("ix_change_row_table_key", "table_name", "row_key"),)

    change_id: int = Field(foreign_key="change.id", primary_key=True, ondelete="CASCADE")
    seq: int = Field(primary_key=True)
    table_name: str
    row_key: str
    op: str
    before: str | None = None
    after: str | None = None


class ProfileChange(SQLModel, table=True):
    """One dated value of a person's current state or desired outcome: their history."""

    __tablename__ = "profile_change"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    attribute: str  # "current_state" or "desired_outcome"
    value: str | None = None
    at: datetime = Moment()


class PersonAlias(SQLModel, table=True):
    """The uid of a person merged into another: an import carrying it finds the survivor."""

    __tablename__ = "person_alias"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")


class SearchDoc(SQLModel, table=True):
    """One searchable record's text, folded (see store/fts.py); derived, never typed in."""

    __tablename__ = "search_doc"
    __table_args__ = (Index("ix_search_doc_kind_record", "kind", "record_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    record_id: int
    at: datetime = Moment()
    body: str

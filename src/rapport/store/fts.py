"""The search index: one folded text per searchable record, kept in step by one writer.

Every searchable record (a person's profile, an interaction, a commitment, a
problem, a gesture, a stage change with its reason) has one ``search_doc`` row
holding its words folded as names are folded (``names.name_key``: case, accents,
and letters such as Ł, ø and ß), so that every backend matches alike. On SQLite an
FTS5 index reads those rows as its external content, and triggers on
``search_doc`` keep it in step with them.

``reindex`` is the one writer of ``search_doc``. Every write session notes the
searchable rows the ORM writes and reindexes them before it commits
(``keep_in_step``; ``catch_up`` does it sooner, for a search in the same
transaction), so that log, edit, import, amend, delete and merge all keep the
index right; code that changes these tables with SQL statements (undo, bulk
loads) calls ``reindex`` itself, or ``note_written`` for the ids to index before
the commit.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, event, text
from sqlalchemy.orm import object_session
from sqlmodel import Session

from rapport.models import (
    Commitment,
    Gesture,
    Interaction,
    Person,
    Problem,
    StageChange,
    UTCDateTime,
)
from rapport.names import name_key

# kind: (table, the column that dates it, the columns whose words are searched)
SOURCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "person": (
        "person",
        "created_at",
        ("name", "company", "email", "current_state", "desired_outcome"),
    ),
    "interaction": ("interaction", "at", ("text", "heard")),
    "commitment": ("commitment", "created_at", ("text", "why")),
    "problem": ("problem", "opened_at", ("text", "note")),
    "gesture": ("gesture", "at", ("kind", "text")),
    "stage": ("stage_change", "at", ("why",)),
}
KINDS: dict[type, str] = {
    Person: "person",
    Interaction: "interaction",
    Commitment: "commitment",
    Problem: "problem",
    Gesture: "gesture",
    StageChange: "stage",
}
KIND_OF_TABLE = {table: kind for kind, (table, _, _) in SOURCES.items()}
# Kinds whose records belong to one person, by their person_id.
OWNED = {kind: SOURCES[kind][0] for kind in ("commitment", "problem", "gesture", "stage")}

# The index on SQLite (created with a new journal, and by the upgrade step that
# introduced search): change it only together with a new upgrade step.
SQLITE_INDEX = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_doc',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_doc_added AFTER INSERT ON search_doc BEGIN"
    " INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER search_doc_removed AFTER DELETE ON search_doc BEGIN"
    " INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER search_doc_changed AFTER UPDATE ON search_doc BEGIN"
    " INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);"
    " INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body); END",
)
CHUNK = 500
# A span of ids longer than this is read as a range rather than id by id (bulk inserts).
SPAN = 50
SPAN_CHUNK = 2000
ROWS_PER_STATEMENT = 500


def install(conn: Connection) -> None:
    """Create the full-text index over ``search_doc`` (SQLite; other backends need none)."""
    if conn.dialect.name == "sqlite":
        for sql in SQLITE_INDEX:
            conn.exec_driver_sql(sql)


def fold(*texts: str | None) -> str:
    return name_key(" ".join(t for t in texts if t))


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def reindex(conn: Connection, refs: Iterable[tuple[str, int]]) -> None:
    """Bring the index rows of these records (kind, id) in line with the records as they are.

    A record that no longer exists, or has no words, loses its row.
    """
    wanted: dict[str, set[int]] = {}
    for kind, record_id in refs:
        wanted.setdefault(kind, set()).add(record_id)
    drop = text("DELETE FROM search_doc WHERE kind = :kind AND record_id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    for kind, ids in wanted.items():
        table, dated, columns = SOURCES[kind]
        read = text(
            f"SELECT id, {dated}, {', '.join(columns)} FROM {table} WHERE id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        for chunk in _chunks(sorted(ids)):
            conn.execute(drop, {"kind": kind, "ids": chunk})
            # The time is copied as the database holds it, so no backend's format is assumed.
            docs = [
                {"kind": kind, "id": row[0], "at": row[1], "body": fold(*row[2:])}
                for row in conn.execute(read, {"ids": chunk})
            ]
            _add(conn, [doc for doc in docs if doc["body"]])


def reindex_span(conn: Connection, kind: str, first: int, last: int) -> None:
    """``reindex`` for every record of one kind with an id from ``first`` to ``last``, read
    a few thousand at a time: what a bulk insert of a million records calls, in flat memory."""
    table, dated, columns = SOURCES[kind]
    drop = text("DELETE FROM search_doc WHERE kind = :kind AND record_id BETWEEN :first AND :last")
    read = text(
        f"SELECT id, {dated}, {', '.join(columns)} FROM {table}"
        " WHERE id BETWEEN :first AND :last ORDER BY id"
    )
    for start in range(first, last + 1, SPAN_CHUNK):
        bounds = {"kind": kind, "first": start, "last": min(start + SPAN_CHUNK - 1, last)}
        conn.execute(drop, bounds)
        docs = [
            {"kind": kind, "id": row[0], "at": row[1], "body": body}
            for row in conn.execute(read, bounds)
            if (body := fold(*row[2:]))
        ]
        _add(conn, docs)


def _add(conn: Connection, docs: list[dict[str, Any]]) -> None:
    """Insert these index rows. On SQLite, many rows go in one statement: FTS5 takes in
    the rows its trigger gives it within one statement several times faster than row by
    row (one statement each, as an executemany runs them)."""
    if not docs:
        return
    if conn.dialect.name != "sqlite":
        add = "INSERT INTO search_doc (kind, record_id, at, body) VALUES (:kind, :id, :at, :body)"
        conn.execute(text(add), docs)
        return
    for start in range(0, len(docs), ROWS_PER_STATEMENT):
        chunk = docs[start : start + ROWS_PER_STATEMENT]
        values = ", ".join(["(?, ?, ?, ?)"] * len(chunk))
        params = tuple(v for doc in chunk for v in (doc["kind"], doc["id"], doc["at"], doc["body"]))
        conn.exec_driver_sql(
            f"INSERT INTO search_doc (kind, record_id, at, body) VALUES {values}", params
        )


def rebuild(conn: Connection) -> None:
    """Index every record again from scratch, for journals filled with bulk SQL."""
    conn.exec_driver_sql("DELETE FROM search_doc")
    for kind, (table, _, _) in SOURCES.items():
        ids = [row[0] for row in conn.exec_driver_sql(f"SELECT id FROM {table}")]
        reindex(conn, ((kind, i) for i in ids))
    compact(conn)


def compact(conn: Connection) -> None:
    """Merge the FTS5 index into one segment, which drops what deleted rows left in it."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


PENDING = "rapport_search_pending"
SPANS = "rapport_search_spans"


def _pending(session: Any) -> set[tuple[str, int]] | None:
    return None if session is None else session.info.get(PENDING)


def _written(_mapper: Any, _conn: Any, record: Any) -> None:
    """A searchable row was inserted, updated or deleted: note it for ``catch_up``."""
    pending = _pending(object_session(record))
    if pending is not None and record.id is not None:
        pending.add((KINDS[type(record)], record.id))


for _model in KINDS:
    for _when in ("after_insert", "after_update", "after_delete"):
        event.listen(_model, _when, _written)


def _owned_by_deleted_people(session: Session, _context: Any, _instances: Any) -> None:
    """A deleted person takes their own records with them by cascade, unseen by the ORM."""
    pending = _pending(session)
    people = [p.id for p in session.deleted if isinstance(p, Person) and p.id is not None]
    if pending is None or not people:
        return
    conn = session.connection()
    for kind, table in OWNED.items():
        query = text(f"SELECT id FROM {table} WHERE person_id IN :ids").bindparams(
            bindparam("ids", expanding=True)
        )
        pending.update((kind, row[0]) for row in conn.execute(query, {"ids": people}))


def note_written(session: Session, table: str, first: int, last: int) -> None:
    """Records of ``table`` with ids from ``first`` to ``last`` were written with SQL
    statements (a bulk insert): index them with the rest before the session commits."""
    spans = session.info.get(SPANS)
    if spans is not None and table in KIND_OF_TABLE:
        spans.setdefault(table, []).append((first, last))


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return merged


def catch_up(session: Session, touched: Mapping[str, Sequence[tuple[int, int]]] = {}) -> None:
    """Flush, then reindex every searchable record the session wrote since the last time,
    and those of ``touched`` (spans of ids by table, as undo reports what it reverted)."""
    session.flush()
    pending = _pending(session)
    spans: dict[str, list[tuple[int, int]]] = {}
    for kind, record_id in pending or ():
        spans.setdefault(kind, []).append((record_id, record_id))
    noted: dict[str, list[tuple[int, int]]] = session.info.get(SPANS) or {}
    for name, found in [*touched.items(), *noted.items()]:
        if name in KIND_OF_TABLE:
            spans.setdefault(KIND_OF_TABLE[name], []).extend(found)
    if pending is not None:
        pending.clear()
    noted.clear()
    conn = session.connection()
    for kind in sorted(spans):
        ids: list[int] = []
        for first, last in _merged(spans[kind]):
            if last - first < SPAN:
                ids.extend(range(first, last + 1))
                continue
            reindex(conn, ((kind, i) for i in ids))
            ids = []
            reindex_span(conn, kind, first, last)
        reindex(conn, ((kind, i) for i in ids))


def keep_in_step(session: Session) -> None:
    """Make ``session`` reindex the records it writes, once, before it commits."""
    session.info[PENDING] = set()
    session.info[SPANS] = {}
    event.listen(session, "before_flush", _owned_by_deleted_people)
    event.listen(session, "before_commit", _before_commit)


def _before_commit(session: Session) -> None:
    # A change-log recorder still to commit reports what it touched (rules.records_changed).
    if not getattr(session.info.get("rapport_recorder"), "active", False):
        catch_up(session)


@dataclass(frozen=True)
class Term:
    """Words that must appear in this order (a word or a phrase); the last one maybe a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    person_id: int | None = None
    channel: str | None = None
    tags: Sequence[str] = field(default_factory=tuple)  # the journal's own spellings
    since: datetime | None = None
    until: datetime | None = None


def _owned_by(people: str) -> list[str]:
    """Conditions for a doc about someone in the ``people`` subquery, kind by kind."""
    return [
        f"(d.kind = 'person' AND d.record_id IN ({people}))",
        "(d.kind = 'interaction' AND d.record_id IN (SELECT interaction_id"
        f" FROM interaction_person WHERE person_id IN ({people})))",
        *(
            f"(d.kind = '{kind}' AND d.record_id IN"
            f" (SELECT id FROM {table} WHERE person_id IN ({people})))"
            for kind, table in OWNED.items()
        ),
    ]


def _where(filters: Filters) -> tuple[list[str], dict[str, Any], list[Any]]:
    where: list[str] = []
    params: dict[str, Any] = {}
    binds: list[Any] = []
    if filters.kind is not None:
        where.append("d.kind = :kind")
        params["kind"] = filters.kind
    if filters.person_id is not None:
        where.append("(" + " OR ".join(_owned_by(":person")) + ")")
        params["person"] = filters.person_id
    if filters.channel is not None:
        where.append(
            "d.kind = 'interaction' AND d.record_id IN"
            " (SELECT id FROM interaction WHERE channel = :channel)"
        )
        params["channel"] = filters.channel
    if filters.tags:
        tagged = _owned_by("SELECT person_id FROM person_tag WHERE tag IN :tags")
        tagged.append(
            "(d.kind = 'interaction' AND d.record_id IN"
            " (SELECT interaction_id FROM interaction_tag WHERE tag IN :tags))"
        )
        where.append("(" + " OR ".join(tagged) + ")")
        params["tags"] = list(filters.tags)
        binds.append(bindparam("tags", expanding=True))
    for name, op in (("since", ">="), ("until", "<")):
        value = getattr(filters, name)
        if value is not None:
            where.append(f"d.at {op} :{name}")
            params[name] = value
            binds.append(bindparam(name, type_=UTCDateTime()))
    return where, params, binds


def fts_expression(terms: Sequence[Term]) -> str:
    """An FTS5 query in which every word is quoted: nothing the user typed is syntax."""
    return " ".join('"' + " ".join(t.words) + '"' + ("*" if t.prefix else "") for t in terms)


def find(
    conn: Connection, terms: Sequence[Term], filters: Filters, limit: int | None
) -> list[tuple[str, int]]:
    """The (kind, id) of the records matching every term, best first, newest among equals.

    The one place a search meets the database: SQLite ranks with FTS5's bm25;
    PostgreSQL matches the folded words as whole words and ranks newest first.
    """
    where, params, binds = _where(filters)
    if conn.dialect.name == "sqlite":
        source = "search_fts JOIN search_doc d ON d.id = search_fts.rowid"
        where.insert(0, "search_fts MATCH :query")
        params["query"] = fts_expression(terms)
        order = "bm25(search_fts), d.at DESC, d.id DESC"
    else:
        # Whole words of the folded text (a prefix: its start only), newest first.
        source = "search_doc d"
        for n, term in enumerate(terms):
            where.append(f"d.body ~ :term{n}")
            pattern = "\\W+".join(term.words)
            params[f"term{n}"] = "\\m" + pattern + ("" if term.prefix else "\\M")
        order = "d.at DESC, d.id DESC"
    sql = f"SELECT d.kind, d.record_id FROM {source} WHERE {' AND '.join(where)} ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    rows = conn.execute(text(sql).bindparams(*binds), params)
    return [(kind, record_id) for kind, record_id in rows]

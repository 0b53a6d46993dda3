"""Upgrade step: full-text search and the aliases of merged people.

Frozen as released: it speaks of the tables as the version before it left them,
so it folds their words itself rather than through ``fts.reindex``, which follows
the newest schema.
"""

from sqlalchemy import Connection, text

from rapport.store import fts

TABLES = (
    "CREATE TABLE person_alias (id {serial} NOT NULL, uid VARCHAR NOT NULL,"
    " person_id INTEGER NOT NULL, PRIMARY KEY (id), UNIQUE (uid),"
    " FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE)",
    "CREATE INDEX ix_person_alias_person_id ON person_alias (person_id)",
    "CREATE TABLE search_doc (id {serial} NOT NULL, kind VARCHAR NOT NULL,"
    " record_id INTEGER NOT NULL, at {moment} NOT NULL, body VARCHAR NOT NULL, PRIMARY KEY (id))",
    "CREATE UNIQUE INDEX ix_search_doc_kind_record ON search_doc (kind, record_id)",
)
# kind: (table, the column that dates it, the columns whose words are searched)
SOURCES = {
    "person": ("person", "created_at", "name, company, email, current_state, desired_outcome"),
    "interaction": ("interaction", "at", "text, heard"),
    "commitment": ("commitment", "created_at", "text, why"),
    "problem": ("problem", "opened_at", "text, note"),
    "gesture": ("gesture", "at", "kind, text"),
    "stage": ("stage_change", "at", "why"),
}


def add_search(conn: Connection) -> None:
    sqlite = conn.dialect.name == "sqlite"
    types = {
        "serial": "INTEGER" if sqlite else "SERIAL",
        "moment": "DATETIME" if sqlite else "TIMESTAMP",
    }
    for sql in TABLES:
        conn.exec_driver_sql(sql.format(**types))
    fts.install(conn)
    add = text("INSERT INTO search_doc (kind, record_id, at, body) VALUES (:kind, :id, :at, :body)")
    for kind, (table, dated, columns) in SOURCES.items():
        rows = conn.exec_driver_sql(f"SELECT id, {dated}, {columns} FROM {table} ORDER BY id")
        docs = [{"kind": kind, "id": r[0], "at": r[1], "body": fts.fold(*r[2:])} for r in rows]
        docs = [doc for doc in docs if doc["body"]]
        if docs:
            conn.execute(add, docs)

"""Leaving no bytes of erased rows in an SQLite journal file or its write-ahead log."""

from rapport.store.journal import Journal


def secure_deletes(journal: Journal, conn: object) -> None:
    """Make SQLite overwrite what this connection deletes with zeros (SQLite only)."""
    if journal.path is not None:
        conn.exec_driver_sql("PRAGMA secure_delete = ON")  # type: ignore[attr-defined]


def scrub(journal: Journal) -> bool:
    """Fold the WAL into the file, rewrite the file without free pages, empty the WAL.

    False when another connection kept the WAL from being emptied (then the bytes
    go at the next checkpoint), or on a server, whose own VACUUM does this.
    """
    if journal.path is None:
        return False
    raw = journal.engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        conn.execute("VACUUM")
        busy |= conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    finally:
        raw.close()
    return not busy

"""The journal file: engines, sessions, schema versions."""

from rapport.store.journal import Journal, open_journal

__all__ = ["Journal", "open_journal"]

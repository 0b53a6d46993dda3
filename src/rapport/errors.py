"""Errors a user can cause, each with the exit status the CLI gives it."""

EX_SOFTWARE = 1
EX_USAGE = 2
EX_TEMPFAIL = 75


class RapportError(Exception):
    """A mistake the user can fix: one line on stderr, nothing changed."""

    exit_code = EX_USAGE

    def __init__(self, message: str, *, unsaved: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.unsaved = unsaved


class BadValue(RapportError):
    """A value typed by the user that rapport cannot read."""


class BadDate(BadValue):
    """A date or duration that none of the accepted forms reads."""


class NotFound(RapportError):
    """No person or record answers to what the user typed."""


class Ambiguous(RapportError):
    """Several people answer to what the user typed."""


class Conflict(RapportError):
    """The request contradicts what the journal already holds."""


class NotAJournal(RapportError):
    """The file at the journal path is not a rapport journal."""


class JournalLocked(RapportError):
    """Other writers held the journal longer than the busy timeout."""

    exit_code = EX_TEMPFAIL


class JournalDamaged(RapportError):
    """The journal fails SQLite's own checks: not a typing mistake, but data that needs care."""

    exit_code = EX_SOFTWARE


class JournalUnavailable(RapportError):
    """The journal cannot be reached or written: a server down, a full disk, no access."""

    exit_code = EX_SOFTWARE


class DiskFull(RapportError):
    """The disk, or a size limit, has no room for what rapport writes: nothing was written."""

    exit_code = EX_SOFTWARE


class ServerUnavailable(RapportError):
    """A journal server that is down or does not answer in time: cron may retry."""

    exit_code = EX_TEMPFAIL

"""Named points where a test can have rapport killed, to prove a crash anywhere is harmless.

``RAPPORT_CRASH_AT=backup-copied`` kills the process (SIGKILL: no cleanup, no
``finally``) when it reaches that point. Nothing else reads the variable.
"""

import os
import signal

POINTS = (
    "write-before-commit",  # a write transaction, all done but its commit
    "backup-copied",  # a backup's temporary copy made and checked, not yet renamed
    "export-written",  # an export's files written, not yet in place
    "export-swapped",  # `export all`: the new folder in place, the old one not yet removed
    "import-read",  # import: every file read, the write lock not yet taken
)


def point(name: str) -> None:
    """Die here if a test asked for it."""
    if os.environ.get("RAPPORT_CRASH_AT") == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))

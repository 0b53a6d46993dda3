"""Where rapport keeps its files, and the settings read from its config file.

The config file is TOML (``config.toml`` in rapport's config folder, or the file
named by ``RAPPORT_CONFIG``). Every key is optional::

    author = "Dana"              # who logs interactions (default: the login name)
    timezone = "Europe/Paris"    # what "today" means (default: the system's zone)
    busy_timeout = 10            # seconds a writer waits for the journal lock
    default_channel = "call"     # channel of `rapport log` without --channel
    default_from = "me"          # who started a conversation logged without --from
    backup_keep = 10             # backups `rapport backup` keeps in backups/
    history_keep = 1000          # changes the change log keeps for `undo` and `history`
    date_order = "dmy"           # how 03/12 reads: dmy, mdy or ymd (default: the locale's)
    log_ends_snooze = false      # logging a conversation with someone ends their snooze

    [due]                        # coefficients and windows of `rapport due`
    [ledger]                     # weights of `rapport ledger`
"""

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapport.errors import BadValue

APP_NAME = "rapport"


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    env = os.environ.get("RAPPORT_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_journal() -> str:
    """The journal chosen when ``--db`` is not given."""
    return os.environ.get("RAPPORT_DB") or str(data_dir() / "rapport.db")


def is_url(target: str) -> bool:
    """Whether a journal target is an SQLAlchemy URL rather than a file path."""
    return "://" in target


def sqlite_path(target: str) -> Path | None:
    """The file behind a journal target, or None for a server URL."""
    if not is_url(target):
        return Path(target).expanduser()
    scheme, _, rest = target.partition("://")
    if (scheme == "sqlite" or scheme.startswith("sqlite+")) and len(rest) > 1 and rest[0] == "/":
        return Path(rest[1:]).expanduser()
    return None


def login_name() -> str:
    for var in ("LOGNAME", "USER", "USERNAME"):
        if os.environ.get(var):
            return os.environ[var]
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Config:
    author: str = field(default_factory=login_name)
    timezone: str | None = None
    busy_timeout: float = 10.0
    default_channel: str = "call"
    history_keep: int = 1000
    default_from: str = "me"
    backup_keep: int = 10
    date_order: str | None = None
    log_ends_snooze: bool = False
    raw: dict[str, Any] = field(default_factory=dict)


def load_config(path: Path | None = None) -> Config:
    """The settings of the config file, every key checked (rapport/config_file.py)."""
    path = path or config_path()
    if not path.exists():
        if os.environ.get("RAPPORT_CONFIG"):
            raise BadValue(f"no config file {path} (named by RAPPORT_CONFIG)")
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadValue(f"can't read config file {path}: {exc}") from exc
    from rapport.config_file import read

    checked = read(raw, path)
    return Config(
        author=checked.author if checked.author is not None else login_name(),
        timezone=checked.timezone,
        busy_timeout=checked.busy_timeout,
        default_channel=checked.default_channel,
        history_keep=checked.history_keep,
        default_from=checked.default_from,
        backup_keep=checked.backup_keep,
        date_order=checked.date_order,
        log_ends_snooze=checked.log_ends_snooze,
        raw=raw,
    )

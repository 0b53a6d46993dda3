"""The config file's one validated model: every key, its type and its range, in one place.

Imported only where the config is loaded (never for --help or completion): it needs pydantic.
"""

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
)

from rapport.errors import BadValue
from rapport.vocab import CHANNEL_ALIASES, CHANNELS, STARTERS

# Windows in [due] are days added to and taken from dates: keep them within a century.
Number = Annotated[float, Field(ge=0, le=36500, allow_inf_nan=False)]
EXPECTED = {
    "busy_timeout": "a number of seconds from 0 to 86400",
    "backup_keep": "a whole number of backups, 1 or more",
    "history_keep": "a whole number of changes, 1 or more",
    "date_order": "dmy, mdy or ymd",
    "log_ends_snooze": "true or false",
    "due": "a number from 0 to 36500",
    "ledger": "a number from 0 to 36500",
}


class ConfigFile(BaseModel):
    """What config.toml may hold (see docs/guide.md, "Configuration")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    author: str | None = None
    timezone: str | None = None
    busy_timeout: Annotated[float, Field(ge=0, le=86400, allow_inf_nan=False)] = 10.0
    default_channel: str = "call"
    default_from: str = "me"
    backup_keep: Annotated[StrictInt, Field(ge=1)] = 10
    history_keep: Annotated[StrictInt, Field(ge=1)] = 1000
    date_order: Literal["dmy", "mdy", "ymd"] | None = None
    log_ends_snooze: StrictBool = False
    due: dict[str, Number] = Field(default_factory=dict)
    ledger: dict[str, Number] = Field(default_factory=dict)

    @field_validator("default_channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        word = value.strip().lower()
        word = CHANNEL_ALIASES.get(word, word)
        if word not in CHANNELS:
            raise ValueError(f"{value!r} is not one of {', '.join(CHANNELS)}")
        return word

    @field_validator("default_from")
    @classmethod
    def _starter(cls, value: str) -> str:
        word = value.strip().lower()
        if word not in STARTERS:
            raise ValueError(f"{value!r} is not one of {', '.join(STARTERS)}")
        return word

    @field_validator("date_order", mode="before")
    @classmethod
    def _order(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value


def read(raw: dict[str, Any], path: Path) -> ConfigFile:
    """``raw`` checked against the model; the first mistake is one line naming the key."""
    known = list(ConfigFile.model_fields)
    for key, value in raw.items():
        if key not in known:
            kind = "table" if isinstance(value, dict) else "setting"
            shown = f"[{key}]" if kind == "table" else key
            raise BadValue(f"{path}: unknown {kind} {shown} (known: {', '.join(known)})")
    try:
        return ConfigFile.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = [str(part) for part in error["loc"]]
        where = f"[{loc[0]}] {'.'.join(loc[1:])}" if len(loc) > 1 else loc[0]
        if error["type"] == "value_error":
            message = str(error["msg"]).removeprefix("Value error, ")
            raise BadValue(f"{path}: {where} {message}") from None
        shown = error.get("input")
        expected = EXPECTED.get(loc[0], "text")
        if len(loc) == 1 and loc[0] in ("due", "ledger"):
            expected = "a table of numbers"
        raise BadValue(f"{path}: {where} must be {expected} (not {shown!r})") from None

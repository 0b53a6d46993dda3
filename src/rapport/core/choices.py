"""Reading a word from a fixed list, and a table of numbers from the config file."""

from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from typing import Any, TypeVar

from rapport.errors import BadValue

Settings = TypeVar("Settings")


def pick(
    value: str,
    choices: Sequence[str],
    what: str,
    plural: str,
    aliases: Mapping[str, str] | None = None,
) -> str:
    """The choice ``value`` names, in any case, as an alias or as an unambiguous prefix."""
    wanted = value.strip().lower()
    if wanted in choices:
        return wanted
    if aliases and wanted in aliases:
        return aliases[wanted]
    matches = [c for c in choices if wanted and c.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise BadValue(
            f"{what} '{value}' could be {' or '.join(matches)}: type more of it"
            f" ({plural}: {', '.join(choices)})"
        )
    raise BadValue(f"unknown {what} '{value}' ({plural}: {', '.join(choices)})")


def read_settings(defaults: Settings, raw: Mapping[str, Any], section: str) -> Settings:
    """``defaults`` (a dataclass of numbers) with the config file's ``[section]`` applied."""
    kinds = {f.name: f.type for f in fields(defaults)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in kinds:
            raise BadValue(f"unknown setting [{section}] {key} (known: {', '.join(kinds)})")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise BadValue(f"[{section}] {key} must be a number of at least 0")
        values[key] = int(value) if kinds[key] in (int, "int") else float(value)
    return replace(defaults, **values)  # type: ignore[type-var]

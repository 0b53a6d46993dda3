"""Which time zone "today" is in: the config's IANA name, else the system's own zone."""

import os
import time as time_module
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapport.errors import BadValue


def local_zone(name: str | None) -> tzinfo:
    """The zone named in the config (an IANA name), else the system's local zone."""
    if name is not None and name.strip():
        key = name.strip()
        try:
            return ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise BadValue(
                f"unknown time zone {key!r} (use an IANA name like Europe/Paris)"
            ) from None
    return _system_zone()


def _tzlocal() -> tzinfo:
    # Only where the system names no IANA zone: rare, and dateutil is slow to import.
    from dateutil import tz

    return tz.tzlocal()


def _system_zone() -> tzinfo:
    env = os.environ.get("TZ")
    if env is not None:
        try:
            return ZoneInfo(env.removeprefix(":"))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            # A POSIX rule such as CET-1CEST: the C library reads it once TZ is re-read.
            time_module.tzset()
            return _tzlocal()
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return _tzlocal()
    _, marker, key = target.partition("zoneinfo/")
    if marker:
        try:
            return ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    return _tzlocal()

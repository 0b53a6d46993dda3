"""Reading the dates, moments, durations and birthdays a user types (zones: zones.py)."""

from __future__ import annotations

import contextlib
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TypeVar

from rapport.errors import BadDate

__all__ = [
    "ACCEPTED_FORMS",
    "parse_birthday",
    "parse_day",
    "parse_duration",
    "parse_when",
]

ACCEPTED_FORMS = (
    "accepted: 2026-12-01, 'Dec 3', today, yesterday, tomorrow, now, fri, 'last fri', "
    "'fri 9am', 3pm, noon, 'next week', 'next month', +3d, -2w, 1m, 'in 3 days', "
    "'2 weeks ago', eow (Friday), eom, eoy"
)
_DURATION_FORMS = "accepted: 10d, 2w, 3m, 1y"
_BIRTHDAY_FORMS = "accepted: 1980-03-14, 'Mar 14 1980', 'Mar 14', --03-14"

_D = TypeVar("_D", date, datetime)

_MAX_DURATION_DAYS = 36500
_MAX_AMOUNT_DIGITS = 9
_QUOTE_LIMIT = 60

_WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}

_UNIT = r"(d|days?|w|weeks?|m|months?|y|years?|h|hours?)"
_OFFSET_SIGNED = re.compile(rf"([+-]?) ?([0-9]+) ?{_UNIT}")
_OFFSET_IN = re.compile(rf"in ([0-9]+) ?{_UNIT}")
_OFFSET_AGO = re.compile(rf"([0-9]+) ?{_UNIT} ago")
_DURATION = re.compile(r"([0-9]+) ?(d|days?|w|weeks?|m|months?|y|years?)?")
_DURATION_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_MONTH_DAY = re.compile(r"(?:--)?([0-9]{1,2})-([0-9]{1,2})")
_ISO_DAY = re.compile(r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}")

_PROBE_TIME = time(13, 47, 29, 123457)
_TIME_WORD_VALUES = {"noon": "12:00", "midday": "12:00", "midnight": "00:00"}
_TIME_WORDS = re.compile(r"\b(noon|midday|midnight)\b", re.IGNORECASE)
ORDERS = {"dmy": "3 December", "mdy": "12 March", "ymd": "12 March"}
_order: str | None = None
_YEAR_FIRST = re.compile(r"\s*[0-9]{4}[/.-]")

# The calendar rapport works in: wide enough for any real life, narrow enough that every
# window and offset the reports add or subtract stays a valid date.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


@dataclass(frozen=True)
class _Day:
    day: date


@dataclass(frozen=True)
class _Moment:
    at: datetime


@dataclass(frozen=True)
class _Offset:
    amount: int
    unit: str


@dataclass(frozen=True)
class _Read:
    at: datetime
    has_year: bool
    has_month: bool
    has_day: bool
    has_time: bool


def _quote(text: str) -> str:
    shown = text.strip()
    if len(shown) > _QUOTE_LIMIT:
        shown = shown[: _QUOTE_LIMIT - 3] + "..."
    return repr(shown)


def accepted_forms() -> str:
    """The accepted forms, with how a numeric day like 03/12 reads under the order in force."""
    order = date_order()
    return f"{ACCEPTED_FORMS}; 03/12 is {ORDERS[order]} (date_order {order})"


def use_date_order(order: str | None) -> None:
    """Read ambiguous numeric dates in ``order`` (dmy, mdy, ymd); None: the locale's."""
    global _order
    _order = order


def date_order() -> str:
    if _order is None:
        use_date_order(_locale_order())
    return _order or "mdy"


def _locale_order() -> str:
    """The order of day, month and year in the user's locale's date format (%x)."""
    import locale

    saved = locale.setlocale(locale.LC_TIME)
    try:
        locale.setlocale(locale.LC_TIME, "")
        pattern = locale.nl_langinfo(locale.D_FMT)
    except (locale.Error, AttributeError, ValueError):
        return "mdy"
    finally:
        with contextlib.suppress(locale.Error):
            locale.setlocale(locale.LC_TIME, saved)
    positions = {k: pattern.find(k) for k in ("%d", "%m", "%y") if pattern.find(k) >= 0}
    if "%Y" in pattern:
        positions["%y"] = pattern.find("%Y")
    if len(positions) < 3:
        return "mdy"
    ranked = "".join(k[1] for k in sorted(positions, key=lambda k: positions[k]))
    return ranked if ranked in ORDERS else "mdy"


def _unreadable(text: str) -> BadDate:
    return BadDate(f"can't read date {_quote(text)} ({accepted_forms()})")


def _named_day(low: str, today: date) -> date | None:
    if low in ("today", "now"):
        return today
    if low == "yesterday":
        return today - timedelta(days=1)
    if low == "tomorrow":
        return today + timedelta(days=1)
    if low == "eow":  # the end of the working week: this Friday, or the next one at a weekend
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if low == "next week":  # the Monday of next week
        return today + timedelta(days=7 - today.weekday())
    if low in ("next month", "eom"):
        from dateutil.relativedelta import relativedelta

        if low == "next month":  # the first day of next month
            return today + relativedelta(months=1, day=1)
        return today + relativedelta(day=31)
    if low == "eoy":
        return today.replace(month=12, day=31)
    words = low.split(" ")
    direction = "next"
    if len(words) == 2 and words[0] in ("next", "last"):
        direction, words = words[0], words[1:]
    if len(words) != 1 or words[0] not in _WEEKDAYS:
        return None
    weekday = _WEEKDAYS[words[0]]
    if direction == "last":
        return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _offset(low: str) -> _Offset | None:
    sign = 1
    if m := _OFFSET_SIGNED.fullmatch(low):
        sign = -1 if m.group(1) == "-" else 1
        digits, unit = m.group(2), m.group(3)
    elif m := _OFFSET_IN.fullmatch(low):
        digits, unit = m.group(1), m.group(2)
    elif m := _OFFSET_AGO.fullmatch(low):
        sign = -1
        digits, unit = m.group(1), m.group(2)
    else:
        return None
    if len(digits) > _MAX_AMOUNT_DIGITS:
        raise OverflowError(digits)
    return _Offset(sign * int(digits), unit[0])


def _iso(text: str) -> _Day | _Moment | None:
    try:
        return _Day(date.fromisoformat(text))
    except ValueError:
        pass
    try:
        return _Moment(datetime.fromisoformat(text))
    except ValueError:
        return None


def _read(text: str, base: date) -> _Read | None:
    """What dateutil makes of `text`, with missing fields taken from `base` at midnight."""
    if text.isascii() and text.isdigit():
        # dateutil reads bare numbers as a day of month, a year or a time: too easy to misread.
        return None
    # A second parse with defaults differing in every field tells which fields the text gave.
    probe_year = base.year + 400 if base.year <= 9999 - 400 else base.year - 400
    first = datetime.combine(base, time())
    second = datetime.combine(
        date(probe_year, base.month % 12 + 1, 2 if base.day == 1 else 1), _PROBE_TIME
    )
    # dateutil's parser is imported here, by the few commands that read a date as typed.
    from dateutil.parser import UnknownTimezoneWarning
    from dateutil.parser import parse as _dateutil_parse

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", UnknownTimezoneWarning)
            order = date_order()
            first_day, first_year = order == "dmy", order == "ymd"
            if _YEAR_FIRST.match(text):  # 2026/03/12 is year, month, day in every order
                first_day, first_year = False, True
            a = _dateutil_parse(
                text, default=first, fuzzy=False, dayfirst=first_day, yearfirst=first_year
            )
            b = _dateutil_parse(
                text, default=second, fuzzy=False, dayfirst=first_day, yearfirst=first_year
            )
    except (ValueError, OverflowError, UnknownTimezoneWarning):
        return None
    return _Read(
        at=a,
        has_year=a.year == b.year,
        has_month=a.month == b.month,
        has_day=a.day == b.day,
        has_time=a.hour == b.hour or a.minute == b.minute or a.second == b.second,
    )


def _time_only(text: str, day: date) -> datetime | None:
    """`text` read as a bare time of day ('14:00', 'at 9am') on `day`."""
    read = _read(text, day)
    if read is None or read.has_year or read.has_month or read.has_day or not read.has_time:
        return None
    if read.at.date() != day:
        return None
    return read.at


def _resolve(text: str, today: date) -> _Day | _Moment | _Offset:
    s = " ".join(text.split())
    if not s:
        raise BadDate(f"empty date ({accepted_forms()})")
    s = _TIME_WORDS.sub(lambda m: _TIME_WORD_VALUES[m.group(0).lower()], s)
    low = s.lower()
    day = _named_day(low, today)
    if day is not None:
        return _Day(day)
    offset = _offset(low)
    if offset is not None:
        return offset
    iso = _iso(s)
    if iso is not None:
        return iso
    words, low_words = s.split(" "), low.split(" ")
    for size in (2, 1):
        if len(words) <= size:
            continue
        head = _named_day(" ".join(low_words[:size]), today)
        if head is None:
            continue
        at = _time_only(" ".join(words[size:]), head)
        if at is not None:
            return _Moment(at)
    read = _read(s, today)
    if read is None:
        raise _unreadable(text)
    if read.has_day:
        return _Moment(read.at) if read.has_time else _Day(read.at.date())
    # A month or year without a day, or a weekday dateutil would count from today.
    if read.has_year or read.has_month or not read.has_time or read.at.date() != today:
        raise _unreadable(text)
    return _Moment(read.at)


def _out_of_range(text: str) -> BadDate:
    return BadDate(
        f"can't use date {_quote(text)}: out of range (rapport's dates run from"
        f" {FIRST_DAY} to {LAST_DAY})"
    )


def _bounded(day: date, text: str) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _out_of_range(text)
    return day


def parse_day(text: str, today: date) -> date:
    """A calendar date (due dates, --since/--until, --until of snooze).

    A datetime input keeps only its date.
    """
    try:
        found = _resolve(text, today)
        if isinstance(found, _Day):
            return _bounded(found.day, text)
        if isinstance(found, _Moment):
            return _bounded(found.at.date(), text)
        if found.unit == "h":
            raise BadDate(
                f"can't read date {_quote(text)}: hours only work for times ({accepted_forms()})"
            )
        return _bounded(_shift(today, found), text)
    except (ValueError, OverflowError):
        raise _out_of_range(text) from None


def _shift(start: _D, offset: _Offset) -> _D:
    if offset.unit == "d":
        return start + timedelta(days=offset.amount)
    if offset.unit == "w":
        return start + timedelta(weeks=offset.amount)
    from dateutil.relativedelta import relativedelta

    if offset.unit == "m":
        return start + relativedelta(months=offset.amount)
    return start + relativedelta(years=offset.amount)


def _settle(at: datetime, zone: tzinfo) -> datetime:
    # A wall time skipped by a DST change becomes the real time it stands for.
    return at.astimezone(UTC).astimezone(zone)


def parse_when(text: str, now: datetime) -> datetime:
    """A moment (the --at of a log), aware and in the zone of the aware `now`.

    Relative offsets (+3d, 2 hours ago, -1w, 'now') shift `now` keeping its time of day.
    A form naming a calendar day without a time (today, yesterday, fri, eom, 2026-11-02,
    'Dec 3'): today gives `now`; any other day gives 12:00 local on that day.
    An input with an explicit time ('2026-11-02 14:30', '3 December 2026 14:00', ISO with
    offset) gives that time; a naive one is read in now's zone, one with an offset is
    converted to now's zone.
    """
    zone = now.tzinfo
    if zone is None:
        raise ValueError("parse_when needs a timezone-aware now")
    at = _when(text, now, zone)
    _bounded(at.date(), text)
    return at


def _when(text: str, now: datetime, zone: tzinfo) -> datetime:
    try:
        found = _resolve(text, now.date())
        if isinstance(found, _Day):
            if found.day == now.date():
                return now
            return _settle(datetime.combine(found.day, time(12), tzinfo=zone), zone)
        if isinstance(found, _Moment):
            if found.at.tzinfo is None:
                return _settle(found.at.replace(tzinfo=zone), zone)
            return found.at.astimezone(zone)
        if found.unit == "h":
            return (now.astimezone(UTC) + timedelta(hours=found.amount)).astimezone(zone)
        return _settle(_shift(now, found), zone)
    except (ValueError, OverflowError):
        raise _out_of_range(text) from None


def names_a_time(text: str, today: date) -> bool:
    """Whether a --at gives a time of day ('14:30', '2 hours ago'), not only a day ('fri')."""
    try:
        found = _resolve(text, today)
    except (ValueError, OverflowError):
        return True
    return isinstance(found, _Moment) or (isinstance(found, _Offset) and found.unit == "h")


def parse_duration(text: str) -> int:
    """Days in a cadence like 10d, 2w, 3m (90), 1y (365); must be >= 1."""
    low = " ".join(text.split()).lower()
    if not low:
        raise BadDate(f"empty duration ({_DURATION_FORMS})")
    m = _DURATION.fullmatch(low)
    if m is None:
        raise BadDate(f"can't read duration {_quote(text)} ({_DURATION_FORMS})")
    digits, unit = m.group(1), m.group(2) or "d"
    if len(digits) > _MAX_AMOUNT_DIGITS:
        days = _MAX_DURATION_DAYS + 1
    else:
        days = int(digits) * _DURATION_DAYS[unit[0]]
    if days < 1:
        raise BadDate(f"duration {_quote(text)} is shorter than a day ({_DURATION_FORMS})")
    if days > _MAX_DURATION_DAYS:
        raise BadDate(f"duration {_quote(text)} is longer than 100 years ({_DURATION_FORMS})")
    return days


def parse_birthday(text: str, today: date | None = None) -> str:
    """'1980-03-14', 'Mar 14 1980' -> '1980-03-14'; 'Mar 14', '--03-14', '03-14' -> '--03-14'.

    Feb 29 without a year is allowed; with ``today``, a birthday after it is refused.
    """
    found = _birthday(text)
    if today is not None and not found.startswith("--") and found > today.isoformat():
        raise BadDate(f"birthday {found} is in the future (today is {today})")
    return found


def _birthday(text: str) -> str:
    s = " ".join(text.split())
    if not s:
        raise BadDate(f"empty birthday ({_BIRTHDAY_FORMS})")
    unreadable = BadDate(f"can't read birthday {_quote(text)} ({_BIRTHDAY_FORMS})")
    leap_year = 2000
    if m := _MONTH_DAY.fullmatch(s):
        try:
            day = date(leap_year, int(m.group(1)), int(m.group(2)))
        except ValueError:
            raise unreadable from None
        return f"--{day.month:02d}-{day.day:02d}"
    if _ISO_DAY.fullmatch(s):
        try:
            return date.fromisoformat(s).isoformat()
        except ValueError:
            raise unreadable from None
    read = _read(s, date(leap_year, 1, 1))
    if read is None or not (read.has_month and read.has_day):
        raise unreadable
    if read.has_year:
        return f"{read.at.year:04d}-{read.at.month:02d}-{read.at.day:02d}"
    return f"--{read.at.month:02d}-{read.at.day:02d}"

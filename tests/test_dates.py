import contextlib
import re
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.dates import (
    ACCEPTED_FORMS,
    parse_birthday,
    parse_day,
    parse_duration,
    parse_when,
)
from rapport.errors import BadDate, BadValue
from rapport.zones import local_zone

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 11, 24)  # a Tuesday
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=PARIS)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("20261201", date(2026, 12, 1)),
        ("2026-12-01T14:30", date(2026, 12, 1)),
        ("2026-12-01 14:30:00+05:00", date(2026, 12, 1)),
        ("Dec 3", date(2026, 12, 3)),
        ("dec 3", date(2026, 12, 3)),
        ("3 December 2026 14:00", date(2026, 12, 3)),
        ("11/30/2026", date(2026, 11, 30)),
        ("today", TODAY),
        ("now", TODAY),
        ("yesterday", date(2026, 11, 23)),
        ("tomorrow", date(2026, 11, 25)),
        ("  Tomorrow  ", date(2026, 11, 25)),
        ("TODAY", TODAY),
    ],
)
def test_parse_day_absolute_and_named(text: str, expected: date) -> None:
    assert parse_day(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fri", date(2026, 11, 27)),
        ("friday", date(2026, 11, 27)),
        ("FRIDAY", date(2026, 11, 27)),
        ("Fri", date(2026, 11, 27)),
        ("next fri", date(2026, 11, 27)),
        ("next  Friday", date(2026, 11, 27)),
        ("tue", date(2026, 12, 1)),
        ("tuesday", date(2026, 12, 1)),
        ("wed", date(2026, 11, 25)),
        ("mon", date(2026, 11, 30)),
        ("sun", date(2026, 11, 29)),
        ("last fri", date(2026, 11, 20)),
        ("last tue", date(2026, 11, 17)),
        ("last mon", date(2026, 11, 23)),
        ("last wednesday", date(2026, 11, 18)),
    ],
)
def test_weekdays_exclude_today(text: str, expected: date) -> None:
    assert parse_day(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+3d", date(2026, 11, 27)),
        ("3d", date(2026, 11, 27)),
        ("+3 days", date(2026, 11, 27)),
        ("3 days", date(2026, 11, 27)),
        ("in 3 days", date(2026, 11, 27)),
        ("in 1 day", date(2026, 11, 25)),
        ("-2w", date(2026, 11, 10)),
        ("2 weeks ago", date(2026, 11, 10)),
        ("2w ago", date(2026, 11, 10)),
        ("+1w", date(2026, 12, 1)),
        ("+1m", date(2026, 12, 24)),
        ("1 month", date(2026, 12, 24)),
        ("-1m", date(2026, 10, 24)),
        ("+1y", date(2027, 11, 24)),
        ("2 years ago", date(2024, 11, 24)),
        ("+0d", TODAY),
        ("+3D", date(2026, 11, 27)),
    ],
)
def test_parse_day_offsets(text: str, expected: date) -> None:
    assert parse_day(text, TODAY) == expected


def test_month_offsets_clamp_to_month_end() -> None:
    assert parse_day("+1m", date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse_day("+1m", date(2028, 1, 31)) == date(2028, 2, 29)
    assert parse_day("-1m", date(2026, 3, 31)) == date(2026, 2, 28)
    assert parse_day("+1y", date(2028, 2, 29)) == date(2029, 2, 28)


def test_end_of_week_month_year() -> None:
    # the end of the working week: Friday, and at a weekend the next one
    assert parse_day("eow", TODAY) == date(2026, 11, 27)
    assert parse_day("eow", date(2026, 11, 27)) == date(2026, 11, 27)
    assert parse_day("eow", date(2026, 11, 28)) == date(2026, 12, 4)
    assert parse_day("eow", date(2026, 11, 30)) == date(2026, 12, 4)
    assert parse_day("eom", TODAY) == date(2026, 11, 30)
    assert parse_day("EOM", date(2028, 2, 3)) == date(2028, 2, 29)
    assert parse_day("eom", date(2026, 12, 31)) == date(2026, 12, 31)
    assert parse_day("eoy", TODAY) == date(2026, 12, 31)


def test_day_with_time_keeps_the_day() -> None:
    assert parse_day("fri 14:00", TODAY) == date(2026, 11, 27)
    assert parse_day("yesterday 18:00", TODAY) == date(2026, 11, 23)


def test_hours_are_not_days() -> None:
    with pytest.raises(BadDate, match="'\\+2h'"):
        parse_day("+2h", TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("today", NOW),
        ("2026-11-24", NOW),
        ("+3d", NOW + timedelta(days=3)),
        ("3 days", NOW + timedelta(days=3)),
        ("-1w", NOW - timedelta(weeks=1)),
        ("+1m", datetime(2026, 12, 24, 9, 30, tzinfo=PARIS)),
        ("+2h", datetime(2026, 11, 24, 11, 30, tzinfo=PARIS)),
        ("in 3h", datetime(2026, 11, 24, 12, 30, tzinfo=PARIS)),
        ("2 hours ago", datetime(2026, 11, 24, 7, 30, tzinfo=PARIS)),
        ("yesterday", noon(date(2026, 11, 23))),
        ("fri", noon(date(2026, 11, 27))),
        ("last fri", noon(date(2026, 11, 20))),
        ("eom", noon(date(2026, 11, 30))),
        ("2026-11-02", noon(date(2026, 11, 2))),
        ("Dec 3", noon(date(2026, 12, 3))),
    ],
)
def test_parse_when_relative_and_days(text: str, expected: datetime) -> None:
    got = parse_when(text, NOW)
    assert got == expected
    assert got.tzinfo is PARIS
    assert got.replace(tzinfo=None) == expected.astimezone(PARIS).replace(tzinfo=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-02 14:30", datetime(2026, 11, 2, 14, 30, tzinfo=PARIS)),
        ("2026-11-02T14:30:15", datetime(2026, 11, 2, 14, 30, 15, tzinfo=PARIS)),
        ("3 December 2026 14:00", datetime(2026, 12, 3, 14, 0, tzinfo=PARIS)),
        ("2026-11-02 00:00", datetime(2026, 11, 2, 0, 0, tzinfo=PARIS)),
        ("2026-11-02T14:30+00:00", datetime(2026, 11, 2, 15, 30, tzinfo=PARIS)),
        ("2026-11-02T14:30Z", datetime(2026, 11, 2, 15, 30, tzinfo=PARIS)),
        ("Dec 3 2026 14:00 +0500", datetime(2026, 12, 3, 10, 0, tzinfo=PARIS)),
        ("14:00", datetime(2026, 11, 24, 14, 0, tzinfo=PARIS)),
        ("2pm", datetime(2026, 11, 24, 14, 0, tzinfo=PARIS)),
        ("fri 14:00", datetime(2026, 11, 27, 14, 0, tzinfo=PARIS)),
        ("next fri at 9am", datetime(2026, 11, 27, 9, 0, tzinfo=PARIS)),
        ("yesterday 18:15", datetime(2026, 11, 23, 18, 15, tzinfo=PARIS)),
    ],
)
def test_parse_when_explicit_times(text: str, expected: datetime) -> None:
    got = parse_when(text, NOW)
    assert got == expected
    assert got.tzinfo is PARIS
    assert (got.hour, got.minute) == (expected.hour, expected.minute)


def test_parse_when_across_dst() -> None:
    before = datetime(2027, 3, 28, 1, 30, tzinfo=PARIS)  # clocks jump 02:00 -> 03:00
    assert parse_when("+2h", before) == datetime(2027, 3, 28, 4, 30, tzinfo=PARIS)
    assert parse_when("+2h", before).timestamp() - before.timestamp() == 2 * 3600
    day_before = datetime(2027, 3, 27, 2, 30, tzinfo=PARIS)
    got = parse_when("+1d", day_before)
    assert (got.hour, got.minute) == (3, 30)
    assert got.utcoffset() == timedelta(hours=2)


def test_parse_when_in_other_zones() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    now = datetime(2026, 11, 24, 23, 0, tzinfo=tokyo)
    assert parse_when("2026-11-24T10:00Z", now) == datetime(2026, 11, 24, 19, 0, tzinfo=tokyo)
    assert parse_when("tomorrow", now).tzinfo is tokyo
    assert parse_when("+1d", now.astimezone(UTC)).tzinfo is UTC


def test_parse_when_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("today", datetime(2026, 11, 24, 9, 30))


@pytest.mark.parametrize(
    "text",
    [
        "flurb",
        "+3x",
        "32/13/2026",
        "123456789012345678901234567890",
        "30",
        "Dec",
        "2026",
        "Feb 29",
        "next",
        "last flurb",
        "in days",
        "3 days from now",
        "Dec 3 XYZ",
        "2026-02-30",
    ],
)
def test_unreadable_dates_quote_the_input(text: str) -> None:
    with pytest.raises(BadDate) as on_day:
        parse_day(text, TODAY)
    with pytest.raises(BadDate) as on_when:
        parse_when(text, NOW)
    for message in (on_day.value.message, on_when.value.message):
        assert repr(text) in message
        assert ACCEPTED_FORMS in message
        assert "\n" not in message


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty_date_is_an_error_not_now(text: str) -> None:
    with pytest.raises(BadDate, match=r"^empty date"):
        parse_day(text, TODAY)
    with pytest.raises(BadDate, match=r"^empty date"):
        parse_when(text, NOW)


@pytest.mark.parametrize("text", ["+99999999d", "+123456789012d", "+9000y", "-3000y"])
def test_out_of_range_offsets(text: str) -> None:
    with pytest.raises(BadDate, match="out of range"):
        parse_day(text, TODAY)
    with pytest.raises(BadDate, match="out of range"):
        parse_when(text, NOW)


def test_out_of_range_named_days() -> None:
    with pytest.raises(BadDate):
        parse_day("tomorrow", date.max)
    with pytest.raises(BadDate):
        parse_day("yesterday", date.min)


def test_long_input_is_shortened_in_the_message() -> None:
    text = "9" * 5000
    with pytest.raises(BadDate) as caught:
        parse_day(text, TODAY)
    assert "'99999999999" in caught.value.message
    assert len(caught.value.message) < 400


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("10d", 10),
        ("2w", 14),
        ("3m", 90),
        ("1y", 365),
        ("30", 30),
        ("30 days", 30),
        ("2 weeks", 14),
        ("1 month", 30),
        ("1 year", 365),
        (" 2W ", 14),
        ("1d", 1),
    ],
)
def test_parse_duration(text: str, days: int) -> None:
    assert parse_duration(text) == days


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty duration"),
        ("0d", "'0d'"),
        ("0", "'0'"),
        ("-3d", "can't read duration '-3d'"),
        ("10x", "can't read duration '10x'"),
        ("soon", "can't read duration 'soon'"),
        ("101y", "'101y'"),
        ("9" * 40, "'9999"),
    ],
)
def test_bad_durations(text: str, fragment: str) -> None:
    with pytest.raises(BadDate, match=re.escape(fragment)) as caught:
        parse_duration(text)
    assert "accepted: 10d, 2w, 3m, 1y" in caught.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1980-03-14", "1980-03-14"),
        ("19800314", "1980-03-14"),
        ("Mar 14 1980", "1980-03-14"),
        ("14 March 1980", "1980-03-14"),
        ("Mar 14", "--03-14"),
        ("14 mar", "--03-14"),
        ("--03-14", "--03-14"),
        ("03-14", "--03-14"),
        ("3-4", "--03-04"),
        ("Feb 29", "--02-29"),
        ("--02-29", "--02-29"),
        ("1984-02-29", "1984-02-29"),
    ],
)
def test_parse_birthday(text: str, expected: str) -> None:
    assert parse_birthday(text) == expected


@pytest.mark.parametrize(
    "text", ["", "flurb", "1981-02-29", "02-30", "--13-01", "March 1980", "1980", "Feb 30"]
)
def test_bad_birthdays(text: str) -> None:
    with pytest.raises(BadDate) as caught:
        parse_birthday(text)
    assert (repr(text) if text else "empty birthday") in caught.value.message


def test_local_zone_by_name() -> None:
    assert local_zone("Europe/Paris") == ZoneInfo("Europe/Paris")
    assert local_zone(" Asia/Tokyo ") == ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize("name", ["Mars/Olympus", "Europe", "../etc/passwd", "/etc/localtime"])
def test_local_zone_unknown(name: str) -> None:
    with pytest.raises(BadValue, match="unknown time zone"):
        local_zone(name)


def test_local_zone_falls_back_to_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert local_zone(None) == ZoneInfo("Asia/Tokyo")
    assert local_zone("") == ZoneInfo("Asia/Tokyo")
    monkeypatch.setenv("TZ", "CET-1CEST")
    try:
        zone = local_zone(None)
        assert datetime(2026, 11, 24, tzinfo=zone).utcoffset() == timedelta(hours=1)
        assert datetime(2026, 7, 1, tzinfo=zone).utcoffset() == timedelta(hours=2)
    finally:
        monkeypatch.undo()
        time.tzset()


@given(st.integers(min_value=0, max_value=5000))
def test_day_offsets_add_days(n: int) -> None:
    assert parse_day(f"+{n}d", TODAY) == TODAY + timedelta(days=n)
    assert parse_day(f"{n} days ago", TODAY) == TODAY - timedelta(days=n)


@given(st.text())
def test_parse_day_only_raises_bad_date(text: str) -> None:
    with contextlib.suppress(BadDate):
        parse_day(text, TODAY)


@given(st.text(alphabet="0123456789 +-:/.TZdwmyhinago", max_size=20))
def test_parse_when_stays_in_zone_or_raises_bad_date(text: str) -> None:
    try:
        got = parse_when(text, NOW)
    except BadDate:
        return
    assert got.tzinfo is PARIS


@given(st.integers(min_value=1, max_value=5000))
def test_week_durations(n: int) -> None:
    assert parse_duration(f"{n}w") == 7 * n


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-02", "1899-12-31", "3000-01-01"])
def test_days_beyond_the_calendar_are_refused_with_the_range(text: str) -> None:
    for parse in (lambda: parse_day(text, TODAY), lambda: parse_when(text, NOW)):
        with pytest.raises(BadDate, match=r"out of range .*1900-01-01 to 2999-12-31"):
            parse()
    assert parse_day("2999-12-31", TODAY) == date(2999, 12, 31)


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("noon", datetime(2026, 11, 24, 12, 0, tzinfo=PARIS)),
        ("3pm", datetime(2026, 11, 24, 15, 0, tzinfo=PARIS)),
        ("tomorrow 3pm", datetime(2026, 11, 25, 15, 0, tzinfo=PARIS)),
        ("fri 9am", datetime(2026, 11, 27, 9, 0, tzinfo=PARIS)),
        ("next week", datetime(2026, 11, 30, 12, 0, tzinfo=PARIS)),
        ("next month", datetime(2026, 12, 1, 12, 0, tzinfo=PARIS)),
    ],
)
def test_words_people_say_for_a_moment(text: str, when: datetime) -> None:
    assert parse_when(text, NOW) == when


@pytest.mark.parametrize(
    ("order", "day", "says"),
    [("dmy", date(2026, 12, 3), "3 December"), ("mdy", date(2026, 3, 12), "12 March")],
)
def test_ambiguous_numeric_days_follow_the_date_order(order: str, day: date, says: str) -> None:
    from rapport.dates import use_date_order

    use_date_order(order)
    try:
        assert parse_day("03/12", TODAY) == day
        assert parse_day("2026/03/12", TODAY) == date(2026, 3, 12)
        with pytest.raises(BadDate, match=f"03/12 is {says} \\(date_order {order}\\)"):
            parse_day("33/33", TODAY)
    finally:
        use_date_order(None)

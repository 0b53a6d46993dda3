"""Out again: people as vCards for address books, and a calendar to subscribe to."""

import json

import pytest

from rapport.transfer.vcard_out import fold


def people(rapport, *db: str) -> list[dict]:
    return json.loads(rapport(*db, "export", "people", "-f", "json").stdout)


@pytest.fixture
def crowd(rapport, tmp_path):
    rapport("add", "José Núñez", "--company", "Tiles, Inc", "--email", "jose@tiles.example",
            "--phone", "+34 600 123 456", "--birthday", "--03-14",
            "--tag", "vip; gold")  # fmt: skip
    card = tmp_path / "more.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:José Núñez\r\nEMAIL:jose@tiles.example\r\n"
        "EMAIL;TYPE=work:j@work.example\r\nTITLE:Owner\r\nNOTE:Line one\\nline two\r\n"
        "ADR;TYPE=home:;;Calle Mayor 1;Madrid;;28013;Spain\r\nURL:https://tiles.example\r\n"
        "END:VCARD\r\n"
    )
    rapport("import", str(card))
    rapport("add", "Ann Lee", "--birthday", "1980-12-01")
    return tmp_path


@pytest.mark.parametrize("version", ["4", "3"])
def test_a_round_trip_through_vcard_adds_nothing(rapport, crowd, version):
    out = crowd / "out.vcf"
    rapport("export", "people", "--format", "vcf", "--vcard", version, "-o", str(out))
    text = out.read_text()
    assert f"VERSION:{version}.0" in text and text.count("BEGIN:VCARD") == 2
    before = people(rapport)
    assert rapport("import", str(out)).stderr == "people: 0 added, 0 updated, 2 unchanged\n"
    fresh = ("--db", str(crowd / "fresh.db"))
    rapport(*fresh, "import", str(out))
    keys = ("uid", "name", "company", "email", "phone", "birthday", "tags", "title", "notes",
            "other_emails", "addresses", "urls")  # fmt: skip
    assert [{k: p[k] for k in keys} for p in people(rapport, *fresh)] == [
        {k: p[k] for k in keys} for p in before
    ]


def test_long_lines_fold_between_characters():
    line = "NOTE:" + "é" * 60
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "").removesuffix("\r\n") == line


def test_the_calendar_has_birthdays_due_dates_and_snoozes(rapport, crowd):
    rapport("promise", "ann", "send the quote", "--due", "2026-12-04")
    rapport("snooze", "jose", "--until", "2026-12-15")
    first = rapport("export", "calendar", "--format", "ics").stdout
    assert rapport("export", "calendar", "--format", "ics").stdout == first  # stable UIDs
    events = first.split("BEGIN:VEVENT")[1:]
    assert len(events) == 4
    text = first.replace("\r\n ", "")
    assert "SUMMARY:Ann Lee's birthday" in text and "RRULE:FREQ=YEARLY" in text
    assert "DTSTART;VALUE=DATE:20001" in text or "DTSTART;VALUE=DATE:2000" in text
    assert "SUMMARY:Promised Ann Lee: send the quote" in text
    assert "DTSTART;VALUE=DATE:20261204" in text and "TRIGGER:-P1D" in text
    assert "SUMMARY:José Núñez: snooze ends" in text
    refused = rapport("export", "calendar", expect=2)
    assert "rapport export calendar -f ics" in refused.stderr

"""vCards from phones and address books, as they write them."""

import json
import shutil
from pathlib import Path

import pytest

from rapport.transfer.notice import Skip
from rapport.transfer.vcard import birthday, read_vcards

DATA = Path(__file__).parent / "data"


def people(rapport, *db: str) -> list[dict]:
    return json.loads(rapport(*db, "export", "people", "-f", "json").stdout)


def by_name(rapport) -> dict[str, dict]:
    return {p["name"]: p for p in people(rapport)}


def read(name: str) -> list:
    return list(read_vcards(DATA / name, name))


def test_macos_contacts_groups_pref_and_a_birthday_without_year():
    [jose] = read("macos.vcf")  # the group card "Clients" is not a person
    assert jose.name == "José Núñez"
    assert jose.company == "Tiles, Inc"  # ORG "Tiles\\, Inc;Sales": the escaped comma stays
    assert jose.emails == ["jose@tiles.example", "j.nunez@work.example"]  # item1. with pref first
    assert jose.phones == ["+34 600 123 456", "+34 600 000 111"]
    assert jose.birthday == "--03-14"  # 1604 with X-APPLE-OMIT-YEAR
    assert jose.tags == ["builders", "vip"]
    assert jose.note == "Met at the tile fair.\nPrefers detail, line by line."
    assert jose.uid == "0a3d1e9c-7b1b-4e0c-9c42-2d5a4c3e7f10"  # '…:ABPerson' dropped


def test_google_contacts_leave_out_their_system_group():
    bob, ann = read("google.vcf")
    assert (bob.name, bob.company, bob.email, bob.phone) == (
        "Bob Stone",
        "Stone & Sons",
        "bob@stone.example",
        "+44 7700 900123",
    )
    assert bob.birthday == "1985-12-01"
    assert bob.tags == ["Clients"]
    assert bob.uid is None
    assert (ann.number, ann.line, ann.tags) == (2, 15, [])


def test_vcard_4_from_nextcloud_and_khard():
    [zoe] = read("nextcloud.vcf")
    assert zoe.uid == "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert zoe.company == "Martin, Fils & Cie"
    assert zoe.email == "zoe@martin-fils.example"  # PREF=1 wins over file order
    assert zoe.phone == "+33-6-12-34-56-78"  # the tel: URI's number
    assert zoe.birthday == "--03-14"  # BDAY:--0314
    assert zoe.note == (
        "Long-standing client; her father founded the workshop in 1962 and she runs it now."
    )
    [chloe] = read("khard.vcf")
    assert (chloe.company, chloe.birthday) == ("Dubois, Père et Fils", "1979-05-02")


def test_vcard_2_1_with_quoted_printable_and_no_formatted_name():
    [anais] = read("nokia.vcf")
    assert anais.name == "Anaïs Lévy"  # from N, decoded from quoted-printable UTF-8
    assert anais.note == "Café au lait, pas de sucre.\nRappeler après 18h."
    assert anais.phones == ["+33 6 99 99 99 99", "+33 1 11 11 11 11"]  # TEL;CELL;PREF first
    assert anais.email == "anais@example.com"
    assert anais.birthday == "1980-03-14"


@pytest.mark.parametrize(
    ("value", "omit", "expected"),
    [
        ("1980-03-14", None, "1980-03-14"),
        ("19800314", None, "1980-03-14"),
        ("1980-03-14T00:00:00Z", None, "1980-03-14"),
        ("--0314", None, "--03-14"),
        ("--03-14", None, "--03-14"),
        ("--0229", None, "--02-29"),
        ("1604-03-14", "1604", "--03-14"),
    ],
)
def test_birthday_forms(value, omit, expected):
    assert birthday(value, omit_year=omit) == expected


def test_a_fold_inside_a_multibyte_character_is_put_back_together(tmp_path):
    card = tmp_path / "split.vcf"
    card.write_bytes(b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Caf\xc3\r\n \xa9 Owner\r\nEND:VCARD\r\n")
    [owner] = read_vcards(card, "split.vcf")
    assert owner.name == "Café Owner"


def test_importing_address_books_adds_each_person_once(rapport):
    result = rapport("import", str(DATA))
    assert result.stderr == "people: 6 added, 0 updated, 0 unchanged\n"
    found = by_name(rapport)
    assert sorted(found) == [
        "Anaïs Lévy",
        "Ann Lee",
        "Bob Stone",
        "Chloé Dubois",
        "José Núñez",
        "Zoë Martin",
    ]
    zoe = found["Zoë Martin"]
    assert zoe["uid"] == "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert (zoe["company"], zoe["birthday"], zoe["tags"]) == (
        "Martin, Fils & Cie",
        "--03-14",
        ["friends", "tiles"],
    )
    # a note goes to the person's notes, shown in show; the brief leads with other things
    jose = found["José Núñez"]
    assert jose["notes"] == "Met at the tile fair.\nPrefers detail, line by line."
    assert jose["current_state"] is None
    assert (jose["title"], jose["other_emails"], jose["other_phones"]) == (
        "Owner",
        ["j.nunez@work.example (work)"],
        ["+34 600 000 111 (cell)"],
    )
    assert jose["addresses"] == ["Calle Mayor 1, Madrid, 28013, Spain (home)"]
    shown = rapport("show", "jose").stdout
    assert "Met at the tile fair." in shown and "j.nunez@work.example (work)" in shown
    stages = json.loads(rapport("export", "stages", "-f", "json").stdout)
    assert {(s["stage"], s["why"]) for s in stages} == {("acquaintance", "imported")}
    again = rapport("import", str(DATA))
    assert again.stderr == "people: 0 added, 0 updated, 6 unchanged\n"
    assert len(people(rapport)) == 6


def test_a_known_email_updates_the_person_and_keeps_their_name(rapport, tmp_path):
    rapport(
        "add", "Robert Stone", "--email", "BOB.STONE@mail.example", "--now", "busy", "--tag", "vip"
    )
    shutil.copy(DATA / "google.vcf", tmp_path / "google.vcf")
    result = rapport("import", str(tmp_path / "google.vcf"))
    assert result.stderr == "people: 1 added, 1 updated, 0 unchanged\n"
    bob = by_name(rapport)["Robert Stone"]
    assert bob["email"] == "BOB.STONE@mail.example"  # one of the card's addresses: kept
    assert (bob["company"], bob["phone"], bob["birthday"]) == (
        "Stone & Sons",
        "+44 7700 900123",
        "1985-12-01",
    )
    assert bob["tags"] == ["Clients", "vip"]
    assert bob["current_state"] == "busy"  # the note never overwrites what you wrote


def test_a_known_uid_wins_over_a_new_name(rapport):
    rapport("import", str(DATA / "nextcloud.vcf"))
    rapport("edit", "zoe", "--name", "Zoé M.", "--email", "")
    result = rapport("import", str(DATA / "nextcloud.vcf"))
    assert result.stderr == "people: 0 added, 1 updated, 0 unchanged\n"
    [zoe] = people(rapport)
    assert (zoe["name"], zoe["email"]) == ("Zoé M.", "zoe@martin-fils.example")


def test_an_exact_name_is_matched_when_nothing_else_is(rapport):
    rapport("add", "anais levy", "--phone", "+33 6 99 99 99 99")
    result = rapport("import", str(DATA / "nokia.vcf"))
    assert result.stderr == "people: 0 added, 1 updated, 0 unchanged\n"
    [anais] = people(rapport)
    assert anais["phone"] == "+33 6 99 99 99 99"
    assert anais["email"] == "anais@example.com"


def test_dry_run_of_vcards_names_who_would_change_and_saves_nothing(rapport):
    result = rapport("import", str(DATA / "macos.vcf"), "--dry-run")
    assert result.stderr.splitlines() == [
        "would add José Núñez",
        "people: 1 to add, 0 to update, 0 unchanged",
        "dry run: nothing was saved",
    ]
    assert people(rapport) == []


GOOD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Card\r\nEND:VCARD\r\n"
UNCLOSED = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut short\r\n"
NO_COLON = "BEGIN:VCARD\r\nVERSION:3.0\r\nthis line has no colon\r\nEND:VCARD\r\n"
NOBODY = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nTEL:+1 555 0100\r\nEND:VCARD\r\n"
STRAY = "this is not a card\r\n" + GOOD.replace("Good", "Other")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (GOOD + UNCLOSED, " card 2 (line 5): no END:VCARD"),
        (GOOD + NO_COLON, " card 2 (line 5): line 7: Failed to parse line: this line has no colon"),
        (GOOD + NOBODY, " card 2 (line 5): no name (FN, N or ORG) and no email"),
        (GOOD + STRAY, " line 5: not part of a card (Failed to parse line: this is not a card)"),
    ],
)
def test_a_card_that_cannot_be_used_is_skipped_and_named(rapport, tmp_path, content, message):
    card = tmp_path / "contacts.vcf"
    card.write_text(content, encoding="utf-8", newline="")
    result = rapport("import", str(card))
    assert f"skipped {card}{message}\n" in result.stderr
    assert "0 unchanged, 1 skipped\n" in result.stderr
    assert "Good Card" in by_name(rapport)
    other = ("--db", str(tmp_path / "other.db"))
    refused = rapport(*other, "import", str(card), "--strict", expect=2)
    assert refused.stderr == f"rapport: {card}{message}\n"
    assert people(rapport, *other) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("FN:no begin\r\n", " line 1: not a vCard (expected BEGIN:VCARD)"),
        ("\r\n", ": no vCard in it"),
    ],
)
def test_a_file_that_is_no_vcard_is_refused(rapport, tmp_path, content, message):
    card = tmp_path / "contacts.vcf"
    card.write_text(content, encoding="utf-8", newline="")
    result = rapport("import", str(card), expect=2)
    assert result.stderr == f"rapport: {card}{message}\n"


def card(*lines: str) -> str:
    return "\r\n".join(("BEGIN:VCARD", "VERSION:4.0", *lines, "END:VCARD")) + "\r\n"


def test_a_card_with_only_an_email_is_named_after_it(tmp_path):
    path = tmp_path / "phone.vcf"
    path.write_text(card("EMAIL;TYPE=work:ada@example.org", "TEL;TYPE=cell:+44 20 7946 0000"))
    [ada] = list(read_vcards(path, "phone.vcf"))
    assert (ada.name, ada.email, ada.labels["+44 20 7946 0000"]) == (
        "ada@example.org",
        "ada@example.org",
        "cell",
    )


@pytest.mark.parametrize(
    ("bday", "kept", "remark"),
    [
        ("1980", None, "birthday '1980' gives the year only (born 1980); left out"),
        ("--03", None, "birthday '--03' gives no full month and day; left out"),
        ("---14", None, "birthday '---14' gives no full month and day; left out"),
        ("1604-03-14", "--03-14", None),
        ("next spring", None, "can't read the birthday 'next spring'; left out"),
    ],
)
def test_a_partial_birthday_keeps_the_card(tmp_path, bday, kept, remark):
    path = tmp_path / "monica.vcf"
    path.write_text(card("FN:Partial Day", f"BDAY:{bday}"))
    [contact] = list(read_vcards(path, "monica.vcf"))
    assert (contact.name, contact.birthday) == ("Partial Day", kept)
    assert contact.remarks == ([remark] if remark else [])


def test_partial_birthdays_are_reported_as_notes(rapport, tmp_path):
    path = tmp_path / "monica.vcf"
    path.write_text(card("FN:Born Then", "BDAY:1980"))
    result = rapport("import", str(path))
    assert result.stderr.splitlines()[0] == (
        f"note: {path} card 1 (line 1): birthday '1980' gives the year only (born 1980); left out"
    )
    assert by_name(rapport)["Born Then"]["birthday"] is None


def test_an_unreadable_vendor_line_is_ignored(tmp_path):
    path = tmp_path / "vendor.vcf"
    path.write_text(card("FN:Vendor Lines", "X-BROKEN", "item1.X-ODD;=x:1", "EMAIL:v@example.org"))
    [contact] = list(read_vcards(path, "vendor.vcf"))
    assert (contact.name, contact.email) == ("Vendor Lines", "v@example.org")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "windows-1252"])
def test_files_from_windows_are_read(rapport, tmp_path, codec):
    path = tmp_path / "outlook.vcf"
    text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Müller;Jürgen\r\nNOTE:Café \u2013 crème\r\n"
    text += "END:VCARD\r\n"
    path.write_bytes(text.encode(codec))
    result = rapport("import", str(path))
    assert "people: 1 added" in result.stderr
    assert ("not UTF-8; read as windows-1252" in result.stderr) == (codec == "windows-1252")
    assert "Jürgen Müller" in by_name(rapport)


def test_an_encoding_can_be_given(rapport, tmp_path):
    path = tmp_path / "latin.vcf"
    path.write_bytes(card("FN:Zoë Ångström").encode("latin-1"))
    rapport("import", str(path), "--encoding", "latin-1")
    assert "Zoë Ångström" in by_name(rapport)
    bad = rapport("import", str(path), "--encoding", "klingon", expect=2)
    assert bad.stderr.startswith("rapport: unknown encoding 'klingon'")


def test_an_unknown_charset_skips_its_card(tmp_path):
    path = tmp_path / "x.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:2.1\nFN:X\nNOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=X-NOPE:=C3=A9\nEND:VCARD\n",
        encoding="utf-8",
    )
    [skip] = list(read_vcards(path, "x.vcf"))
    assert isinstance(skip, Skip)
    assert skip.where == "x.vcf card 1 (line 1)"
    assert skip.reason.startswith("line 4: unknown encoding")

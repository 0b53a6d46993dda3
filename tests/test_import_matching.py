"""Contacts from elsewhere find the person they are about, and never fold two silently."""

import json


def people(rapport, *db: str) -> list[dict]:
    return json.loads(rapport(*db, "export", "people", "-f", "json").stdout)


def card(*lines: str) -> str:
    return "\r\n".join(("BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD")) + "\r\n"


def test_a_sheet_row_finds_its_person_by_email_whatever_the_name(rapport, tmp_path):
    rapport("add", "Grace Brewster Hopper", "--email", "grace@navy.example")
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,email,company\nGrace Hopper,GRACE@navy.example,US Navy\n")
    result = rapport("import", str(sheet))
    assert result.stderr == "people: 0 added, 1 updated, 0 unchanged\n"
    [grace] = people(rapport)
    assert (grace["name"], grace["company"]) == ("Grace Brewster Hopper", "US Navy")


def test_a_card_finds_its_person_by_any_phone_written_any_way(rapport, tmp_path):
    rapport("add", "Alan Turing", "--phone", "+44 7700 900123")
    path = tmp_path / "phone.vcf"
    path.write_text(card("FN:A. M. Turing", "TEL:07700 900123", "EMAIL:alan@example.org"))
    assert rapport("import", str(path)).stderr == "people: 0 added, 1 updated, 0 unchanged\n"
    [alan] = people(rapport)
    assert (alan["name"], alan["email"]) == ("Alan Turing", "alan@example.org")


def test_an_email_and_a_phone_of_two_people_are_reported_for_merge(rapport, tmp_path):
    rapport("add", "Ada Lovelace", "--email", "ada@example.org")
    rapport("add", "Ada King", "--phone", "+44 20 7946 0001")
    path = tmp_path / "ada.vcf"
    path.write_text(card("FN:Ada", "EMAIL:ada@example.org", "TEL:+44 20 7946 0001"))
    result = rapport("import", str(path))
    assert result.stderr.splitlines() == [
        f"skipped {path} card 1 (line 1): its email and its phone point at #1 Ada Lovelace"
        " and #2 Ada King; not folded in: if they are one person,"
        " run `rapport merge 2 into 1` and import again",
        "people: 0 added, 0 updated, 0 unchanged, 1 skipped",
    ]
    assert [(p["name"], p["email"], p["phone"]) for p in people(rapport)] == [
        ("Ada Lovelace", "ada@example.org", None),
        ("Ada King", None, "+44 20 7946 0001"),
    ]


def test_two_cards_with_their_own_uids_and_one_name_stay_two_people(rapport, tmp_path):
    path = tmp_path / "two.vcf"
    path.write_text(
        card("FN:John Smith", "UID:contact1", "TEL:+1 555 010 0001")
        + card("FN:John Smith", "UID:contact2", "TEL:+1 555 010 0002")
    )
    assert rapport("import", str(path)).stderr == "people: 2 added, 0 updated, 0 unchanged\n"
    assert [p["phone"] for p in people(rapport)] == ["+1 555 010 0001", "+1 555 010 0002"]


def test_a_uid_that_is_no_uuid_is_kept_and_follows_a_rename(rapport, tmp_path):
    path = tmp_path / "evolution.vcf"
    path.write_text(card("FN:Maria Garcia", "UID:pas-id-4F2A0001"))
    rapport("import", str(path))
    uid = people(rapport)[0]["uid"]
    assert len(uid) == 36  # rapport's own uid; the card's is kept beside it
    path.write_text(card("FN:Maria Garcia Lopez", "UID:pas-id-4F2A0001"))
    assert rapport("import", str(path)).stderr == "people: 0 added, 1 updated, 0 unchanged\n"
    [maria] = people(rapport)
    assert (maria["name"], maria["uid"]) == ("Maria Garcia Lopez", uid)
    # a name typed here stays while the address book says what it said before
    rapport("edit", "maria", "--name", "Maria G.")
    assert rapport("import", str(path)).stderr == "people: 0 added, 0 updated, 1 unchanged\n"
    assert people(rapport)[0]["name"] == "Maria G."


def test_other_emails_find_their_person_too(rapport, tmp_path):
    path = tmp_path / "two.vcf"
    path.write_text(
        card("FN:Lin Wei", "EMAIL:lin@home.example", "EMAIL;TYPE=work:lin@work.example")
    )
    rapport("import", str(path))
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,email,title\nWei Lin,lin@work.example,Buyer\n")
    assert rapport("import", str(sheet)).stderr == "people: 0 added, 1 updated, 0 unchanged\n"
    [lin] = people(rapport)
    assert (lin["name"], lin["email"], lin["title"]) == ("Lin Wei", "lin@home.example", "Buyer")
    assert lin["other_emails"] == ["lin@work.example (work)"]


def test_a_journal_from_before_contact_details_takes_them_once_upgraded(rapport, tmp_path):
    from pathlib import Path
    from shutil import copyfile

    old = tmp_path / "old.db"
    copyfile(Path(__file__).parent / "journals" / "schema3.db", old)
    path = tmp_path / "ann.vcf"
    path.write_text(card("FN:Ann Lee", "UID:ann-1", "EMAIL:ann@example.com", "EMAIL:a@b.example"))
    result = rapport("--db", str(old), "import", str(path))
    assert result.stderr.endswith("people: 0 added, 1 updated, 0 unchanged\n")
    ann = {p["name"]: p for p in people(rapport, "--db", str(old))}["Ann Lee"]
    assert (ann["email"], ann["other_emails"], ann["title"]) == (
        "ann@example.com",
        ["a@b.example"],
        None,
    )


def test_undo_takes_an_import_back_with_its_details(rapport, tmp_path):
    path = tmp_path / "one.vcf"
    path.write_text(card("FN:Undo Me", "UID:u-1", "EMAIL:u@example.org", "EMAIL:v@example.org"))
    rapport("import", str(path))
    rapport("undo")
    assert people(rapport) == []
    assert rapport("import", str(path)).stderr == "people: 1 added, 0 updated, 0 unchanged\n"
    assert people(rapport)[0]["other_emails"] == ["v@example.org"]

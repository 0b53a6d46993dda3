"""Contacts exported as CSV by other programs, as their published layouts write them."""

import json
from pathlib import Path

import pytest

CSV = Path(__file__).parent / "data" / "csv"


def people(rapport, *db: str) -> dict[str, dict]:
    found = json.loads(rapport(*db, "export", "people", "-f", "json").stdout)
    return {p["name"]: p for p in found}


def test_google_contacts_as_exported_today(rapport):
    result = rapport("import", str(CSV / "google.csv"))
    assert result.stderr.splitlines() == [
        f"skipped {CSV / 'google.csv'} row 3 (line 6): no name and no email",
        "people: 2 added, 0 updated, 0 unchanged, 1 skipped",
    ]
    found = people(rapport)
    grace = found["Grace Brewster Hopper"]
    assert (grace["company"], grace["title"], grace["birthday"]) == (
        "US Navy",
        "Rear Admiral",
        "1906-12-09",
    )
    assert (grace["email"], grace["other_emails"]) == (
        "grace@navy.example",
        ["grace@example.com (other)"],
    )
    assert grace["addresses"] == ["1 Main St, Arlington, VA 22201, USA (work)"]
    assert grace["urls"] == ["https://example.com/grace (profile)"]
    assert (grace["tags"], grace["notes"]) == (["Navy"], "Met at the COBOL meeting.")
    alan = found["Alan Turing"]
    assert (alan["birthday"], alan["phone"], alan["other_phones"]) == (
        "--06-23",
        "+44 20 7946 0001",
        ["+44 7700 900002 (home)"],
    )
    assert rapport("import", str(CSV / "google.csv")).stderr.splitlines()[-1] == (
        "people: 0 added, 0 updated, 2 unchanged, 1 skipped"
    )


def test_googles_older_layout(rapport):
    rapport("import", str(CSV / "google-legacy.csv"))
    ada = people(rapport)["Ada Lovelace"]
    assert (ada["email"], ada["company"], ada["title"], ada["tags"]) == (
        "ada@example.org",
        "Analytical Engines",
        "Programmer",
        ["Mathematicians"],
    )


def test_outlook_in_windows_1252(rapport):
    result = rapport("import", str(CSV / "outlook.csv"))
    assert "read as windows-1252" in result.stderr
    j = people(rapport)["Jürgen Müller"]
    assert (j["company"], j["title"], j["birthday"], j["tags"]) == (
        "Müller & Söhne",
        "Geschäftsführer",
        "1970-03-14",
        ["Suppliers", "VIP"],
    )
    assert j["phone"] == "+49 170 1234567"
    assert j["other_phones"] == ["+49 30 1234567 (work)"]
    assert j["addresses"] == ["Hauptstraße 1, Berlin, 10115, Germany (work)"]


def test_linkedin_connections_skip_the_preamble_and_date_the_start(rapport):
    result = rapport("import", str(CSV / "Connections.csv"))
    assert result.stderr == "people: 2 added, 0 updated, 0 unchanged\n"
    found = people(rapport)
    kat = found["Katherine Johnson"]
    assert (kat["company"], kat["title"], kat["email"]) == ("NASA", "Mathematician", None)
    assert kat["created_at"] == "2021-01-12T12:00:00+00:00"
    assert kat["urls"] == ["https://www.linkedin.com/in/kjohnson (linkedin)"]
    stages = json.loads(rapport("export", "stages", "-f", "json").stdout)
    assert {s["at"] for s in stages if s["person"] == "Katherine Johnson"} == {
        "2021-01-12T12:00:00+00:00"
    }


def test_hubspot_with_semicolons_maps_lifecycle_stages(rapport):
    rapport("import", str(CSV / "hubspot.csv"))
    found = people(rapport)
    assert (found["Marcus Webb"]["stage"], found["Tia Nguyen"]["stage"]) == ("married", "dating")
    assert found["Marcus Webb"]["company"] == "Webb Tiles"
    again = rapport("import", str(CSV / "hubspot.csv"))
    assert again.stderr == "people: 0 added, 0 updated, 2 unchanged\n"


def test_an_unknown_header_names_its_columns_and_the_closest_profile(rapport, tmp_path):
    sheet = tmp_path / "export.csv"
    sheet.write_text("First Name,Last Name,E-mail,Mobile\nAnn,Lee,ann@example.com,1\n")
    result = rapport("import", str(sheet), expect=2)
    assert "its header: 'First Name', 'Last Name', 'E-mail', 'Mobile'" in result.stderr
    assert "the closest profile is google" in result.stderr or "closest profile is" in result.stderr
    mapped = rapport(
        "import", str(sheet), "--map", "First Name=name", "--map", "E-mail=email",
        "--map", "Mobile=phone", "--ignore", "Last Name",
    )  # fmt: skip
    assert mapped.stderr == "people: 1 added, 0 updated, 0 unchanged\n"
    assert people(rapport)["Ann"]["email"] == "ann@example.com"


def test_a_profile_can_be_forced_and_an_unknown_one_is_named(rapport, tmp_path):
    sheet = tmp_path / "few.csv"
    sheet.write_text("First Name,Last Name,Email Address\nAnn,Lee,ann@example.com\n")
    rapport("import", str(sheet), "--profile", "linkedin")
    assert people(rapport)["Ann Lee"]["email"] == "ann@example.com"
    bad = rapport("import", str(sheet), "--profile", "myspace", expect=2)
    assert bad.stderr.startswith("rapport: unknown profile 'myspace' (profiles: google,")


def _fifty() -> list[dict[str, str]]:
    first = ["Ada", "Alan", "Grace", "Katherine", "Edsger", "Barbara", "Donald", "Frances",
             "John", "Margaret"]  # fmt: skip
    last = ["Lee", "Okafor", "Silva", "Novak", "Haddad"]
    return [
        {
            "first": f,
            "middle": "Maria" if i % 3 == 0 else "",
            "last": ln,
            "email": f"{f.lower()}.{ln.lower()}@example.org",
            "phone": f"+44 7700 9{i:05d}",
            "company": f"Firm {i % 7}",
        }
        for i, (f, ln) in enumerate((f, ln) for f in first for ln in last)
    ]


@pytest.mark.slow
def test_google_linkedin_and_a_vcard_of_the_same_fifty_people_make_fifty(rapport, tmp_path):
    import csv

    crowd = _fifty()
    google = (CSV / "google.csv").read_text().splitlines()[0].split(",")
    with (tmp_path / "google.csv").open("w", newline="") as out:
        writer = csv.DictWriter(out, google)
        writer.writeheader()
        for p in crowd:
            writer.writerow({
                "First Name": p["first"], "Middle Name": p["middle"], "Last Name": p["last"],
                "Organization Name": p["company"], "Labels": "* myContacts",
                "E-mail 1 - Label": "* Work", "E-mail 1 - Value": p["email"],
                "Phone 1 - Label": "Mobile", "Phone 1 - Value": p["phone"],
            })  # fmt: skip
    linkedin = (CSV / "Connections.csv").read_text().split("\n\n", 1)
    with (tmp_path / "Connections.csv").open("w", newline="") as out:
        out.write(linkedin[0] + "\n\n")
        writer = csv.writer(out)
        writer.writerow(linkedin[1].splitlines()[0].split(","))
        for i, p in enumerate(crowd):
            # LinkedIn shows an email only for those who allow it: the rest by exact name
            email = p["email"] if i % 2 == 0 or p["middle"] else ""
            url = f"https://www.linkedin.com/in/{p['first'].lower()}-{p['last'].lower()}"
            writer.writerow([p["first"], p["last"], url, email, p["company"], "Partner",
                             "05 Mar 2024"])  # fmt: skip
    cards = []
    for i, p in enumerate(crowd):
        phone = "0" + p["phone"].removeprefix("+44 ")  # the same number, written nationally
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"FN:{p['first']} {p['last']}\r\nN:{p['last']};{p['first']};;;\r\n"
            f"UID:card-{i}\r\nTEL;TYPE=CELL:{phone}\r\nEND:VCARD\r\n"
        )
    (tmp_path / "phone.vcf").write_text("".join(cards))
    for name in ("google.csv", "Connections.csv", "phone.vcf"):
        rapport("import", str(tmp_path / name))
    assert len(people(rapport)) == 50
    for name in ("google.csv", "Connections.csv", "phone.vcf"):
        again = rapport("import", str(tmp_path / name))
        assert again.stderr.endswith("people: 0 added, 0 updated, 50 unchanged\n"), name

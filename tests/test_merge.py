"""Merging duplicates: everything moves to the one who stays, and imports find them there."""

import json

NOW = "2026-11-24T09:30:00+00:00"  # as tests/conftest.py pins it

VCARD = """\
BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427
FN:Ann Lee
EMAIL:ann@home.example
TEL:+44 20 7946 0001
CATEGORIES:friends
END:VCARD
"""


def people(rapport) -> list[dict]:
    return json.loads(rapport("export", "people", "-f", "json").stdout)


def duplicates(rapport) -> list[dict]:
    return json.loads(rapport("people", "--duplicates", "-f", "json").stdout)


def test_a_duplicate_from_a_vcard_is_found_merged_and_never_imported_again(rapport, isolated):
    rapport("add", "Ann", "--company", "Acme", "--tag", "vip", "--stage", "friend")
    rapport("log", "ann", "first chat", "--at", "2026-11-01")
    card = isolated / "ann.vcf"
    card.write_text(VCARD, encoding="utf-8")
    rapport("import", str(card))
    rapport("log", "ann lee", "dinner")
    rapport("promise", "ann lee", "send the photos", "--due", "fri")

    [pair] = duplicates(rapport)
    assert pair == {
        "person_id": 1,
        "person": "Ann",
        "duplicate_id": 2,
        "duplicate": "Ann Lee",
        "why": "one name starts the other",
        "command": "rapport merge 2 into 1",
    }
    merged = rapport(*pair["command"].split()[1:], "--yes")
    assert "moved 1 commitment" in merged.stderr
    assert "not kept: name 'Ann Lee'" in merged.stderr

    [ann] = people(rapport)
    assert (ann["name"], ann["company"], ann["email"]) == ("Ann", "Acme", "ann@home.example")
    assert ann["phone"] == "+44 20 7946 0001" and ann["tags"] == ["friends", "vip"]
    assert ann["stage"] == "friend"
    notes = json.loads(rapport("export", "interactions", "-f", "json").stdout)
    assert [n["people"] for n in notes] == [["Ann"], ["Ann"]]
    [promise] = json.loads(rapport("export", "commitments", "-f", "json").stdout)
    assert promise["person"] == "Ann"
    assert duplicates(rapport) == []

    assert "0 added" in rapport("import", str(card)).stderr
    assert len(people(rapport)) == 1


def test_a_conversation_with_both_keeps_the_survivor_once(rapport):
    rapport("add", "Bob Stone")
    rapport("add", "Robert Stone", "--email", "bob@example.com")
    rapport("add", "Zoë")
    rapport("log", "bob,robert,zoe", "three-way call")
    rapport("merge", "robert", "INTO", "bob", "--yes")
    [note] = json.loads(rapport("export", "interactions", "-f", "json").stdout)
    assert note["people"] == ["Bob Stone", "Zoë"]
    assert [r["ref"] for r in json.loads(rapport("search", "three", "-f", "json").stdout)] == ["i1"]
    assert json.loads(rapport("search", "robert", "-f", "json").stdout) == []


def test_the_earliest_start_and_the_whole_stage_history_stay(rapport, monkeypatch):
    monkeypatch.setenv("RAPPORT_NOW", "2026-10-01T09:00:00+00:00")
    rapport("add", "Ann B")
    monkeypatch.setenv("RAPPORT_NOW", NOW)
    rapport("add", "Ann", "--duplicate")
    rapport("stage", "ann", "friend", "--at", "2026-11-20")
    rapport("stage", "ann b", "dating", "--why", "dinner", "--at", "2026-11-23")
    stages = json.loads(rapport("export", "stages", "-f", "json").stdout)
    rapport("merge", "ann b", "into", "2", "--yes")
    after = json.loads(rapport("export", "stages", "-f", "json").stdout)
    assert [s["uid"] for s in after] == [s["uid"] for s in stages]
    assert {s["person"] for s in after} == {"Ann"}
    [ann] = people(rapport)
    assert ann["stage"] == "dating"  # the latest in the joined history
    assert ann["created_at"] == "2026-10-01T09:00:00+00:00"


def test_undo_takes_a_merge_back_exactly(rapport, isolated):
    rapport("add", "Ann", "--tag", "vip")
    rapport("add", "Ann Lee", "--email", "ann@example.com", "--tag", "friends")
    rapport("log", "ann lee", "dinner")
    rapport("log", "1,2", "both of them")
    rapport("problem", "ann lee", "invoice twice")
    before, after = isolated / "before", isolated / "after"
    rapport("export", "all", "-o", str(before))
    rapport("merge", "ann lee", "into", "1", "--yes")
    rapport("undo")
    rapport("export", "all", "-o", str(after))
    for file in sorted(before.iterdir()):
        assert (after / file.name).read_bytes() == file.read_bytes(), file.name
    assert [r["ref"] for r in json.loads(rapport("search", "lee", "-f", "json").stdout)] == ["#2"]


def test_duplicates_by_email_phone_and_folded_name(rapport):
    rapport("add", "José Núñez", "--email", "JOSE@tiles.example")
    rapport("add", "Jose Nunez", "--duplicate")
    rapport("add", "Pepe", "--email", "jose@tiles.example ")
    rapport("add", "Raj", "--phone", "+44 20 7946 0002")
    rapport("add", "R. Patel", "--phone", "020 7946 0002")
    rapport("add", "Anna")
    rapport("add", "Ann")
    found = {(d["person_id"], d["duplicate_id"]): d["why"] for d in duplicates(rapport)}
    assert found == {(1, 2): "same name", (1, 3): "same email", (4, 5): "same phone"}


def test_merge_mistakes_change_nothing(rapport, isolated):
    rapport("add", "Ann Lee")
    rapport("add", "Ann Smith")
    rapport("add", "Bob")
    snapshot = rapport("export", "people", "-f", "json").stdout
    assert "themself" in rapport("merge", "bob", "into", "bob", "--yes", expect=2).stderr
    assert "not 'onto'" in rapport("merge", "bob", "onto", "ann lee", "--yes", expect=2).stderr
    assert "several" in rapport("merge", "ann", "into", "bob", "--yes", expect=2).stderr
    assert rapport("merge", "bob", "into", "ann lee", input="n\n", expect=1).exit_code == 1
    assert rapport("export", "people", "-f", "json").stdout == snapshot
    assert rapport("history", "-f", "json").stdout.count('"merge"') == 0
    rapport("merge", "bob", "into", "ann lee", input="y\n")
    assert len(people(rapport)) == 2


def test_an_alias_follows_a_second_merge(rapport, isolated):
    rapport("add", "A")
    rapport("add", "B")
    rapport("add", "C")
    [_, b, _] = people(rapport)
    rapport("merge", "b", "into", "a", "--yes")
    rapport("merge", "a", "into", "c", "--yes")
    rows = isolated / "people.csv"
    rows.write_text(f"uid,name,company\n{b['uid']},B,Acme\n", encoding="utf-8")
    rapport("import", str(rows))
    [survivor] = people(rapport)  # the row lands on the one B was merged into, at last
    assert survivor["company"] == "Acme"


def test_a_group_of_duplicates_merges_into_its_oldest(rapport):
    rapport("add", "Ann Lee", "--email", "ann@acme.example")
    rapport("add", "A. Lee", "--email", "ann@acme.example", "--phone", "020 7946 0002")
    rapport("add", "Annie", "--phone", "+44 20 7946 0002")
    rapport("add", "Ann Lee", "--duplicate")
    found = [(d["person_id"], d["duplicate_id"], d["why"]) for d in duplicates(rapport)]
    assert found == [
        (1, 2, "same email, same phone"),
        (1, 3, "same phone"),
        (1, 4, "same name"),
    ]
    for d in duplicates(rapport):
        rapport(*d["command"].split()[1:], "--yes")
    assert duplicates(rapport) == []
    assert len(people(rapport)) == 1

"""Adding, naming, editing and listing people."""

import csv
import io
import json

import pytest

from rapport.core.people import name_key
from rapport.core.records import PEOPLE


def test_add_then_show_profile_card(rapport):
    rapport(
        "add",
        "José Núñez",
        "--company",
        "Tiles, Inc",
        "--email",
        "jose@example.com",
        "--stage",
        "dating",
        "--every",
        "2w",
        "--style",
        "detail",
        "--now",
        "quoting by hand",
        "--wants",
        "a plan he can check line by line",
        "--birthday",
        "Mar 14",
        "--tag",
        "vip",
        "--tag",
        "builder",
    )
    shown = rapport("show", "jose").stdout
    for expected in (
        "#1 José Núñez",
        "Tiles, Inc",
        "jose@example.com",
        "dating since 2026-11-24",
        "every 14 days",
        "detail",
        "quoting by hand",
        "line by line",
        "birthday      14 March",
        "builder, vip",
        "never",
        "0 interactions",
    ):
        assert expected in shown


@pytest.mark.parametrize("typed", ["jose", "JOSE", "núñez", "nunez", "José Nú", "1"])
def test_person_is_found_by_fragment_case_accent_or_number(rapport, typed):
    rapport("add", "José Núñez")
    assert "#1 José Núñez" in rapport("show", typed).stdout


def test_decomposed_and_composed_names_match_each_other(rapport):
    rapport("add", "Jose\u0301 Nu\u0303n\u0303ez")  # NFD, as macOS file names give it
    assert "#1" in rapport("show", "José").stdout
    assert name_key("Jose\u0301") == name_key("Jos\u00e9") == "jose"


def test_ambiguous_name_lists_the_candidates(rapport):
    rapport("add", "Ann Lee")
    rapport("add", "Anna Smith")
    result = rapport("show", "ann", expect=2)
    assert result.stderr.strip() == (
        "rapport: 'ann' matches several people: #1 Ann Lee, #2 Anna Smith; use the number"
    )
    assert result.stdout == ""


def test_exact_name_wins_over_longer_names(rapport):
    rapport("add", "Ann")
    rapport("add", "Anna Smith")
    assert "#1 Ann" in rapport("show", "ann").stdout


def test_unknown_name_suggests_close_ones(rapport):
    rapport("add", "Zoë Martin")
    result = rapport("show", "zeo", expect=2)
    assert "no one matches 'zeo'; did you mean Zoë Martin?" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_number_is_an_error(rapport):
    assert "no person #7" in rapport("show", "7", expect=2).stderr


def test_same_name_twice_is_refused_unless_asked(rapport):
    rapport("add", "Sam Lee")
    result = rapport("add", "sam  lee", expect=2)
    assert "#1 Sam Lee is already in the journal" in result.stderr
    rapport("add", "Sam Lee", "--duplicate")
    assert (
        "matches several people: #1 Sam Lee, #2 Sam Lee" in rapport("show", "sam", expect=2).stderr
    )


def test_stage_default_cadence_and_override(rapport):
    rapport("add", "Ann", "--stage", "engaged")
    rapport("add", "Bob", "--every", "3m")
    listing = rapport("people").stdout
    assert "engaged" in listing and "14d" in listing and "90d" in listing
    rows = json.loads(rapport("people", "--format", "json").stdout)
    assert [r["cadence_days"] for r in rows] == [None, 90]


def test_bad_stage_and_bad_cadence_change_nothing(rapport, journal_path):
    rapport("add", "Ann")
    assert "unknown stage 'boss'" in rapport("add", "Bob", "--stage", "boss", expect=2).stderr
    assert (
        "can't read duration 'often'" in rapport("edit", "ann", "--every", "often", expect=2).stderr
    )
    rows = json.loads(rapport("people", "--format", "json").stdout)
    assert [r["name"] for r in rows] == ["Ann"]
    assert rows[0]["cadence_days"] is None


def test_edit_changes_clears_and_tags(rapport):
    rapport("add", "Ann", "--company", "Acme", "--tag", "vip", "--tag", "north")
    rapport(
        "edit",
        "ann",
        "--company",
        "",
        "--email",
        "ann@x.org",
        "--untag",
        "VIP",
        "--tag",
        "south",
        "--name",
        "Ann Lee",
    )
    row = json.loads(rapport("people", "--format", "json").stdout)[0]
    assert row["name"] == "Ann Lee"
    assert row["company"] is None
    assert row["email"] == "ann@x.org"
    assert row["tags"] == ["north", "south"]


def test_edit_stage_records_a_stage_change(rapport):
    rapport("add", "Ann")
    rapport("edit", "ann", "--stage", "friend")
    stages = json.loads(rapport("export", "stages", "--format", "json").stdout)
    assert [(s["stage"], s["why"]) for s in stages] == [
        ("acquaintance", "added"),
        ("friend", "edited"),
    ]


def test_people_filters_by_stage_and_tag(rapport):
    rapport("add", "Ann", "--stage", "friend", "--tag", "VIP")
    rapport("add", "Bob", "--stage", "friend")
    rapport("add", "Cy", "--stage", "married", "--tag", "vip")
    names = lambda *a: [r["name"] for r in json.loads(rapport("people", *a, "-f", "json").stdout)]  # noqa: E731
    assert names("--stage", "friend") == ["Ann", "Bob"]
    assert names("--tag", "vip") == ["Ann", "Cy"]
    assert names("--stage", "friend", "--tag", "vip") == ["Ann"]


def test_people_csv_has_the_contract_columns(rapport):
    rapport("add", "Ann", "--phone", "+33 6 12 34 56 78", "--birthday", "1980-03-14")
    rows = list(csv.reader(io.StringIO(rapport("people", "--format", "csv").stdout)))
    assert (
        tuple(rows[0])
        == PEOPLE.columns
        == (
            "id",
            "name",
            "company",
            "email",
            "phone",
            "stage",
            "cadence_days",
            "style",
            "current_state",
            "desired_outcome",
            "birthday",
            "tags",
            "snoozed_until",
            "last_contact_at",
            "created_at",
            "uid",
            "title",
            "notes",
            "other_emails",
            "other_phones",
            "addresses",
            "urls",
        )
    )
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["phone"] == "'+33 6 12 34 56 78"  # the formula guard
    assert record["birthday"] == "1980-03-14"
    assert record["created_at"] == "2026-11-24T09:30:00+00:00"
    assert len(record["uid"]) == 36


def test_empty_journal_lists_nobody_kindly(rapport):
    result = rapport("people")
    assert result.stdout == ""
    assert "nobody yet" in result.stderr
    assert json.loads(rapport("people", "--format", "json").stdout) == []


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("Łukasz Wąsik", "lukasz"),
        ("Zoë Ørsted", "orsted"),
        ("Søren Kierkegaard", "soren"),
        ("Jürgen Straße", "strasse"),
    ],
)
def test_letters_without_accents_still_fold(rapport, name, typed):
    rapport("add", name)
    assert name in rapport("show", typed).stdout


def test_renaming_onto_someone_elses_name_is_refused_unless_asked(rapport):
    rapport("add", "Ann Lee")
    rapport("add", "Bob")
    assert (
        "#1 Ann Lee already has that name"
        in rapport("edit", "bob", "--name", "ann lee", expect=2).stderr
    )
    rapport("edit", "bob", "--name", "Ann Lee", "--duplicate")
    assert "matches several people" in rapport("show", "ann", expect=2).stderr


def test_small_mistakes_in_edit_are_mistakes(rapport):
    rapport("add", "Ann Lee", "--tag", "vip")
    nothing = rapport("edit", "ann", expect=2)
    assert "nothing to change" in nothing.stderr
    untag = rapport("edit", "ann", "--untag", "vpi", "--company", "Acme", expect=2)
    assert untag.stderr == "rapport: Ann Lee has no tag 'vpi' (their tags: vip)\n"
    future = rapport("edit", "ann", "--birthday", "2030-05-01", expect=2)
    assert "in the future" in future.stderr
    ann = json.loads(rapport("people", "-f", "json").stdout)[0]
    assert (ann["company"], ann["birthday"], ann["tags"]) == (None, None, ["vip"])
    rapport("edit", "ann", "--untag", "VIP", "--birthday", "Mar 14")
    rapport("add", "Bob", "--birthday", "1980-03-14")


def test_at_help_suggests_a_moment_at_accepts(rapport):
    for command in ("log", "stage", "promise", "gesture"):
        shown = " ".join(rapport(command, "--help").stdout.split())
        assert "'fri 14:00'" not in shown


@pytest.fixture
def punctuated(rapport):
    for name in ("Margaret O'Brien", "Dr. Wei Zhang", 'Chloé "Coco" Martin', "Mark Stone"):
        rapport("add", name)
    rapport("edit", "mark", "--company", "Acme", "--email", "mark@acme.example")


@pytest.mark.parametrize(
    ("typed", "number"), [("obrien", 1), ("o'brien", 1), ("dr wei", 2), ("chloe coco", 3)]
)
def test_punctuation_and_titles_do_not_block_a_match(rapport, punctuated, typed, number):
    assert rapport("show", typed).stdout.startswith(f"╭─ #{number} ")


def test_a_near_miss_suggests_only_the_closest_names(rapport, punctuated):
    result = rapport("show", "margret", expect=2)
    assert result.stderr == "rapport: no one matches 'margret'; did you mean Margaret O'Brien?\n"


def test_a_company_or_email_finds_the_one_person_or_lists_them(rapport, punctuated):
    assert "#4 Mark Stone" in rapport("show", "acme").stdout
    assert rapport("log", "MARK@acme.example", "hi").stdout == "i1\n"
    rapport("add", "Zed", "--company", "Acme Labs")
    several = rapport("show", "acme", expect=2).stderr
    assert "matches several people: #4 Mark Stone, #5 Zed" in several


def test_a_crowded_fragment_names_a_few_and_counts_the_rest(rapport, journal_path):
    rapport("add", "Seed")
    import sqlite3

    with sqlite3.connect(journal_path) as db:
        db.executemany(
            "INSERT INTO person (uid, name, name_key, stage, created_at)"
            " VALUES (?, ?, ?, 'friend', '2026-11-01 00:00:00.000000')",
            [(f"uid-{n}", f"Sam {n}", f"sam {n}") for n in range(40)],
        )
    message = rapport("show", "sam", expect=2).stderr
    assert message.startswith("rapport: 'sam' matches several people: #2 Sam 0, #3 Sam 1,")
    assert "#6 Sam 4 and 35 more; use the number" in message
    assert "Sam 5," not in message


def test_channel_prefixes_and_aliases(rapport):
    rapport("add", "Ann")
    unclear = rapport("log", "ann", "hi", "-c", "m", expect=2).stderr
    assert "'m' could be meeting or message" in unclear
    rapport("log", "ann", "rang her", "-c", "phone")
    rows = json.loads(rapport("export", "interactions", "--format", "json").stdout)
    assert rows[0]["channel"] == "call"

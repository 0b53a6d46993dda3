"""Data in and out: export, import, and the round trip between them."""

import csv
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from rapport.core import records
from rapport.core.records import LISTINGS

TABLES = ["people", "interactions", "commitments", "problems", "gestures", "stages"]
CONTRACT = {
    "people": "id,name,company,email,phone,stage,cadence_days,style,current_state,"
    "desired_outcome,birthday,tags,snoozed_until,last_contact_at,created_at,uid,"
    "title,notes,other_emails,other_phones,addresses,urls",
    "interactions": "id,at,people,channel,mood,text,heard,tags,author,uid,people_uids,"
    "started_by,heard_state,heard_correction,heard_checked_at,ref,day_only",
    "commitments": "id,person,direction,text,due,status,closed_at,why,created_at,uid,person_uid,"
    "toward,ref,author",
    "problems": "id,person,text,opened_at,resolved_at,note,uid,person_uid,ref",
    "gestures": "id,person,kind,text,at,uid,person_uid,toward,ref",
    "stages": "id,person,stage,at,why,uid,person_uid,ref",
}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def rows(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Where the story's journal is kept once written, for the next tests to copy."""
    return tmp_path_factory.mktemp("story") / "story.db"


def copy_journal(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dest:
        src.backup(dest)
    src.close()
    dest.close()


@pytest.fixture
def story(rapport, journal_path, built, monkeypatch):
    """A journal whose cells hold everything a CSV can trip on."""
    if built.exists():
        copy_journal(built, journal_path)
        return
    tell(rapport, monkeypatch)
    copy_journal(journal_path, built)


def tell(rapport, monkeypatch):
    rapport(
        "add",
        "Ann Lee",
        "--company",
        '=HYPERLINK("http://evil.example","click")',
        "--email",
        "ann@example.com",
        "--phone",
        "+33 6 12 34 56 78",
        "--style",
        "-detail-",
        "--now",
        'says "fine", then leaves',
        "--wants",
        "line one\nline two",
        "--birthday",
        "--03-14",
        "--tag",
        "vip",
        "--tag",
        "@home",
        "--every",
        "10d",
    )
    rapport("add", "José Núñez", "--company", "Tiles, Inc", "--stage", "dating")
    rapport("add", "'Quoted' Smith", "--birthday", "1980-02-29")
    rapport("add", "Zoë 🎉 Martin", "--stage", "friend")
    rapport("add", "@dana")
    rapport(
        "log",
        "--mood",
        "-2",
        "--heard",
        "+1 on the plan",
        "--tag",
        "-urgent",
        "--tag",
        "tiles",
        "--channel",
        "meeting",
        "--at",
        "2026-11-20 15:00",
        "--",
        "ann,jose",
        '-5% off, "firm"\r\nthen =SUM(A1)',
    )
    rapport("log", "zoe", "", "--heard", "needs, commas; and semicolons", "--mood", "2")
    rapport("log", "dana", "\tindented? no: trimmed", "--channel", "email")
    rapport("promise", "ann", "send the quote, v2", "--due", "2026-12-01")
    rapport("expect", "jose", "=sign here", "--due", "2026-11-20")
    now = os.environ["RAPPORT_NOW"]
    monkeypatch.setenv("RAPPORT_NOW", "2026-11-01T09:00:00+00:00")  # promised weeks ago
    rapport("promise", "zoe", "call back", "--due", "2026-11-10")
    monkeypatch.setenv("RAPPORT_NOW", now)
    rapport("done", "3", "--at", "2026-11-12")
    rapport("promise", "smith", "visit", "--due", "2026-11-01")
    rapport("broke", "4", "--why", "-too late")
    rapport("problem", "ann", "tiles cracked\nagain")
    rapport("resolve", "1", "--note", "@replaced, all of them")
    rapport("problem", "jose", "invoice wrong")
    rapport("gesture", "jose", "card", 'Thanks, "really"')
    rapport("stage", "jose", "engaged", "--why", "=yes")
    rapport("snooze", "ann", "--until", "2026-12-10")


def export_all(rapport, folder: Path, *db: str) -> dict[str, bytes]:
    rapport(*db, "export", "all", "-o", str(folder))
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- export -----------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_csv_header_is_the_contract_and_json_keys_match(rapport, table):
    rapport("add", "Ann")
    out = rapport("export", table).raw
    assert out.startswith(CONTRACT[table].encode() + b"\r\n")  # UTF-8, no BOM, CRLF
    assert ",".join(LISTINGS[table].columns) == CONTRACT[table]
    rapport("log", "ann", "hello")
    rapport("promise", "ann", "x", "--due", "tomorrow")
    rapport("problem", "ann", "y")
    rapport("gesture", "ann", "card")
    [first, *_] = json.loads(rapport("export", table, "--format", "json").stdout)
    assert ",".join(first) == CONTRACT[table]


def test_formula_guard_on_text_cells_only_and_json_unaltered(rapport, story):
    people = {r["name"]: r for r in rows(rapport("export", "people").raw)}
    assert set(people) == {"Ann Lee", "José Núñez", "''Quoted' Smith", "Zoë 🎉 Martin", "'@dana"}
    ann = people["Ann Lee"]
    assert ann["company"] == '\'=HYPERLINK("http://evil.example","click")'
    assert ann["phone"] == "'+33 6 12 34 56 78"
    assert ann["style"] == "'-detail-"
    assert ann["tags"] == "'@home; vip"
    assert ann["wants" if "wants" in ann else "desired_outcome"] == "line one\nline two"
    assert ann["birthday"] == "--03-14"  # a date column: never guarded
    assert ann["cadence_days"] == "10"
    [talk, *_] = rows(rapport("export", "interactions").raw)
    assert talk["mood"] == "-2"  # numbers are never guarded, negative or not
    assert talk["text"] == '\'-5% off, "firm"\r\nthen =SUM(A1)'
    assert talk["heard"] == "'+1 on the plan"
    assert talk["tags"] == "'-urgent; tiles"
    assert talk["people"] == "Ann Lee; José Núñez"
    commitments = rows(rapport("export", "commitments").raw)
    assert commitments[1]["text"] == "'=sign here"
    assert commitments[3]["why"] == "'-too late"
    [stage] = [r for r in rows(rapport("export", "stages").raw) if r["why"] == "'=yes"]
    assert stage["stage"] == "engaged"
    data = json.loads(rapport("export", "people", "--format", "json").stdout)
    assert data[0]["company"] == '=HYPERLINK("http://evil.example","click")'
    assert data[0]["tags"] == ["@home", "vip"]
    assert data[0]["cadence_days"] == 10
    assert json.loads(rapport("export", "interactions", "-f", "json").stdout)[0]["mood"] == -2


def test_export_to_a_file_is_owner_only_whatever_the_umask(rapport, story, tmp_path):
    target = tmp_path / "out" / "people.csv"
    target.parent.mkdir()
    old = os.umask(0)
    try:
        result = rapport("export", "people", "-o", str(target))
        rapport("export", "commitments", "-f", "json", "-o", str(tmp_path / "out" / "c.json"))
    finally:
        os.umask(old)
    assert result.stdout == ""
    assert mode(target) == 0o600
    assert target.read_bytes() == rapport("export", "people").raw
    assert json.loads((tmp_path / "out" / "c.json").read_text(encoding="utf-8"))[0]["id"] == 1
    assert sorted(p.name for p in target.parent.iterdir()) == ["c.json", "people.csv"]


def test_export_all_makes_an_owner_only_folder_of_csvs(rapport, story, tmp_path):
    folder = tmp_path / "backup" / "2026"
    old = os.umask(0o022)
    try:
        files = export_all(rapport, folder)
    finally:
        os.umask(old)
    assert sorted(files) == sorted(f"{t}.csv" for t in TABLES)
    assert mode(folder) == 0o700
    assert all(mode(folder / name) == 0o600 for name in files)
    for table in TABLES:
        assert files[f"{table}.csv"] == rapport("export", table).raw


def test_a_failed_export_leaves_no_file_behind(rapport, tmp_path):
    not_a_journal = tmp_path / "notes.txt"
    not_a_journal.write_text("just text\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    result = rapport("--db", str(not_a_journal), "export", "people", "-o", str(target), expect=2)
    assert "not a rapport journal" in result.stderr
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == [
        "config.toml",
        "notes.txt",
    ]
    result = rapport(
        "--db", str(not_a_journal), "export", "all", "-o", str(tmp_path / "new"), expect=2
    )
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("export", "all"), "export all writes one CSV per table into a folder: add -o DIR"),
        (("export", "all", "-f", "json", "-o", "x"), "export all writes CSV only"),
        (("export", "people", "-f", "ics"), "--format ics is for commitments and the calendar"),
        (("export", "people", "-o", "/no/such/folder/p.csv"), "no folder /no/such/folder"),
    ],
)
def test_export_mistakes_are_one_line_and_exit_2(rapport, args, message):
    result = rapport(*args, expect=2)
    assert result.stderr.startswith(f"rapport: {message}")
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_open_commitments_as_calendar_todos(rapport, story, tmp_path):
    from icalendar import Calendar

    target = tmp_path / "promises.ics"
    rapport("export", "commitments", "--format", "ics", "-o", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert mode(target) == 0o600
    calendar = Calendar.from_ical(raw)
    todos = {str(t["summary"]): t for t in calendar.walk("VTODO")}
    # commitment 3 was kept and 4 broken: only the open ones are to-dos
    assert sorted(todos) == [
        "Expecting from José Núñez: =sign here",
        "Promised Ann Lee: send the quote, v2",
    ]
    mine = todos["Promised Ann Lee: send the quote, v2"]
    uids = {
        r["id"]: r["uid"] for r in json.loads(rapport("export", "commitments", "-f", "json").stdout)
    }
    assert str(mine["uid"]) == f"{uids[1]}@rapport"
    assert mine["due"].dt == date(2026, 12, 1)
    assert b"DUE;VALUE=DATE:20261201\r\n" in raw
    assert str(mine["status"]) == "NEEDS-ACTION"
    assert mine["dtstamp"].dt == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert "rapport commitment 1" in str(mine["description"])
    # a second, independent reader agrees
    import vobject

    parsed = vobject.readOne(raw.decode("utf-8"))
    assert len(parsed.vtodo_list) == 2


# -- the round trip ---------------------------------------------------------------


def test_export_import_export_is_byte_identical(rapport, story, tmp_path):
    before = export_all(rapport, tmp_path / "a")
    fresh = tmp_path / "fresh.db"
    result = rapport("--db", str(fresh), "import", str(tmp_path / "a"))
    assert result.stderr.splitlines() == [
        "people: 5 added, 0 updated, 0 unchanged",
        "stages: 6 added, 0 updated, 0 unchanged",
        "interactions: 3 added, 0 updated, 0 unchanged",
        "commitments: 4 added, 0 updated, 0 unchanged",
        "problems: 2 added, 0 updated, 0 unchanged",
        "gestures: 1 added, 0 updated, 0 unchanged",
    ]
    after = export_all(rapport, tmp_path / "b", "--db", str(fresh))
    assert after == before
    for table in TABLES:
        assert (
            rapport("--db", str(fresh), "export", table, "-f", "json").raw
            == rapport("export", table, "-f", "json").raw
        )
    # the journals agree beyond exports too
    assert rapport("--db", str(fresh), "show", "ann").stdout == rapport("show", "ann").stdout
    assert (
        rapport("--db", str(fresh), "due", "--all", "-f", "csv").stdout
        == rapport("due", "--all", "-f", "csv").stdout
    )


def test_import_file_by_file_in_any_order_of_tables_of_a_folder(rapport, story, tmp_path):
    export_all(rapport, tmp_path / "a")
    fresh = ("--db", str(tmp_path / "fresh.db"))
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    # names that sort the other way round: the header, not the name, tells the table
    (mixed / "1.csv").write_bytes((tmp_path / "a" / "gestures.csv").read_bytes())
    (mixed / "2.csv").write_bytes((tmp_path / "a" / "stages.csv").read_bytes())
    (mixed / "3.csv").write_bytes((tmp_path / "a" / "interactions.csv").read_bytes())
    (mixed / "4.csv").write_bytes((tmp_path / "a" / "people.csv").read_bytes())
    (mixed / "notes.txt").write_text("not data", encoding="utf-8")
    result = rapport(*fresh, "import", str(mixed))
    assert result.stderr.splitlines()[0] == "skipped notes.txt (neither .csv nor .vcf)"
    for table in ("people", "stages", "interactions", "gestures"):
        assert rapport(*fresh, "export", table).raw == rapport("export", table).raw


def test_reimporting_adds_nothing_and_changes_nothing(rapport, story, tmp_path):
    before = export_all(rapport, tmp_path / "a")
    result = rapport("import", str(tmp_path / "a"))
    assert "people: 0 added, 0 updated, 5 unchanged" in result.stderr
    assert "interactions: 0 added, 0 updated, 3 unchanged" in result.stderr
    assert export_all(rapport, tmp_path / "b") == before


def test_dry_run_reports_and_saves_nothing(rapport, story, tmp_path):
    export_all(rapport, tmp_path / "a")
    fresh = ("--db", str(tmp_path / "fresh.db"))
    result = rapport(*fresh, "import", str(tmp_path / "a"), "--dry-run")
    lines = result.stderr.splitlines()
    assert len([line for line in lines if line.startswith("would add ")]) == 5
    assert "people: 5 to add, 0 to update, 0 unchanged" in lines
    assert lines[-1] == "dry run: nothing was saved"
    assert rapport(*fresh, "export", "people").raw == CONTRACT["people"].encode() + b"\r\n"
    assert rapport(*fresh, "export", "stages").raw == CONTRACT["stages"].encode() + b"\r\n"


def test_merging_into_a_journal_gives_new_ids_and_keeps_uids(rapport, story, tmp_path):
    export_all(rapport, tmp_path / "a")
    other = ("--db", str(tmp_path / "other.db"))
    rapport(*other, "add", "Bob Stone")
    rapport(*other, "import", str(tmp_path / "a" / "people.csv"))
    merged = json.loads(rapport(*other, "export", "people", "-f", "json").stdout)
    assert [p["id"] for p in merged] == [1, 2, 3, 4, 5, 6]
    original = json.loads(rapport("export", "people", "-f", "json").stdout)
    assert [p["uid"] for p in merged[1:]] == [p["uid"] for p in original]
    # rapport's own rows bring no invented history
    assert len(json.loads(rapport(*other, "export", "stages", "-f", "json").stdout)) == 1


def test_records_follow_their_people_by_uid_else_by_exact_name(rapport, story, tmp_path):
    export_all(rapport, tmp_path / "a")
    other = ("--db", str(tmp_path / "other.db"))
    # the same people, typed in by hand elsewhere: other uids, the same names
    for name in ("Ann Lee", "José Núñez", "Zoë 🎉 Martin", "@dana"):
        rapport(*other, "add", name)
    rapport(*other, "import", str(tmp_path / "a" / "interactions.csv"))
    talks = json.loads(rapport(*other, "export", "interactions", "-f", "json").stdout)
    assert [t["people"] for t in talks] == [["Ann Lee", "José Núñez"], ["Zoë 🎉 Martin"], ["@dana"]]
    result = rapport(*other, "import", str(tmp_path / "a" / "commitments.csv"), expect=2)
    assert "row 4 (line 5): no one named ''Quoted' Smith' in the journal" in result.stderr


# -- CSVs made elsewhere ----------------------------------------------------------


def test_a_history_kept_in_a_spreadsheet(rapport, tmp_path):
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    (sheets / "people.csv").write_text("name\nAnn Lee\n", encoding="utf-8")
    (sheets / "stages.csv").write_text(
        "person,stage,at,why\nAnn Lee,friend,2026-03-01,met twice\nAnn Lee,dating,2026-06-01,\n",
        encoding="utf-8",
    )
    (sheets / "promises.csv").write_text(
        "person,direction,text,due,status,closed_at\n"
        "Ann Lee,theirs,the plans,2026-07-01,late,2026-07-03T10:00:00Z\n"
        "Ann Lee,mine,the quote,Dec 1 2026,,\n",
        encoding="utf-8",
    )
    result = rapport("import", str(sheets))
    assert result.stderr.splitlines() == [
        "people: 1 added, 0 updated, 0 unchanged",
        "stages: 2 added, 0 updated, 0 unchanged",
        "commitments: 2 added, 0 updated, 0 unchanged",
    ]
    [ann] = json.loads(rapport("export", "people", "-f", "json").stdout)
    assert ann["stage"] == "dating"  # the stage of the latest change
    promises = json.loads(rapport("export", "commitments", "-f", "json").stdout)
    assert [(c["direction"], c["due"], c["status"]) for c in promises] == [
        ("theirs", "2026-07-01", "late"),
        ("mine", "2026-12-01", "open"),
    ]
    assert promises[1]["created_at"] == "2026-11-24T09:30:00+00:00"  # missing: now


def test_a_spreadsheet_of_contacts_with_a_few_columns_in_any_order(rapport, tmp_path):
    sheet = tmp_path / "contacts.csv"
    sheet.write_bytes(
        "\ufeffEmail,Name,Tags,Stage,Birthday\r\n"
        'ann@example.com,Ann Lee,"vip, tiles",friend,1980-03-14\r\n'
        "bob@example.com,  Bob   Stone ,,,\r\n".encode()
    )
    result = rapport("import", str(sheet))
    assert result.stderr == "people: 2 added, 0 updated, 0 unchanged\n"
    people = json.loads(rapport("export", "people", "-f", "json").stdout)
    assert [(p["name"], p["email"], p["stage"], p["tags"]) for p in people] == [
        ("Ann Lee", "ann@example.com", "friend", ["tiles", "vip"]),
        ("Bob Stone", "bob@example.com", "acquaintance", []),
    ]
    assert people[0]["birthday"] == "1980-03-14"
    stages = json.loads(rapport("export", "stages", "-f", "json").stdout)
    assert [(s["person"], s["stage"], s["why"]) for s in stages] == [
        ("Ann Lee", "friend", "imported"),
        ("Bob Stone", "acquaintance", "imported"),
    ]


def test_people_are_matched_by_exact_name_and_empty_cells_erase_nothing(rapport, tmp_path):
    rapport("add", "José Núñez", "--company", "Tiles, Inc", "--phone", "123", "--tag", "vip")
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,company,phone,tags\njose nunez,,456,builder\n", encoding="utf-8")
    assert rapport("import", str(sheet)).stderr == "people: 0 added, 1 updated, 0 unchanged\n"
    [jose] = json.loads(rapport("export", "people", "-f", "json").stdout)
    assert (jose["name"], jose["company"], jose["phone"]) == ("José Núñez", "Tiles, Inc", "123")
    assert jose["other_phones"] == ["456"]  # a sheet from elsewhere adds, never replaces
    assert jose["tags"] == ["builder", "vip"]


def test_a_call_log_names_people_and_reads_local_times(rapport, tmp_path):
    rapport("add", "Ann Lee")
    rapport("add", "Bob Stone")
    log = tmp_path / "calls.csv"
    log.write_text(
        "person,at,channel,mood,text\n"
        "Ann Lee,2026-11-20 15:00,call,pleased,Renewal\n"
        'bob stone,2026-11-21T08:00:00+01:00,meet,-1,"Late, again"\n',
        encoding="utf-8",
    )
    rapport("import", str(log))
    calls = json.loads(rapport("export", "interactions", "-f", "json").stdout)
    assert [(c["people"], c["at"], c["channel"], c["mood"]) for c in calls] == [
        (["Ann Lee"], "2026-11-20T15:00:00+00:00", "call", 1),
        (["Bob Stone"], "2026-11-21T07:00:00+00:00", "meeting", -1),
    ]
    assert calls[1]["text"] == "Late, again"
    assert calls[0]["author"] == "tester"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "name,Mobile,email,Fax\nAnn,1,a@b.c,x\n",
            "unknown columns 'Mobile', 'Fax' for people (its columns: id, name,",
        ),
        (
            "person,text\nAnn,x\n",
            "can't tell whether it holds interactions or commitments or problems or gestures;",
        ),
        ("email,phone\na@b.c,1\n", "can't tell what it holds; the header needs name for people;"),
        ("", "the first line should be a header of column names"),
        ("name,name\nAnn,Ann\n", "column 'name' appears more than once"),
    ],
)
def test_a_header_that_tells_no_table_is_refused(rapport, tmp_path, content, message):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(content, encoding="utf-8")
    result = rapport("import", str(sheet), expect=2)
    assert result.stderr.startswith(f"rapport: {sheet}: {message}"), result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "journal.db").exists()  # refused before the journal is opened


def test_the_file_name_settles_an_ambiguous_header(rapport, tmp_path):
    rapport("add", "Ann")
    sheet = tmp_path / "problems.csv"
    sheet.write_text("person,text\nAnn,leaking roof\n", encoding="utf-8")
    assert rapport("import", str(sheet)).stderr.startswith("problems: 1 added")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "person,direction,text,due\nAnn,mine,a,2026-12-01\nAnn,mine,b,2026-12-02\n"
            "Ann,mine,c,someday\n",
            "row 3 (line 4): can't read date 'someday'",
        ),
        (
            "person,direction,text,due\nAnn,mine,a,2026-12-01\nNobody,mine,b,2026-12-01\n",
            "row 2 (line 3): no one named 'Nobody' in the journal (add or import them first)",
        ),
        (
            'person,direction,text,due\nAnn,mine,"two\nlines",2026-12-01\nAnn,ours,b,2026-12-01\n',
            "row 2 (line 4): unknown direction 'ours' (mine or theirs)",
        ),
        (
            "person,direction,text,due\nAnn,mine,a,2026-12-01,extra\n",
            "row 1 (line 2): 5 cells but the header has 4 columns",
        ),
        ("person,direction,text,due\nAnn,mine,,2026-12-01\n", "row 1 (line 2): text missing"),
        ('person,direction,text,due\nAnn,mine,"open,2026-12-01\n', "line 2: malformed CSV"),
    ],
)
def test_a_bad_row_rejects_the_whole_file(rapport, tmp_path, content, message):
    rapport("add", "Ann")
    sheet = tmp_path / "promises.csv"
    sheet.write_text(content, encoding="utf-8")
    result = rapport("import", str(sheet), expect=2)
    assert result.stderr.startswith(f"rapport: {sheet} {message}"), result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert json.loads(rapport("export", "commitments", "-f", "json").stdout) == []


def test_a_bad_file_in_a_folder_rejects_the_whole_folder(rapport, story, tmp_path):
    export_all(rapport, tmp_path / "a")
    (tmp_path / "a" / "problems.csv").write_text(
        "person,text\nAnn Lee,fine\nAnn Lee,\n", encoding="utf-8"
    )
    fresh = ("--db", str(tmp_path / "fresh.db"))
    result = rapport(*fresh, "import", str(tmp_path / "a"), expect=2)
    assert (
        result.stderr
        == f"rapport: {tmp_path / 'a' / 'problems.csv'} row 2 (line 3): text missing\n"
    )
    assert rapport(*fresh, "export", "people").raw == CONTRACT["people"].encode() + b"\r\n"


def test_a_file_that_is_not_utf8_is_read_as_windows_1252_and_says_so(rapport, tmp_path):
    sheet = tmp_path / "people.csv"
    sheet.write_bytes(b"name,company\nAnn,Acme\nJos\xe9,Tiles \x96 Stone\n")
    result = rapport("import", str(sheet))
    assert result.stderr.splitlines()[0] == (
        f"note: {sheet}: not UTF-8; read as windows-1252 (give --encoding if that is wrong)"
    )
    assert rapport("show", "jose").stdout.count("Tiles \u2013 Stone") == 1
    told = rapport("import", str(sheet), "--encoding", "utf-8", expect=2)
    assert told.stderr == f"rapport: {sheet} line 3: not utf-8 text\n"


@pytest.mark.parametrize(
    ("target", "message"),
    [("missing.csv", "no file or folder"), ("data.json", "rapport imports CSV and vCard files")],
)
def test_unreadable_import_targets(rapport, tmp_path, target, message):
    path = tmp_path / target
    if target.endswith(".json"):
        path.write_text("[]", encoding="utf-8")
    assert message in rapport("import", str(path), expect=2).stderr
    assert not (tmp_path / "journal.db").exists()


# -- large journals ---------------------------------------------------------------


def seed_interactions(journal_path: Path, first: int, count: int) -> None:
    from sqlalchemy import insert

    from rapport.models import Interaction, InteractionPerson, Person
    from rapport.store import open_journal

    journal = open_journal(str(journal_path))
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with journal.write() as session:
        if first == 1:
            session.add(Person(name="Ann Lee", name_key="ann lee", created_at=start))
            session.flush()
        ids = range(first, first + count)
        session.execute(
            insert(Interaction),
            [
                {"id": i, "uid": f"u{i}", "at": start + timedelta(minutes=i), "text": "x" * 500}
                for i in ids
            ],
        )
        session.execute(
            insert(InteractionPerson),
            [
                {"interaction_id": i, "person_id": 1, "at": start + timedelta(minutes=i)}
                for i in ids
            ],
        )
    journal.close()


def peak_while_exporting(rapport, target: Path) -> int:
    tracemalloc.start()
    try:
        rapport("export", "interactions", "-o", str(target))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_exports_stream_memory_stays_flat_as_the_journal_grows(
    rapport, journal_path, tmp_path, monkeypatch
):
    monkeypatch.setattr(records, "BATCH", 100)
    seed_interactions(journal_path, 1, 1000)
    target = tmp_path / "interactions.csv"
    peak_while_exporting(rapport, target)  # warm the caches
    small = peak_while_exporting(rapport, target)
    seed_interactions(journal_path, 1001, 4000)
    large = peak_while_exporting(rapport, target)
    assert target.stat().st_size > 1_000_000
    size = target.stat().st_size
    assert size > 2_500_000
    assert large < small * 1.3, (small, large)  # five times the rows, about the same memory
    assert large < size / 2, (large, size)


def test_help_of_export_and_import_loads_no_format_library():
    code = (
        "import sys\n"
        "from rapport.cli import main\n"
        "for args in (['export', '--help'], ['import', '--help']):\n"
        "    sys.argv = ['rapport', *args]\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "heavy = [m for m in ('sqlalchemy', 'vobject', 'icalendar') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "HEAVY []" in done.stderr, done.stderr


def test_a_call_log_from_elsewhere_imported_twice_adds_nothing_the_second_time(rapport, tmp_path):
    rapport("add", "Ann Lee")
    rapport("add", "Bob Stone")
    log = tmp_path / "calls.csv"
    log.write_text(
        "at,people,channel,text\n"
        "2026-11-20T10:00:00+00:00,Ann Lee,call,Renewal\n"
        "2026-11-20T10:00:00+00:00,Bob Stone,call,Renewal\n"
        "2026-11-21T09:00:00+00:00,Ann Lee; Bob Stone,meeting,Kick-off\n",
        encoding="utf-8",
    )
    assert "interactions: 3 added, 0 updated, 0 unchanged" in rapport("import", str(log)).stderr
    again = rapport("import", str(log)).stderr
    assert "interactions: 0 added, 0 updated, 3 unchanged" in again
    assert len(json.loads(rapport("export", "interactions", "-f", "json").stdout)) == 3

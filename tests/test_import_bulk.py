"""Importing thousands of rows: written in batches, yet one change, exact and idempotent."""

import csv
import io
import json
from pathlib import Path

import pytest

from rapport.core import import_plan

PEOPLE = 1200
TALKS = 2600  # more than two batches


def sheets(folder: Path) -> Path:
    """rapport's own export of many people and their conversations, made by hand."""
    folder.mkdir()
    uid = "00000000-0000-4000-8000-{:012d}".format
    people = ["id,name,company,tags,uid"]
    people += [f"{n},Person {n},Co {n % 7},team{n % 3},{uid(n)}" for n in range(1, PEOPLE + 1)]
    (folder / "people.csv").write_text("\n".join(people) + "\n", encoding="utf-8")
    talks = ["id,at,people,channel,text,tags,uid,people_uids"]
    for n in range(1, TALKS + 1):
        a, b = n % PEOPLE + 1, (n * 7) % PEOPLE + 1
        who, uids = (
            (f"Person {a}", uid(a))
            if a == b
            else (f"Person {a}; Person {b}", f"{uid(a)}; {uid(b)}")
        )
        talks.append(
            f"{n},2026-0{1 + n % 9}-1{n % 10}T10:00:00+00:00,{who},call,talk number {n},"
            f"t{n % 4},{uid(10**6 + n)},{uids}"
        )
    (folder / "interactions.csv").write_text("\n".join(talks) + "\n", encoding="utf-8")
    return folder


KEPT_PEOPLE = ("id", "name", "company", "tags", "uid")
KEPT_TALKS = ("id", "at", "people", "text", "tags", "uid", "people_uids")


def _cells(source: Path | str, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    return [tuple(row[c] for c in columns) for row in csv.DictReader(io.StringIO(text))]


def count(rapport, table: str) -> int:
    return rapport("export", table, "--format", "csv").stdout.count("\n") - 1


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    return sheets(tmp_path / "export")


def test_a_large_export_is_imported_whole_then_adds_nothing_and_undoes_in_one(
    rapport, exported, tmp_path
):
    result = rapport("import", str(exported))
    assert f"people: {PEOPLE} added, 0 updated, 0 unchanged" in result.stderr
    assert f"interactions: {TALKS} added, 0 updated, 0 unchanged" in result.stderr
    for table, columns in (("people", KEPT_PEOPLE), ("interactions", KEPT_TALKS)):
        source = _cells(exported / f"{table}.csv", columns)
        assert _cells(rapport("export", table, "--format", "csv").stdout, columns) == source
    found = json.loads(rapport("search", "number 2599", "--format", "json").stdout)
    assert [row["ref"] for row in found] == ["i2599"]

    result = rapport("import", str(exported))
    assert f"people: 0 added, 0 updated, {PEOPLE} unchanged" in result.stderr
    assert f"interactions: 0 added, 0 updated, {TALKS} unchanged" in result.stderr
    history = json.loads(rapport("history", "--format", "json").stdout)
    assert len(history) == 1

    rapport("undo")
    assert count(rapport, "people") == 0
    assert count(rapport, "interactions") == 0
    assert json.loads(rapport("search", "number", "--format", "json").stdout) == []


def test_rows_of_one_batch_that_name_the_same_record_land_as_one(rapport, exported):
    path = exported / "interactions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1]
    changed = first.replace("talk number 1,", "talk number one,")
    elsewhere = ",".join(cell if i not in (0, 6) else "" for i, cell in enumerate(first.split(",")))
    path.write_text("\n".join([header, first, changed, elsewhere, elsewhere]) + "\n", "utf-8")
    (exported / "people.csv").rename(exported.parent / "people.csv")
    rapport("import", str(exported.parent / "people.csv"))
    result = rapport("import", str(path))
    # The copy without a uid no longer matches the first row, which the second changed.
    assert "interactions: 2 added, 1 updated, 1 unchanged" in result.stderr
    rows = rapport("export", "interactions", "--format", "csv").stdout.splitlines()
    assert [("talk number one" in row, "talk number 1," in row) for row in rows[1:]] == [
        (True, False),
        (False, True),
    ]


def test_a_mistake_in_the_last_row_of_a_file_read_as_it_is_written_saves_nothing(
    rapport, exported, monkeypatch
):
    monkeypatch.setattr(import_plan, "READ_AHEAD", 0)
    path = exported / "interactions.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "9999,2026-01-01T10:00:00+00:00,Nobody,call,x,,,\n",
        encoding="utf-8",
    )
    result = rapport("import", str(exported), expect=2)
    assert f"row {TALKS + 1} (line {TALKS + 2})" in result.stderr
    assert count(rapport, "people") == 0
    assert count(rapport, "interactions") == 0


def test_details_added_to_known_people_and_to_new_ones_in_one_batch_keep_apart(rapport, tmp_path):
    rapport("add", "Ann Lee", "--email", "ann@example.com")
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "name,email,other_emails\n"
        "Ann Lee,ann@example.com,a2@example.com\n"
        "New One,n0@example.com,n1@example.com; n2@example.com\n"
        "Ann Lee,ann@example.com,a3@example.com\n"
        "New Two,,n3@example.com\n",
        encoding="utf-8",
    )
    result = rapport("import", str(sheet))
    assert "people: 2 added, 2 updated, 0 unchanged" in result.stderr
    people = csv.DictReader(io.StringIO(rapport("export", "people").stdout))
    assert {row["name"]: row["other_emails"] for row in people} == {
        "Ann Lee": "a2@example.com; a3@example.com",
        "New One": "n1@example.com; n2@example.com",
        "New Two": "n3@example.com",
    }

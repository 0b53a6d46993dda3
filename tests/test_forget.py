"""Forgetting a person: nothing of them stays in the journal, its file or its log."""

import json
from pathlib import Path

# Words only the forgotten person's records hold, as typed and as the index folds them.
SECRETS = ("Quartzfeld", "Xylophonic", "Quibblesnatch", "Frobnicate", "Zyxcorp", "Grumblewort",
           "Snorkelwax", "Plonkbarrow", "wq@zyx.example", "secretive")  # fmt: skip


def tell(rapport) -> None:
    rapport("add", "Wilhelmina Quartzfeld", "--company", "Zyxcorp", "--email", "wq@zyx.example",
            "--tag", "secretive", "--now", "Xylophonic worries")  # fmt: skip
    rapport("add", "Bob")
    rapport("log", "wilhelmina", "Xylophonic plans", "--heard", "Quibblesnatch", "-t", "secretive")
    rapport("log", "wilhelmina,bob", "Shared lunch about marmalade")
    rapport("log", "bob", "Bob alone about jam")
    rapport("promise", "wilhelmina", "Frobnicate the gizmo", "--due", "fri")
    rapport("problem", "wilhelmina", "Grumblewort issue")
    rapport("gesture", "wilhelmina", "card", "Snorkelwax card")
    rapport("stage", "wilhelmina", "friend", "--why", "Plonkbarrow reasons")
    rapport("edit", "wilhelmina", "--company", "Zyxcorp Ltd")


def traces(path: Path) -> list[str]:
    found = []
    for suffix in ("", "-wal", "-shm"):
        file = Path(f"{path}{suffix}")
        if file.exists():
            data = file.read_bytes().lower()
            found += [f"{w} in {file.name}" for w in SECRETS if w.lower().encode() in data]
    return found


def test_forget_leaves_no_byte_of_them_in_the_file_or_its_log(rapport, journal_path):
    tell(rapport)
    rapport("backup")
    assert traces(journal_path)  # they are there before
    result = rapport("forget", "wilhelmina", "--yes")
    assert "erased #1 Wilhelmina Quartzfeld and 1 interaction, 1 commitment" in result.stderr
    assert "left 1 shared conversation" in result.stderr
    assert "backups made before this still hold them: " in result.stderr
    assert "backups/journal-" in result.stderr
    assert traces(journal_path) == []
    assert b"Wilhelmina" not in journal_path.read_bytes()


def test_shared_conversations_stay_without_them(rapport):
    tell(rapport)
    rapport("forget", "wilhelmina", "--yes")
    notes = json.loads(rapport("export", "interactions", "-f", "json").stdout)
    assert [(n["text"], n["people"]) for n in notes] == [
        ("Shared lunch about marmalade", ["Bob"]),
        ("Bob alone about jam", ["Bob"]),
    ]
    assert [p["name"] for p in json.loads(rapport("export", "people", "-f", "json").stdout)] == [
        "Bob"
    ]
    for table in ("commitments", "problems", "gestures"):
        assert json.loads(rapport("export", table, "-f", "json").stdout) == []
    for word in ("xylophonic", "quartzfeld", "frobnicate", "plonkbarrow"):
        assert json.loads(rapport("search", word, "-f", "json").stdout) == []
    assert json.loads(rapport("search", "marmalade", "-f", "json").stdout)[0]["person"] == ["Bob"]


def test_the_change_log_keeps_nothing_of_them_and_undo_refuses(rapport):
    tell(rapport)
    rapport("forget", "wilhelmina", "--yes")
    history = rapport("history", "-f", "json").stdout
    assert "Wilhelmina" not in history and "Quartzfeld" not in history
    refused = rapport("undo", expect=2)
    assert "concerned a person since erased" in refused.stderr
    [erasure, *_] = json.loads(history)
    assert erasure["command"] == "forget"  # logged, naming nobody, and final
    assert erasure["summary"].startswith("erased a person and ")


def test_they_are_named_by_exactly_one_and_confirmed_by_their_name(rapport):
    rapport("add", "Ann Lee")
    rapport("add", "Ann Smith")
    before = rapport("export", "people", "-f", "json").stdout
    assert "several" in rapport("forget", "ann", "--yes", expect=2).stderr
    wrong = rapport("forget", "ann lee", input="Ann Smith\n", expect=2)
    assert "nothing was erased" in wrong.stderr
    assert rapport("export", "people", "-f", "json").stdout == before
    rapport("forget", "ann lee", input="ann LEE\n")
    assert [p["name"] for p in json.loads(rapport("export", "people", "-f", "json").stdout)] == [
        "Ann Smith"
    ]


def test_notes_kept_that_still_name_them_are_counted(rapport):
    rapport("add", "Wilhelmina Quartzfeld")
    rapport("add", "Bob")
    rapport("log", "bob", "Bob said Wilhelmina Quartzfeld moved away")
    result = rapport("forget", "wilhelmina", "--yes")
    assert "1 record(s) kept still name them" in result.stderr

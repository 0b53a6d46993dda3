"""Reports on a terminal: readable at any width, nothing cut, colour that means something."""

import re

import pytest

NAMES = ["Margaret O'Brien", "José Núñez", "Dr. Wei Zhang", 'Chloé "Coco" Martin']
SEPARATORS = re.compile(r"[─]")


_BUILT: dict[str, bytes] = {}


@pytest.fixture
def story(rapport, journal_path):
    """Four clients, two weeks of history, long names and long notes (built once, copied)."""
    if _BUILT:
        for suffix, data in _BUILT.items():
            journal_path.with_name(journal_path.name + suffix).write_bytes(data)
        return rapport
    rapport("add", NAMES[0], "--company", "Castellanos Architecture & Interiors", "--tag", "vip")
    rapport("add", NAMES[1], "--company", "Tiles&Co", "--stage", "dating", "--every", "1w")
    rapport("add", NAMES[2], "--stage", "married", "--tag", "bank", "--tag", "renovation")
    rapport("add", NAMES[3], "--stage", "engaged", "--company", "Martin Family Office")
    plan = "Walked through the whole extension plan, joint by joint, and agreed the kitchen first"
    rapport("log", "margaret", plan, "--at", "2026-11-10", "--mood", "pleased")
    rapport("log", "jose", "Quick call about the grout colour", "--at", "2026-11-12 15:30")
    rapport("promise", "margaret", "send the revised kitchen proposal with three layouts",
            "--due", "2026-11-20")  # fmt: skip
    rapport("expect", "jose", "deposit for the bathroom", "--due", "2026-11-26")
    rapport("problem", "wei", "invoice sent to the wrong address twice")
    rapport("gesture", "wei", "card", "thank-you for the referral")
    for suffix in ("", "-wal"):
        if journal_path.with_name(journal_path.name + suffix).exists():
            _BUILT[suffix] = journal_path.with_name(journal_path.name + suffix).read_bytes()
    return rapport


def screen(rapport, monkeypatch, width, *args):
    monkeypatch.setenv("COLUMNS", str(width))
    return rapport(*args).stdout


def words(text):
    return SEPARATORS.sub(" ", text).split()


REPORTS = [("due",), ("due", "--explain"), ("people",), ("ledger",), ("ledger", "margaret"),
           ("timeline",), ("timeline", "jose"), ("pipeline",)]  # fmt: skip


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("report", REPORTS, ids=" ".join)
def test_no_cell_is_cut_at_any_width(story, monkeypatch, report, width):
    wide = set(words(screen(story, monkeypatch, 250, *report)))
    shown = screen(story, monkeypatch, width, *report)
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= width, shown
    assert "…" not in shown, shown
    fragments = [w for w in words(shown) if w not in wide]
    assert not fragments, shown  # a word cut in two would leave pieces the wide one lacks
    for name in NAMES:
        if name.split()[0] in shown:  # a name is shown whole, on one line
            assert any(name in line for line in lines), shown
    for day in re.findall(r"\d{4}-\d{2}-\d{2}", " ".join(wide)):
        assert day in shown or day[:4] not in shown  # dates stay whole


def test_due_gives_the_why_column_the_room(story, monkeypatch):
    shown = screen(story, monkeypatch, 60, "due")
    for reason in ["invoice sent to the wrong address twice", "revised kitchen proposal"]:
        for word in reason.split():
            assert word in shown
    header = next(line for line in shown.splitlines() if "why" in line)
    assert "person" in header and "why" in header


def test_narrow_terminals_drop_low_value_columns_first(story, monkeypatch):
    wide = screen(story, monkeypatch, 120, "people")
    narrow = screen(story, monkeypatch, 60, "people")
    assert "tags" in wide.splitlines()[0] or "tags" in wide
    assert "tags" not in narrow and "renovation" not in narrow
    assert "name" in narrow and "stage" in narrow


def test_a_one_person_timeline_names_them_once(story, monkeypatch):
    shown = screen(story, monkeypatch, 80, "timeline", "jose")
    assert shown.count("José Núñez") == 1  # in the title only
    assert len(screen(story, monkeypatch, 80, "timeline").split("José Núñez")) > 2


def test_explained_points_stand_in_their_own_aligned_column(story, monkeypatch):
    shown = screen(story, monkeypatch, 100, "due", "--explain")
    header = next(line for line in shown.splitlines() if "points" in line)
    right = header.index("points") + len("points")
    rows = [line for line in shown.splitlines() if re.search(r"\s\d+\.\d\s+[a-z_]+:", line)]
    assert len(rows) >= 3
    for line in rows:
        number = re.search(r"(\d+\.\d)\s+[a-z_]+:", line)
        assert number is not None and number.end(1) == right, shown


def test_scores_and_ledger_figures_are_right_aligned(story, monkeypatch):
    shown = screen(story, monkeypatch, 120, "ledger")
    header = next(line for line in shown.splitlines() if "balance" in line)
    end = header.index("balance") + len("balance")
    figures = [line for line in shown.splitlines() if any(n in line for n in NAMES)]
    assert figures and all(line[end - 1] != " " for line in figures), shown

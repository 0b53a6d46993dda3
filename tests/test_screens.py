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
    whole = screen(story, monkeypatch, 250, *report)
    wide = set(words(whole))
    shown = screen(story, monkeypatch, width, *report)
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= width, shown
    assert shown.count("…") == whole.count("…"), shown  # no ellipsis of its own
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


ESC = "\x1b["


def test_colour_carries_meaning_and_only_on_a_terminal(story, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = screen(story, monkeypatch, 120, "due")
    red = "\x1b[31m"
    line = next(x for x in coloured.splitlines() if "invoice sent" in x)
    assert red in line.split("invoice")[0]  # an open problem is red
    assert red in next(x for x in coloured.splitlines() if "revised kitchen" in x)  # overdue
    ledger = screen(story, monkeypatch, 120, "ledger")
    assert "\x1b[32m" in ledger and red in ledger  # deposits green, withdrawals red
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESC not in screen(story, monkeypatch, 120, "due")
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.delenv("FORCE_COLOR")
    assert ESC not in screen(story, monkeypatch, 120, "ledger")  # a pipe


def test_ease_off_advice_is_dim_and_due_soon_yellow(rapport, monkeypatch):
    rapport("add", "Ann Lee", "--every", "30d")
    for day in range(17, 24):
        rapport("log", "ann", f"chat {day}", "--at", f"2026-11-{day}")
    rapport("promise", "ann", "send the notes", "--due", "2026-11-25")
    monkeypatch.setenv("FORCE_COLOR", "1")
    shown = screen(rapport, monkeypatch, 120, "due", "--explain")
    assert "\x1b[33m" in next(x for x in shown.splitlines() if "send the notes" in x)
    assert "\x1b[2m" in next(x for x in shown.splitlines() if "too_frequent" in x)


def test_snoozes_are_visible_and_logging_keeps_them(rapport, monkeypatch, isolated):
    rapport("add", "Ann Lee", "--company", "Acme")
    rapport("snooze", "ann", "--until", "2026-12-04")
    assert "snoozed       until Fri 4 Dec" in rapport("show", "ann").stdout
    assert "snoozed until Fri 4 Dec" in rapport("brief", "ann").stdout
    people = screen(rapport, monkeypatch, 100, "people")
    assert "snoozed until" in people and "Fri 4 Dec" in people
    said = rapport("log", "ann", "a quick hello").stderr
    assert "still snoozed until Fri 4 Dec" in said and "rapport snooze 1 --off" in said
    assert "Fri 4 Dec" in rapport("show", "ann").stdout
    config = isolated / "config.toml"
    config.write_text(config.read_text() + "log_ends_snooze = true\n", encoding="utf-8")
    assert "snooze ended" in rapport("log", "ann", "another hello").stderr
    assert "snoozed" not in rapport("show", "ann").stdout
    assert "snoozed" not in screen(rapport, monkeypatch, 100, "people")


def test_brief_shows_how_to_reach_them_and_keeps_conversations_to_one_line(rapport, monkeypatch):
    company = "Acme Consolidated Holdings International"
    reach = ["--phone", "+44 20 7946 0958", "--email", "ann@acme.example"]
    rapport("add", "Ann Lee", "--company", company, "--stage", "engaged", *reach)
    rapport("snooze", "ann", "--until", "2026-12-04")
    long = "Went through the whole renewal, clause by clause, and she wants the pricing table"
    rapport("log", "ann", long + " redone before Friday", "--at", "2026-11-20")
    for width in (60, 80):
        shown = screen(rapport, monkeypatch, width, "brief", "ann")
        assert "+44 20 7946 0958" in shown and "ann@acme.example" in shown
        talk = [x for x in shown.splitlines() if "2026-11-20 call: Went" in x]
        assert len(talk) == 1 and talk[0].rstrip(" │").endswith("…"), shown
        assert talk[0].startswith("│   2026-11-20")  # the indent kept
        following = shown.splitlines()[shown.splitlines().index(talk[0]) + 1]
        assert "Friday" not in following
        subtitle = "Acme Consolidated Holdings International · engaged · snoozed until Fri 4 Dec"
        # whole in the frame when it fits, else the card's first lines, never cut
        assert subtitle in (shown if width == 80 else " ".join(words(shown.replace("│", " "))))
        assert max(len(x) for x in shown.splitlines()) <= width


def test_a_time_nobody_typed_is_never_shown(rapport, monkeypatch):
    rapport("add", "Ann Lee")
    rapport("add", "Bo Chen")
    rapport("log", "ann", "renewal chat", "--at", "2026-11-20")
    rapport("log", "ann", "three days back", "--at", "3 days ago")
    rapport("log", "bo", "late call", "--at", "2026-11-19 18:45")
    timeline = screen(rapport, monkeypatch, 100, "timeline")
    line = {
        k: next(x for x in timeline.splitlines() if k in x) for k in ("renewal", "back", "late")
    }
    assert re.search(r"2026-11-20\s+interaction", line["renewal"])  # no 12:00 made up
    assert re.search(r"2026-11-21\s+interaction", line["back"])
    assert "2026-11-19 18:45" in line["late"]  # a typed time is kept
    assert not re.search(r"\d\d:\d\d", screen(rapport, monkeypatch, 100, "people"))
    brief = rapport("brief", "ann").stdout
    assert "2026-11-21 call: three days back" in brief and "12:00" not in brief


def test_a_day_only_conversation_stays_so_through_export_and_import(rapport, tmp_path):
    rapport("add", "Ann Lee")
    rapport("log", "ann", "renewal chat", "--at", "2026-11-20")
    rapport("log", "ann", "late call", "--at", "2026-11-21 18:45")
    exported = rapport("export", "interactions").stdout.splitlines()
    assert exported[0].endswith(",day_only")
    assert [line.rsplit(",", 1)[1] for line in exported[1:]] == ["true", "false"]
    rapport("export", "all", "-o", str(tmp_path / "out"))
    other = str(tmp_path / "other.db")
    rapport("--db", other, "import", str(tmp_path / "out"))
    shown = rapport("--db", other, "timeline").stdout
    assert re.search(r"2026-11-20\s+interaction", shown) and "2026-11-21 18:45" in shown

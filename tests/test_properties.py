"""Name matching, as properties: any case, any Unicode form, any piece of a name finds it."""

import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from rapport.core.people import add_person, name_key
from rapport.core.resolving import resolve
from rapport.store import Journal, open_journal

FORMS = ("NFC", "NFD", "NFKC", "NFKD")

# Letters of the alphabets names are written in: Latin with its accents, Greek,
# Cyrillic. Left out: the Turkish dotless i (U+0131), which no Unicode folding
# joins to i (its capital is the plain I), so "isil" does not find "I\u015f\u0131l".
TRICKY = "ßẞſǅǈǋΣςσİÅÉØœŒŁĳĲÞðæ"
LETTERS = (
    st.sampled_from(TRICKY)
    | st.characters(
        categories=["Lu", "Ll", "Lt"],
        exclude_characters="\u0131",
        max_codepoint=0x052F,
    )
    | st.characters(categories=["Lu", "Ll"], min_codepoint=0x1E00, max_codepoint=0x1EFF)
)
NAMES = st.lists(LETTERS | st.sampled_from(" -'."), min_size=1, max_size=24).map("".join)


def readable(name: str) -> bool:
    key = name_key(name)
    return bool(key) and not name.strip().lstrip("#").isdigit()


@given(st.text())
def test_the_unicode_form_never_matters(text: str) -> None:
    assert len({name_key(unicodedata.normalize(form, text)) for form in FORMS}) == 1


@given(NAMES)
def test_case_never_matters(name: str) -> None:
    assert name_key(name.upper()) == name_key(name.lower()) == name_key(name)


@given(NAMES)
def test_a_key_is_folded_and_single_spaced(name: str) -> None:
    key = name_key(name)
    assert key == name_key(key)
    assert "  " not in key and key == key.strip()
    assert not any(unicodedata.combining(ch) for ch in key)


@pytest.fixture
def journal(isolated: Path) -> Iterator[Journal]:
    opened = open_journal(str(isolated / "names.db"))
    yield opened
    opened.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=NAMES.filter(readable),
    cut=st.tuples(st.integers(0, 24), st.integers(1, 24)),
    form=st.sampled_from(FORMS),
    case=st.sampled_from([str, str.upper, str.lower, str.title]),
)
def test_any_piece_of_a_name_finds_it(
    journal: Journal, name: str, cut: tuple[int, int], form: str, case
) -> None:
    start = min(cut[0], len(name) - 1)
    piece = case(unicodedata.normalize(form, name[start : start + cut[1]]))
    if not readable(piece):
        return
    stored = unicodedata.normalize("NFD" if form.startswith("NFC") else "NFC", name)
    with Session(journal.engine) as session:  # rolled back: each example starts empty
        person = add_person(session, stored, now=datetime(2026, 11, 24, tzinfo=UTC))
        assert resolve(session, piece).id == person.id
        session.rollback()

"""The attention terms' registry and docs/scoring.md say the same thing."""

import re
import tomllib
from pathlib import Path

from rapport.core.terms import TERMS, Weights

SCORING = Path(__file__).resolve().parent.parent / "docs" / "scoring.md"


def documented_terms() -> dict[str, tuple[str, str, float]]:
    rows = {}
    for line in SCORING.read_text(encoding="utf-8").split("## The terms")[1].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"`\w+`", cells[0]):
            rows[cells[0].strip("`")] = (cells[1], cells[2], float(cells[3]))
    return rows


def test_every_term_has_its_row_in_the_scoring_table_and_no_row_is_left_over():
    registry = {t.name: (t.applies, t.factor, t.coefficient) for t in TERMS}
    assert documented_terms() == registry


def test_the_tuning_example_lists_every_default():
    toml = SCORING.read_text(encoding="utf-8").split("## Tuning")[1].split("```toml")[1]
    example = tomllib.loads(toml.split("```")[0])["due"]
    defaults = Weights()
    expected = {**defaults.coefficients, **{k: getattr(defaults, k) for k in Weights.windows()}}
    assert example == expected
    assert Weights.from_config(example) == defaults


def test_a_coefficient_from_the_config_replaces_the_default_and_only_that_one():
    weights = Weights.from_config({"problem": 12, "stalled_days": 10})
    assert weights.coefficients["problem"] == 12.0
    assert weights.coefficients["cadence"] == Weights().coefficients["cadence"]
    assert weights.stalled_days == 10

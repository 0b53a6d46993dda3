"""What would help most: each action one small function that applies it to a person's facts.

``best`` re-scores the person with every action applied and keeps the one that
lowers the score most, so the advice follows the terms and their coefficients
rather than a table of its own.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date

from rapport.core.attention import score
from rapport.core.facts import Facts
from rapport.core.terms import Weights

Action = Callable[[Facts, date], Iterator[tuple[str, Facts]]]
ACTIONS: list[Action] = []


def action(rule: Action) -> Action:
    ACTIONS.append(rule)
    return rule


def total(facts: Facts, today: date, w: Weights) -> float:
    return sum(t.points for t in score(facts, today, w))


@dataclass(frozen=True)
class Advice:
    action: str
    gain: float

    def __str__(self) -> str:
        return f"{self.action}: −{self.gain:.1f}"


def best(facts: Facts, today: date, w: Weights) -> Advice | None:
    """The one action that lowers ``facts``' score most on ``today``, if any does."""
    now = total(facts, today, w)
    found: Advice | None = None
    for rule in ACTIONS:
        for label, after in rule(facts, today):
            gain = round(now - total(after, today, w), 2)
            if gain > 0 and (found is None or gain > found.gain):
                found = Advice(label, gain)
    return found


@action
def deliver(f: Facts, today: date) -> Iterator[tuple[str, Facts]]:
    for c in f.mine:
        yield f"rapport done {c.id}", replace(f, mine=[m for m in f.mine if m is not c])
    for c in f.theirs:
        yield f"rapport done {c.id}", replace(f, theirs=[t for t in f.theirs if t is not c])


@action
def resolve(f: Facts, today: date) -> Iterator[tuple[str, Facts]]:
    for p in f.problems:
        rest = [q for q in f.problems if q is not p]
        yield (
            f"rapport resolve {p.id}",
            replace(f, problems=rest, last_resolution=(p.id or 0, today, p.text)),
        )


@action
def call(f: Facts, today: date) -> Iterator[tuple[str, Facts]]:
    yield (
        "log a call",
        replace(
            f,
            last_contact=today,
            last_voice=today,
            contacts_in_cadence=f.contacts_in_cadence + 1 if f.contacts_in_cadence else 0,
            mine_recent=f.mine_recent + 1,
            unanswered=0,  # a call is answered: two sides spoke
        ),
    )


@action
def gesture(f: Facts, today: date) -> Iterator[tuple[str, Facts]]:
    yield "send a card or a small gift", replace(f, last_gesture=today)


@action
def next_stage(f: Facts, today: date) -> Iterator[tuple[str, Facts]]:
    if f.person.stage in ("dating", "engaged"):
        yield "agree the next step (rapport stage)", replace(f, last_stage_change=today)

"""Who needs attention: the score behind ``rapport due``.

A person's score is a sum of terms, each a coefficient times a factor between
0 and 1. Scoring is a pure function of the facts core/facts.py reads from the
journal and of the day.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from sqlmodel import Session

from rapport.core.facts import Facts, Someone, gather
from rapport.core.terms import TERMS, Weights

__all__ = ["Attention", "Term", "Weights", "due", "due_records", "score"]


@dataclass(frozen=True, slots=True)
class Term:
    term: str
    points: float
    reason: str
    action: str
    ref: str | None = None


@dataclass(slots=True)
class Attention:
    person: Someone
    terms: list[Term]
    facts: Facts

    @property
    def score(self) -> float:
        return round(sum(t.points for t in self.terms), 2)

    @property
    def lead(self) -> Term:
        return max(self.terms, key=lambda t: t.points)


def score(facts: Facts, today: date, w: Weights) -> list[Term]:
    """Every term that applies to one person on ``today``."""
    return [
        Term(t.name, round(w.coefficients[t.name] * factor, 2), reason, action, ref)
        for t in TERMS
        if t.needs is None or getattr(facts, t.needs)
        for factor, reason, action, ref in t.rule(facts, today, w)
    ]


def due(session: Session, today: date, zone: tzinfo, w: Weights) -> list[Attention]:
    """Everyone who needs something on ``today``, highest score first."""
    ranked = []
    facts = gather(session, today, zone, w)
    while facts:  # the facts of those who need nothing are let go as they are scored
        f = facts.pop()
        terms = score(f, today, w)
        if terms:
            ranked.append(Attention(f.person, terms, f))
    ranked.sort(key=lambda a: (-a.score, a.person.name_key, a.person.id or 0))
    return ranked


def due_records(ranked: Sequence[Attention]) -> Iterator[dict[str, object]]:
    """One row per reason, for scripts: the columns of the ``due`` listing, as they come."""
    for rank, item in enumerate(ranked, start=1):
        for term in sorted(item.terms, key=lambda t: -t.points):
            yield (
                {
                    "rank": rank,
                    "person": item.person.name,
                    "person_id": item.person.id,
                    "score": item.score,
                    "term": term.term,
                    "points": term.points,
                    "reason": term.reason,
                    "action": term.action,
                    "ref": term.ref,
                }
            )

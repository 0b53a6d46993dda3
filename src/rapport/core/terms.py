"""The attention terms: each one a small function beside its coefficient and its documentation.

A term looks at one person's facts on a day and yields a factor between 0 and 1
with its reason, its action and the record it is about. ``TERMS`` keeps them in
the order they are scored; docs/scoring.md's table says the same (a test keeps
the two in step).
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

from rapport.core.choices import read_settings
from rapport.core.facts import Facts
from rapport.core.people import cadence_for
from rapport.errors import BadValue
from rapport.models import pk

Hit = tuple[float, str, str, str | None]  # factor, reason, action, ref
Rule = Callable[[Facts, date, "Weights"], Iterator[Hit]]


@dataclass(frozen=True)
class TermDef:
    name: str
    coefficient: float
    applies: str
    factor: str
    rule: Rule
    needs: str | None = None  # a fact that is empty when the term cannot apply


TERMS: list[TermDef] = []


def term(
    name: str, coefficient: float, *, applies: str, factor: str, needs: str | None = None
) -> Callable[[Rule], Rule]:
    """Register a term: its name, its points at full strength, and its line in docs/scoring.md.

    ``needs`` names the fact the rule reads first: while it is empty (no commitment, a
    count of 0) the rule is not run, which spares most people most rules.
    """

    def register(rule: Rule) -> Rule:
        TERMS.append(TermDef(name, coefficient, applies, factor, rule, needs))
        return rule

    return register


def _coefficients() -> dict[str, float]:
    return {t.name: t.coefficient for t in TERMS}


@dataclass(frozen=True)
class Weights:
    """Coefficients (points at full strength, by term) and windows (days); see docs/scoring.md."""

    due_soon_days: int = 3
    lateness_days: int = 14
    problem_age_days: int = 30
    follow_up_days: int = 60
    stalled_days: int = 30
    gesture_days: int = 180
    birthday_days: int = 7
    written_only_days: int = 60
    frequent_contacts: int = 4
    one_sided_days: int = 90
    one_sided_contacts: int = 3
    unanswered_contacts: int = 3
    coefficients: Mapping[str, float] = field(default_factory=_coefficients)

    @classmethod
    def windows(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.name != "coefficients"]

    @classmethod
    def from_config(cls, raw: Mapping[str, Any]) -> "Weights":
        """Read the ``[due]`` table of the config file; unknown keys are named in the error."""
        coefficients = _coefficients()
        known = [*coefficients, *cls.windows()]
        for key in raw:
            if key not in known:
                raise BadValue(f"unknown setting [due] {key} (known: {', '.join(known)})")
        own = {k: v for k, v in raw.items() if k in coefficients}
        for key, value in own.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise BadValue(f"[due] {key} must be a number of at least 0")
            coefficients[key] = float(value)
        windows = {k: v for k, v in raw.items() if k not in coefficients}
        return replace(read_settings(cls(), windows, "due"), coefficients=coefficients)


def _ramp(value: float, full: float) -> float:
    return 1.0 if full <= 0 else max(0.0, min(1.0, value / full))


def _when(day: date) -> str:
    return f"{day:%a} {day:%Y-%m-%d}"


def days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _birthday_in(birthday: str | None, today: date) -> int | None:
    if not birthday:
        return None
    month, day = int(birthday[-5:-3]), int(birthday[-2:])
    for year in (today.year, today.year + 1):
        try:
            next_one = date(year, month, day)
        except ValueError:  # 29 February in a common year: celebrate on the 28th
            next_one = date(year, 2, 28)
        if next_one >= today:
            return (next_one - today).days
    return None


@term(
    "my_overdue",
    18.0,
    applies="a commitment you made is past its due date",
    factor="0.7 the day after, growing to 1 at `lateness_days` (14) late",
    needs="mine",
)
def my_overdue(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    for c in f.mine:
        late = (today - c.due).days
        if late > 0:
            yield (
                0.7 + 0.3 * _ramp(late, w.lateness_days),
                f"you promised “{c.text}”, due {c.due}, {days(late)} late",
                f"deliver it (rapport done {c.id}) or agree a new date"
                f" (rapport amend c{c.id} --due …)",
                f"c{c.id}",
            )


@term(
    "my_due_soon",
    6.0,
    applies="a commitment you made is due within `due_soon_days` (3)",
    factor="1 when due today, ¾ tomorrow, … at least 0.25",
    needs="mine",
)
def my_due_soon(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    for c in f.mine:
        ahead = (c.due - today).days
        if 0 <= ahead <= w.due_soon_days:
            when = "today" if ahead == 0 else f"in {days(ahead)} ({_when(c.due)})"
            yield (
                max(0.25, (w.due_soon_days + 1 - ahead) / (w.due_soon_days + 1)),
                f"you promised “{c.text}”, due {when}",
                f"deliver “{c.text}” (rapport done {c.id})",
                f"c{c.id}",
            )


@term(
    "their_overdue",
    8.0,
    applies="a commitment they made is past its due date (chase it)",
    factor="0.5 the day after, growing to 1 at `lateness_days` late",
    needs="theirs",
)
def their_overdue(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    for c in f.theirs:
        late = (today - c.due).days
        if late > 0:
            yield (
                0.5 + 0.5 * _ramp(late, w.lateness_days),
                f"they promised “{c.text}”, due {c.due}, {days(late)} late",
                f"chase “{c.text}”, kindly",
                f"c{c.id}",
            )


@term(
    "problem",
    30.0,
    applies="a problem is open",
    factor="0.7 on the day it opens, growing to 1 at `problem_age_days` (30)",
    needs="problems",
)
def problem(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    for p in f.problems:
        age = max(0, (today - f.opened[pk(p)]).days)
        yield (
            0.7 + 0.3 * _ramp(age, w.problem_age_days),
            f"open problem, opened today: {p.text}"
            if age == 0
            else f"open problem for {days(age)}: {p.text}",
            f"fix it, then rapport resolve {p.id}",
            f"p{p.id}",
        )


@term(
    "follow_up",
    6.0,
    applies="their latest problem was resolved in the last `follow_up_days` (60)"
    " and no gesture followed",
    factor="1",
    needs="last_resolution",
)
def follow_up(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    if f.last_resolution is None:
        return
    ident, resolved, text = f.last_resolution
    fresh = (today - resolved).days < w.follow_up_days
    if fresh and (f.last_gesture is None or f.last_gesture < resolved):
        yield (
            1.0,
            f"problem resolved on {resolved} ({text}), no gesture since",
            "send an apology or thank-you card",
            f"p{ident}",
        )


@term(
    "cadence",
    10.0,
    applies="days since the last interaction ≥ the cadence",
    factor="days since ÷ (2 × cadence), at least 0.5; 1 if nothing was ever logged",
)
def cadence(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    every = cadence_for(f.person.stage, f.person.cadence_days)
    if not every:
        return
    if f.last_contact is None:
        yield 1.0, f"never contacted (every {days(every)})", "get in touch", None
        return
    since = (today - f.last_contact).days
    if since >= every:
        yield (
            max(0.5, _ramp(since, 2 * every)),
            f"last contact {days(since)} ago (every {days(every)})",
            "get in touch",
            None,
        )


@term(
    "too_frequent",
    0.5,
    applies="`frequent_contacts` (4) or more interactions within one cadence",
    factor="1",
    needs="contacts_in_cadence",
)
def too_frequent(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    every = cadence_for(f.person.stage, f.person.cadence_days)
    recent = f.contacts_in_cadence
    if every and f.last_contact is not None and recent >= w.frequent_contacts > 0:
        yield (
            1.0,
            f"{recent} contacts in the last {days(every)} (every {days(every)} is enough)",
            "ease off: give them room",
            None,
        )


@term(
    "one_sided",
    4.0,
    applies="in the last `one_sided_days` (90) you started `one_sided_contacts` (3) or more"
    " conversations, and they started none for `one_sided_days` (or since you added them)",
    factor="days since they last started one ÷ (2 × `one_sided_days`), at least 0.5",
    needs="mine_recent",
)
def one_sided(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    if f.mine_recent < max(1, w.one_sided_contacts) or f.person.stage == "lost":
        return
    quiet = (today - (f.last_theirs or f.created)).days
    if quiet < w.one_sided_days:
        return
    yield (
        max(0.5, _ramp(quiet, 2 * w.one_sided_days)),
        f"you started {f.mine_recent} conversations in {days(w.one_sided_days)},"
        f" they none for {days(quiet)}",
        "ask for their view on something they care about, and leave them room to reach out",
        None,
    )


@term(
    "unanswered",
    2.0,
    applies="you wrote `unanswered_contacts` (3) or more times in a row without a reply"
    " (a conversation they started, one with their mood logged, or a call, meeting or visit)",
    factor="0.5 at `unanswered_contacts`, growing to 1 at twice as many",
    needs="unanswered",
)
def unanswered(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    n = w.unanswered_contacts
    if n > 0 and f.unanswered >= n:
        yield (
            0.5 + 0.5 * _ramp(f.unanswered - n, n),
            f"you reached out {f.unanswered} times in a row without a reply",
            "ease off: wait for their answer before reaching out again",
            None,
        )


@term(
    "stalled",
    5.0,
    applies="dating or engaged, and no stage change nor interaction for `stalled_days` (30)",
    factor="idle days ÷ (2 × `stalled_days`), at least 0.5",
)
def stalled(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    if f.person.stage not in ("dating", "engaged"):
        return
    moved = max(d for d in (f.last_stage_change, f.last_contact, f.created) if d is not None)
    idle = (today - moved).days
    if idle >= w.stalled_days:
        yield (
            max(0.5, _ramp(idle, 2 * w.stalled_days)),
            f"{f.person.stage}, nothing has moved for {days(idle)}",
            "propose a next step",
            None,
        )


@term(
    "no_gesture",
    4.0,
    applies="engaged or married, and no gesture for `gesture_days` (180)",
    factor="days ÷ (2 × `gesture_days`), at least 0.5",
)
def no_gesture(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    if f.person.stage not in ("engaged", "married"):
        return
    start = f.last_gesture or f.stage_since or f.created
    quiet = (today - start).days
    if quiet >= w.gesture_days:
        what = "no gesture" if f.last_gesture is None else "last gesture"
        yield (
            max(0.5, _ramp(quiet, 2 * w.gesture_days)),
            f"{f.person.stage}, {what} for {days(quiet)}",
            "send a card or a small gift",
            None,
        )


@term(
    "birthday",
    5.0,
    applies="their birthday is within `birthday_days` (7)",
    factor="1 on the day, falling to 1/8 a week ahead",
)
def birthday(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    ahead = _birthday_in(f.person.birthday, today)
    if ahead is not None and ahead <= w.birthday_days:
        when = "today" if ahead == 0 else f"in {days(ahead)}"
        yield (
            max(0.125, (w.birthday_days + 1 - ahead) / (w.birthday_days + 1)),
            f"birthday {when} ({_when(today + timedelta(ahead))})",
            "send your wishes",
            None,
        )


@term(
    "call_or_visit",
    3.0,
    applies="you have known them for at least `written_only_days` (60), in that window you"
    " only emailed, wrote or messaged them, and your last call, meeting or visit is older than"
    " that (or never happened)",
    factor="silent days ÷ (2 × `written_only_days`), at least 0.5; 1 if never",
    needs="written_recent",
)
def call_or_visit(f: Facts, today: date, w: Weights) -> Iterator[Hit]:
    # "For a long while": one email a minute ago is not a habit yet.
    known = (today - f.created).days
    if not f.written_recent or f.person.stage == "lost" or known < w.written_only_days:
        return
    silent = None if f.last_voice is None else (today - f.last_voice).days
    if silent is None or silent >= w.written_only_days:
        span = "ever" if silent is None else f"for {days(silent)}"
        yield (
            1.0 if silent is None else max(0.5, _ramp(silent, 2 * w.written_only_days)),
            f"only email, letters or messages {span}",
            "call or visit",
            None,
        )

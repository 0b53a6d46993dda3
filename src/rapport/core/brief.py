"""The pre-call brief: every conversation is a new conversation.

It leads with what changed since your last conversation with them, then what is
still open (what you heard and have to repeat back first), then what they want and
how they think. Old moods and promises broken before that conversation never lead:
they stay in `show`, `ledger` and the timeline, and in `brief --full`. How they think
shapes it: for detail-minded people the open items are a dated checklist with every
figure; for big-picture people the desired outcome and its progress come first and
the list folds to a count.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo

from sqlmodel import Session, col, select

from rapport.core.heard import Heard, heard_items
from rapport.core.journal import Event, timeline
from rapport.core.outcomes import TRACKED
from rapport.core.people import Profile, profile
from rapport.models import (
    Commitment,
    Interaction,
    InteractionPerson,
    Person,
    Problem,
    ProfileChange,
)
from rapport.vocab import MOOD_WORDS

RECENT = 5
HEARD = 5
STYLE_HINTS = {
    "detail": "lead with specifics: numbers, steps, the plan line by line",
    "detail-oriented": "lead with specifics: numbers, steps, the plan line by line",
    "big-picture": "lead with the outcome; keep the details for later",
}
LABELS = {"current_state": "now", "desired_outcome": "wants"}


@dataclass(frozen=True)
class Line:
    text: str
    tone: str = ""  # "", "strong", "warn" or "dim": the card picks the look
    one_line: bool = False  # cut at the terminal's width rather than wrapped


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)

    def add(self, text: str, tone: str = "", *, one_line: bool = False) -> None:
        self.lines.append(Line(text, tone, one_line))


@dataclass
class Brief:
    profile: Profile
    heard: list[Heard]
    mine: list[Commitment]
    theirs: list[Commitment]
    problems: list[Problem]
    recent: list[Interaction]
    since: datetime | None = None
    changes: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    @property
    def style_hint(self) -> str | None:
        style = self.profile.person.style
        return STYLE_HINTS.get(style.strip().lower()) if style else None

    @property
    def thinking(self) -> str:
        """'detail', 'big-picture' or '' (anything else)."""
        style = (self.profile.person.style or "").strip().lower()
        return "detail" if style.startswith("detail") else style if style == "big-picture" else ""


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def last_conversation(session: Session, person: Person, author: str | None) -> Interaction | None:
    """Your latest conversation with ``person`` (anyone's, if you never logged one)."""
    links = select(InteractionPerson.interaction_id).where(InteractionPerson.person_id == person.id)
    latest = select(Interaction).where(col(Interaction.id).in_(links))
    latest = latest.order_by(col(Interaction.at).desc(), col(Interaction.id).desc()).limit(1)
    if author is not None:
        mine = session.exec(latest.where(Interaction.author == author)).first()
        if mine is not None:
            return mine
    return session.exec(latest).first()


def _changes(
    session: Session, person: Person, last: Interaction, zone: tzinfo, me: str | None
) -> list[str]:
    """What happened after ``last``, oldest first, each a dated line."""
    events: list[tuple[datetime, str]] = []
    for e in timeline(session, person, since=last.at):
        # Conversations are listed below with who logged them; being added is no news.
        if e.kind == "interaction" or (e.kind == "stage" and e.at == person.created_at):
            continue
        label = f"{e.kind}: " if e.kind in ("stage", "gesture") else ""
        events.append((e.at, label + e.text + (f" ({e.ref})" if e.ref else "")))
    links = select(InteractionPerson.interaction_id).where(InteractionPerson.person_id == person.id)
    for i in session.exec(
        select(Interaction).where(
            col(Interaction.id).in_(links), Interaction.at > last.at, Interaction.id != last.id
        )
    ):
        who = i.author if i.author and i.author != me else "you"
        text = " ".join(i.text.split())
        article = "an" if i.channel[:1] in "aeiou" else "a"
        events.append((i.at, f"{who} logged {article} {i.channel}: {text} (i{i.id})"))
    for c in session.exec(
        select(ProfileChange).where(
            ProfileChange.person_id == person.id,
            ProfileChange.at > last.at,
            ProfileChange.at != person.created_at,
            col(ProfileChange.attribute).in_(TRACKED),
        )
    ):
        events.append((c.at, f"{LABELS[c.attribute]}: {c.value or '(cleared)'}"))
    events.sort(key=lambda e: e[0])
    return [f"{at.astimezone(zone):%Y-%m-%d} {text}" for at, text in events]


def brief(
    session: Session,
    person: Person,
    now: datetime | None = None,
    *,
    author: str | None = None,
    full: bool = False,
) -> Brief:
    """The brief for a conversation with ``person`` at ``now``; ``full`` keeps everything."""
    moment = now or datetime.now(UTC)
    zone = moment.tzinfo or UTC
    links = select(InteractionPerson.interaction_id).where(InteractionPerson.person_id == person.id)
    heard = heard_items(session, person, limit=None if full else HEARD)
    open_items = session.exec(
        select(Commitment)
        .where(Commitment.person_id == person.id, Commitment.status == "open")
        .order_by(col(Commitment.due), col(Commitment.id))
    ).all()
    problems = session.exec(
        select(Problem)
        .where(Problem.person_id == person.id, col(Problem.resolved_at).is_(None))
        .order_by(col(Problem.opened_at))
    ).all()
    recent = session.exec(
        select(Interaction)
        .where(col(Interaction.id).in_(links))
        .order_by(col(Interaction.at).desc())
        .limit(None if full else RECENT)
    ).all()
    last = last_conversation(session, person, author)
    card = Brief(
        profile=profile(session, person, now),
        # What still needs repeating back comes first.
        heard=sorted(heard, key=lambda h: h.state != "open"),
        mine=[c for c in open_items if c.direction == "mine"],
        theirs=[c for c in open_items if c.direction == "theirs"],
        problems=list(problems),
        recent=list(recent),
        since=None if last is None else last.at,
        changes=[] if last is None else _changes(session, person, last, zone, author),
    )
    earlier = [] if not full else [e for e in timeline(session, person) if e.kind != "interaction"]
    card.sections = _sections(card, moment, full, earlier, last)
    return card


def _sections(
    card: Brief, now: datetime, full: bool, earlier: list[Event], last: Interaction | None
) -> list[Section]:
    zone = now.tzinfo or UTC
    today = now.astimezone(zone).date()
    p = card.profile.person

    since = Section("Since last time")
    if last is None:
        since.add("no conversation yet: this is the first one", "dim")
    else:
        ago = (today - last.at.astimezone(zone).date()).days
        since.title = f"Since your last conversation ({last.at.astimezone(zone):%Y-%m-%d}, "
        since.title += f"{last.channel}, {_days(ago)} ago)" if ago else f"{last.channel}, today)"
        for change in card.changes:
            since.add(change)
        if not card.changes:
            since.add("nothing new since then", "dim")

    still = Section("Still open")
    for h in card.heard:
        said = f"{h.at.astimezone(zone):%Y-%m-%d}, {h.ref}"
        if h.state == "open":
            still.add(f"confirm: “{h.heard}” (heard {said})", "strong")
    count = len(card.mine) + len(card.theirs) + len(card.problems)
    if card.thinking == "big-picture" and not full and count:
        parts = [
            f"{len(card.mine)} yours" if card.mine else "",
            f"{len(card.theirs)} theirs" if card.theirs else "",
            f"{len(card.problems)} open problems" if len(card.problems) > 1 else "",
            "1 open problem" if len(card.problems) == 1 else "",
        ]
        still.add(
            f"{count} open: {', '.join(x for x in parts if x)}"
            f" (rapport brief {p.id} --full for the list)"
        )
    else:
        still.lines += _open_lines(card, today, zone, checklist=card.thinking == "detail")
    if not still.lines:
        still.add("nothing open", "dim")

    needs = Section("They want")
    moved = card.profile.progress
    if moved is not None and len(moved.states) > 1:
        needs.add(moved.describe(zone) or "")
    else:
        if p.desired_outcome:
            needs.add(f"wants: {p.desired_outcome}")
        if p.current_state:
            needs.add(f"now: {p.current_state}")
    if moved is not None:
        for text in moved.toward:
            needs.add(f"toward it: {text}")
    for h in card.heard:
        said = f"{h.at.astimezone(zone):%Y-%m-%d}, {h.ref}"
        if h.state == "corrected":
            needs.add(f"“{h.understood}” (corrected from “{h.heard}”, {said})")
        elif h.state == "confirmed":
            extra = f", corrected from “{h.heard}”" if h.correction else ""
            needs.add(f"“{h.understood}” (confirmed{extra}, {said})")
    if not needs.lines:
        needs.add("nothing noted yet: ask, and log it with --heard", "dim")

    thinks = Section("How they think")
    if p.style:
        hint = card.style_hint
        thinks.add(p.style + (f": {hint}" if hint else ""))
    balance = card.profile.balance
    if balance is not None and (balance.mine or balance.theirs):
        thinks.add(f"who reaches out: {balance}")

    # Older conversations are the past: the brief keeps them for --full.
    shown = card.recent if full or last is None else [i for i in card.recent if i.at >= last.at]
    talks = Section("Conversations" if full else "Last conversation")
    for i in shown:
        text = " ".join(i.text.split())
        mood = f" ({MOOD_WORDS[i.mood]})" if full and i.mood is not None else ""
        talks.add(f"{i.at.astimezone(zone):%Y-%m-%d} {i.channel}: {text}{mood}", one_line=not full)
    if not shown:
        talks.add("none yet", "dim")

    ordered = [since, still, needs, thinks, talks]
    if card.thinking == "big-picture":
        ordered = [needs, since, still, thinks, talks]
    if full and earlier:
        record = Section("Everything before")
        for e in earlier:
            if last is None or e.at <= last.at:
                ref = f" ({e.ref})" if e.ref else ""
                record.add(f"{e.at.astimezone(zone):%Y-%m-%d} {e.kind}: {e.text}{ref}")
        ordered.append(record)
    return [s for s in ordered if s.lines]


def _open_lines(card: Brief, today: date, zone: tzinfo, *, checklist: bool) -> list[Line]:
    lines: list[Line] = []
    for c in [*card.mine, *card.theirs]:
        who = "you" if c.direction == "mine" else "they"
        late = (today - c.due).days
        if checklist:
            made = c.created_at.astimezone(zone).date()
            when = (
                f"{_days(late)} late" if late > 0 else f"{_days(-late)} left" if late else "today"
            )
            text = f"[ ] c{c.id} {who}: {c.text} — due {c.due:%a %Y-%m-%d} ({when}), made {made}"
        else:
            state = f"{_days(late)} late" if late > 0 else f"due {c.due}"
            text = f"[{c.id}] {who}: {c.text} ({state})"
        lines.append(Line(text, "warn" if late > 0 and c.direction == "mine" else ""))
    for pr in card.problems:
        opened = pr.opened_at.astimezone(zone).date()
        age = (today - opened).days
        if checklist:
            text = f"[ ] p{pr.id} problem: {pr.text} — open since {opened} ({_days(age)})"
        else:
            since = "opened today" if age == 0 else f"open {_days(age)}"
            text = f"[{pr.id}] problem: {pr.text} ({since})"
        lines.append(Line(text, "warn"))
    return lines

"""Rich renderables for one person: the profile card."""

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from rapport.render import ago

if TYPE_CHECKING:
    from rapport.core.brief import Brief
    from rapport.core.people import Profile


def birthday(text: str | None, today: date) -> str | None:
    """'14 March 1980 (46)' or '29 November', from the stored 1980-03-14 or --11-29."""
    if not text:
        return None
    month, day = int(text[-5:-3]), int(text[-2:])
    shown = f"{day} {date(2000, month, day):%B}"
    if text.startswith("--"):
        return shown
    year = int(text[:4])
    age = today.year - year - ((today.month, today.day) < (month, day))
    return f"{shown} {year} ({age})"


def plural(count: int, thing: str) -> str:
    """'1 open problem', '2 open problems'."""
    return f"{count} {thing}" if count == 1 else f"{count} {thing}s"


def profile_card(card: "Profile", now: datetime) -> Any:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    p = card.person
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()

    def row(label: str, value: str | None) -> None:
        if value:
            grid.add_row(label, Text(value))

    row("company", p.company)
    row("title", p.title)
    row("email", p.email)
    row("phone", p.phone)
    for kind, label in (
        ("email", "email"),
        ("phone", "phone"),
        ("address", "address"),
        ("url", "web"),
    ):
        for detail in (d for d in card.details if d.kind == kind):
            row(label, str(detail))
    since = f" since {card.stage_since.astimezone(now.tzinfo):%Y-%m-%d}" if card.stage_since else ""
    row("stage", p.stage + since)
    if card.cadence:
        origin = "" if p.cadence_days is not None else " (stage default)"
        every = "every day" if card.cadence == 1 else f"every {card.cadence} days"
        row("cadence", every + origin)
    row("thinks", p.style)
    row("now", p.current_state)
    row("wants", p.desired_outcome)
    moved = card.progress
    if moved is not None and len(moved.states) > 1:
        row("progress", moved.describe(now.tzinfo or UTC))
    row("birthday", birthday(p.birthday, now.date()))
    row("tags", ", ".join(card.tags))
    if card.last_contact:
        last = (
            f"{card.last_contact.astimezone(now.tzinfo):%Y-%m-%d} ({ago(card.last_contact, now)})"
        )
    else:
        last = "never"
    row("last contact", last)
    row("they need", card.last_heard)
    row("notes", p.notes)
    b = card.balance
    if b is not None and (b.mine or b.theirs or b.unknown):
        row("reaching out", str(b))
    figures = [plural(card.interactions, "interaction")]
    figures += [plural(n, label) for label, n in card.counts.items() if n]
    row("figures", ", ".join(figures))
    return Panel(grid, title=Text(f"#{p.id} {p.name}"), title_align="left", expand=False)


TONES = {"strong": "bold", "warn": "red", "dim": "dim"}


def brief_card(card: "Brief", now: datetime) -> Any:
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    p = card.profile.person
    lines: list[Text] = []
    for section in card.sections:
        lines.append(Text(section.title, style="bold"))
        lines += [Text("  " + line.text, style=TONES.get(line.tone, "")) for line in section.lines]
    subtitle = " · ".join(x for x in (p.company, p.stage) if x)
    return Panel(
        Group(*lines),
        title=Text(f"#{p.id} {p.name}"),
        subtitle=Text(subtitle),
        title_align="left",
        expand=False,
    )

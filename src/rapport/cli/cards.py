"""Rich renderables for one person: the profile card."""

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from rapport.render import ago, snoozed_until

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

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
    held = snoozed_until(p.snoozed_until, now.date())
    row("snoozed", f"until {held}" if held else None)
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


class Framed:
    """A panel as wide as its body, its title and its subtitle need: neither is ever cut.

    A subtitle too long for the terminal becomes the body's first line instead.
    """

    def __init__(self, body: Any, title: str, subtitle: str) -> None:
        self.body, self.title, self.subtitle = body, title, subtitle

    def __rich_console__(self, console: "Console", options: "ConsoleOptions") -> "RenderResult":
        from rich.cells import cell_len
        from rich.console import Group
        from rich.measure import Measurement
        from rich.panel import Panel
        from rich.text import Text

        body, subtitle = self.body, self.subtitle
        # Panel puts a space and a corner either side of its title and subtitle
        if cell_len(subtitle) + 6 > options.max_width:
            body, subtitle = Group(Text(subtitle, style="dim"), body), ""
        inner = Measurement.get(console, options, body).maximum
        needed = max(inner + 4, cell_len(self.title) + 6, cell_len(subtitle) + 6)
        yield Panel(
            body,
            title=Text(self.title),
            subtitle=Text(subtitle) if subtitle else None,
            title_align="left",
            width=min(needed, options.max_width),
        )


def brief_card(card: "Brief", now: datetime) -> Any:
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    p = card.profile.person
    lines: list[Any] = []
    reach = " · ".join(x for x in (p.phone, p.email) if x)
    if reach:
        lines.append(Text(reach))
    for section in card.sections:
        lines.append(Text(section.title, style="bold"))
        for line in section.lines:
            # a long line wraps under its indent, or ends in … where it is to stay one line
            body = Text(line.text, style=TONES.get(line.tone, ""))
            if line.one_line:
                body.no_wrap, body.overflow = True, "ellipsis"
            lines.append(Padding(body, (0, 0, 0, 2)))
    held = snoozed_until(p.snoozed_until, now.date())
    snooze = f"snoozed until {held}" if held else None
    subtitle = " · ".join(x for x in (p.company, p.stage, snooze) if x)
    return Framed(Group(*lines), f"#{p.id} {p.name}", subtitle)

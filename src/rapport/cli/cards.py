"""Rich renderables for one person: the profile card."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rapport.render import ago

if TYPE_CHECKING:
    from rapport.core.people import Profile


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
    row("email", p.email)
    row("phone", p.phone)
    since = f" since {card.stage_since.astimezone(now.tzinfo):%Y-%m-%d}" if card.stage_since else ""
    row("stage", p.stage + since)
    if card.cadence:
        origin = "" if p.cadence_days is not None else " (stage default)"
        row("cadence", f"every {card.cadence} days{origin}")
    row("thinks", p.style)
    row("now", p.current_state)
    row("wants", p.desired_outcome)
    row("birthday", p.birthday)
    row("tags", ", ".join(card.tags))
    if card.last_contact:
        last = (
            f"{card.last_contact.astimezone(now.tzinfo):%Y-%m-%d} ({ago(card.last_contact, now)})"
        )
    else:
        last = "never"
    row("last contact", last)
    row("they need", card.last_heard)
    figures = [f"{card.interactions} interactions"]
    figures += [f"{n} {label}" for label, n in card.counts.items() if n]
    row("figures", ", ".join(figures))
    return Panel(grid, title=Text(f"#{p.id} {p.name}"), title_align="left", expand=False)

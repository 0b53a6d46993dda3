"""Arguments and options that several commands share."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from rapport.cli.output import Format
from rapport.completion import complete_person
from rapport.vocab import CHANNELS, GESTURE_KINDS, STAGES

if TYPE_CHECKING:
    from rapport.cli.app import State


def _stages() -> list[str]:
    return list(STAGES)


def _channels() -> list[str]:
    return list(CHANNELS)


def _kinds() -> list[str]:
    return list(GESTURE_KINDS)


Person = Annotated[
    str, typer.Argument(help="Name fragment or number.", autocompletion=complete_person)
]
AnyPerson = Annotated[
    str | None,
    typer.Argument(
        help="Name fragment or number (default: everyone).", autocompletion=complete_person
    ),
]
At = Annotated[
    str | None,
    typer.Option("--at", help="When (default now): yesterday, '2 hours ago', 'fri 14:00'…"),
]
Formats = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")]
StageOption = Annotated[
    str | None,
    typer.Option(
        "--stage",
        "-s",
        help="acquaintance, friend, dating, engaged, married or lost.",
        autocompletion=_stages,
    ),
]
StageArgument = Annotated[
    str,
    typer.Argument(
        metavar="STAGE",
        help="acquaintance, friend, dating, engaged, married or lost.",
        autocompletion=_stages,
    ),
]
Channel = Annotated[
    str | None,
    typer.Option(
        "--channel",
        "-c",
        help="call, email, meeting, visit, message, letter or other.",
        autocompletion=_channels,
    ),
]
Kind = Annotated[
    str,
    typer.Argument(help="card, gift, sample, thanks, visit or other.", autocompletion=_kinds),
]


def moment(st: "State", at: str | None) -> datetime:
    """The time typed with --at, or now; the journal records what has happened."""
    from rapport.dates import parse_when
    from rapport.errors import BadDate

    now = st.now()
    if at is None:
        return now
    when = parse_when(at, now)
    if when > now + timedelta(minutes=1):
        first = at.strip().lower().split()[0] if at.strip() else ""
        weekday = first[:3] in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        hint = f"; for the past one, say 'last {at.strip()}'" if weekday else ""
        raise BadDate(
            f"--at '{at}' is in the future ({when:%a %Y-%m-%d %H:%M}): the journal records"
            f" what has happened{hint}"
        )
    return when

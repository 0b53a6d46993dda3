"""Arguments and options that several commands share, and how help names their values."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rapport.cli.output import Format
from rapport.completion import complete_commitment, complete_person, complete_problem, complete_tag
from rapport.vocab import CHANNELS, GESTURE_KINDS, MOODS, STAGES

if TYPE_CHECKING:
    from rapport.cli.app import State


def _stages() -> list[str]:
    return list(STAGES)


def _channels() -> list[str]:
    return list(CHANNELS)


def _kinds() -> list[str]:
    return list(GESTURE_KINDS)


def _moods() -> list[str]:
    return list(MOODS)


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
    typer.Option("--at", help="When (default now): yesterday, '2 hours ago', 'last fri 14:00'…"),
]
CardFormat = Annotated[Format, typer.Option("--format", "-f", help="table or json.")]


def card_as_json(fmt: Format) -> bool:
    """Whether a card (show, brief) goes out as JSON; it has no CSV form."""
    if fmt is Format.csv:
        raise typer.BadParameter("a card is a table or JSON, not CSV", param_hint="--format")
    return fmt is Format.json


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
Mood = Annotated[
    str | None,
    typer.Option(
        "--mood",
        "-m",
        help="How they left: -2..2 or upset, frustrated, neutral, pleased, delighted.",
        autocompletion=_moods,
    ),
]
Tags = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="A tag (repeatable).", autocompletion=complete_tag),
]
CommitmentId = Annotated[
    str,
    typer.Argument(
        help="Its number or reference (12, c12), as `rapport due` shows it.",
        autocompletion=complete_commitment,
    ),
]
ProblemId = Annotated[
    str,
    typer.Argument(
        help="Its number or reference (3, p3), as `rapport due` shows it.",
        autocompletion=complete_problem,
    ),
]
Kind = Annotated[
    str,
    typer.Argument(help="card, gift, sample, thanks, visit or other.", autocompletion=_kinds),
]


def moment(st: "State", at: str | None) -> datetime:
    """The time typed with --at, or now; the journal records what has happened."""
    from rapport.core.rules import in_past
    from rapport.dates import parse_when

    now = st.now()
    if at is None:
        return now
    return in_past(parse_when(at, now), now, at)


# The placeholder help shows for a value, by option or argument name; other text values
# are TEXT, numbers N, files FILE, choices their words, flags nothing.
PLACEHOLDERS = {
    "--at": "DATE",
    "--on": "DATE",
    "--due": "DATE",
    "--until": "DATE",
    "--since": "DATE",
    "--birthday": "DATE",
    "--every": "DURATION",
    "--db": "PATH",
    "--output": "FILE",
    "--stage": "STAGE",
    "--channel": "CHANNEL",
    "--mood": "MOOD",
    "--tag": "TAG",
    "--untag": "TAG",
    "--person": "PERSON",
    "--kind": "KIND",
    "--email": "EMAIL",
    "--phone": "PHONE",
    "--name": "NAME",
    "--style": "STYLE",
    "--encoding": "ENCODING",
    "--profile": "NAME",
    "--vcard": "VERSION",
    "--map": "THEIRS=OURS",
    "--ignore": "COLUMN",
    "person": "PERSON",
    "people": "PERSON[,PERSON…]",
    "ident": "ID",
    "new_stage": "STAGE",
    "source": "FILE_OR_DIR",
    "kind": "KIND",
}
_NAMED: dict[tuple[type, tuple[str, ...]], type] = {}


def placeholder(param: Any) -> str:
    """The conventional name of what a parameter takes: PERSON, TEXT, DATE, N."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    long = [o for o in param.opts if o.startswith("--")]
    key = long[0] if long else param.name
    if key in PLACEHOLDERS:
        return PLACEHOLDERS[key]
    choices = _choices(param)
    if choices:
        return "[" + "|".join(choices) + "]"
    kind = _annotation(param)
    if kind is int or getattr(getattr(param, "type", None), "name", "") == "integer":
        return "N"
    if "path" in str(kind).lower() or "path" in str(getattr(param, "type", "")).lower():
        return "FILE"
    return str(param.name).upper() if _is_argument(param) else "TEXT"


def _is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def _annotation(param: Any) -> Any:
    return getattr(getattr(param, "type_descriptor", None), "annotation", None)


def _choices(param: Any) -> list[str]:
    found = getattr(getattr(param, "type_descriptor", None), "choices", None)
    if found is None:
        found = getattr(getattr(param, "type", None), "choices", None)
    return [str(getattr(c, "value", c)) for c in found or ()]


def _argument_usage(self: Any, ctx: Any) -> list[str]:
    name = self.metavar if self.required else f"[{self.metavar}]"
    return [name + ("…" if self.nargs != 1 else "")]


def _named_params(self: Any, ctx: Any) -> list[Any]:
    params: list[Any] = super(type(self), self).get_params(ctx)
    for param in params:
        if param.metavar is None:
            param.metavar = placeholder(param)
        if _is_argument(param):
            _swap(param, display_type_rich=lambda self, ctx: None, get_usage_pieces=_argument_usage)
    return params


def _swap(thing: Any, **methods: Any) -> None:
    """Give one built object the methods given, through a subclass of its own class."""
    kind = type(thing)
    if kind.__name__.startswith("Named"):
        return
    key = (kind, tuple(methods))
    if key not in _NAMED:
        _NAMED[key] = type("Named" + kind.__name__, (kind,), methods)
    thing.__class__ = _NAMED[key]


def name_placeholders(command: Any) -> None:
    """Make this command, and its subcommands, show each parameter's placeholder.

    Done once here, on the built commands, so that help reads the same whatever
    typer's own defaults are (they changed: ``<str>``, ``<bool>``, ``{name}``).
    """
    for sub in getattr(command, "commands", {}).values():
        name_placeholders(sub)
    _swap(command, get_params=_named_params)


def _record_kinds() -> list[str]:
    return ["person", "interaction", "commitment", "problem", "gesture", "stage"]


KindFilter = Annotated[
    str | None,
    typer.Option(
        "--kind",
        "-k",
        help="person, interaction, commitment, problem, gesture or stage.",
        autocompletion=_record_kinds,
    ),
]
TagFilter = Annotated[
    str | None, typer.Option("--tag", "-t", help="Tagged so, or about someone tagged so.")
]
Since = Annotated[str | None, typer.Option("--since", help="From this day on.")]
Until = Annotated[str | None, typer.Option("--until", help="Up to this day, included.")]


def day_window(
    st: "State", since: str | None, until: str | None
) -> tuple[datetime | None, datetime | None]:
    """The moments [start, end) that --since and --until days cover in the user's zone."""
    from datetime import time

    from rapport.dates import parse_day
    from rapport.errors import BadValue

    today, zone = st.today(), st.zone()
    start = end = None
    if since is not None:
        start = datetime.combine(parse_day(since, today), time(), zone)
    if until is not None:
        end = datetime.combine(parse_day(until, today) + timedelta(days=1), time(), zone)
    if start is not None and end is not None and start >= end:
        raise BadValue(f"--since {since} comes after --until {until}")
    return start, end

"""add, edit, people, show."""

from datetime import date
from typing import Annotated, cast

import typer

from rapport.cli.app import app, state
from rapport.cli.args import CardFormat, Formats, Person, StageOption, Tags, card_as_json
from rapport.cli.output import (
    Column,
    Format,
    Screen,
    console,
    note,
    reference,
    write_document,
    write_records,
)
from rapport.cli.output import show as show_table  # `show` is this module's command
from rapport.completion import complete_tag
from rapport.errors import BadValue

Company = Annotated[str | None, typer.Option("--company", "-c", help="Company or organisation.")]
Email = Annotated[str | None, typer.Option("--email", "-e", help="Email address.")]
Phone = Annotated[str | None, typer.Option("--phone", "-p", help="Phone number.")]
Every = Annotated[
    str | None,
    typer.Option("--every", help="Cadence: how often to be in touch (10d, 2w, 3m, 1y)."),
]
Style = Annotated[
    str | None,
    typer.Option("--style", help="How they think: detail, big-picture, or your own word."),
]
Now = Annotated[str | None, typer.Option("--now", help="Their current state, in their words.")]
Wants = Annotated[str | None, typer.Option("--wants", help="The outcome they want.")]
Birthday = Annotated[
    str | None, typer.Option("--birthday", help="1980-03-14, 'Mar 14', or --03-14 (no year).")
]
PEOPLE_COLUMNS = (
    Column("#", drop=2, justify="right"),
    Column("name"),
    Column("company", drop=3, wrap=True),
    Column("stage", drop=1),
    Column("every", drop=4, justify="right"),
    Column("last contact", drop=2),
    Column("tags", drop=5, wrap=True),
    Column("snoozed until", drop=1),
)


def _profile_fields(
    company: str | None,
    email: str | None,
    phone: str | None,
    every: str | None,
    style: str | None,
    now: str | None,
    wants: str | None,
    birthday: str | None,
    today: "date",
) -> dict[str, str | int | None]:
    from rapport.dates import parse_birthday, parse_duration

    fields: dict[str, str | int | None] = {
        "company": company,
        "email": email,
        "phone": phone,
        "style": style,
        "current_state": now,
        "desired_outcome": wants,
    }
    if every is not None:
        fields["cadence_days"] = parse_duration(every) if every.strip() else ""
    if birthday is not None:
        fields["birthday"] = parse_birthday(birthday, today) if birthday.strip() else ""
    return fields


@app.command(rich_help_panel="People")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name, as you say it.")],
    company: Company = None,
    email: Email = None,
    phone: Phone = None,
    stage: StageOption = None,
    every: Every = None,
    style: Style = None,
    now: Now = None,
    wants: Wants = None,
    birthday: Birthday = None,
    tag: Tags = None,
    duplicate: Annotated[
        bool, typer.Option("--duplicate", help="Add even if someone of that name exists.")
    ] = False,
) -> None:
    """Add a person to the journal.

    Example: rapport add "José Núñez" --company Tiles&Co --stage dating --every 2w --style detail
    """
    from rapport.core.people import add_person

    st = state(ctx)
    fields = _profile_fields(company, email, phone, every, style, now, wants, birthday, st.today())
    with st.journal.write() as session:
        person = add_person(
            session,
            name,
            now=st.now(),
            stage=stage or "acquaintance",
            tags=tag or [],
            allow_duplicate=duplicate,
            **fields,
        )
    note(f"added #{person.id} {person.name} ({person.stage})")
    reference(str(person.id))


@app.command(rich_help_panel="People")
def edit(
    ctx: typer.Context,
    person: Person,
    name: Annotated[str | None, typer.Option("--name", help="Rename them.")] = None,
    company: Company = None,
    email: Email = None,
    phone: Phone = None,
    stage: StageOption = None,
    every: Every = None,
    style: Style = None,
    now: Now = None,
    wants: Wants = None,
    birthday: Birthday = None,
    tag: Tags = None,
    untag: Annotated[
        list[str] | None,
        typer.Option("--untag", help="Remove a tag (repeatable).", autocompletion=complete_tag),
    ] = None,
    duplicate: Annotated[
        bool, typer.Option("--duplicate", help="Rename even if someone has that name.")
    ] = False,
) -> None:
    """Change what you know of someone; an empty value ("") clears a field.

    Example: rapport edit jose --now "waiting on the bank" --wants "keys before Christmas" --tag vip
    """
    from rapport.core.people import edit_person
    from rapport.core.resolving import resolve

    st = state(ctx)
    fields = _profile_fields(company, email, phone, every, style, now, wants, birthday, st.today())
    given = [name, stage, *(tag or []), *(untag or []), *fields.values()]
    if all(value is None for value in given):
        raise BadValue("nothing to change: give an option such as --company or --tag"
                       " (see: rapport edit --help)")  # fmt: skip
    with st.journal.write() as session:
        found = resolve(session, person)
        edit_person(
            session,
            found,
            now=st.now(),
            name=name,
            stage=stage,
            add_tags=tag or [],
            remove_tags=untag or [],
            allow_duplicate=duplicate,
            **fields,
        )
    note(f"updated #{found.id} {found.name}")


@app.command("people", rich_help_panel="People")
def people_(
    ctx: typer.Context,
    stage: StageOption = None,
    tag: Annotated[
        str | None,
        typer.Option("--tag", "-t", help="Only people with this tag.", autocompletion=complete_tag),
    ] = None,
    duplicates: Annotated[
        bool,
        typer.Option(
            "--duplicates", help="Likely duplicates instead, each with its merge command."
        ),
    ] = False,
    fmt: Formats = Format.table,
) -> None:
    """List people, by name.

    Example: rapport people --stage engaged --tag vip --format csv
    """
    from datetime import datetime

    from rapport.core.people import cadence_for
    from rapport.core.records import PEOPLE, people_listing
    from rapport.render import cell, snoozed_until

    st = state(ctx)
    if duplicates:
        from rapport.cli.finding import show_duplicates

        show_duplicates(st, fmt)
        return
    with st.journal.read() as session:
        listing = people_listing(session, stage=stage, tag=tag)
        if fmt is not Format.table:
            write_records(PEOPLE, listing, fmt)  # streamed: a row at a time
            return
        records = list(listing)
    if not records:
        note("nobody matches" if stage or tag else "nobody yet: add someone with  rapport add NAME")
        return
    zone, today = st.zone(), st.today()
    grid = Screen(PEOPLE_COLUMNS)
    for record in records:
        cadence = cadence_for(str(record["stage"]), cast(int | None, record["cadence_days"]))
        last = record["last_contact_at"]  # the day alone: its time may be one nobody typed
        grid.row(
            str(record["id"]),
            str(record["name"]),
            str(record["company"] or ""),
            str(record["stage"]),
            f"{cadence}d" if cadence else "",
            cell(last.astimezone(zone).date() if isinstance(last, datetime) else None),
            cell(record["tags"]),
            snoozed_until(cast(date | None, record["snoozed_until"]), today),
        )
    show_table(grid)


@app.command(rich_help_panel="People")
def show(
    ctx: typer.Context,
    person: Person,
    fmt: CardFormat = Format.table,
) -> None:
    """Show someone's profile card with key figures (--format json for scripts).

    Example: rapport show ann
    """
    from rapport.cli.cards import profile_card
    from rapport.core.people import profile
    from rapport.core.resolving import resolve

    st = state(ctx)
    with st.journal.read() as session:
        card = profile(session, resolve(session, person), st.now())
    if card_as_json(fmt):
        from rapport.core.documents import profile_document

        write_document(profile_document(card))
        return
    console().print(profile_card(card, st.now()))

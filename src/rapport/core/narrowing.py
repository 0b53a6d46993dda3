"""Narrowing the timeline to a kind of event, a channel or a tag, as search narrows its hits."""

from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, text
from sqlmodel import Session, col, select

from rapport.core.journal import Event, check_channel
from rapport.core.search import PREFIXES, check_kind, journal_tags
from rapport.models import Interaction, InteractionPerson, InteractionTag, PersonTag
from rapport.store.fts import OWNED

KIND_OF_PREFIX = {prefix: kind for kind, prefix in PREFIXES.items()}
Ref = tuple[str, int]


def _ref(text: str | None) -> Ref | None:
    """``i12`` → ("interaction", 12); None for what names no record."""
    if not text or text[:1] not in KIND_OF_PREFIX or not text[1:].isdigit():
        return None
    return KIND_OF_PREFIX[text[:1]], int(text[1:])


def narrow(
    session: Session,
    events: Sequence[Event],
    *,
    kind: str | None = None,
    channel: str | None = None,
    tag: str | None = None,
) -> list[Event]:
    """The events of that kind, of conversations on that channel, tagged so or about
    someone tagged so (every filter given must hold)."""
    if kind is not None:
        wanted = check_kind(kind)
        events = [e for e in events if e.kind == wanted]
    if channel is None and tag is None:
        return list(events)
    refs = {r for e in events if (r := _ref(e.ref)) is not None}
    keep = set(refs)
    if channel is not None:
        keep &= _on_channel(session, refs, check_channel(channel))
    if tag is not None:
        keep &= _tagged(session, refs, journal_tags(session, tag))
    return [e for e in events if _ref(e.ref) in keep]


def _ids(refs: Iterable[Ref], kind: str) -> list[int]:
    return [i for k, i in refs if k == kind]


def _on_channel(session: Session, refs: set[Ref], channel: str) -> set[Ref]:
    query = select(Interaction.id).where(
        col(Interaction.id).in_(_ids(refs, "interaction")), Interaction.channel == channel
    )
    return {("interaction", i) for i in session.exec(query) if i is not None}


def _tagged(session: Session, refs: set[Ref], tags: list[str]) -> set[Ref]:
    if not tags:
        return set()
    people = select(PersonTag.person_id).where(col(PersonTag.tag).in_(tags))
    talks = _ids(refs, "interaction")
    found = set(
        session.exec(
            select(InteractionTag.interaction_id).where(
                col(InteractionTag.interaction_id).in_(talks), col(InteractionTag.tag).in_(tags)
            )
        )
    ) | set(
        session.exec(
            select(InteractionPerson.interaction_id).where(
                col(InteractionPerson.interaction_id).in_(talks),
                col(InteractionPerson.person_id).in_(people),
            )
        )
    )
    kept = {("interaction", i) for i in found}
    for kind, table in OWNED.items():
        ids = _ids(refs, kind)
        if ids:
            query = text(
                f"SELECT id FROM {table} WHERE id IN :ids AND person_id IN"
                " (SELECT person_id FROM person_tag WHERE tag IN :tags)"
            ).bindparams(bindparam("ids", expanding=True), bindparam("tags", expanding=True))
            rows = session.connection().execute(query, {"ids": ids, "tags": tags})
            kept |= {(kind, row[0]) for row in rows}
    return kept

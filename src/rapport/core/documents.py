"""`show` and `brief` as JSON documents for scripts: one object each, plain values."""

from typing import Any

from rapport.core.brief import Brief
from rapport.core.people import Profile
from rapport.core.refs import ref
from rapport.render import plain


def profile_document(card: Profile) -> dict[str, Any]:
    p = card.person
    document = {
        "id": p.id,
        "name": p.name,
        "company": p.company,
        "email": p.email,
        "phone": p.phone,
        "stage": p.stage,
        "stage_since": card.stage_since,
        "cadence_days": card.cadence,
        "style": p.style,
        "current_state": p.current_state,
        "desired_outcome": p.desired_outcome,
        "birthday": p.birthday,
        "tags": card.tags,
        "snoozed_until": p.snoozed_until,
        "last_contact_at": card.last_contact,
        "interactions": card.interactions,
        "last_heard": card.last_heard,
        "counts": card.counts,
        "created_at": p.created_at,
        "uid": p.uid,
    }
    return {key: plain(value) for key, value in document.items()}


def brief_document(card: Brief) -> dict[str, Any]:
    def commitment(c: Any) -> dict[str, Any]:
        return {"ref": ref(c), "id": c.id, "text": c.text, "due": plain(c.due)}

    return {
        "person": profile_document(card.profile),
        "style_hint": card.style_hint,
        "since": plain(card.since),
        "changes": card.changes,
        "heard": [
            {
                "ref": h.ref,
                "at": plain(h.at),
                "heard": h.heard,
                "state": h.state,
                "correction": h.correction,
            }
            for h in card.heard
        ],
        "mine": [commitment(c) for c in card.mine],
        "theirs": [commitment(c) for c in card.theirs],
        "problems": [
            {"ref": ref(p), "id": p.id, "text": p.text, "opened_at": plain(p.opened_at)}
            for p in card.problems
        ],
        "recent": [
            {
                "ref": ref(i),
                "at": plain(i.at),
                "channel": i.channel,
                "mood": i.mood,
                "text": i.text,
                "heard": i.heard,
            }
            for i in card.recent
        ],
    }

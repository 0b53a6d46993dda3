"""Build schema1.db: a small journal of schema version 1, the first released schema.

    PYTHONPATH=src python tests/journals/make_schema1.py

It is kept, not regenerated: the tests open it with the current code to prove
that a journal written by that release still opens, upgraded, with nothing lost.
Run this only while version 1 is current, to replace a lost file.
"""

from story import build

STORY = [
    ["add", "José Núñez", "--company", "Tiles & Co", "--stage", "dating", "--every", "2w",
     "--style", "detail", "--now", "waiting on the bank", "--wants", "keys before Christmas",
     "--birthday", "--03-14", "--tag", "vip", "--tag", "renovation"],
    ["add", "Ann Lee", "--company", "Acme", "--email", "ann@example.com", "--phone", "+1 555 0100",
     "--stage", "friend", "--birthday", "1980-12-01"],
    ["add", "Zoë Quinn", "--stage", "acquaintance"],
    ["log", "jose,ann", "Walked through the tiling plan", "--channel", "meeting", "--mood",
     "pleased", "--heard", "the big picture first", "--at", "2026-11-20", "--tag", "plan"],
    ["log", "ann", "Quick call about the renewal", "--at", "2026-11-22T15:00"],
    ["log", "zoe", "Emailed the brochure", "--channel", "email", "--mood", "-1"],
    ["stage", "jose", "engaged", "--why", "signed the pilot", "--at", "2026-11-21"],
    ["promise", "jose", "send the revised quote", "--due", "2026-11-27"],
    ["promise", "ann", "intro to the accountant", "--due", "2026-11-10"],
    ["expect", "ann", "signed purchase order", "--due", "2026-12-01"],
    ["expect", "zoe", "feedback on the brochure", "--due", "2026-11-15"],
    ["done", "1"],
    ["broke", "2", "--why", "the accountant retired"],
    ["release", "4", "--why", "they no longer need it"],
    ["problem", "jose", "wrong VIN on the loan papers"],
    ["problem", "ann", "invoice sent twice"],
    ["resolve", "2", "--note", "refunded the duplicate"],
    ["gesture", "jose", "card", "handwritten thank-you for the patience"],
    ["gesture", "ann", "gift"],
    ["snooze", "zoe", "--until", "2026-12-15"],
]  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(build(1, STORY))

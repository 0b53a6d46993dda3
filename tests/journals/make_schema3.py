"""Build schema3.db: a small journal of schema version 3 (who started a conversation,
what was heard and repeated back, the history of current states and desired outcomes).

    PYTHONPATH=src python tests/journals/make_schema3.py

It starts from schema2.db. It is kept, not regenerated: the tests open it with the
current code to prove that a journal written by that release still opens, upgraded,
with nothing lost.
Run this only while version 3 is current, to replace a lost file.
"""

from story import build

# Version 3 writes its history of profiles only when it upgrades a journal, so the story
# starts from schema2.db, upgraded by opening it, and goes on with what version 3 adds.
STORY = [
    ["log", "ann", "They called about the order", "--from", "them", "--at", "2026-11-23"],
    ["heard", "i1", "--confirmed"],
    ["edit", "zoe", "--wants", "a brochure in French"],
]  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(build(3, STORY, start="schema2.db"))

"""Build schema5.db: a small journal of schema version 5 (a conversation logged with a
day and no time of day).

    PYTHONPATH=src python tests/journals/make_schema5.py

It starts from schema4.db. It is kept, not regenerated: the tests open it with the
current code to prove that a journal written by that release still opens, upgraded,
with nothing lost.
Run this only while version 5 is current, to replace a lost file.
"""

from story import build

# The story goes on from schema4.db, upgraded by opening it, with what version 5 adds:
# a conversation logged with a day and no time of day.
STORY = [["log", "zoe", "Posted the French brochure", "--channel", "letter", "--at", "2026-11-23"]]


if __name__ == "__main__":
    raise SystemExit(build(5, STORY, start="schema4.db"))

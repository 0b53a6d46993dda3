"""Build schema6.db: a small journal of schema version 6 (who made each commitment).

    PYTHONPATH=src python tests/journals/make_schema6.py

It starts from schema5.db. It is kept, not regenerated: the tests open it with the
current code to prove that a journal written by that release still opens, upgraded,
with nothing lost.
Run this only while version 6 is current, to replace a lost file.
"""

from story import build

# The story goes on from schema5.db, upgraded by opening it, with what version 6 adds:
# a commitment that records who made it.
STORY = [["promise", "zoe", "send the Spanish brochure", "--due", "2026-12-04"]]


if __name__ == "__main__":
    raise SystemExit(build(6, STORY, start="schema5.db"))

"""Build schema4.db: a small journal of schema version 4 (a contact's title, notes,
other emails and phones, addresses, web pages, and the ids address books give).

    PYTHONPATH=src python tests/journals/make_schema4.py

It starts from schema3.db. It is kept, not regenerated: the tests open it with the
current code to prove that a journal written by that release still opens, upgraded,
with nothing lost.
Run this only while version 4 is current, to replace a lost file.
"""

from story import build

# The story goes on from schema3.db, upgraded by opening it, with what version 4 adds:
# a card from an address book, with its own id, a title, a note and more than one of each.
CARD = """BEGIN:VCARD
VERSION:3.0
UID:pas-id-4F2A
FN:Grace Hopper
N:Hopper;Grace;;;
ORG:Navy Labs
TITLE:Rear Admiral
EMAIL;TYPE=WORK:grace@navy.example
EMAIL;TYPE=HOME:grace@home.example
TEL;TYPE=CELL:+1 555 0199
TEL;TYPE=WORK:+1 555 0142
ADR;TYPE=WORK:;;1 Bug Lane;Arlington;VA;22201;USA
URL:https://grace.example
NOTE:Met at the compiler meetup
END:VCARD
"""
STORY = [
    ["import", "{folder}/grace.vcf"],
    ["log", "grace", "Called about the COBOL course", "--at", "2026-11-23"],
]


if __name__ == "__main__":
    raise SystemExit(build(4, STORY, start="schema3.db", files={"grace.vcf": CARD}))

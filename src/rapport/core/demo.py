"""A small, realistic story to fill a demo journal, dated relative to ``now``.

You run a small renovation and trade business: clients, suppliers, a bank
contact, a dealership you buy vans from. Every stage and every reason `due`
knows about appears at least once, and so do the quieter parts of the craft: who
reaches out (Carla only ever hears from you; Tom's emails go unanswered), what was
heard and repeated back (Helen confirmed, Raj corrected, Sofia still to confirm),
outcomes that move (Helen's bathroom) or do not (Yuki's showroom), and a brief
that leads with what changed since the last conversation.
"""

from datetime import datetime, timedelta, tzinfo

from sqlmodel import Session

from rapport.core.commitments import (
    close_commitment,
    commit,
    log_gesture,
    open_problem,
    resolve_problem,
    snooze,
)
from rapport.core.heard import repeat_back
from rapport.core.journal import log_interaction
from rapport.core.people import add_person, change_stage, count_people, edit_person
from rapport.errors import Conflict
from rapport.models import Interaction, Person


def fill(
    session: Session, now: datetime, zone: tzinfo, author: str = "demo", force: bool = False
) -> int:
    """Write the story into an empty journal (any journal with ``force``); return its size."""
    people = count_people(session)
    if people and not force:
        raise Conflict(
            f"the journal already holds {people} {'person' if people == 1 else 'people'};"
            " use --force to add the demo to it, or run rapport demo without --db"
        )
    today = now.astimezone(zone).date()

    def ago(days: float, hour: int = 10) -> datetime:
        day = now.astimezone(zone) - timedelta(days=days)
        return day.replace(hour=hour, minute=0, second=0, microsecond=0)

    def person(
        name: str,
        stage: str,
        since: float,
        company: str,
        tags: str,
        style: str | None = None,
        current_state: str | None = None,
        desired_outcome: str | None = None,
        birthday: str | None = None,
    ) -> Person:
        p = add_person(
            session, name, now=ago(since + 400), tags=tags.split(","), company=company,
            style=style, current_state=current_state, desired_outcome=desired_outcome,
            birthday=birthday,
        )  # fmt: skip
        if stage != "acquaintance":
            change_stage(session, p, stage, why=None, at=ago(since))
        return p

    def talk(who: list[Person], days: float, text: str, channel: str = "call",
             mood: int | None = None, heard: str | None = None,
             started_by: str = "me") -> Interaction:  # fmt: skip
        return log_interaction(session, who, text, at=ago(days), channel=channel, mood=mood,
                               heard=heard, author=author, started_by=started_by)  # fmt: skip

    helen = person("Helen Park", "engaged", 35, company="Park & Daughters",
                   style="big-picture", current_state="living with a half-finished bathroom",
                   desired_outcome="a spa-like bathroom before her parents visit in January",
                   tags="client,renovation")  # fmt: skip
    talk([helen], 30, "She rang to ask whether the tiles could still change.", "call", 1,
         started_by="them")  # fmt: skip
    visit = talk([helen], 12, "Walked her through the tiling plan, joint by joint; she glazed"
                 " over.", "visit", 0,
                 heard="just show me how the finished room will feel")  # fmt: skip
    repeat_back(session, visit, now=ago(11), confirmed=True)
    edit_person(session, helen, now=ago(10), current_state="tiles laid, vanity on order")
    talk([helen], 5, "Sent the tile order summary.", "email")
    commit(session, helen, "send a 3D render of the finished bathroom",
           due=today + timedelta(days=2), direction="mine", now=ago(4), toward=True)  # fmt: skip
    log_gesture(session, helen, "sample", "two tile samples for the shower wall", at=ago(3),
                toward=True)  # fmt: skip
    commit(session, helen, "choose the vanity colour", due=today - timedelta(days=3),
           direction="theirs", now=ago(12))  # fmt: skip

    raj = person("Raj Patel", "married", 300, company="Northside Motors",
                 style="detail", desired_outcome="a fleet deal that closes without surprises",
                 tags="supplier,vans")  # fmt: skip
    vin = talk([raj], 14, "Van loan papers came back with the wrong VIN.", "call", -1,
               heard="a van on the road by the 1st", started_by="them")  # fmt: skip
    repeat_back(session, vin, now=ago(13),
                corrected="a van he can register by the 1st: the papers matter more")  # fmt: skip
    problem = open_problem(session, raj, "wrong VIN on the van loan papers", at=ago(14))
    lena = person("Lena Fischer", "friend", 200, company="Harbour Bank",
                  tags="bank")  # fmt: skip
    talk([raj, lena], 6, "Three-way call: bank reissues the papers with the right VIN.",
         "call", 1, started_by="them")  # fmt: skip
    resolve_problem(session, problem.id or 0, at=ago(3), note="bank reissued the papers")
    log_gesture(session, lena, "card", "handwritten thank-you for sorting the VIN", at=ago(2))

    tom = person("Tom Becker", "friend", 250, company="Becker Property",
                 tags="client")  # fmt: skip
    for days, text in ((110, "Quote for the stairwell"), (80, "Follow-up on the quote"),
                       (52, "Any news on the stairwell?")):  # fmt: skip
        talk([tom], days, text, "email")

    kevin = person("Kevin Moss", "dating", 20, company="Moss Hotels",
                   current_state="comparing three contractors", tags="prospect")  # fmt: skip
    for days in (1, 2, 4, 6):
        talk([kevin], days, "Called again about the hotel refit.", "call", 0)
    talk([kevin], 9, "He called back: three contractors on his list.", "call", 0,
         started_by="them")  # fmt: skip

    sofia = person("Sofia Alvarez", "engaged", 60, company="Alvarez Architects",
                   style="detail", tags="partner")  # fmt: skip
    talk([sofia], 9, "Agreed to revise the kitchen proposal.", "meeting", 1,
         heard="line-item costs she can defend to her client")  # fmt: skip
    commit(session, sofia, "send the revised kitchen proposal",
           due=today - timedelta(days=4), direction="mine", now=ago(9))  # fmt: skip

    priya = person("Priya Nair", "engaged", 45, company="Nair Dental",
                   tags="client")  # fmt: skip
    talk([priya], 8, "Walkthrough of the clinic refit.", "visit", 2)
    kept = commit(session, priya, "send the clinic schedule", due=today - timedelta(days=6),
                  direction="mine", now=ago(10))  # fmt: skip
    close_commitment(session, kept.id or 0, "kept", at=ago(7), zone=zone)
    commit(session, priya, "signed contract", due=today - timedelta(days=3),
           direction="theirs", now=ago(8))  # fmt: skip

    grace = person("Grace Kim", "married", 700, company="Kim Family Trust",
                   birthday=f"--{(today + timedelta(days=5)):%m-%d}", tags="client")  # fmt: skip
    talk([grace], 20, "Annual maintenance check.", "visit", 2)
    log_gesture(session, grace, "gift", "orchids for the new house", at=ago(90))

    bill = person("Bill Turner", "married", 900, company="Turner Estates",
                  tags="client")  # fmt: skip
    talk([bill], 25, "Quarterly review, all good.", "meeting", 1)

    yuki = person("Yuki Tanaka", "dating", 70, company="Tanaka Interiors",
                  desired_outcome="a showroom that sells her own designs",
                  tags="prospect")  # fmt: skip
    talk([yuki], 40, "Sent the portfolio she asked for.", "email")
    talk([yuki], 38, "Call about the showroom project.", "call", 1)

    anna = person("Anna Schmidt", "married", 500, company="Schmidt Bakery",
                  tags="client")  # fmt: skip
    talk([anna], 3, "Invoice for the oven install was charged twice.", "call", -2)
    open_problem(session, anna, "oven install invoice charged twice", at=ago(3))

    omar = person("Omar Haddad", "acquaintance", 0, company="Haddad Plumbing",
                  tags="supplier")  # fmt: skip
    talk([omar], 20, "Met at the trade fair; might cover our overflow work.", "meeting")

    nina = person("Nina Petrova", "lost", 30, company="Petrova Lofts", tags="client")
    talk([nina], 31, "She went with a competitor on price.", "call", -1)

    mia = person("Mia Laurent", "friend", 120, company="Laurent Design", tags="partner")
    talk([mia], 60, "Lunch; she is on sabbatical until next month.", "meeting", 2)
    snooze(session, mia, today + timedelta(days=20))

    carla = person("Carla Reyes", "friend", 400, company="Reyes Catering", tags="client")
    talk([carla], 150, "She called about a catering kitchen for the new hall.", "call", 1,
         started_by="them")  # fmt: skip
    for days in (70, 40, 15):
        talk([carla], days, "Called to catch up on the hall project.", "call", 0)
    return 15

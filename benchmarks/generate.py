"""Write a realistic journal of a given size straight into a journal file, in seconds.

The schema comes from rapport itself (a new journal is created the way every
command creates one); the rows go in with bulk SQL, one ``executemany`` per
table, in one transaction. The story is deterministic for a given size and
seed: years of conversations, a few people met far more often than others,
multi-person meetings, commitments kept, late, broken and open, problems
opened and resolved, gestures, stage changes along the pipeline, and tags.

    python benchmarks/generate.py --size small /tmp/rapport-bench/small.db
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path


@dataclass(frozen=True)
class Size:
    name: str
    people: int
    interactions: int


SIZES = {
    size.name: size
    for size in (
        Size("small", 1_000, 10_000),
        Size("medium", 10_000, 100_000),
        Size("large", 100_000, 1_000_000),
    )
}

# The benchmarks and the tests pin "now" here, so that `due` has the same answer every run.
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
YEARS = 6
RECENT = NOW - timedelta(days=365 * 2)

FIRST = (
    "Ann Bob Carla Dmitri Elena Farid Grace Hiro Ines Jonas Kemal Lena Marco Nadia Omar Priya "
    "Quentin Rosa Sven Tomas Ulla Victor Wen Ximena Yusuf Zoe Amara Bruno Chloé Dario Esther "
    "Felix Greta Hugo Ivana José Kai Lucía Mateo Noor Olga Pablo Rania Søren Tariq Uma Vera "
    "Willem Yara Zeynep Aiko Bilal Camille Diego Emil Fatima Giulia Henrik Isabel Jamal Katja "
    "Lars Maja Nils Oskar Paula Rafael Sofia Theo Valentina Wojciech Xavier Yasmin Zdeněk "
    "Agnès Björn Cem Daphne Eitan Frida Gabriel Hana Ilya Joana Kofi Leila Mikkel Nora Orla "
    "Pedro Rui Saanvi Timo Ugo Vivek Ama Baptiste Coco Dana"
).split()
LAST = (
    "Lee Núñez Kowalski Okafor Müller García Rossi Dubois Tanaka Silva Novak Jensen Öztürk "
    "Haddad Ivanova Schmidt Moreau Costa Nakamura Larsen Petrov Fischer Romano Martin Pereira "
    "Horváth Berg Yilmaz Khan Sato Lindqvist Weber Ricci Bernard Santos Kovač Nielsen Demir "
    "Ali Suzuki Andersson Wagner Greco Lefebvre Oliveira Popescu Hansen Kaya Hussain Ito "
    "Łukasiewicz Becker Bruno Laurent Almeida Dvořák Olsen Şahin Rahman Kato Johansson Hoffmann "
    "Gallo Roux Ferreira Nowak Pedersen Çelik Iqbal Yamamoto Eriksson Schulz Conti Fontaine "
    "Rocha Wójcik Madsen Aydın Chowdhury Watanabe Nyberg Koch Marino Girard Carvalho Zieliński "
    "Kristensen Arslan Malik Kobayashi Holm Richter Mancini Bonnet Ramos Szabó Thomsen Doğan "
    "Sheikh Yoshida Lund Klein Costa-Rica Mercier Pinto Kiss Rasmussen Kılıç Aziz Yamada"
).split()
COMPANIES = [
    f"{a} {b}"
    for a in "Acme Northwind Globex Initech Umbrella Stark Wayne Hooli Vandelay Soylent".split()
    for b in "Labs Partners Group Holdings Systems Logistics Foods Media Health Energy".split()
]
STAGE_PATH = ("acquaintance", "friend", "dating", "engaged", "married")
# How far along the pipeline people stand today (the rest are acquaintances); a few are lost.
STAGE_WEIGHTS = {"acquaintance": 40, "friend": 30, "dating": 12, "engaged": 8, "married": 6}
LOST = 0.04
CHANNELS = ("call", "email", "meeting", "visit", "message", "letter", "other")
CHANNEL_WEIGHTS = (30, 30, 12, 5, 15, 3, 5)
STYLES = ("detail", "big-picture", "analytical", "relational")
GESTURES = ("card", "gift", "sample", "thanks", "visit", "other")
TAGS = (
    "vip client prospect partner supplier investor press board family friend alumni "
    "conference referral renewal churn-risk enterprise smb nonprofit emea apac americas "
    "q1 q2 q3 q4 follow-up intro pricing onboarding support"
).split()
AUTHORS = ("sam", "alex", "robin")
TOPICS = (
    "the renewal",
    "pricing for next year",
    "the onboarding plan",
    "a delayed shipment",
    "their new role",
    "the pilot results",
    "hiring for the team",
    "the conference in spring",
    "a referral to a partner",
    "the quarterly review",
    "their kids starting school",
    "an invoice that went astray",
    "the integration timeline",
    "a possible expansion",
    "feedback on the last release",
)
OPENINGS = ("Talked about", "Caught up on", "Went through", "Quick check-in on", "Long chat about")
CLOSINGS = (
    "",
    " They seemed relieved.",
    " Promised to send notes.",
    " Agreed to talk again next month.",
    " Some frustration about response times.",
    " Very warm, asked after the family.",
    " Needs a decision from their boss first.",
)
NEEDS = (
    "a clear timeline",
    "a cheaper option for small teams",
    "an introduction to our CTO",
    "faster answers on support tickets",
    "a reference customer in their field",
    "the contract in German",
)
PROMISES = (
    "send the deck",
    "share the pricing sheet",
    "introduce them to Ana",
    "review their draft",
    "call back with a date",
    "send the signed contract",
    "pay the invoice",
    "confirm the venue",
)
PROBLEMS = (
    "invoice charged twice",
    "shipment arrived damaged",
    "missed the agreed call",
    "login broken since the update",
    "unhappy with the last report",
)


def _stamp(moment: datetime) -> str:
    """A UTC moment as rapport's SQLite tables keep it (see models.UTCDateTime)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.000000")


class Story:
    def __init__(self, size: Size, seed: int) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.start = NOW - timedelta(days=365 * YEARS)
        self.span = (NOW - self.start).total_seconds()

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def moment(self, after: datetime, before: datetime = NOW) -> datetime:
        seconds = max(0.0, (before - after).total_seconds())
        return after + timedelta(seconds=int(self.rng.random() * seconds))

    def name(self, index: int) -> str:
        first = FIRST[index % len(FIRST)]
        last = LAST[(index // len(FIRST)) % len(LAST)]
        rounds = index // (len(FIRST) * len(LAST))
        return f"{first} {last}" if rounds == 0 else f"{first} {last} {rounds + 1}"


def _name_key(name: str) -> str:
    from rapport.names import name_key

    return name_key(name)


def people(
    story: Story,
) -> tuple[list[tuple[object, ...]], list[datetime], list[tuple[object, ...]]]:
    """Person rows, when each was added, and their stage history."""
    rng = story.rng
    rows: list[tuple[object, ...]] = []
    created: list[datetime] = []
    stages: list[tuple[object, ...]] = []
    stage_names = list(STAGE_WEIGHTS)
    weights = list(STAGE_WEIGHTS.values())
    latest = NOW - timedelta(days=20)
    for index in range(story.size.people):
        pid = index + 1
        name = story.name(index)
        first, last = name.split(" ")[:2]
        added = story.moment(story.start, story.start + (latest - story.start) * 0.85)
        company = rng.choice(COMPANIES) if rng.random() < 0.7 else None
        domain = (company or "mail").split()[0].lower()
        email = (
            f"{first.lower()}.{last.lower()}{pid}@{domain}.example" if rng.random() < 0.8 else None
        )
        phone = f"+1 555 {rng.randrange(10**6, 10**7)}" if rng.random() < 0.5 else None
        target = rng.choices(stage_names, weights)[0]
        path = list(STAGE_PATH[: STAGE_PATH.index(target) + 1])
        initial = 0 if rng.random() < 0.7 else rng.randrange(len(path))
        path = path[initial:]
        if rng.random() < LOST:
            path.append("lost")
        when = added
        stages.append((story.uid(), pid, path[0], _stamp(added), "added"))
        for stage in path[1:]:
            when = story.moment(when, min(NOW, when + timedelta(days=400)))
            stages.append(
                (story.uid(), pid, stage, _stamp(when), rng.choice(("met", None, "moved")))
            )
        birthday = None
        if rng.random() < 0.3:
            month, day = rng.randrange(1, 13), rng.randrange(1, 29)
            year = f"{rng.randrange(1950, 2002)}" if rng.random() < 0.7 else "-"
            birthday = f"{year}-{month:02d}-{day:02d}"
        snoozed = None
        if rng.random() < 0.01:
            snoozed = (NOW.date() + timedelta(days=rng.randrange(1, 30))).isoformat()
        rows.append(
            (
                pid,
                story.uid(),
                name,
                _name_key(name),
                company,
                email,
                phone,
                path[-1],
                rng.choice((14, 30, 60, 90)) if rng.random() < 0.1 else None,
                rng.choice(STYLES) if rng.random() < 0.4 else None,
                "evaluating three vendors" if rng.random() < 0.2 else None,
                "a rollout before summer" if rng.random() < 0.2 else None,
                birthday,
                snoozed,
                _stamp(added),
            )
        )
        created.append(added)
    return rows, created, stages


def _person(story: Story) -> int:
    """A person index, skewed: a few people are met far more often than most."""
    n = story.size.people
    return min(n - 1, int(n * story.rng.random() ** 1.6))


def write(path: Path, size: Size, seed: int = 1) -> dict[str, int]:
    """Create the journal at ``path`` (which must not exist) and fill it."""
    from rapport.store.journal import open_journal

    if path.exists():
        raise SystemExit(f"{path} exists: choose a new file")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    open_journal(str(path)).close()

    story = Story(size, seed)
    rng = story.rng
    person_rows, created, stage_rows = people(story)
    tag_rows = [
        (pid, tag)
        for pid in range(1, size.people + 1)
        if rng.random() < 0.4
        for tag in rng.sample(TAGS, rng.randrange(1, 4))
    ]

    interactions: list[tuple[object, ...]] = []
    links: list[tuple[object, ...]] = []
    itags: list[tuple[object, ...]] = []
    # Moments first, sorted, so that ids follow time as they do in a journal kept day by day.
    plan = []
    for _ in range(size.interactions):
        who = _person(story)
        plan.append((story.moment(created[who]), who))
    plan.sort()
    for iid, (at, who) in enumerate(plan, start=1):
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        group = [who]
        if channel == "meeting" or rng.random() < 0.04:
            extra = rng.randrange(1, 5)
            group += [p for p in (_person(story) for _ in range(extra)) if p != who]
            group = list(dict.fromkeys(group))
        text = f"{rng.choice(OPENINGS)} {rng.choice(TOPICS)}.{rng.choice(CLOSINGS)}"
        mood = rng.choice((-2, -1, 0, 1, 1, 2)) if rng.random() < 0.35 else None
        heard = rng.choice(NEEDS) if rng.random() < 0.1 else None
        stamp = _stamp(at)
        # Who started it is known for the later years' notes only, as in a journal kept long.
        started = rng.choice(("me", "me", "them")) if at > RECENT else None
        interactions.append(
            (iid, story.uid(), stamp, channel, mood, text, heard, rng.choice(AUTHORS), started)
        )
        for position, person in enumerate(group):
            links.append((iid, person + 1, position, stamp, channel))
        if rng.random() < 0.15:
            for tag in rng.sample(TAGS, rng.randrange(1, 3)):
                itags.append((iid, tag))

    commitments = []
    for _ in range(size.interactions // 20):
        who = _person(story)
        made = story.moment(created[who])
        due = (made + timedelta(days=rng.randrange(2, 40))).date()
        status, closed, why = "open", None, None
        if made < NOW - timedelta(days=45) or rng.random() < 0.3:
            status = rng.choices(("kept", "late", "broken", "released", "open"), (70, 14, 7, 5, 4))[
                0
            ]
        if status in ("kept", "late", "broken", "released"):
            if status == "kept":
                end = datetime(due.year, due.month, due.day, 17, tzinfo=UTC)
                closed = story.moment(made, min(NOW, end))
            else:
                closed = story.moment(made + timedelta(days=(due - made.date()).days + 1))
            closed = min(closed, NOW)
            if status == "kept" and closed.date() > due:
                status = "late"
            if status == "late" and closed.date() <= due:
                status = "kept"
            why = (
                rng.choice(("ran out of time", "no longer needed"))
                if status in ("broken", "released")
                else None
            )
        commitments.append(
            (
                story.uid(),
                who + 1,
                rng.choice(("mine", "mine", "theirs")),
                rng.choice(PROMISES),
                due.isoformat(),
                status,
                _stamp(closed) if closed else None,
                why,
                _stamp(made),
            )
        )

    problems = []
    for _ in range(size.interactions // 100):
        who = _person(story)
        opened = story.moment(created[who])
        # Old problems are nearly all resolved; recent ones often still open.
        settled = rng.random() < (0.97 if opened < NOW - timedelta(days=90) else 0.5)
        resolved = story.moment(opened, min(NOW, opened + timedelta(days=60))) if settled else None
        problems.append(
            (
                story.uid(),
                who + 1,
                rng.choice(PROBLEMS),
                _stamp(opened),
                _stamp(resolved) if resolved else None,
                "refunded and apologised" if resolved and rng.random() < 0.5 else None,
            )
        )

    gestures = []
    for _ in range(size.interactions // 50):
        who = _person(story)
        gestures.append(
            (
                story.uid(),
                who + 1,
                rng.choice(GESTURES),
                rng.choice(("for the new office", "birthday", None, "thank you for the intro")),
                _stamp(story.moment(created[who])),
            )
        )

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO person (id, uid, name, name_key, company, email, phone, stage,"
            " cadence_days, style, current_state, desired_outcome, birthday, snoozed_until,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            person_rows,
        )
        conn.executemany("INSERT INTO person_tag (person_id, tag) VALUES (?, ?)", tag_rows)
        conn.executemany(
            "INSERT INTO stage_change (uid, person_id, stage, at, why) VALUES (?, ?, ?, ?, ?)",
            stage_rows,
        )
        conn.executemany(
            "INSERT INTO interaction (id, uid, at, channel, mood, text, heard, author, started_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            interactions,
        )
        conn.executemany(
            "INSERT INTO interaction_person (interaction_id, person_id, position, at, channel)"
            " VALUES (?, ?, ?, ?, ?)",
            links,
        )
        conn.executemany("INSERT INTO interaction_tag (interaction_id, tag) VALUES (?, ?)", itags)
        conn.executemany(
            "INSERT INTO commitment (uid, person_id, direction, text, due, status, closed_at,"
            " why, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            commitments,
        )
        conn.executemany(
            "INSERT INTO problem (uid, person_id, text, opened_at, resolved_at, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            problems,
        )
        conn.executemany(
            "INSERT INTO gesture (uid, person_id, kind, text, at) VALUES (?, ?, ?, ?, ?)",
            gestures,
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    _index(path)
    path.chmod(0o600)
    return {
        "people": len(person_rows),
        "interactions": len(interactions),
        "links": len(links),
        "commitments": len(commitments),
        "problems": len(problems),
        "gestures": len(gestures),
        "stage_changes": len(stage_rows),
        "person_tags": len(tag_rows),
        "interaction_tags": len(itags),
    }


def _index(path: Path) -> None:
    """Build the search index, as bulk SQL leaves it to whoever writes that way."""
    from rapport.store.fts import rebuild
    from rapport.store.journal import open_journal

    journal = open_journal(str(path))
    try:
        with journal.write() as session:
            rebuild(session.connection())
    finally:
        journal.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "path", type=Path, help="the new journal file (never inside the repository)"
    )
    args = parser.parse_args(argv)
    began = time.perf_counter()
    counts = write(args.path, SIZES[args.size], args.seed)
    took = time.perf_counter() - began
    summary = ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in counts.items())
    sys.stderr.write(f"wrote {args.path} in {took:.1f} s: {summary}\n")


if __name__ == "__main__":
    main()

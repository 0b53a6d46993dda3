"""Time whole rapport processes on generated journals, each figure beside its floor.

    python benchmarks/run.py                       # the small journal (1k people / 10k notes)
    python benchmarks/run.py --size medium         # 10k / 100k
    python benchmarks/run.py --size large --runs 3 # 100k / 1M (generated once, then kept)
    python benchmarks/run.py --only due,ledger     # some benchmarks only

Every command is run as its own process with the interpreter running this script,
several times after a warm-up; the table shows the median wall time, the floor it
is held against measured in the same run, their ratio, the target, and the peak
memory of the process (its ``ru_maxrss``). The floors:

- ``typer --help``: a minimal two-command Typer app's ``--help``;
- ``typer completion``: the same app completing an argument;
- ``import sqlmodel``: ``python -c "import sqlmodel"``, the cost of loading the ORM.

Ratios to floors measured in the same run hold up better than seconds on a
machine whose load changes; still, read figures from a busy machine as noisy.
Journals are generated into ``--journals`` (a temporary folder by default, never
the repository) and kept for the next run; the results go there as JSON too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

FLOOR_APP = '''\
import typer

app = typer.Typer()


def names(incomplete: str) -> list[str]:
    return [name for name in ("Ann", "Bob") if name.startswith(incomplete)]


@app.command()
def hello(name: str = typer.Argument(autocompletion=names)) -> None:
    """Say hello."""
    print(f"hello {name}")


@app.command()
def bye(name: str) -> None:
    """Say goodbye."""
    print(f"bye {name}")


app(prog_name="floor")
'''


@dataclass
class Context:
    """What a benchmark's command line may need: the journal and a few of its records."""

    journal: Path
    work: Path
    person: str
    open_commitments: list[int]
    interaction_ids: list[int]
    run: int = 0


Args = Callable[[Context], Sequence[str]]


@dataclass
class Bench:
    name: str
    args: Args
    floor: str  # a key of FLOORS
    # Highest ratio to the floor, by size; None: no ratio target.
    targets: dict[str, float] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    expect: int = 0
    runs: int | None = None  # fixed number of runs (no warm-up), for costly or one-shot commands
    rows: Callable[[Context], int] | None = None  # rows written, for a rows/s figure
    setup: Callable[[Context], None] | None = None  # before each run, untimed
    words: tuple[str, ...] = ()  # the command it needs; skipped when rapport has none such
    note: str = ""
    # Lowest rows a second and most seconds, by size: absolute targets, beside the ratio.
    min_rate: dict[str, float] = field(default_factory=dict)
    max_seconds: dict[str, float] = field(default_factory=dict)


def _fixed(*words: str) -> Args:
    return lambda ctx: words


HELP = {"small": 1.2, "medium": 1.2, "large": 1.2}
PER_PERSON = {"small": 1.3, "medium": 1.3, "large": 1.3}
REPORT = {"small": 1.5, "medium": 1.5, "large": 3.0}
COMPLETE = {"small": 1.3, "medium": 1.3, "large": 1.3}


def _completion(words: str) -> dict[str, str]:
    return {
        "_RAPPORT_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }


def _next_open(ctx: Context) -> Sequence[str]:
    return ("done", str(ctx.open_commitments[ctx.run % len(ctx.open_commitments)]))


def _interaction_rows(ctx: Context) -> int:
    return _count(ctx.journal, "interaction")


def _fresh_import_target(ctx: Context) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{ctx.work / 'imported.db'}{suffix}").unlink(missing_ok=True)


BENCHES: list[Bench] = [
    Bench("--help", _fixed("--help"), "typer --help", HELP),
    Bench("due --help", _fixed("due", "--help"), "typer --help", HELP, words=("due",)),
    Bench(
        "complete a name",
        _fixed(),
        "typer completion",
        COMPLETE,
        env=_completion("rapport show Ann"),
        words=("show",),
    ),
    Bench("show PERSON", lambda c: ("show", c.person), "import sqlmodel", PER_PERSON),
    Bench("brief PERSON", lambda c: ("brief", c.person), "import sqlmodel", PER_PERSON),
    Bench(
        "log PERSON TEXT",
        lambda c: ("log", c.person, "benchmark note", "--channel", "call"),
        "import sqlmodel",
        PER_PERSON,
    ),
    Bench(
        "promise PERSON",
        lambda c: ("promise", c.person, "benchmark promise", "--due", "+7d"),
        "import sqlmodel",
        PER_PERSON,
    ),
    Bench("done ID", _next_open, "import sqlmodel", PER_PERSON),
    Bench(
        "amend REF",
        lambda c: ("amend", f"i{c.interaction_ids[c.run % len(c.interaction_ids)]}", "--mood", "1"),
        "import sqlmodel",
        PER_PERSON,
        words=("amend",),
    ),
    Bench(
        "show FRAGMENT (ambiguous)",
        _fixed("show", "ann"),
        "import sqlmodel",
        PER_PERSON,
        expect=2,
        note="an error naming the matches",
    ),
    Bench("due --format csv", _fixed("due", "--format", "csv"), "import sqlmodel", REPORT),
    Bench("due", _fixed("due"), "import sqlmodel", REPORT),
    Bench("ledger", _fixed("ledger", "--format", "csv"), "import sqlmodel", REPORT),
    Bench("pipeline", _fixed("pipeline", "--format", "csv"), "import sqlmodel", REPORT),
    Bench("people", _fixed("people", "--format", "csv"), "import sqlmodel", REPORT),
    Bench(
        "people --tag",
        _fixed("people", "--tag", "vip", "--format", "csv"),
        "import sqlmodel",
        REPORT,
    ),
    Bench(
        "timeline --since -7d",
        _fixed("timeline", "--since", "-7d", "--format", "csv"),
        "import sqlmodel",
        REPORT,
    ),
    Bench(
        "search TEXT",
        _fixed("search", "renewal"),
        "import sqlmodel",
        REPORT,
        words=("search",),
    ),
    Bench(
        "search prefix and phrase",
        _fixed("search", 'pric* "next year"', "--format", "csv"),
        "import sqlmodel",
        REPORT,
        words=("search",),
        note="every hit, for a script",
    ),
    Bench(
        "search --person",
        lambda c: ("search", "renewal", "--person", c.person),
        "import sqlmodel",
        PER_PERSON,
        words=("search",),
    ),
    Bench(
        "export interactions",
        _fixed("export", "interactions", "--format", "csv"),
        "import sqlmodel",
        rows=_interaction_rows,
        note="target ≥ 250k rows/s at large",
        min_rate={"large": 250_000},
    ),
    Bench(
        "import people+interactions",
        lambda c: ("--db", str(c.work / "imported.db"), "import", str(c.work / "import")),
        "import sqlmodel",
        runs=1,
        rows=_interaction_rows,
        setup=_fresh_import_target,
        note="into an empty journal; target < 60 s at large",
        max_seconds={"large": 60},
    ),
    Bench(
        "import again (adds nothing)",
        lambda c: ("--db", str(c.work / "imported.db"), "import", str(c.work / "import")),
        "import sqlmodel",
        runs=1,
        rows=_interaction_rows,
        note="the same files into that journal",
    ),
]
FLOORS = ("typer --help", "typer completion", "import sqlmodel")
MEMORY_MB = {"large": 150.0}


def _count(journal: Path, table: str) -> int:
    conn = sqlite3.connect(f"{journal.as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def _query(journal: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"{journal.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _environment(work: Path) -> dict[str, str]:
    """A private home, config and clock: the runs never see the user's own journal."""
    home = work / "home"
    home.mkdir(exist_ok=True)
    config = work / "config.toml"
    config.write_text('author = "bench"\ntimezone = "UTC"\n', encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RAPPORT_", "_RAPPORT", "COMP_", "_TYPER", "_FLOOR"))
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        RAPPORT_CONFIG=str(config),
        RAPPORT_NOW=generate.NOW.isoformat(),
        NO_COLOR="1",
        COLUMNS="120",
    )
    return env


def _rapport_command() -> list[str]:
    script = Path(sys.executable).parent / "rapport"
    if script.is_file():
        return [sys.executable, str(script)]
    return [sys.executable, "-m", "rapport"]


@dataclass
class Sample:
    seconds: float
    peak_mb: float


def _time(argv: Sequence[str], env: dict[str, str], expect: int) -> Sample:
    began = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stderr.close()
    if child.returncode != expect:
        message = err.decode(errors="replace").strip().splitlines()[-1:] or ["(no message)"]
        raise RuntimeError(
            f"{' '.join(argv[1:])} exited {child.returncode} (expected {expect}): {message[0]}"
        )
    return Sample(took, usage.ru_maxrss / 1024)


def _measure(
    argv: Sequence[str] | Callable[[], Sequence[str]],
    env: dict[str, str],
    runs: int,
    warmup: int,
    expect: int = 0,
    before: Callable[[], None] | None = None,
) -> list[Sample]:
    samples = []
    for index in range(warmup + runs):
        if before is not None:
            before()
        line = argv() if callable(argv) else argv
        sample = _time(line, env, expect)
        if index >= warmup:
            samples.append(sample)
    return samples


@dataclass
class Result:
    name: str
    command: str
    median_s: float
    runs_s: list[float]
    floor: str
    floor_s: float
    ratio: float
    target: float | None
    peak_mb: float
    rows_per_s: float | None
    holds: bool | None
    note: str


def _known_commands() -> set[tuple[str, ...]]:
    from rapport.cli import leaf_commands

    return {words for words, _command in leaf_commands()}


def _machine() -> dict[str, object]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "system": platform.platform(),
        "load_before": os.getloadavg()[0],
    }


def _prepare(args: argparse.Namespace, env: dict[str, str], work: Path, exports: bool) -> Path:
    journal = args.journals / f"{args.size}.db"
    if not journal.exists():
        sys.stderr.write(f"generating the {args.size} journal at {journal}…\n")
        generate.write(journal, generate.SIZES[args.size])
    imports = work / "import"
    if exports and not imports.exists():
        imports.mkdir()
        rapport = _rapport_command()
        for table in ("people", "interactions"):
            out = str(imports / f"{table}.csv")
            _time([*rapport, "--db", str(journal), "export", table, "-o", out], env, 0)
    return journal


def _selected(args: argparse.Namespace, known: set[tuple[str, ...]]) -> list[Bench]:
    chosen = []
    for bench in BENCHES:
        if args.only and bench.name.split()[0] not in args.only and bench.name not in args.only:
            continue
        if bench.words and bench.words not in known:
            words = " ".join(bench.words)
            sys.stderr.write(f"skipping {bench.name}: this rapport has no `{words}`\n")
            continue
        chosen.append(bench)
    return chosen


def _compile_rapport() -> None:
    """Compile rapport's modules once, as installing a package does.

    The floors' packages were compiled when pip installed them. An editable install
    (or PYTHONDONTWRITEBYTECODE) would leave every timed rapport process compiling its
    own modules from source, which no installed copy of rapport does.
    """
    import compileall

    import rapport

    compileall.compile_dir(Path(rapport.__file__).parent, quiet=1)


def run(args: argparse.Namespace) -> tuple[list[Result], dict[str, object]]:
    args.journals.mkdir(parents=True, exist_ok=True, mode=0o700)
    _compile_rapport()
    work = Path(tempfile.mkdtemp(prefix=f"rapport-bench-{args.size}-"))
    try:
        env = _environment(work)
        benches = _selected(args, _known_commands())
        imports = any(bench.name.startswith("import") for bench in benches)
        journal = _prepare(args, env, work, imports)
        env["RAPPORT_DB"] = str(journal)
        counts = {
            table: _count(journal, table) for table in ("person", "interaction", "commitment")
        }
        floor_app = work / "floor.py"
        floor_app.write_text(FLOOR_APP, encoding="utf-8")
        floor_lines: dict[str, tuple[list[str], dict[str, str]]] = {
            "typer --help": ([sys.executable, str(floor_app), "--help"], env),
            "typer completion": (
                [sys.executable, str(floor_app)],
                {
                    **env,
                    "_FLOOR_COMPLETE": "complete_bash",
                    "COMP_WORDS": "floor hello A",
                    "COMP_CWORD": "2",
                },
            ),
            "import sqlmodel": ([sys.executable, "-c", "import sqlmodel"], env),
        }
        floors = {
            name: statistics.median(
                s.seconds for s in _measure(line, floor_env, args.runs, args.warmup)
            )
            for name, (line, floor_env) in floor_lines.items()
        }
        ctx = Context(
            journal=journal,
            work=work,
            person=generate.Story(generate.SIZES[args.size], 1).name(0),
            open_commitments=[
                int(row[0])
                for row in _query(
                    journal, "SELECT id FROM commitment WHERE status = 'open' ORDER BY id LIMIT 200"
                )
            ],
            interaction_ids=[
                int(row[0])
                for row in _query(journal, "SELECT id FROM interaction ORDER BY id DESC LIMIT 200")
            ],
        )
        known = _known_commands()
        rapport = _rapport_command()
        results = []
        for bench in BENCHES:
            if args.only and bench.name.split()[0] not in args.only and bench.name not in args.only:
                continue
            if bench.words and bench.words not in known:
                sys.stderr.write(
                    f"skipping {bench.name}: this rapport has no `{' '.join(bench.words)}`\n"
                )
                continue
            runs = bench.runs or args.runs
            warmup = 0 if bench.runs else args.warmup

            def line(bench: Bench = bench) -> list[str]:
                ctx.run += 1
                return [*rapport, *bench.args(ctx)]

            before = (lambda bench=bench: bench.setup(ctx)) if bench.setup else None  # type: ignore[misc]
            samples = _measure(line, {**env, **bench.env}, runs, warmup, bench.expect, before)
            median = statistics.median(s.seconds for s in samples)
            # The floor again, right beside the command: the machine's load changes during a run.
            line_of, env_of = floor_lines[bench.floor]
            again = _measure(line_of, env_of, runs, warmup)
            floor = statistics.median([floors[bench.floor], *(s.seconds for s in again)])
            ratio = median / floor
            target = bench.targets.get(args.size)
            peak = max(s.peak_mb for s in samples)
            holds = None if target is None else ratio <= target
            limit = MEMORY_MB.get(args.size)
            if limit is not None:
                holds = (holds is not False) and peak <= limit
            rows = bench.rows(ctx) / median if bench.rows else None
            if (least := bench.min_rate.get(args.size)) is not None and rows is not None:
                holds = (holds is not False) and rows >= least
            if (most := bench.max_seconds.get(args.size)) is not None:
                holds = (holds is not False) and median < most
            results.append(
                Result(
                    bench.name,
                    " ".join(["rapport", *bench.args(ctx)]),
                    median,
                    [s.seconds for s in samples],
                    bench.floor,
                    floor,
                    ratio,
                    target,
                    peak,
                    rows,
                    holds,
                    bench.note,
                )
            )
            sys.stderr.write(f"  {bench.name}: {median:.3f} s\n")
        info: dict[str, object] = {
            "size": args.size,
            "journal": {
                "people": counts["person"],
                "interactions": counts["interaction"],
                "commitments": counts["commitment"],
                "bytes": journal.stat().st_size,
            },
            "machine": _machine(),
            "runs": args.runs,
            "warmup": args.warmup,
            "floors_s": floors,
        }
        return results, info
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(results: list[Result], info: dict[str, object]) -> str:
    journal = info["journal"]
    machine = info["machine"]
    assert isinstance(journal, dict) and isinstance(machine, dict)
    lines = [
        f"rapport benchmarks: {info['size']} journal, {journal['people']:,} people,"
        f" {journal['interactions']:,} interactions, {journal['bytes'] / 2**20:.0f} MB",
        f"{machine['cores']} cores, {machine['cpu']}, Python {machine['python']},"
        f" SQLite {machine['sqlite']};"
        f" median of {info['runs']} runs after {info['warmup']} warm-up",
        "",
    ]
    floors = info["floors_s"]
    assert isinstance(floors, dict)
    lines.append(
        "floors: " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in floors.items())
    )
    lines.append("")
    header = ("command", "median s", "floor", "× floor", "target", "peak MB", "holds", "note")
    rows = []
    for r in results:
        note = r.note
        if r.rows_per_s is not None:
            note = f"{r.rows_per_s:,.0f} rows/s" + (f"; {note}" if note else "")
        rows.append(
            (
                r.name,
                f"{r.median_s:.3f}",
                r.floor,
                f"{r.ratio:.2f}",
                f"≤ {r.target:.1f}×" if r.target else "",
                f"{r.peak_mb:.0f}",
                {True: "yes", False: "NO", None: ""}[r.holds],
                note,
            )
        )
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    for cells in (header, tuple("-" * w for w in widths), *rows):
        lines.append(
            "  ".join(str(cell).ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(generate.SIZES), default="small")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs before them")
    parser.add_argument(
        "--journals",
        type=Path,
        default=Path(tempfile.gettempdir()) / "rapport-bench",
        help="where generated journals are kept between runs",
    )
    parser.add_argument(
        "--json", type=Path, help="write the results here (default: beside the journals)"
    )
    parser.add_argument(
        "--only",
        type=lambda text: set(text.split(",")),
        help="comma-separated benchmark names or first words",
    )
    args = parser.parse_args(argv)
    results, info = run(args)
    print(table(results, info))
    target = args.json or args.journals / f"results-{args.size}.json"
    target.write_text(
        json.dumps({**info, "results": [asdict(r) for r in results]}, indent=2, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    sys.stderr.write(f"results written to {target}\n")


if __name__ == "__main__":
    main()

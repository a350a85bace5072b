"""Benchmark of the `dealwatch` CLI on big watchlist files, as a user runs it.

Writes watchlist TOML files of 1,000, 10,000 and 100,000 entities: the SEC company names
in ../shared/data/companies/sec_company_tickers.json (tickers as aliases), topped up with
generated names, then times real subprocesses, start-up included:

* `dealwatch match --watchlist W.toml ARTICLE.txt` (load, build the index, match one article),
  cold (`--no-index-cache`: parse and build every run) and cached (the index the run before
  kept in the index cache, `bot/index_cache.py`);
* `dealwatch watchlist import W.toml --name big` into a fresh SQLite file, and into a fresh
  PostgreSQL schema when DEALWATCH_TEST_DATABASE_URL is set;
* `dealwatch --help` once, as the same-run baseline every figure is divided by.

Usage: python benchmarks/bench_cli.py [--sizes 1000,10000,100000] [--runs N] [--match-only]
Prints wall and CPU seconds (a loaded machine inflates the wall clock most) and PASS/MISS
of the wall clock against the targets (match < 5 s, import < 30 s at 100k); exits 0 either way.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEC_FILE = ROOT.parent / "shared" / "data" / "companies" / "sec_company_tickers.json"
DEALWATCH = [sys.executable, "-m", "bot.cli"]
MATCH_TARGET_S = 5.0
IMPORT_TARGET_S = 30.0
TARGET_SIZE = 100_000
SEED = 13
SYLLABLES = ("ka", "lo", "ve", "tri", "dor", "mi", "sen", "qua", "rix", "bel", "no", "zan", "tor")
SUFFIXES = ("Holdings", "Capital", "Group", "Partners", "Ventures", "Labs", "Systems", "Fund")
ARTICLE = (
    "Alphabet agrees to buy cloud start-up\n"
    "Alphabet Inc. said on Monday it agreed to acquire a cloud security start-up for "
    "$2.1 billion in cash, its largest deal this year. Microsoft and NVIDIA declined to comment.\n"
)


def sec_names() -> list[tuple[str, str]]:
    """(name, ticker) pairs from the shared SEC list, first filing of each name."""
    if not SEC_FILE.is_file():
        return []
    rows = json.loads(SEC_FILE.read_text(encoding="utf-8")).values()
    seen: dict[str, str] = {}
    for row in rows:
        seen.setdefault(" ".join(str(row["title"]).split()), str(row["ticker"]))
    return list(seen.items())


def generated_names(count: int, taken: set[str], rng: random.Random) -> list[str]:
    """Distinct made-up company names, none equal (case-folded) to a taken one."""
    names: list[str] = []
    while len(names) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        name = f"{word} {rng.choice(SUFFIXES)} {rng.randint(1, 9999)}"
        if name.casefold() not in taken:
            taken.add(name.casefold())
            names.append(name)
    return names


def watchlist_toml(size: int, sec: list[tuple[str, str]]) -> str:
    """A watchlist of size entities: SEC names first, then generated ones."""
    rng = random.Random(SEED)
    chosen = sec[:size]
    taken = {name.casefold() for name, _ in chosen} | {t.casefold() for _, t in chosen}
    lines: list[str] = []
    for name, ticker in chosen:
        lines += [
            "[[entity]]",
            f"name = {json.dumps(name)}",
            f"aliases = [{json.dumps(ticker)}]",
            "",
        ]
    for name in generated_names(size - len(chosen), taken, rng):
        lines += ["[[entity]]", f"name = {json.dumps(name)}", ""]
    return "\n".join(lines)


CPU_SECONDS: list[float] = []  # CPU time (user + sys) of each subprocess, in order


def timed(args: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall seconds one CLI subprocess took, and the last line it printed (or its error)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [*DEALWATCH, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=900,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_SECONDS.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    output = (result.stdout.strip() or result.stderr.strip()).splitlines()
    last = output[-1][:100] if output else ""
    if result.returncode != 0:
        last = f"exit {result.returncode}: {result.stderr.strip()[-200:]}"
    return elapsed, last


def median_run(args: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, str]:
    """The median seconds of runs subprocesses, and the last output line."""
    figures = [timed(args, env) for _ in range(runs)]
    return statistics.median(f for f, _ in figures), figures[-1][1]


def postgres_env(base: str) -> tuple[dict[str, str], str]:
    """DATABASE_URL of a fresh schema on base, and the schema's name."""
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with create_engine(base).begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    return {"DATABASE_URL": f"{base}{separator}options=-csearch_path%3D{schema}"}, schema


def drop_schema(base: str, schema: str) -> None:
    """Remove a schema postgres_env made."""
    from sqlalchemy import create_engine, text

    with create_engine(base).begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3, help="match runs per size (median)")
    parser.add_argument("--match-only", action="store_true", help="skip the import timings")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    sec = sec_names()
    print(f"load average {os.getloadavg()[0]:.2f}; SEC names: {len(sec)} (from {SEC_FILE})")
    baseline, _ = median_run(["--help"], options.runs)
    print(f"baseline `dealwatch --help`: {baseline:.2f} s")
    pg_base = os.environ.get("DEALWATCH_TEST_DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        article = work / "article.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        for size in sizes:
            watchlist = work / f"w{size}.toml"
            watchlist.write_text(watchlist_toml(size, sec), encoding="utf-8")
            match = ["match", "--format", "text", "--watchlist", str(watchlist), str(article)]
            # Cold: parse and build every time; cached: the index built by the run before.
            cache_env = {"XDG_CACHE_HOME": str(work / "cache")}
            for label, args in (
                ("match, cold  ", [*match[:1], "--no-index-cache", *match[1:]]),
                ("match, cached", match),
            ):
                if args is match:
                    timed(args, cache_env)
                seconds, _ = median_run(args, options.runs, cache_env)
                verdict = "PASS" if seconds < MATCH_TARGET_S else "MISS"
                if size != TARGET_SIZE:
                    verdict = ""
                cpu = statistics.median(CPU_SECONDS[-options.runs :])
                print(
                    f"{size:>7} entities  {label}  {seconds:6.2f} s wall, {cpu:5.2f} s CPU"
                    f"  ({seconds / baseline:5.1f}x --help)  {verdict}"
                )
            targets = [("sqlite", {"DATABASE_URL": f"sqlite:///{work / f'w{size}.db'}"}, "")]
            if options.match_only:
                targets = []
            elif pg_base:
                env, schema = postgres_env(pg_base)
                targets.append(("postgresql", env, schema))
            for label, env, schema in targets:
                timed(["db", "upgrade"], env)
                seconds, last = timed(
                    [
                        "watchlist",
                        "import",
                        str(watchlist),
                        "--name",
                        "big",
                        "--team",
                        "T0BENCH",
                        "--create-team",
                    ],
                    env,
                )
                verdict = "PASS" if seconds < IMPORT_TARGET_S else "MISS"
                if size != TARGET_SIZE:
                    verdict = ""
                print(
                    f"{size:>7} entities  import  {seconds:6.2f} s wall, {CPU_SECONDS[-1]:5.2f} s CPU"
                    f"  ({seconds / baseline:5.1f}x --help)"
                    f"  {label:<10} {verdict}  [{last[:60]}]"
                )
                if schema:
                    drop_schema(pg_base, schema)
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

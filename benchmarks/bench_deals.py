"""Time matching, deal analysis and story assignment on ~3 KB articles, on 1 and 2 processes.

Run: .venv/bin/python benchmarks/bench_deals.py [articles] [--worst-case] [--repeat N]

Articles are built from the evaluation set (each text padded to about 3 KB) and matched
against the evaluation watchlist. The report gives, with the machine's load average:

* the CPU cost per article of each step (match, analyse, assign), best of the repeats;
* a same-run baseline: analyse_deal against a plain regex sentence split of the same
  text and against matching, so figures from a busy machine can still be compared;
* articles/s for match + analyse and for match + analyse + assign, in one process and in
  two processes forked after the index is built (``gc.freeze()`` first, so the shared
  index is not copied on write), by wall clock and by CPU time;
* PASS or MISS against the target of TARGET_RATE articles/s on two processes, for
  match + analyse and for match + analyse + assign (issue 12's target) (wall clock; other
  sessions on the same cores slow that figure down, so the CPU-time estimate is shown too).

The index is built once and frozen out of the garbage collector (``gc.freeze()``), as
``bot.pipeline.Pipeline`` does after each index refresh: a running bot does not pay for
the collector walking the index, so no figure here does either.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from multiprocessing.synchronize import Barrier
from pathlib import Path

from watchlists.deals import analyse_deal
from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity
from watchlists.stories import StoryIndex
from watchlists.watchlist_file import parse_watchlist

EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "eval"
TARGET_CHARS = 3000
TARGET_RATE = 1500.0
PROCESSES = 2
# Body text of the kind that follows a deal lead: markets, context, no watched names.
FILLER = (
    "Markets in the region were mixed on the day, with investors weighing fresh data on "
    "inflation and the outlook for interest rates. Analysts said sentiment had improved "
    "since the summer, when a run of weak factory surveys pushed several indices lower. "
    "The sector has seen a wave of consolidation over the past decade as companies look "
    "for scale to cope with rising costs and tighter regulation. Executives have said "
    "they expect demand to recover next year, although some warned that shipping delays "
    "and higher energy bills could weigh on margins. Officials in the capital have "
    "promised to simplify permits for new plants, a step long sought by industry groups. "
    "Trade unions, for their part, want guarantees on jobs and wages before backing any "
    "further restructuring in the industry. "
)
# The cheapest sentence split there is: the floor analyse_deal is compared with.
PLAIN_SPLIT = re.compile(r"(?<=[.!?])\s+")


def load_articles(count: int, worst_case: bool = False) -> list[Article]:
    """Count articles of about TARGET_CHARS characters, cycling through the eval set.

    Each eval article is padded with neutral filler, or (worst case) with other eval
    articles, so that watched names and deal words fill the whole text.
    """
    rows = [json.loads(line) for line in (EVAL / "articles.jsonl").read_text().splitlines() if line]
    texts = [row["text"] for row in rows]
    start = datetime(2026, 11, 1, tzinfo=UTC)
    articles = []
    for number in range(count):
        row = rows[number % len(rows)]
        text = row["text"]
        other = number
        while len(text) < TARGET_CHARS:
            other += 7
            text += "\n\n" + (texts[other % len(texts)] if worst_case else FILLER)
        articles.append(
            Article(
                id=f"{row['id']}-{number}",
                title=row["title"],
                text=text[: TARGET_CHARS + 400],
                url=f"{row['url']}?n={number}",
                published=start + timedelta(minutes=number),
            )
        )
    return articles


def build_index() -> MatchIndex:
    """The match index of the evaluation watchlist."""
    entities = parse_watchlist((EVAL / "watchlist.toml").read_text())
    return MatchIndex(
        Entity(e.name, e.aliases, e.exclude, id=number) for number, e in enumerate(entities, 1)
    )


@dataclass(frozen=True)
class StepTimes:
    """CPU seconds spent in each step over one pass through the articles."""

    match: float
    analyse: float
    assign: float
    split: float


def time_steps(index: MatchIndex, articles: Sequence[Article]) -> StepTimes:
    """One pass of match, analyse and assign per article, each step timed in CPU time."""
    stories = StoryIndex()
    match_time = analyse_time = assign_time = split_time = 0.0
    for article in articles:
        began = time.thread_time()
        matches = index.match(article)
        matched = time.thread_time()
        deal = analyse_deal(article, matches)
        analysed = time.thread_time()
        stories.assign(article, deal, matches)
        assigned = time.thread_time()
        PLAIN_SPLIT.split(article.text)
        split = time.thread_time()
        match_time += matched - began
        analyse_time += analysed - matched
        assign_time += assigned - analysed
        split_time += split - assigned
    return StepTimes(match_time, analyse_time, assign_time, split_time)


def run_pipeline(index: MatchIndex, articles: Sequence[Article], assign: bool) -> None:
    """Match and analyse every article, and assign it to a story when asked."""
    stories = StoryIndex()
    for article in articles:
        matches = index.match(article)
        deal = analyse_deal(article, matches)
        if assign:
            stories.assign(article, deal, matches)


@dataclass(frozen=True)
class Rate:
    """Articles per second by the wall clock and by CPU time."""

    wall: float
    cpu: float


def rate_in_one_process(index: MatchIndex, articles: Sequence[Article], assign: bool) -> Rate:
    """Throughput of the pipeline in this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    run_pipeline(index, articles, assign)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return Rate(len(articles) / wall, len(articles) / cpu)


# Set before forking so that the children share them instead of receiving copies.
_SHARED: dict[str, object] = {}


def _worker(
    share: int,
    assign: bool,
    barrier: Barrier,
    results: multiprocessing.Queue[tuple[float, float, float, int]],
) -> None:
    index = _SHARED["index"]
    articles = _SHARED["articles"]
    assert isinstance(index, MatchIndex) and isinstance(articles, list)
    mine = articles[share::PROCESSES]
    barrier.wait()
    began, cpu = time.perf_counter(), time.process_time()
    run_pipeline(index, mine, assign)
    results.put((began, time.perf_counter(), time.process_time() - cpu, len(mine)))


def rate_in_processes(index: MatchIndex, articles: list[Article], assign: bool) -> Rate:
    """Throughput of PROCESSES forked workers, each taking every PROCESSES-th article."""
    _SHARED.update(index=index, articles=articles)
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(PROCESSES)
    results: multiprocessing.Queue[tuple[float, float, float, int]] = context.Queue()
    # Frozen, the index and articles are not copied on write in the children.
    gc.collect()
    gc.freeze()
    workers = [
        context.Process(target=_worker, args=(share, assign, barrier, results))
        for share in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    reports = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    wall = max(end for _, end, _, _ in reports) - min(began for began, _, _, _ in reports)
    cpu_per_article = sum(cpu for _, _, cpu, _ in reports) / len(articles)
    return Rate(len(articles) / wall, PROCESSES / cpu_per_article)


def best_of(repeat: int, measure: Callable[[], Rate]) -> Rate:
    """The best wall and CPU rates of several runs (the least disturbed by other load)."""
    rates = [measure() for _ in range(repeat)]
    return Rate(max(rate.wall for rate in rates), max(rate.cpu for rate in rates))


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    """Print per-step cost, same-run baselines, throughput and PASS/MISS."""
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    count = int(arguments[0]) if arguments else 2000
    worst_case = "--worst-case" in sys.argv
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    index = build_index()
    articles = load_articles(count, worst_case)
    # Long-lived, as in the bot: the collector does not walk them (Pipeline.process).
    gc.collect()
    gc.freeze()
    average = sum(len(article.text) for article in articles) / count
    print(f"load average before: {load_average()}  (cores: {os.cpu_count()})")
    print(f"{count} articles, {average:.0f} characters on average{' (worst case)' * worst_case}")

    run_pipeline(index, articles[:200], assign=True)
    passes = [time_steps(index, articles) for _ in range(repeat)]
    best = StepTimes(
        min(p.match for p in passes),
        min(p.analyse for p in passes),
        min(p.assign for p in passes),
        min(p.split for p in passes),
    )
    for name, spent in (
        ("match", best.match),
        ("analyse_deal", best.analyse),
        ("assign", best.assign),
        ("plain split", best.split),
    ):
        print(f"{name:>14}: {spent / count * 1000:.3f} ms/article (CPU, best of {repeat})")
    print(
        f"{'baseline':>14}: analyse = {best.analyse / best.split:.1f} x a plain regex split,"
        f" {best.analyse / best.match:.2f} x match; assign = {best.assign / best.match:.2f} x match"
    )

    for label, assign in (("match+analyse", False), ("match+analyse+assign", True)):
        one = best_of(repeat, partial(rate_in_one_process, index, articles, assign))
        two = best_of(repeat, partial(rate_in_processes, index, articles, assign))
        print(
            f"{label:>21}: 1 process {one.wall:7,.0f}/s wall {one.cpu:7,.0f}/s CPU | "
            f"{PROCESSES} processes {two.wall:7,.0f}/s wall {two.cpu:7,.0f}/s CPU"
        )
        verdict = "PASS" if two.wall > TARGET_RATE else "MISS"
        print(
            f"{'target':>21}: {verdict}  {label} on {PROCESSES} processes "
            f"{two.wall:,.0f}/s wall (CPU-time estimate {two.cpu:,.0f}/s) "
            f"vs > {TARGET_RATE:,.0f}/s"
        )
    print(f"load average after:  {load_average()}")


if __name__ == "__main__":
    main()

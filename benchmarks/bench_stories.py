"""Story assignment cost per article as the index grows: 1k, 10k and 100k stories held.

Run: .venv/bin/python benchmarks/bench_stories.py [--sizes 1000,10000,100000] [--probe 1000]

The index is seeded with N stories (half about watched entities, half about none, titles
drawn from a finance vocabulary, published over the last 180 days so deal stories stay
joinable), then PROBE new articles are assigned and timed. Half the probes are
re-publications of held stories, half are new. The same-run baseline is the cost of
building the probes' fingerprints, the floor any assignment pays; the figure to watch is
the cost at 10x and 100x against the cost at 1x, which should stay near 1.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from watchlists.deals import Amount, Deal
from watchlists.model import Article, Match
from watchlists.stories import Fingerprint, StoryIndex

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
ENTITIES = 200
WORDS = [
    "capital",
    "fund",
    "bank",
    "global",
    "holding",
    "partners",
    "media",
    "energy",
    "group",
    "deal",
    "shares",
    "market",
    "investors",
    "billion",
    "million",
    "stake",
    "buy",
    "sell",
    "merger",
    "talks",
    "board",
    "offer",
    "bid",
    "price",
    "rise",
    "fall",
    "quarter",
    "profit",
    "loss",
    "revenue",
    "growth",
    "unit",
    "plant",
    "oil",
    "gas",
    "power",
    "retail",
    "online",
    "platform",
    "software",
    "chips",
    "cloud",
    "payments",
    "insurer",
    "lender",
    "broker",
    "asset",
    "manager",
    "private",
    "equity",
    "venture",
    "round",
    "startup",
    "listing",
    "exchange",
    "regulator",
    "approval",
    "antitrust",
    "review",
]
TYPES = ("acquisition", "investment", "joint_venture", "merger", "none")


def _match(entity_id: int) -> Match:
    name = f"entity{entity_id}"
    return Match(
        entity_id=entity_id,
        entity=name,
        alias=name,
        field="title",
        start=0,
        end=len(name),
        text=name,
        score=100.0,
        kind="exact",
    )


def make_article(
    rng: random.Random, number: int, published: datetime
) -> tuple[Article, Deal, list[Match]]:
    """One synthetic article with its deal and matches."""
    words = rng.sample(WORDS, 7)
    unique = f"w{rng.randrange(50_000)}"
    matches: list[Match] = []
    if number % 2 == 0:
        entity_id = rng.randrange(ENTITIES)
        matches.append(_match(entity_id))
        words.insert(0, f"entity{entity_id}")
    kind = rng.choice(TYPES) if matches else "none"
    title = " ".join([*words, unique])
    amounts = (
        (Amount("USD", float(rng.randrange(1, 500)) * 1e6, "$"),) if rng.random() < 0.5 else ()
    )
    deal = Deal(type=kind, stage="announced" if kind != "none" else "", amounts=amounts)  # type: ignore[arg-type]
    article = Article(
        id=f"a{number}",
        title=title,
        text=f"{title}. " + " ".join(rng.choices(WORDS, k=60)),
        url=f"https://news.example/{number}",
        published=published,
    )
    return article, deal, matches


def seeded_index(size: int, seed: int) -> StoryIndex:
    """An index holding size stories published over the last 180 days."""
    rng = random.Random(seed)
    index = StoryIndex()
    span = timedelta(days=180).total_seconds()
    for number in range(size):
        published = NOW - timedelta(seconds=span * (1 - number / size))
        article, deal, matches = make_article(rng, number, published)
        index.assign(article, deal, matches)
    return index


def probes(count: int, seed: int) -> list[tuple[Article, Deal, list[Match]]]:
    """New articles: half re-publications under a new URL, half new stories."""
    rng = random.Random(seed)
    items = []
    for number in range(count):
        article, deal, matches = make_article(rng, number, NOW + timedelta(minutes=number))
        if number % 4 == 1:
            article = Article(
                id=f"p{number}",
                title=article.title,
                text=article.text,
                url=f"https://other.example/{number}",
                published=article.published,
            )
        items.append((article, deal, matches))
    return items


def time_assign(index: StoryIndex, items: Sequence[tuple[Article, Deal, list[Match]]]) -> float:
    """Seconds of CPU per article to assign the items."""
    start = time.process_time()
    for article, deal, matches in items:
        index.assign(article, deal, matches)
    return (time.process_time() - start) / len(items)


def time_fingerprints(items: Sequence[tuple[Article, Deal, list[Match]]]) -> float:
    """Seconds of CPU per article to build fingerprints: the baseline."""
    start = time.process_time()
    for article, deal, matches in items:
        print_ = Fingerprint.of(article, deal, matches)
        _ = print_.text_tokens
    return (time.process_time() - start) / len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--probe", type=int, default=1000)
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    print(f"load average {os.getloadavg()[0]:.2f}; {options.probe} probe articles per size")
    base = time_fingerprints(probes(options.probe, seed=7))
    print(f"baseline: fingerprint only {base * 1e6:8.1f} us/article")
    first = 0.0
    for size in sizes:
        build = time.perf_counter()
        index = seeded_index(size, seed=size)
        build = time.perf_counter() - build
        cost = time_assign(index, probes(options.probe, seed=7))
        first = first or cost
        print(
            f"{size:>7} stories held: assign {cost * 1e6:8.1f} us/article "
            f"({cost / base:5.1f}x the fingerprint baseline, {cost / first:4.2f}x the smallest size); "
            f"seeding took {build:.1f} s ({build / size * 1e6:.0f} us/story)"
        )


if __name__ == "__main__":
    main()

"""Time deal analysis and story assignment on ~3 KB articles.

Run: .venv/bin/python benchmarks/bench_deals.py [articles] [--worst-case]
Articles are built from the evaluation set (each text padded with other articles' text to
about 3 KB) and matched against the evaluation watchlist; the match step is timed too so
the whole core pipeline (match + analyse + assign) can be compared with its budget.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from watchlists.deals import analyse_deal
from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity
from watchlists.stories import StoryIndex
from watchlists.watchlist_file import parse_watchlist

EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "eval"
TARGET_CHARS = 3000
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


def main() -> None:
    """Print per-step cost and throughput."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    worst_case = "--worst-case" in sys.argv
    entities = parse_watchlist((EVAL / "watchlist.toml").read_text())
    index = MatchIndex(
        Entity(e.name, e.aliases, e.exclude, id=number) for number, e in enumerate(entities, 1)
    )
    articles = load_articles(count, worst_case)
    stories = StoryIndex()

    match_time = analyse_time = assign_time = 0.0
    for article in articles:
        began = time.thread_time()
        matches = index.match(article)
        matched = time.thread_time()
        deal = analyse_deal(article, matches)
        analysed = time.thread_time()
        stories.assign(article, deal, matches)
        assigned = time.thread_time()
        match_time += matched - began
        analyse_time += analysed - matched
        assign_time += assigned - analysed
    total = match_time + analyse_time + assign_time
    average = sum(len(a.text) for a in articles) / count
    print(f"{count} articles, {average:.0f} characters on average, {len(stories)} stories")
    for name, spent in (
        ("match", match_time),
        ("analyse_deal", analyse_time),
        ("assign", assign_time),
    ):
        print(f"{name:>13}: {spent / count * 1000:.3f} ms/article")
    print(f"{'pipeline':>13}: {count / total:,.0f} articles/s in one process (CPU time)")


if __name__ == "__main__":
    main()

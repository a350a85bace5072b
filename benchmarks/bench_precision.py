"""Precision with a big, uncurated watchlist on real text (issue 13, item 5).

Every SEC registrant name in ../shared/data/companies, as filed ("Match Group, Inc.",
"Post Holdings, Inc."), is one watchlist; the 31 real feeds in ../shared/data/feeds are
the stories. Prints, per 100 stories, every match and the kinds of match that are false
alarms whatever the story says: a lower-case word ("match" for "Match Group, Inc."), a
fuzzy hit on one word ("Looking" for Booking), a fuzzy hit on a capitalised word that is
itself a watched name. With --show it lists every match, for reading them one by one.

Skips (exit 0, with the reason) when ../shared is absent.

Usage: python benchmarks/bench_precision.py [--show]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from bot.ingest.parse import InputError, read_articles
from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity, Match

SHARED = Path(__file__).parents[1] / ".." / "shared" / "data"
COMPANIES = SHARED / "companies" / "sec_company_tickers.json"
FEEDS = SHARED / "feeds"


def sec_watchlist() -> list[Entity]:
    """One entity per distinct SEC registrant name, as filed."""
    rows = json.loads(COMPANIES.read_text()).values()
    names = dict.fromkeys(row["title"].strip() for row in rows)
    return [Entity(name=name, id=number) for number, name in enumerate(names, 1)]


def feed_stories() -> list[Article]:
    """Every story of every readable feed (the feeds include one broken on purpose)."""
    stories: list[Article] = []
    for path in sorted(FEEDS.iterdir()):
        if path.suffix not in (".rss", ".atom", ".xml"):
            continue
        try:
            stories.extend(item for item in read_articles(path) if isinstance(item, Article))
        except InputError as error:
            print(f"left out: {error}")
    return stories


def is_lower_case(match: Match) -> bool:
    """The text matched starts with a lower-case letter."""
    return match.text[:1].islower()


def is_single_word_fuzzy(match: Match) -> bool:
    """A fuzzy hit on one word."""
    return match.kind == "fuzzy" and len(match.text.split()) == 1


def main() -> None:
    """Match every story against the SEC list and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list every match")
    options = parser.parse_args()
    if not COMPANIES.exists() or not FEEDS.is_dir():
        print(f"skipped: {SHARED} is absent (the shared SEC list and feeds are needed)")
        return
    entities = sec_watchlist()
    stories = feed_stories()
    index = MatchIndex(entities)
    names = {" ".join(entity.name.lower().split()) for entity in entities}
    counts: Counter[str] = Counter()
    texts: Counter[str] = Counter()
    for story in stories:
        for match in index.match(story):
            counts["matches"] += 1
            counts[f"kind {match.kind}"] += 1
            texts[f"{match.text} -> {match.entity} ({match.kind})"] += 1
            if is_lower_case(match):
                counts["lower-case word"] += 1
            if is_single_word_fuzzy(match):
                counts["fuzzy on one word"] += 1
                if match.text.lower() in names:
                    counts["fuzzy on a watched name"] += 1
            if options.show:
                print(f"{story.id[:40]:40} {match.field:5} {match.text!r} -> {match.entity}")
    per_100 = 100 / max(1, len(stories))
    print(f"watchlist: {len(entities):,} SEC names as filed; stories: {len(stories):,}")
    for key in (
        "matches",
        "kind exact",
        "kind partial",
        "kind fuzzy",
        "lower-case word",
        "fuzzy on one word",
        "fuzzy on a watched name",
    ):
        print(f"  {key:28}{counts[key]:>6}{counts[key] * per_100:>10.1f} per 100 stories")
    alarms = counts["lower-case word"] + counts["fuzzy on one word"]
    print(f"  {'certain false alarms':28}{alarms:>6}{alarms * per_100:>10.1f} per 100 stories")
    print("most frequent matches:")
    for text, count in texts.most_common(25):
        print(f"  {count:>4}  {text}")


if __name__ == "__main__":
    main()

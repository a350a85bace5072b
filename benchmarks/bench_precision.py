"""Precision with a big, uncurated watchlist on real text (issue 13, item 5).

Every SEC registrant name in ../shared/data/companies, as filed ("Match Group, Inc.",
"Post Holdings, Inc."), is one watchlist; the 31 real feeds in ../shared/data/feeds are
the stories. Prints, per 100 stories, every match and the kinds of match that are false
alarms whatever the story says: a lower-case word ("match" for "Match Group, Inc."), a
fuzzy hit on one word ("Looking" for Booking), a fuzzy hit on a capitalised word that is
itself a watched name. With --show it lists every match, for reading them one by one.

Every match the engine made on the feeds before issue 13 item 5 was labelled by hand in
benchmarks/data/precision_labels.tsv (story id, field, offsets, entity, true or not; no
feed text): the benchmark prints the labelled false alarms per 100 stories and how many
of the labelled true mentions it still finds, and counts matches without a label. It also
runs the same list over our own news text (tests/data/eval, holdout, holdout2) and lists
those matches, whose labels are in the same file under the story ids "eval:<id>".

Skips (exit 0, with the reason) when ../shared is absent.

Usage: python benchmarks/bench_precision.py [--show]
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

from bot.evaluation import load_eval_set
from bot.ingest.parse import InputError, read_articles
from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity, Match

SHARED = Path(__file__).parents[1] / ".." / "shared" / "data"
COMPANIES = SHARED / "companies" / "sec_company_tickers.json"
FEEDS = SHARED / "feeds"
LABELS = Path(__file__).parent / "data" / "precision_labels.tsv"
EVAL_SETS = [
    Path(__file__).parents[1] / "tests" / "data" / name for name in ("eval", "holdout", "holdout2")
]

# (story id, field, start, end, entity) -> whether the match is a true mention.
Labels = dict[tuple[str, str, int, int, str], bool]


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


def read_labels() -> Labels:
    """The hand labels of benchmarks/data/precision_labels.tsv."""
    with LABELS.open(newline="") as file:
        return {
            (row["story_id"], row["field"], int(row["start"]), int(row["end"]), row["entity"]): (
                row["true_mention"] == "yes"
            )
            for row in csv.DictReader(file, delimiter="\t")
        }


def eval_stories() -> list[Article]:
    """Our own news text: the articles of the development and held-out sets, ids prefixed."""
    stories: list[Article] = []
    for directory in EVAL_SETS:
        for item in load_eval_set(directory)[1]:
            article = item.article
            stories.append(Article(id=f"eval:{article.id}", title=article.title, text=article.text))
    return stories


def score_labels(index: MatchIndex, stories: list[Article], labels: Labels, name: str) -> None:
    """Print labelled false alarms per 100 stories and the true mentions still found."""
    found: set[tuple[str, str, int, int, str]] = set()
    false_alarms = unlabelled = 0
    for story in stories:
        for match in index.match(story):
            key = (story.id, match.field, match.start, match.end, match.entity)
            if key not in labels:
                unlabelled += 1
                print(f"  unlabelled: {key} {match.text!r}")
            elif not labels[key]:
                false_alarms += 1
            found.add(key)
    ids = {story.id for story in stories}
    true = [key for key, is_true in labels.items() if is_true and key[0] in ids]
    kept = sum(key in found for key in true)
    for key in true:
        if key not in found:
            print(f"  true mention missed: {key}")
    per_100 = 100 / max(1, len(stories))
    print(
        f"{name}: {len(stories):,} stories; labelled false alarms {false_alarms}"
        f" ({false_alarms * per_100:.1f} per 100 stories); true mentions kept {kept}/{len(true)};"
        f" matches without a label {unlabelled}"
    )


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
    labels = read_labels()
    score_labels(index, stories, labels, "shared feeds, hand-labelled")
    own = eval_stories()
    score_labels(index, own, labels, "our own news text (eval, holdout, holdout2)")


if __name__ == "__main__":
    main()

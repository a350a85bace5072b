"""A blind variant of the realistic corpus: its vocabulary is read from real feeds at run
time, so no word list of ours (the matcher's or the realistic corpus's) was tuned on it.

The words are every lower-cased word of the titles and texts of the shared feeds in
../shared/data/feeds (31 real RSS/Atom files: news, podcasts, classifieds, forums; not
committed here), drawn with their frequency in those feeds. As in the realistic corpus:
2,000 articles of 520 lower-case words without punctuation, three watched names inserted
in each, written as the watchlist writes them. Without the shared feeds it falls back to
the realistic corpus's vocabulary and says so.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import realistic_corpus

from watchlists.model import Article, Entity

SHARED_FEEDS = Path(__file__).parents[1] / ".." / "shared" / "data" / "feeds"
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_MARKUP = re.compile(r"<[^>]*>|&[a-z#0-9]+;")
# Words seen fewer times than this are left out (typos, identifiers, URLs' pieces).
MIN_COUNT = 2

_vocabulary: tuple[list[str], list[int]] | None = None


def vocabulary() -> tuple[list[str], list[int]]:
    """(words, their counts) from the shared feeds' titles and texts."""
    global _vocabulary
    if _vocabulary is None:
        counts: Counter[str] = Counter()
        if SHARED_FEEDS.is_dir():
            from bot.ingest.parse import read_articles

            for path in sorted(SHARED_FEEDS.iterdir()):
                if path.suffix not in (".rss", ".atom", ".xml"):
                    continue
                try:
                    items = list(read_articles(path))
                except Exception:  # a feed the parser refuses adds no words
                    continue
                for item in items:
                    if isinstance(item, Article):
                        text = _MARKUP.sub(" ", f"{item.title} {item.text}").lower()
                        counts.update(_WORD.findall(text))
        kept = [(word, count) for word, count in counts.items() if count >= MIN_COUNT]
        if not kept:
            print("blind corpus: no shared feeds; using the realistic corpus's vocabulary")
            kept = [(word, 1) for word in realistic_corpus.VOCABULARY]
        _vocabulary = [word for word, _ in kept], [count for _, count in kept]
    return _vocabulary


def make_articles(
    rng: random.Random, entities: list[Entity], count: int = realistic_corpus.ARTICLES
) -> list[Article]:
    """Lower-case articles of feed words, each with three watched names inserted."""
    words_known, weights = vocabulary()
    articles: list[Article] = []
    for number in range(count):
        words = rng.choices(words_known, weights, k=realistic_corpus.WORDS_PER_ARTICLE)
        for _ in range(realistic_corpus.NAMES_PER_ARTICLE):
            words.insert(rng.randrange(len(words)), rng.choice(entities).name)
        articles.append(Article(id=f"b{number}", title="", text=" ".join(words)))
    return articles

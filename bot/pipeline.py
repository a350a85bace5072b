"""Composition of one pipeline cycle: ingest, match, analyse, queue; used by CLI and scheduler."""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.ingest.fetch import FetchPolicy, fetch_feed
from bot.ingest.parse import BadLine, InputError, read_articles
from bot.settings import Settings
from db.engine import make_engine, require_migrated
from db.store import SqlStore
from watchlists.index_sync import SyncedIndex
from watchlists.model import Article
from watchlists.services import (
    ProcessResult,
    StoryMemory,
    ingest_articles,
    process_new_articles,
)


class Pipeline:
    """The store and the global index, kept together for every cycle."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.index = SyncedIndex()
        self.stories = StoryMemory()

    def process(self, now: datetime | None = None) -> ProcessResult:
        """Refresh the index from the watchlists, then process every new article."""
        added, _removed = self.index.sync(self.store.watched_entities())
        if added:
            # The index is long-lived: keep the collector from walking it on every full
            # collection (half-second pauses at 100k aliases) and forked workers sharing it.
            gc.freeze()
        return process_new_articles(
            self.store, self.index.index, now or datetime.now(UTC), memory=self.stories
        )


def open_store(settings: Settings) -> SqlStore:
    """A store on the configured database, refusing an un-migrated schema."""
    engine = make_engine(settings.database_url)
    require_migrated(engine)
    return SqlStore(engine)


def ingest_file(store: SqlStore, path: Path) -> tuple[int, int]:
    """Store the articles of one file; return (new articles, bad lines)."""
    articles: list[Article] = []
    bad = 0
    for item in read_articles(path):
        if isinstance(item, BadLine):
            bad += 1
            print(f"dealwatch: {item.origin}:{item.line}: skipped: {item.reason}", file=sys.stderr)
        else:
            articles.append(item)
    source_id = store.ensure_source(path.resolve().as_uri(), title=path.name)
    return ingest_articles(store, articles, source_id), bad


def ingest_url(store: SqlStore, url: str, policy: FetchPolicy | None = None) -> int:
    """Fetch a feed URL once (guarded, size-capped) and store its new articles."""
    result = fetch_feed(url, policy=policy or FetchPolicy())
    if result.status != "ok" or result.feed is None:
        raise InputError(f"{url}: {result.error or 'no feed there'}")
    source_id = store.ensure_source(url, title=result.feed.title)
    return ingest_articles(store, result.feed.articles, source_id)


def ingest_inputs(settings: Settings, inputs: Sequence[str]) -> int:
    """`dealwatch ingest`: store files or feed URLs, then match and queue."""
    store = open_store(settings)
    total = skipped = 0
    for name in inputs:
        if name.startswith(("http://", "https://")):
            added = ingest_url(
                store, name, FetchPolicy(allow_loopback=settings.allow_loopback_feeds)
            )
        else:
            path = Path(name)
            if not path.is_file():
                raise InputError(f"{name}: no such file")
            added, bad = ingest_file(store, path)
            skipped += bad
        print(f"{name}: {added} new article(s)")
        total += added
    result = Pipeline(store).process()
    print(
        f"processed {result.articles} article(s): {result.matched} matched, "
        f"{result.deliveries_queued} deliveries queued"
    )
    if skipped:
        print(f"dealwatch: {skipped} bad input line(s) skipped", file=sys.stderr)
    return 1 if skipped else 0  # 1: bot.cli.EXIT_SKIPPED (bot/ does not import the CLI)

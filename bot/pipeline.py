"""Composition of one pipeline cycle: ingest, match, analyse, queue; used by CLI and scheduler."""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
from watchlists.urls import redact_url

# The cross-process name of the matching step: one process at a time files stories.
PROCESS_LOCK = "dealwatch:process"
# How long `matching()` waits for another process to finish its matching pass.
MATCHING_WAIT_S = 10.0
MATCHING_RETRY_S = 0.05


class Pipeline:
    """The store and the global index, kept together for every cycle.

    Matching is serialised twice: a thread lock inside this process, and the store's
    cross-process lock PROCESS_LOCK between processes sharing a database.
    """

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.index = SyncedIndex()
        self.stories = StoryMemory()
        self._lock = threading.RLock()

    def process(self, now: datetime | None = None) -> ProcessResult:
        """Refresh the index from the watchlists, then process every new article."""
        with self._lock:
            added, _removed = self.index.sync(self.store.watched_entities())
            if added:
                # The index is long-lived: keep the collector from walking it on every full
                # collection (half-second pauses at 100k aliases) and forked workers sharing it.
                gc.freeze()
            return process_new_articles(
                self.store, self.index.index, now or datetime.now(UTC), memory=self.stories
            )

    def process_if_free(self, now: datetime | None = None) -> ProcessResult | None:
        """Process new articles unless another process is matching; None when it is."""
        with self._lock, self.store.exclusive(PROCESS_LOCK) as mine:
            return self.process(now) if mine else None

    @contextmanager
    def matching(self) -> Iterator[ProcessResult]:
        """Hold the matching lock with every article accepted so far processed.

        What runs inside (`digest now`, `lookup`, matching stored articles for a new
        watch) sees every article stored before it, and no matching pass runs meanwhile.
        Yields what catching up processed.
        """
        deadline = time.monotonic() + MATCHING_WAIT_S
        with self._lock:
            while True:
                with self.store.exclusive(PROCESS_LOCK) as mine:
                    if mine or time.monotonic() > deadline:
                        # Past the deadline another process still holds the lock: go on
                        # without it; that process files what it holds.
                        result = NOTHING
                        if mine and self.store.unmatched_articles(1):
                            result = self.process()
                        yield result
                        return
                time.sleep(MATCHING_RETRY_S)

    def catch_up(self) -> ProcessResult:
        """Process every article accepted so far, waiting for another process's pass."""
        with self.matching() as result:
            return result


NOTHING = ProcessResult(articles=0, matched=0, deliveries_queued=0)


def open_store(settings: Settings) -> SqlStore:
    """A store on the configured database, refusing an un-migrated schema."""
    engine = make_engine(settings.database_url)
    require_migrated(engine)
    return SqlStore(engine, settings.secret_box)


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
    return ingest_articles(store, articles, source_id, datetime.now(UTC)), bad


def ingest_url(store: SqlStore, url: str, policy: FetchPolicy | None = None) -> int:
    """Fetch a feed URL once (guarded, size-capped) and store its new articles."""
    result = fetch_feed(url, policy=policy or FetchPolicy())
    if result.status != "ok" or result.feed is None:
        raise InputError(f"{redact_url(url)}: {result.error or 'no feed there'}")
    source_id = store.ensure_source(url, title=result.feed.title)
    return ingest_articles(store, result.feed.articles, source_id, datetime.now(UTC))


def ingest_inputs(settings: Settings, inputs: Sequence[str]) -> int:
    """`dealwatch ingest`: store files or feed URLs, then match and queue."""
    store = open_store(settings)
    total = skipped = 0
    for name in inputs:
        # The same size cap as POST /ingest (DEALWATCH_INGEST_MAX_BYTES).
        cap = settings.ingest_max_bytes
        if name.startswith(("http://", "https://")):
            policy = FetchPolicy(allow_loopback=settings.allow_loopback_feeds, max_bytes=cap)
            added = ingest_url(store, name, policy)
        else:
            path = Path(name)
            if not path.is_file():
                raise InputError(f"{name}: no such file")
            size = path.stat().st_size
            if size > cap:
                raise InputError(
                    f"{name}: {size} bytes is over the ingest cap of {cap} bytes "
                    "(DEALWATCH_INGEST_MAX_BYTES, as for POST /ingest); split the file"
                )
            added, bad = ingest_file(store, path)
            skipped += bad
        print(f"{name}: {added} new article(s)")
        total += added
    result = Pipeline(store).catch_up()
    print(
        f"processed {result.articles} article(s): {result.matched} matched, "
        f"{result.deliveries_queued} deliveries queued"
    )
    if skipped:
        print(f"dealwatch: {skipped} bad input line(s) skipped", file=sys.stderr)
    return 1 if skipped else 0  # 1: bot.cli.EXIT_SKIPPED (bot/ does not import the CLI)

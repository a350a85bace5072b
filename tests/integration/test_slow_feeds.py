"""Slow feeds hold nobody: polls run on a bounded pool, apart from matching and delivery,
and `feeds add` previews have their own few threads and a short deadline."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from bot.app import preview_fetcher
from bot.ingest.fetch import FetchPolicy
from bot.ingest.fetcher import PREVIEW_DEADLINE_S, HttpFeedFetcher, PreviewFetcher
from bot.pipeline import Pipeline
from bot.scheduler import build_scheduler, poll_feeds
from bot.settings import Settings
from db.store import SqlStore
from tests.conftest import unpaced_poster
from tests.fakes.feed_server import Drip, FakeFeedServer
from tests.fakes.slack_api import FakeSlack
from watchlists.model import Article, Channel
from watchlists.polling import FeedError, add_feed
from watchlists.ports import FetchOutcome
from watchlists.services import ProcessResult

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
# How long a test waits for a condition before it fails; never a sleep.
WAIT_S = 10.0


class GatedFetcher:
    """A FeedFetcher whose fetches of gated URLs wait until the test opens the gate."""

    def __init__(self, gated: set[str]) -> None:
        self.gated = gated
        self.gate = threading.Event()
        self.started: list[str] = []
        self.finished: list[str] = []
        self.changed = threading.Condition()

    def fetch(
        self, url: str, etag: str = "", last_modified: str = "", *, full_text: bool = False
    ) -> FetchOutcome:
        """An empty feed titled by its URL, after the gate opens for gated URLs."""
        with self.changed:
            self.started.append(url)
            self.changed.notify_all()
        if url in self.gated:
            self.gate.wait(WAIT_S)
        item = Article(id=url, title=f"Item of {url}", text="Deal text.", url=url)
        with self.changed:
            self.finished.append(url)
            self.changed.notify_all()
        return FetchOutcome(status="ok", articles=(item,), title=url)

    def wait_until(self, condition: str, url: str) -> bool:
        """True once url is in started or finished; False after WAIT_S."""
        with self.changed:
            return self.changed.wait_for(lambda: url in getattr(self, condition), WAIT_S)


def _add_source(store: SqlStore, channel: Channel, url: str) -> None:
    """A feed of the channel, due at once (never polled)."""
    store.add_channel_source(channel.id, url, url)


@pytest.fixture
def store(engine: Engine) -> SqlStore:
    return SqlStore(engine)


def test_a_slow_feed_does_not_hold_the_other_feeds(store: SqlStore, slack: FakeSlack) -> None:
    channel = store.ensure_channel("T1", "C1")
    for url in ("https://slow.example/rss", "https://fast.example/rss"):
        _add_source(store, channel, url)
    fetcher = GatedFetcher({"https://slow.example/rss"})
    done = threading.Thread(
        target=poll_feeds, args=(store, fetcher, unpaced_poster(slack), T0), kwargs={"workers": 2}
    )
    done.start()
    try:
        # The slow feed is claimed first (lower id); the fast one must finish while it waits.
        assert fetcher.wait_until("started", "https://slow.example/rss")
        assert fetcher.wait_until("finished", "https://fast.example/rss")
        assert "https://slow.example/rss" not in fetcher.finished
    finally:
        fetcher.gate.set()
        done.join(WAIT_S)


class RaisingStore(SqlStore):
    """A store that refuses the items of one feed URL, as a database with a bug would."""

    refused_url = ""

    def add_articles(self, articles, source_id, now):  # type: ignore[no-untyped-def]
        """Raise for the refused feed's items, store the others."""
        if any(article.url == self.refused_url for article in articles):
            raise RuntimeError("value too long for type character varying(2000)")
        return super().add_articles(articles, source_id, now)


def test_a_feed_the_store_refuses_is_backed_off_and_the_others_still_run(
    engine: Engine, slack: FakeSlack
) -> None:
    store = RaisingStore(engine)
    store.refused_url = "https://bad.example/rss"
    channel = store.ensure_channel("T1", "C1")
    for url in ("https://bad.example/rss", "https://good.example/rss"):
        _add_source(store, channel, url)
    report = poll_feeds(store, GatedFetcher(set()), unpaced_poster(slack), T0, workers=1)
    assert (report.polled, report.failed, report.new_articles) == (2, 1, 1)
    bad, good = sorted(store.channel_sources(channel.id), key=lambda s: s.url)
    assert bad.consecutive_failures == 1 and "could not be stored" in bad.last_error
    assert bad.next_poll_at is not None and bad.next_poll_at > T0
    assert good.consecutive_failures == 0


def test_a_feed_whose_items_cannot_be_stored_is_refused_and_not_attached(
    engine: Engine,
) -> None:
    store = RaisingStore(engine)
    store.refused_url = "https://bad.example/rss"
    channel = store.ensure_channel("T1", "C1")
    with pytest.raises(FeedError, match="its items could not be stored"):
        add_feed(store, GatedFetcher(set()), channel, "https://bad.example/rss", T0, lambda: 0.5)
    assert store.channel_sources(channel.id) == []


class RecordingPipeline(Pipeline):
    """A pipeline that says when it has processed articles."""

    def __init__(self, store: SqlStore) -> None:
        super().__init__(store)
        self.processed = threading.Event()

    def process(self, now: datetime | None = None) -> ProcessResult:
        """Process, then signal."""
        result = super().process(now)
        self.processed.set()
        return result


def test_matching_and_delivery_run_while_a_feed_is_slow(store: SqlStore, slack: FakeSlack) -> None:
    channel = store.ensure_channel("T1", "C1")
    _add_source(store, channel, "https://slow.example/rss")
    fetcher = GatedFetcher({"https://slow.example/rss"})
    pipeline = RecordingPipeline(store)
    scheduler = build_scheduler(
        pipeline, unpaced_poster(slack), 3600, fetcher, clock=lambda: datetime.now(UTC)
    )
    scheduler.start()
    try:
        assert fetcher.wait_until("started", "https://slow.example/rss")
        assert pipeline.processed.wait(WAIT_S), "the pipeline waited for a slow feed"
        assert "https://slow.example/rss" not in fetcher.finished
    finally:
        fetcher.gate.set()
        scheduler.shutdown(wait=True)


def test_previews_beyond_the_workers_are_answered_at_once() -> None:
    fetcher = GatedFetcher({"https://a.example/rss", "https://b.example/rss"})
    preview = PreviewFetcher(fetcher, deadline_s=WAIT_S, workers=2)
    results: list[FetchOutcome] = []
    waiting = [
        threading.Thread(target=lambda u=url: results.append(preview.fetch(u)))
        for url in ("https://a.example/rss", "https://b.example/rss")
    ]
    for thread in waiting:
        thread.start()
    try:
        assert fetcher.wait_until("started", "https://a.example/rss")
        assert fetcher.wait_until("started", "https://b.example/rss")
        third = preview.fetch("https://c.example/rss")
        assert third.status == "error" and "too many feeds" in third.error
        assert "https://c.example/rss" not in fetcher.started
    finally:
        fetcher.gate.set()
        for thread in waiting:
            thread.join(WAIT_S)
    assert [r.status for r in results] == ["ok", "ok"]
    assert preview.fetch("https://c.example/rss").status == "ok"


def test_a_preview_that_does_not_answer_in_time_says_so() -> None:
    fetcher = GatedFetcher({"https://slow.example/rss"})
    preview = PreviewFetcher(fetcher, deadline_s=0.05, workers=1, grace_s=0)
    try:
        outcome = preview.fetch("https://slow.example/rss")
    finally:
        fetcher.gate.set()
    assert outcome == FetchOutcome(status="error", error="the feed did not answer within 0.05 s")


@pytest.fixture
def feeds() -> Iterator[FakeFeedServer]:
    server = FakeFeedServer().start()
    yield server
    server.stop()


def test_a_dripping_feed_preview_ends_at_its_deadline(feeds: FakeFeedServer) -> None:
    feeds.serve("/drip", Drip(b"<rss>" + b" " * 10_000 + b"</rss>", every_s=0.1))
    policy = FetchPolicy(allow_loopback=True, read_timeout_s=0.5, total_timeout_s=1.0)
    outcome = PreviewFetcher(HttpFeedFetcher(policy), deadline_s=WAIT_S).fetch(feeds.url("/drip"))
    assert outcome.status == "error"
    assert outcome.error == "took longer than 1 s in total (from 127.0.0.1)"


def test_the_app_previews_feeds_within_the_preview_deadline() -> None:
    preview = preview_fetcher(Settings(allow_loopback_feeds=True))
    assert isinstance(preview.fetcher, HttpFeedFetcher)
    assert preview.fetcher.policy.total_timeout_s == PREVIEW_DEADLINE_S
    assert preview.fetcher.policy.allow_loopback

"""Polling feeds on a real database from the fake feed server: backoff, one warning, recovery."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.ingest.fetch import FetchPolicy
from bot.ingest.fetcher import HttpFeedFetcher
from db.store import SqlStore
from handlers.poster import ChannelPacer, SlackPoster, make_web_client
from tests.fakes.feed_server import FakeFeedServer, Feed, Status
from tests.fakes.slack_api import FakeSlack
from watchlists.backoff import next_poll_after_success
from watchlists.polling import FeedError, add_feed, poll_due_sources

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
HIGHEST_JITTER = 0.99


def centred_jitter() -> float:
    """A jitter that neither shortens nor lengthens the poll interval."""
    return 0.5


def rss(*titles: str) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>https://n.test/{n}</link><guid>g{n}-{title}</guid>"
        f"<description>{title} text.</description></item>"
        for n, title in enumerate(titles)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>{items}</channel></rss>'.encode()


@pytest.fixture
def feeds() -> Iterator[FakeFeedServer]:
    server = FakeFeedServer().start()
    yield server
    server.stop()


def _setup(engine: Engine, slack: FakeSlack) -> tuple[SqlStore, HttpFeedFetcher, SlackPoster]:
    store = SqlStore(engine)
    fetcher = HttpFeedFetcher(FetchPolicy(allow_loopback=True, read_timeout_s=2))
    poster = SlackPoster(make_web_client("xoxb-test", slack.url), ChannelPacer(interval=0))
    return store, fetcher, poster


def test_adding_a_feed_marks_existing_items_seen(
    engine: Engine, feeds: FakeFeedServer, slack: FakeSlack
) -> None:
    store, fetcher, _ = _setup(engine, slack)
    feeds.serve("/wire", Feed(rss("Old one", "Old two"), etag='"v1"'))
    channel = store.ensure_channel("T1", "C1")
    added = add_feed(store, fetcher, channel, feeds.url("/wire"), T0, lambda: HIGHEST_JITTER)
    assert added.existing_items == 2 and added.preview is not None
    assert store.unmatched_articles(10) == []
    [source] = store.channel_sources(channel.id)
    assert source.title == "Test Wire" and source.etag == '"v1"'
    assert source.next_poll_at is not None
    assert source.next_poll_at.replace(tzinfo=UTC) == next_poll_after_success(
        source.poll_interval_s, T0, HIGHEST_JITTER
    ), "the first poll is as late as the jitter the caller passed says"


def test_adding_a_broken_feed_is_refused_with_the_reason(
    engine: Engine, feeds: FakeFeedServer, slack: FakeSlack
) -> None:
    store, fetcher, _ = _setup(engine, slack)
    feeds.serve("/broken", Status(500))
    channel = store.ensure_channel("T1", "C1")
    with pytest.raises(FeedError, match="500"):
        add_feed(store, fetcher, channel, feeds.url("/broken"), T0, centred_jitter)
    assert store.channel_sources(channel.id) == []


def test_poll_uses_conditional_get_and_stores_only_new_items(
    engine: Engine, feeds: FakeFeedServer, slack: FakeSlack
) -> None:
    store, fetcher, poster = _setup(engine, slack)
    feeds.serve(
        "/wire",
        Feed(rss("Old"), etag='"v1"'),
        Feed(rss("Old"), etag='"v1"'),
        Feed(rss("Old", "New"), etag='"v2"'),
    )
    channel = store.ensure_channel("T1", "C1")
    add_feed(store, fetcher, channel, feeds.url("/wire"), T0, centred_jitter)

    first = poll_due_sources(store, fetcher, poster, T0 + timedelta(hours=1), jitter=lambda: 0.5)
    assert (first.polled, first.new_articles) == (1, 0)
    assert feeds.requests_to("/wire")[-1].headers.get("If-None-Match") == '"v1"'
    second = poll_due_sources(store, fetcher, poster, T0 + timedelta(hours=2), jitter=lambda: 0.5)
    assert (second.polled, second.new_articles) == (1, 1)
    [(_, article)] = store.unmatched_articles(10)
    assert article.title == "New"


def test_not_due_source_is_not_polled(
    engine: Engine, feeds: FakeFeedServer, slack: FakeSlack
) -> None:
    store, fetcher, poster = _setup(engine, slack)
    feeds.serve("/wire", Feed(rss("Old")))
    add_feed(
        store, fetcher, store.ensure_channel("T1", "C1"), feeds.url("/wire"), T0, centred_jitter
    )
    report = poll_due_sources(store, fetcher, poster, T0 + timedelta(minutes=5), jitter=lambda: 0.5)
    assert report.polled == 0


def test_broken_feed_backs_off_warns_once_then_says_recovered(
    engine: Engine, feeds: FakeFeedServer, slack: FakeSlack
) -> None:
    store, fetcher, poster = _setup(engine, slack)
    feeds.serve("/wire", Feed(rss("Old")))
    channel = store.ensure_channel("T1", "C1")
    add_feed(store, fetcher, channel, feeds.url("/wire"), T0, centred_jitter)
    feeds.serve("/wire", Status(500))

    now = T0 + timedelta(hours=1)
    delays = []
    for _ in range(8):
        report = poll_due_sources(store, fetcher, poster, now, jitter=lambda: 0.5)
        assert report.polled == 1 and report.failed == 1
        [source] = store.channel_sources(channel.id)
        assert source.next_poll_at is not None
        delays.append(source.next_poll_at - now)
        now = source.next_poll_at
    assert delays[:4] == [timedelta(seconds=900 * 2**n) for n in range(4)]
    assert max(delays) <= timedelta(hours=24)
    notices = [c.body["text"] for c in slack.calls_to("chat.postMessage")]
    assert len(notices) == 1 and notices[0].startswith("Feed broken: Test Wire")
    assert "HTTP 500" in notices[0]

    feeds.serve("/wire", Feed(rss("Old", "Back")))
    report = poll_due_sources(store, fetcher, poster, now, jitter=lambda: 0.5)
    assert report.recoveries == 1 and report.new_articles == 1
    notices = [c.body["text"] for c in slack.calls_to("chat.postMessage")]
    assert notices[-1] == "Feed recovered: Test Wire"
    [source] = store.channel_sources(channel.id)
    assert source.consecutive_failures == 0 and not source.warned_broken

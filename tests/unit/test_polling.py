"""Adding and polling feeds (watchlists.polling) on the fake store, fetcher, poster and clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.clock import FakeClock
from tests.fakes.poster import FakeFetcher, FakePoster
from tests.fakes.store import FakeStore
from watchlists.backoff import BROKEN_AFTER_AGE, BROKEN_AFTER_FAILURES
from watchlists.model import Article, Channel
from watchlists.polling import FeedError, add_feed, feed_health_line, poll_due_sources
from watchlists.ports import FetchOutcome, SourceState

URL = "https://feeds.example/deals.xml"
INTERVAL = timedelta(seconds=900)


def middle() -> float:
    """Jitter that leaves every delay exactly as the rules compute it."""
    return 0.5


def item(guid: str, day: int) -> Article:
    return Article(
        id=guid,
        title=f"Item {guid}",
        text=f"Text of {guid}.",
        url=f"https://news.example/{guid}",
        published=datetime(2026, 3, day, tzinfo=UTC),
    )


def ok(*articles: Article, etag: str = "") -> FetchOutcome:
    return FetchOutcome(status="ok", articles=articles, title="Deals feed", etag=etag)


FAILED = FetchOutcome(status="error", error="HTTP 503")


@pytest.fixture
def fetcher() -> FakeFetcher:
    return FakeFetcher()


def added_source(
    store: FakeStore, fetcher: FakeFetcher, channel: Channel, clock: FakeClock
) -> SourceState:
    """The feed at URL added to the channel, with one item already there."""
    fetcher.serve(URL, ok(item("old", 1), etag='"v1"'))
    return add_feed(store, fetcher, channel, URL, clock(), middle).source


def poll_when_due(
    store: FakeStore, fetcher: FakeFetcher, poster: FakePoster, clock: FakeClock, source_id: int
) -> int:
    """Move the clock to the source's next poll and poll; return the warnings sent."""
    due = store.sources[source_id].next_poll_at
    assert due is not None
    clock.set(due)
    return poll_due_sources(store, fetcher, poster, clock(), jitter=middle).warnings


def fail_until_warned(
    store: FakeStore, fetcher: FakeFetcher, poster: FakePoster, clock: FakeClock, source_id: int
) -> None:
    """Have every poll fail, each at its due time, until one sends a warning (none before)."""
    fetcher.serve(URL, FAILED)
    while not poll_when_due(store, fetcher, poster, clock, source_id):
        assert not poster.notices


def test_adding_a_feed_keeps_its_items_as_seen_and_previews_the_newest(
    store: FakeStore, fetcher: FakeFetcher, channel: Channel, clock: FakeClock
) -> None:
    fetcher.serve(URL, ok(item("a", 1), item("b", 3), item("c", 2), etag='"v1"'))
    added = add_feed(store, fetcher, channel, URL, clock(), middle)
    assert (added.existing_items, added.preview) == (3, item("b", 3))
    assert store.unmatched_articles(10) == []
    [source] = store.channel_sources(channel.id)
    assert (source.url, source.title, source.etag, source.last_success_at) == (
        URL,
        "Deals feed",
        '"v1"',
        clock(),
    )
    assert source.next_poll_at is not None
    assert clock() + INTERVAL * 0.9 <= source.next_poll_at <= clock() + INTERVAL * 1.1


def test_a_feed_that_cannot_be_fetched_is_not_added(
    store: FakeStore, fetcher: FakeFetcher, channel: Channel, clock: FakeClock
) -> None:
    fetcher.serve(URL, FAILED)
    with pytest.raises(FeedError, match="HTTP 503"):
        add_feed(store, fetcher, channel, URL, clock(), middle)
    assert store.sources == {}


def test_a_due_feed_is_polled_with_its_validators_and_new_items_stored(
    store: FakeStore, fetcher: FakeFetcher, channel: Channel, clock: FakeClock
) -> None:
    source = added_source(store, fetcher, channel, clock)
    fetcher.serve(URL, ok(item("old", 1), item("new", 2), etag='"v2"'))
    clock.advance(INTERVAL * 2)
    report = poll_due_sources(store, fetcher, FakePoster(), clock(), jitter=middle)
    assert (report.polled, report.failed, report.new_articles) == (1, 0, 1)
    assert fetcher.calls[-1].etag == '"v1"'
    assert [a.id for _, a in store.unmatched_articles(10)] == ["new"]
    state = store.sources[source.id]
    assert (state.etag, state.next_poll_at) == ('"v2"', clock() + INTERVAL)


def test_a_feed_is_not_polled_before_its_time(
    store: FakeStore, fetcher: FakeFetcher, channel: Channel, clock: FakeClock
) -> None:
    added_source(store, fetcher, channel, clock)
    report = poll_due_sources(store, fetcher, FakePoster(), clock(), jitter=middle)
    assert report.polled == 0 and len(fetcher.calls) == 1


def test_not_modified_keeps_the_validators_and_stores_nothing(
    store: FakeStore, fetcher: FakeFetcher, channel: Channel, clock: FakeClock
) -> None:
    source = added_source(store, fetcher, channel, clock)
    fetcher.serve(URL, FetchOutcome(status="not_modified"))
    clock.advance(INTERVAL * 2)
    report = poll_due_sources(store, fetcher, FakePoster(), clock(), jitter=middle)
    assert (report.polled, report.new_articles) == (1, 0)
    assert store.sources[source.id].etag == '"v1"'


def test_failures_back_off_exponentially(
    store: FakeStore, fetcher: FakeFetcher, channel: Channel, clock: FakeClock
) -> None:
    source = added_source(store, fetcher, channel, clock)
    fetcher.serve(URL, FAILED)
    poster = FakePoster()
    delays = []
    for _ in range(3):
        poll_when_due(store, fetcher, poster, clock, source.id)
        due = store.sources[source.id].next_poll_at
        assert due is not None
        delays.append(due - clock())
    assert delays == [INTERVAL, INTERVAL * 2, INTERVAL * 4]
    state = store.sources[source.id]
    assert (state.consecutive_failures, state.last_error) == (3, "HTTP 503")


def test_a_feed_broken_for_a_day_warns_each_of_its_channels_once(
    store: FakeStore, fetcher: FakeFetcher, channel: Channel, clock: FakeClock
) -> None:
    source = added_source(store, fetcher, channel, clock)
    store.add_channel_source(store.ensure_channel("T1", "C2").id, URL, "")
    poster = FakePoster()
    started = clock()
    fail_until_warned(store, fetcher, poster, clock, source.id)
    state = store.sources[source.id]
    assert state.consecutive_failures >= BROKEN_AFTER_FAILURES
    assert (
        state.first_failure_at is not None and clock() - state.first_failure_at >= BROKEN_AFTER_AGE
    )
    assert clock() - started < BROKEN_AFTER_AGE * 2
    assert sorted(n.channel for n in poster.notices) == ["C1", "C2"]
    assert poster.notices[0].text.startswith("Feed broken: Deals feed has failed")
    for _ in range(3):
        assert poll_when_due(store, fetcher, poster, clock, source.id) == 0
    assert len(poster.notices) == 2


def test_a_warned_feed_that_works_again_says_so_once(
    store: FakeStore, fetcher: FakeFetcher, channel: Channel, clock: FakeClock
) -> None:
    source = added_source(store, fetcher, channel, clock)
    poster = FakePoster()
    fail_until_warned(store, fetcher, poster, clock, source.id)
    fetcher.serve(URL, ok(item("back", 4)))
    clock.set(store.sources[source.id].next_poll_at or clock())
    report = poll_due_sources(store, fetcher, poster, clock(), jitter=middle)
    assert report.recoveries == 1
    assert poster.notices[-1].text == "Feed recovered: Deals feed"
    state = store.sources[source.id]
    assert (state.consecutive_failures, state.warned_broken, state.first_failure_at) == (
        0,
        False,
        None,
    )
    clock.advance(INTERVAL * 2)
    assert poll_due_sources(store, fetcher, poster, clock(), jitter=middle).recoveries == 0


def test_a_channel_that_refuses_the_warning_does_not_stop_the_others(
    store: FakeStore, fetcher: FakeFetcher, channel: Channel, clock: FakeClock
) -> None:
    source = added_source(store, fetcher, channel, clock)
    store.add_channel_source(store.ensure_channel("T1", "C2").id, URL, "")
    poster = FakePoster(refuse={"C1": "channel_not_found"})
    fail_until_warned(store, fetcher, poster, clock, source.id)
    assert [n.channel for n in poster.notices] == ["C2"]


def test_a_full_text_feed_asks_the_fetcher_for_article_pages(
    store: FakeStore, fetcher: FakeFetcher, channel: Channel, clock: FakeClock
) -> None:
    source = added_source(store, fetcher, channel, clock)
    store.set_full_text(source.id, True)
    clock.advance(INTERVAL * 2)
    poll_due_sources(store, fetcher, FakePoster(), clock(), jitter=middle)
    assert [call.full_text for call in fetcher.calls] == [False, True]


def test_the_health_line_says_when_a_feed_last_worked_or_how_it_fails(clock: FakeClock) -> None:
    healthy = SourceState(id=1, url=URL, last_success_at=datetime(2026, 3, 1, 7, 5, tzinfo=UTC))
    assert feed_health_line(healthy, clock()) == "ok (last fetched 2026-03-01 07:05 UTC)"
    failing = SourceState(
        id=1, url=URL, consecutive_failures=2, first_failure_at=clock(), last_error="HTTP 503"
    )
    assert (
        feed_health_line(failing, clock()) == "failing: 2 failure(s) in a row; last error: HTTP 503"
    )

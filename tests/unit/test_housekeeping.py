"""What the bot forgets and when (watchlists.housekeeping), on the fake store and clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakes.clock import FakeClock
from tests.fakes.store import FakeStore
from watchlists.housekeeping import DEFAULT_RETENTION, REQUEST_KEYS_KEPT, run_housekeeping
from watchlists.model import Article, Entity


@pytest.fixture
def store(clock: FakeClock) -> FakeStore:
    """A store holding a delivered story, an undelivered one and an unprocessed article."""
    store = FakeStore(clock=clock)
    channel = store.ensure_channel("T1", "C1")
    acme = store.watch(channel.id, Entity(name="Acme"))
    store.seed_story(acme, key="delivered")
    store.seed_story(key="nobody-watches")
    store.add_articles(
        [Article(id="waiting", title="Waiting", text="Not processed yet.")], None, store.clock()
    )
    return store


def titles(store: FakeStore) -> list[str]:
    return sorted(row.article.title for row in store.articles.values())


def test_old_undelivered_articles_go_and_delivered_or_unprocessed_ones_stay(
    store: FakeStore, clock: FakeClock
) -> None:
    report = run_housekeeping(store, clock.advance(DEFAULT_RETENTION + timedelta(days=1)))
    assert report.articles == 1
    assert titles(store) == ["Story delivered", "Waiting"]


def test_articles_younger_than_the_retention_stay(store: FakeStore, clock: FakeClock) -> None:
    assert (
        run_housekeeping(store, clock.advance(DEFAULT_RETENTION - timedelta(days=1))).articles == 0
    )
    assert run_housekeeping(store, clock(), retention=timedelta(days=30)).articles == 1


def test_request_keys_are_kept_for_a_day(store: FakeStore, clock: FakeClock) -> None:
    assert store.first_time("event:Ev1", store.clock())
    start = clock()
    assert (
        run_housekeeping(store, start + REQUEST_KEYS_KEPT - timedelta(minutes=1)).request_keys == 0
    )
    assert not store.first_time("event:Ev1", store.clock())
    assert (
        run_housekeeping(store, start + REQUEST_KEYS_KEPT + timedelta(minutes=1)).request_keys == 1
    )
    assert store.first_time("event:Ev1", store.clock())

"""Keeping the global match index in step with the watchlists (watchlists.index_sync)."""

from __future__ import annotations

from tests.fakes.store import FakeStore
from watchlists.index_sync import SyncedIndex
from watchlists.model import Article, Entity

NEWS = Article(id="a1", title="Acme Corp and Beta Ltd agree to merge", text="")


def matched(synced: SyncedIndex) -> set[str]:
    return {match.entity for match in synced.index.match(NEWS)}


def test_the_first_sync_adds_every_watched_entity() -> None:
    store = FakeStore()
    channel = store.ensure_channel("T1", "C1")
    store.watch(channel.id, Entity(name="Acme Corp"))
    store.watch(channel.id, Entity(name="Beta Ltd"))
    synced = SyncedIndex()
    assert synced.sync(store.watched_entities()) == (2, 0)
    assert matched(synced) == {"Acme Corp", "Beta Ltd"}


def test_an_unchanged_watchlist_syncs_nothing() -> None:
    entities = [Entity(name="Acme Corp", id=1)]
    synced = SyncedIndex()
    synced.sync(entities)
    assert synced.sync(entities) == (0, 0)


def test_an_unwatched_entity_leaves_the_index() -> None:
    store = FakeStore()
    channel = store.ensure_channel("T1", "C1")
    store.watch(channel.id, Entity(name="Acme Corp"))
    store.watch(channel.id, Entity(name="Beta Ltd"))
    synced = SyncedIndex()
    synced.sync(store.watched_entities())
    store.unwatch(channel.id, "Beta Ltd")
    assert synced.sync(store.watched_entities()) == (0, 1)
    assert matched(synced) == {"Acme Corp"}


def test_a_changed_entity_is_replaced_with_its_new_names() -> None:
    synced = SyncedIndex()
    synced.sync([Entity(name="Northwind", id=1)])
    assert matched(synced) == set()
    assert synced.sync([Entity(name="Northwind", aliases=("Beta Ltd",), id=1)]) == (1, 0)
    assert matched(synced) == {"Northwind"}
    assert synced.sync([Entity(name="Northwind", aliases=("Gamma",), id=1)]) == (1, 0)
    assert matched(synced) == set()
    assert len(synced.index) == 1

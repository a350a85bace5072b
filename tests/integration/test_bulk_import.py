"""The bulk watchlist import gives what the one-entity-at-a-time import gives, on every database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from db.bulk_import import find_watchlist_header, import_entities_bulk
from db.engine import make_engine
from db.store import SqlStore
from tests.conftest import create_schema
from watchlists import sharing
from watchlists.model import Entity

EXISTING = [
    Entity(name="RDIF", aliases=("Russian Direct Investment Fund",)),
    Entity(name="VK", aliases=("VKontakte",), exclude=("vk.com",)),
]
FILE = [
    Entity(name="Alibaba", aliases=("Alibaba Group", "ALIBABA")),  # new; alias = own name
    Entity(name="vkontakte", aliases=("Mail.ru Group",)),  # known by alias: extends VK
    Entity(name="RDIF"),  # known, on the other list only: added here unchanged
    Entity(name="Ozon", exclude=("ozone",)),
    Entity(name="ozon", aliases=("Озон",)),  # same entity again in the file: extended
    Entity(name="mail.ru group"),  # now an alias of VK (any case): already there
]


def import_twice(store: SqlStore, bulk: bool) -> list[str]:
    """Seed another list, import FILE twice into "desk"; the summaries and the desk list."""
    other = sharing.ensure_shared_watchlist(store, "T1", "other")
    sharing.import_entities(store, other, EXISTING)
    desk = sharing.ensure_shared_watchlist(store, "T1", "desk")
    summaries = []
    for _ in range(2):
        if bulk:
            header = find_watchlist_header(store.engine, "T1", "DESK")
            assert header is not None and header.id == desk.id
            summaries.append(import_entities_bulk(store.engine, header, FILE).summary())
        else:
            summaries.append(sharing.import_entities(store, desk, FILE).summary())
    found = store.find_watchlist("T1", "desk")
    assert found is not None
    entities = sorted((e.name, sorted(e.aliases), sorted(e.exclude)) for e in found.entities)
    return [*summaries, repr(entities), repr(sorted(e.name for e in store.all_entities("T1")))]


def test_bulk_import_matches_the_entity_by_entity_import(engine: Engine, tmp_path: Path) -> None:
    reference_engine = make_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    create_schema(reference_engine)
    expected = import_twice(SqlStore(reference_engine), bulk=False)
    assert import_twice(SqlStore(engine), bulk=True) == expected
    assert expected[0].startswith("desk: 4 added (Alibaba, VK, RDIF, Ozon); 1 got new aliases")
    assert expected[1] == "desk: 0 added; 6 already there"
    reference_engine.dispose()


def test_unknown_list_has_no_header(engine: Engine) -> None:
    SqlStore(engine).ensure_channel("T1", "C1")
    assert find_watchlist_header(engine, "T1", "nope") is None
    assert find_watchlist_header(engine, "T2", "#C1") is None
    own = find_watchlist_header(engine, "T1", "#C1")
    assert own is not None and own.owner_channel_id is not None


def test_a_non_ascii_alias_is_found_in_any_case(engine: Engine) -> None:
    store = SqlStore(engine)
    desk = sharing.ensure_shared_watchlist(store, "T1", "desk")
    first = import_entities_bulk(engine, desk, [Entity(name="Ozon", aliases=("Озон",))])
    again = import_entities_bulk(engine, desk, [Entity(name="озон")])
    assert (first.added, again.added, again.unchanged) == (("Ozon",), (), 1)
    assert [e.name for e in store.all_entities("T1")] == ["Ozon"]


def test_a_bulk_import_finds_and_changes_only_its_workspaces_entities(engine: Engine) -> None:
    store = SqlStore(engine)
    theirs = store.watch(store.ensure_channel("T1", "C1").id, Entity(name="Ozon"))
    desk = sharing.ensure_shared_watchlist(store, "T2", "desk")
    result = import_entities_bulk(engine, desk, [Entity(name="ozon", aliases=("the",))])
    assert result.added == ("ozon",)
    assert store.get_entity(theirs.id).aliases == ()
    [mine] = store.all_entities("T2")
    assert mine.id != theirs.id and mine.aliases == ("the",)

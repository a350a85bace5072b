"""Shared watchlists, import/export and the CSV export (watchlists.sharing) on the fake store."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.clock import FakeClock
from tests.fakes.store import FakeStore
from watchlists.errors import AlreadyExistsError, NotFoundError
from watchlists.model import Channel, Entity, StoryItem
from watchlists.sharing import (
    CSV_COLUMNS,
    ListNameError,
    add_entity,
    create_shared_watchlist,
    display_name,
    ensure_shared_watchlist,
    export_watchlist,
    exported_stories,
    import_entities,
    own_watchlist,
    remove_entity,
    shared_watchlist,
    stories_csv,
    subscribe,
    unsubscribe,
    validate_list_name,
)
from watchlists.watchlist_file import parse_watchlist


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        pytest.param("#C1", "own lists", id="reserved-prefix"),
        pytest.param("russia ecommerce", "not a list name", id="space"),
        pytest.param("", "not a list name", id="empty"),
        pytest.param("x" * 65, "not a list name", id="too-long"),
    ],
)
def test_bad_list_names_are_refused_with_the_reason(name: str, reason: str) -> None:
    with pytest.raises(ListNameError, match=reason):
        validate_list_name(name)


def test_a_good_list_name_is_kept_without_surrounding_spaces() -> None:
    assert validate_list_name("  russia-e_commerce2 ") == "russia-e_commerce2"


def test_a_shared_list_name_is_unique_in_the_workspace_whatever_its_case(store: FakeStore) -> None:
    created = create_shared_watchlist(store, "T1", "Russia")
    assert display_name(created) == "Russia"
    with pytest.raises(AlreadyExistsError):
        create_shared_watchlist(store, "T1", "RUSSIA")
    assert ensure_shared_watchlist(store, "T1", "russia").id == created.id
    assert ensure_shared_watchlist(store, "T1", "china").id != created.id


def test_an_unknown_shared_list_is_not_found_with_the_lists_there_are(store: FakeStore) -> None:
    with pytest.raises(NotFoundError, match="Create it first"):
        shared_watchlist(store, "T1", "russia")
    create_shared_watchlist(store, "T1", "china")
    with pytest.raises(NotFoundError, match="Lists here: china"):
        shared_watchlist(store, "T1", "russia")


def test_a_channels_own_list_is_shown_as_its_own(store: FakeStore, channel: Channel) -> None:
    own = own_watchlist(store, channel)
    assert (own.name, own.owner_channel_id, display_name(own)) == (
        "#C1",
        channel.id,
        "own list of C1",
    )


def test_adding_a_known_entity_merges_its_new_names_only(store: FakeStore) -> None:
    shared = create_shared_watchlist(store, "T1", "russia")
    first = add_entity(store, shared, Entity(name="Gazprom", aliases=("Газпром",)))
    assert (first.added, first.changed) == (True, True)
    again = add_entity(
        store, shared, Entity(name="gazprom", aliases=("Газпром", "GAZP"), exclude=("x",))
    )
    assert (again.added, again.new_aliases, again.new_exclusions) == (False, ("GAZP",), ("x",))
    same = add_entity(store, shared, Entity(name="Gazprom"))
    assert not same.changed
    assert len(store.entities) == 1


def test_importing_a_file_twice_changes_nothing_the_second_time(store: FakeStore) -> None:
    shared = create_shared_watchlist(store, "T1", "russia")
    entities = [Entity(name="Gazprom"), Entity(name="Sber", aliases=("Sberbank",))]
    first = import_entities(store, shared, entities)
    assert first.summary() == "russia: 2 added (Gazprom, Sber); 0 already there"
    again = import_entities(store, shared, entities)
    assert (again.added, again.extended, again.unchanged) == ((), (), 2)
    extended = import_entities(store, shared, [Entity(name="Sber", aliases=("PJSC Sber",))])
    assert extended.summary() == "russia: 0 added; 1 got new aliases (Sber); 0 already there"


def test_an_entity_comes_off_a_list_by_any_of_its_names(store: FakeStore) -> None:
    shared = create_shared_watchlist(store, "T1", "russia")
    add_entity(store, shared, Entity(name="Sber", aliases=("Sberbank",)))
    assert remove_entity(store, shared, "SBERBANK") is True
    assert remove_entity(store, shared, "Sber") is False


def test_a_subscribed_channel_gets_stories_of_entities_added_later(
    store: FakeStore, channel: Channel
) -> None:
    shared = create_shared_watchlist(store, "T1", "russia")
    assert subscribe(store, channel, "RUSSIA")[1] is True
    assert subscribe(store, channel, "russia")[1] is False
    gazprom = add_entity(store, shared, Entity(name="Gazprom")).entity
    story = store.seed_story(gazprom, key="k1")
    assert [i.story_id for i in store.pending_items(channel.id)] == [story]
    assert unsubscribe(store, channel, "russia")[1] is True
    assert unsubscribe(store, channel, "russia")[1] is False
    store.seed_story(gazprom, key="k2")
    assert [i.story_id for i in store.pending_items(channel.id)] == [story]


def test_an_exported_list_reads_back_as_the_same_entities_by_name(store: FakeStore) -> None:
    shared = create_shared_watchlist(store, "T1", "russia")
    add_entity(store, shared, Entity(name="sber", aliases=('Sber "Bank"',)))
    add_entity(store, shared, Entity(name="Gazprom", exclude=("Gazprom Arena",)))
    watchlist = shared_watchlist(store, "T1", "russia")
    back = parse_watchlist(export_watchlist(watchlist))
    assert [(e.name, e.aliases, e.exclude) for e in back] == [
        ("Gazprom", (), ("Gazprom Arena",)),
        ("sber", ('Sber "Bank"',), ()),
    ]


def test_exported_stories_are_those_queued_in_the_period(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    acme = store.watch(channel.id, Entity(name="Acme"))
    store.seed_story(acme, key="old")
    clock.advance(timedelta(days=40))
    store.seed_story(acme, key="new")
    assert [i.title for i in exported_stories(store, channel, "30d", clock())] == ["Story new"]


def item(**fields: object) -> StoryItem:
    defaults: dict[str, object] = {
        "story_id": 1,
        "title": "Acme buys Beta",
        "url": "https://news.example/1",
        "summary": "Acme buys Beta.",
        "published": datetime(2026, 3, 1, 12, 30, tzinfo=UTC),
        "source": "Reuters",
        "matches": (),
        "deal_type": "joint_venture",
        "deal_stage": "talks_confirmed",
        "amount": "$5m",
        "also_reported_by": ("FT", "WSJ"),
    }
    return StoryItem(**{**defaults, **fields})  # type: ignore[arg-type]


def test_the_csv_has_a_bom_a_header_and_one_readable_row_per_story() -> None:
    data = stories_csv([item(), item(story_id=2, deal_type="none", published=None)])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1][0] == "2026-03-01 12:30"
    assert rows[1][5:8] == ["joint venture", "talks confirmed", "$5m"]
    assert rows[1][9] == "FT; WSJ"
    assert (rows[2][0], rows[2][5]) == ("", "")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(start: str) -> None:
    data = stories_csv([item(title=f"{start}HYPERLINK(1)")])
    row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1]
    assert row[1] == f"'{start}HYPERLINK(1)"

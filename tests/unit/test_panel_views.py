"""The panel's Home and modals stay within Slack's limits for a very large channel."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from bot.app import MAX_SLACK_BODY
from handlers.commands import MAX_NAME
from handlers.list_modals import (
    LIST_ENTITIES_PER_PAGE,
    list_modal,
    lists_modal,
)
from handlers.lookup import lookup_modal, results_modal
from handlers.modals import (
    ENTITIES_PER_PAGE,
    FEEDS_PER_PAGE,
    MAX_PICKER_CHANNELS,
    MUTES_PER_PAGE,
    SUBSCRIPTIONS_PER_PAGE,
    EntityForm,
    Panel,
    channel_options,
    entity_modal,
    export_modal,
    feed_modal,
    home_panel_view,
    mute_modal,
    option,
    pages_of,
    progress_modal,
    schedule_modal,
    settings_modal,
    subscribe_modal,
    timezone_names,
    timezone_options,
    unpack,
    unwatch_modal,
)
from handlers.view_limits import (
    MAX_VIEW_BLOCKS,
    view_problems,
)
from watchlists.model import Channel, Entity
from watchlists.ports import PostedStory, SourceState, WatchlistInfo

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
LONG = "Ж&<>" * 60  # 240 characters, every one needing care


def _entity(number: int) -> Entity:
    return Entity(
        id=number + 1,
        name=f"{number} " + LONG[: MAX_NAME - 6],
        aliases=tuple(f"{n} {LONG[:190]}" for n in range(25)),
        exclude=tuple(f"not {n} {LONG[:190]}" for n in range(25)),
    )


@pytest.fixture(scope="module")
def panel() -> Panel:
    """A channel with 500 entities at the size limits, 40 lists, 40 mutes and 40 feeds."""
    channel = Channel(
        id=1,
        team_id="T0",
        slack_id="C0BIG",
        name="x" * 80,
        timezone="America/Argentina/ComodRivadavia",
        delivery="digest",
        digest_schedule="weekly wed 07:45",
    )
    entities = tuple(_entity(n) for n in range(500))
    lists = tuple(
        WatchlistInfo(id=n, name=f"list-{n}-" + "y" * 55, team_id="T0", entities=entities[:3])
        for n in range(40)
    )
    feeds = tuple(
        (SourceState(id=n, url=f"https://feeds.example.org/{LONG}", title=LONG), "failing " + LONG)
        for n in range(40)
    )
    posts = tuple(PostedStory(n, LONG, f"https://x.example/{LONG}", NOW) for n in range(3))
    return Panel(
        channel=channel,
        entities=entities,
        subscriptions=lists,
        mutes=tuple((entity, NOW) for entity in entities[:40]),
        feeds=feeds,
        notice="Watching *" + LONG + "*.",
        recent=posts,
    )


def _channels(count: int) -> list[Channel]:
    return [Channel(id=n, team_id="T0", slack_id=f"C{n:05d}", name="n" * 80) for n in range(count)]


def test_every_page_of_the_home_and_settings_fits(panel: Panel) -> None:
    pages = -(-len(panel.entities) // ENTITIES_PER_PAGE)
    for page in (0, 1, pages - 1, pages + 5):
        shown = replace(panel, page=page)
        for view in (home_panel_view(_channels(150), shown), settings_modal(shown)):
            assert view_problems(view) == []
            assert len(view["blocks"]) <= MAX_VIEW_BLOCKS
            entity_blocks = [
                b for b in view["blocks"] if b.get("accessory", {}).get("type") == "overflow"
            ]
            assert 0 < len(entity_blocks) <= ENTITIES_PER_PAGE


def test_every_modal_fits(panel: Panel) -> None:
    big = panel.entities[0]
    lists = [
        WatchlistInfo(id=n, name=f"l{n}-" + "z" * 60, team_id="T0", entities=panel.entities)
        for n in range(150)
    ]
    views = [
        entity_modal("C0BIG", EntityForm(), MAX_NAME),
        entity_modal("C0BIG", EntityForm.of(big), MAX_NAME, note="Did you mean *" + LONG + "*?"),
        entity_modal("C0BIG", replace(EntityForm.of(big), asked=LONG * 10), MAX_NAME),
        subscribe_modal("C0BIG", lists),
        subscribe_modal("C0BIG", []),
        feed_modal("C0BIG", "https://example.org/" + "p" * 5000, "Could not add " + LONG * 20),
        progress_modal("Add feed", LONG * 30),
        lists_modal("C0BIG", lists),
        lookup_modal(),
        results_modal(LONG * 20, []),
        list_modal("C0BIG", lists[0], editable=True, notice=LONG),
        list_modal("C0BIG", lists[0], editable=False),
        list_modal("C0BIG", lists[0], editable=True, page=7),
        mute_modal("C0BIG", big.name, "No entity called " + LONG * 10),
        mute_modal("C0BIG"),
        unwatch_modal("C0BIG", big),
        export_modal("C0BIG"),
        *(
            schedule_modal(replace(panel.channel, delivery=mode, digest_schedule=schedule))
            for mode, schedule in (
                ("digest", "weekly wed 07:45"),
                ("digest", "daily 09:00"),
                ("instant", "daily 09:00"),
                ("off", "weekdays 18:00"),
            )
        ),
    ]
    for view in views:
        assert view_problems(view) == [], view["title"]


def test_timezone_suggestions_hold_at_most_100_options_in_region_groups() -> None:
    assert len(timezone_names()) > 300
    for typed in ("", "a", "new york", "america", "utc", "zzz"):
        groups = timezone_options(typed)
        assert sum(len(group["options"]) for group in groups) <= 100
        for group in groups:
            assert all(o["value"].startswith(group["label"]["text"]) for o in group["options"])
    [group] = timezone_options("new york")
    assert [o["value"] for o in group["options"]] == ["America/New_York"]
    assert timezone_options("zzz") == []


def test_view_problems_finds_what_slack_would_refuse() -> None:
    too_many = {"type": "home", "blocks": [{"type": "divider"}] * (MAX_VIEW_BLOCKS + 1)}
    assert view_problems(too_many)
    overflow = {
        "type": "overflow",
        "action_id": "a",
        "options": [option(str(n), str(n)) for n in range(6)],
    }
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}, "accessory": overflow}
    assert view_problems({"type": "home", "blocks": [section]}) == ["block 0: 6 options > 5"]
    long_value = {
        **overflow,
        "options": [{"text": {"type": "plain_text", "text": "a"}, "value": "v" * 151}] * 2,
    }
    assert (
        "option value size"
        in view_problems({"type": "home", "blocks": [{**section, "accessory": long_value}]})[0]
    )
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "t" * 25}, "blocks": []}
    assert view_problems(modal) == ["title of 25 characters"]


def _slack_body(view: dict) -> int:
    """The size of the block_actions request Slack sends for a click in view (UTF-8 JSON)."""
    payload = {"type": "block_actions", "view": view, "actions": [{"action_id": "x"}]}
    return len(urlencode({"payload": json.dumps(payload, ensure_ascii=False)}))


def test_a_click_on_the_largest_panel_fits_the_bots_request_limit() -> None:
    cyrillic = "Жёлтая Компания " * 20
    channel = Channel(id=1, team_id="T0", slack_id="C0BIG", name="ж" * 80)
    entity = Entity(id=1, name=cyrillic[:200], aliases=(cyrillic[:190],) * 25)
    feed = SourceState(id=1, url="https://x.example/" + "a" * 500, title=cyrillic)
    posts = tuple(PostedStory(n, cyrillic, "https://x.example/" + "b" * 500, NOW) for n in range(3))
    big = Panel(
        channel=channel,
        entities=(entity,) * 500,
        subscriptions=tuple(WatchlistInfo(id=n, name="l" * 64, team_id="T0") for n in range(40)),
        mutes=tuple((entity, NOW) for _ in range(40)),
        feeds=((feed, "failing " + cyrillic),) * 40,
        notice=cyrillic,
        recent=posts,
    )
    channels = [replace(channel, slack_id=f"C{n:05d}") for n in range(150)]
    lists = [
        WatchlistInfo(id=n, name="l" * 64, team_id="T0", entities=(entity,) * 300)
        for n in range(150)
    ]
    for view in (
        home_panel_view(channels, big),
        settings_modal(big),
        lists_modal("C0BIG", lists),
        list_modal("C0BIG", lists[0], editable=True, notice=cyrillic),
    ):
        assert view_problems(view) == []
        assert _slack_body(view) < MAX_SLACK_BODY


def _picker(channels: list[Channel], current: Channel) -> dict:
    view = home_panel_view(channels, Panel(current, (), (), (), ()))
    [picker] = [b for b in view["blocks"] if b.get("block_id") == "panel-channel"]
    return picker["elements"][0]


def test_a_few_channels_are_a_static_picker_holding_the_current_one() -> None:
    channels = _channels(MAX_PICKER_CHANNELS)
    element = _picker(channels, channels[7])
    assert element["type"] == "static_select"
    assert len(element["options"]) == MAX_PICKER_CHANNELS
    assert element["initial_option"]["value"] == '{"c":"C00007"}'


def test_many_channels_are_an_external_picker_that_reaches_every_one() -> None:
    channels = [replace(c, name=f"desk-{c.id}") for c in _channels(150)]
    element = _picker(channels, channels[140])
    assert element["type"] == "external_select" and "options" not in element
    assert element["initial_option"]["value"] == '{"c":"C00140"}'
    assert element["initial_option"]["text"]["text"] == "#desk-140"
    assert [o["value"] for o in channel_options(channels, "#desk-14")] == [
        '{"c":"C00014"}',
        *(f'{{"c":"C0014{n}"}}' for n in range(10)),
    ]
    assert len(channel_options(channels, "")) == 100
    assert channel_options(channels, "nothing") == []


def test_every_part_of_the_panel_pages_and_every_item_is_on_some_page(panel: Panel) -> None:
    parts = (
        ("p", "page", len(panel.entities), ENTITIES_PER_PAGE),
        ("sp", "sub_page", len(panel.subscriptions), SUBSCRIPTIONS_PER_PAGE),
        ("mp", "mute_page", len(panel.mutes), MUTES_PER_PAGE),
        ("fp", "feed_page", len(panel.feeds), FEEDS_PER_PAGE),
    )
    for key, attribute, count, per_page in parts:
        pages = -(-count // per_page)
        seen = 0
        for page in range(pages):
            view = home_panel_view(_channels(3), replace(panel, **{attribute: page}))
            assert view_problems(view) == []
            pager = next(b for b in view["blocks"] if b.get("block_id") == f"panel-pages-{key}")
            labels = [e["text"]["text"] for e in pager["elements"]]
            assert labels == (["Previous"] if page else []) + (["More"] if page < pages - 1 else [])
            assert pages_of(unpack(view["private_metadata"]))[key] == page
            seen += min(per_page, count - page * per_page)
        assert seen == count


def test_a_long_shared_list_pages_in_its_modal(panel: Panel) -> None:
    listed = WatchlistInfo(id=1, name="big", team_id="T0", entities=panel.entities)
    pages = -(-len(panel.entities) // LIST_ENTITIES_PER_PAGE)
    last = list_modal("C0BIG", listed, editable=True, page=pages - 1)
    assert view_problems(last) == []
    assert f"Page {pages} of {pages}" in str(last)
    removes = [b for b in last["blocks"] if b.get("accessory", {}).get("action_id")]
    assert len(removes) == len(panel.entities) - (pages - 1) * LIST_ENTITIES_PER_PAGE
    assert all("confirm" in b["accessory"] for b in removes)


CHINESE = "中华人民共和国长江三角洲新能源汽车集团股份有限公司"  # 26 characters, 3 bytes each


def _chinese_panel() -> tuple[list[Channel], Panel]:
    """A channel with 500 entities whose names, aliases and exclusions are long Chinese."""
    long = (CHINESE * 10)[:MAX_NAME]
    channel = Channel(id=1, team_id="T0", slack_id="C0BIG", name=long[:80])
    entities = tuple(
        Entity(
            id=n + 1,
            name=f"{n} {long}"[:MAX_NAME],
            aliases=tuple(f"{a} {long}"[:190] for a in range(25)),
            exclude=tuple(f"{a} {long}"[:190] for a in range(25)),
        )
        for n in range(500)
    )
    feed = SourceState(id=1, url="https://x.example/" + "中" * 500, title=long)
    posts = tuple(PostedStory(n, long, "https://x.example/" + "文" * 500, NOW) for n in range(3))
    panel = Panel(
        channel=channel,
        entities=entities,
        subscriptions=tuple(
            WatchlistInfo(id=n, name="l" * 64, team_id="T0", entities=entities) for n in range(40)
        ),
        mutes=tuple((entity, NOW) for entity in entities[:40]),
        feeds=((feed, "failing " + long),) * 40,
        notice="Watching *" + long + "*.",
        recent=posts,
    )
    channels = [replace(channel, id=n, slack_id=f"C{n:05d}") for n in range(150)]
    return channels, panel


def test_a_click_on_a_500_entity_panel_with_long_chinese_names_fits_the_request_limit() -> None:
    channels, panel = _chinese_panel()
    lists = [
        WatchlistInfo(id=n, name="l" * 64, team_id="T0", entities=panel.entities)
        for n in range(150)
    ]
    views = [
        *(
            home_panel_view(channels, replace(panel, page=p, sub_page=p, mute_page=p, feed_page=p))
            for p in (0, 1, 5)
        ),
        settings_modal(panel),
        lists_modal("C0BIG", lists),
        list_modal("C0BIG", lists[0], editable=True, notice=CHINESE * 20, page=3),
        entity_modal("C0BIG", EntityForm.of(panel.entities[0]), MAX_NAME, note=CHINESE * 20),
        mute_modal("C0BIG", panel.entities[0].name, CHINESE * 40),
        unwatch_modal("C0BIG", panel.entities[0]),
    ]
    for view in views:
        assert view_problems(view) == []
        assert _slack_body(view) < MAX_SLACK_BODY, (view.get("title"), _slack_body(view))

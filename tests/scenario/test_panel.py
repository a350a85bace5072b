"""The control panel over HTTP: signed block_actions and view_submission in, views out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from bot.pipeline import Pipeline
from handlers.blocks import ACTION_MANAGE
from handlers.list_modals import (
    ACTION_LIST_DELETE,
    ACTION_LIST_EDIT_ENTITY,
    ACTION_LIST_OPEN,
    ACTION_LIST_REMOVE,
)
from handlers.modals import (
    ACTION_ADD_ENTITY,
    ACTION_ADD_FEED,
    ACTION_CHANNEL,
    ACTION_ENTITY_MENU,
    ACTION_LISTS,
    ACTION_LOOKUP_OPEN,
    ACTION_PAGE,
    ACTION_SCHEDULE,
    ACTION_SUBSCRIBE,
    ACTION_UNSUBSCRIBE,
    ENTITIES_PER_PAGE,
    EntityForm,
    entity_modal,
)
from handlers.view_limits import (
    view_problems,
)
from tests.fakes.feed_server import FakeFeedServer, Feed
from tests.fakes.slack_api import (
    block_action_body,
    event_body,
    suggestion_body,
    view_action_body,
    view_submission_body,
)
from tests.scenario.conftest import RunningBot
from tests.scenario.test_actions import command, post_digest, responses, send
from watchlists import sharing
from watchlists.lookup import PAGE_SIZE
from watchlists.model import Article, Channel, Entity

USER = "U0USER"
WEEK = {"mute_for": {"selected_option": {"value": "7d"}}}
RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Panel Wire</title>'
    b"<item><title>First item</title><link>https://wire.example.org/1</link></item>"
    b"</channel></rss>"
)


@pytest.fixture
def desk(bot: RunningBot) -> Channel:
    """The #deal-desk channel, known to dealwatch, with the user a member of it."""
    bot.slack.user_channels[USER] = ["C0DEALS"]
    return bot.store.ensure_channel("T0TEST", "C0DEALS", "deal-desk")


def home(bot: RunningBot, count: int) -> dict[str, Any]:
    """The user's Home once views.publish was called count times; checked against the limits."""
    bot.slack.wait_until(lambda: len(bot.slack.calls_to("views.publish")) >= count)
    view = bot.slack.homes[USER]
    assert view_problems(view) == []
    return view


def open_home(bot: RunningBot, count: int = 1) -> dict[str, Any]:
    """Send app_home_opened; return the published Home."""
    event = {"type": "app_home_opened", "user": USER, "channel": "D0HOME", "tab": "home"}
    assert send(bot, event_body(event, f"Ev{count}{id(bot)}")).status_code == 200
    return home(bot, count)


def find(view: dict[str, Any], action_id: str, text: str = "") -> tuple[dict[str, Any], str]:
    """The element with action_id (whose block mentions text) and its block_id."""
    for block in view["blocks"]:
        elements = [*block.get("elements", []), block.get("accessory")]
        for element in elements:
            if (
                element
                and element.get("action_id") == action_id
                and text in block.get("text", {}).get("text", "")
            ):
                return element, block.get("block_id", "b")
    raise AssertionError(f"no {action_id} mentioning {text!r}")


def click(
    bot: RunningBot, view: dict[str, Any], action_id: str, text: str = "", option: str = ""
) -> httpx.Response:
    """Click a button (or pick the overflow/select option whose label starts with option)."""
    element, block_id = find(view, action_id, text)
    selected = None
    if option:
        selected = next(o for o in element["options"] if o["text"]["text"].startswith(option))
    answer = send(bot, view_action_body(element, block_id, view, USER, selected=selected))
    assert answer.status_code == 200
    return answer


def opened(bot: RunningBot, count: int = 1, method: str = "views.open") -> dict[str, Any]:
    """The view of the count-th views.open (or push) call, checked against the limits."""
    views = bot.slack.wait_until(
        lambda: (
            len(shown := [v for m, v in bot.slack.shown_views if m == method]) >= count and shown
        )
    )
    assert view_problems(views[count - 1]) == []
    return views[count - 1]


def submit(bot: RunningBot, view: dict[str, Any], **values: dict[str, Any]) -> httpx.Response:
    """Submit the modal with values given by block id ({"value": ...} and the like)."""
    state = {field: {field: value} for field, value in values.items()}
    return send(bot, view_submission_body(view, state, USER))


def errors(answer: httpx.Response) -> dict[str, str]:
    """The field errors of a view_submission answer; {} when it closed the modal."""
    if not answer.content:
        return {}
    body = answer.json()
    return body.get("errors", {}) if body.get("response_action") == "errors" else {}


def text_of(view: dict[str, Any]) -> str:
    """Every text of a view, one per line."""
    parts: list[str] = []
    for block in view["blocks"]:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(
            element.get("text", "")
            for element in block.get("elements", [])
            if isinstance(element.get("text"), str)
        )
    return "\n".join(parts)


def own_entities(bot: RunningBot, channel: Channel) -> dict[str, Entity]:
    """What the channel's own list holds, by name."""
    return {e.name: e for e in sharing.own_watchlist(bot.store, channel).entities}


def test_add_entity_from_home_watches_it_with_aliases_and_exclusions(
    bot: RunningBot, desk: Channel
) -> None:
    view = open_home(bot)
    click(bot, view, ACTION_ADD_ENTITY)
    modal = opened(bot)
    assert modal["title"]["text"] == "Add entity"
    answer = submit(
        bot,
        modal,
        name={"value": "Kestrel <Robotics>"},
        aliases={"value": "Kestrel\nKR Group, Kestrel Robo"},
        exclude={"value": "kestrel bird"},
    )
    assert answer.status_code == 200 and errors(answer) == {}
    watched = own_entities(bot, desk)["Kestrel <Robotics>"]
    assert watched.aliases == ("Kestrel", "KR Group", "Kestrel Robo")
    assert watched.exclude == ("kestrel bird",)
    shown = text_of(home(bot, 2))
    assert (
        "*Kestrel &lt;Robotics&gt;*\naka Kestrel, KR Group, Kestrel Robo\nnot kestrel bird" in shown
    )
    assert "Watching *Kestrel &lt;Robotics&gt;*." in shown
    assert "<Robotics>" not in shown


def test_field_errors_stay_next_to_their_field_and_nothing_is_stored(
    bot: RunningBot, desk: Channel
) -> None:
    click(bot, open_home(bot), ACTION_ADD_ENTITY)
    modal = opened(bot)
    answer = submit(
        bot,
        modal,
        name={"value": "Evil\u202eCorp"},
        aliases={"value": ",".join(f"a{n}" for n in range(60))},
        exclude={"value": "x" * 201},
    )
    problems = errors(answer)
    assert set(problems) == {"name", "aliases", "exclude"}
    assert "text-direction" in problems["name"]
    assert "At most 50" in problems["aliases"]
    assert "200 characters" in problems["exclude"]
    assert own_entities(bot, desk) == {}
    assert len(bot.slack.calls_to("views.publish")) == 1, "nothing changed, nothing redrawn"


def test_a_near_miss_name_asks_first_then_watches_as_typed(bot: RunningBot, desk: Channel) -> None:
    other = bot.store.ensure_channel("T0TEST", "C0OTHER", "other")
    bot.store.watch(other.id, Entity(name="Kestrel Robotics"))
    click(bot, open_home(bot), ACTION_ADD_ENTITY)
    modal = opened(bot)
    first = submit(bot, modal, name={"value": "Kestrel Robotic"})
    asked = first.json()
    assert asked["response_action"] == "update"
    assert "Did you mean *Kestrel Robotics*?" in text_of(asked["view"])
    assert own_entities(bot, desk) == {}
    again = {**asked["view"], "id": modal["id"]}
    assert errors(submit(bot, again, name={"value": "Kestrel Robotic"})) == {}
    assert set(own_entities(bot, desk)) == {"Kestrel Robotic"}


def test_entity_menu_edits_mutes_unmutes_and_removes_after_asking(
    bot: RunningBot, desk: Channel
) -> None:
    bot.store.watch(desk.id, Entity(name="Polar Lithium", aliases=("Polar",)))
    view = open_home(bot)
    click(bot, view, ACTION_ENTITY_MENU, "Polar Lithium", option="Edit")
    modal = opened(bot)
    assert modal["title"]["text"] == "Edit entity"
    assert modal["blocks"][1]["element"]["initial_value"] == "Polar"
    assert (
        errors(submit(bot, modal, name={"value": "Polar Lithium"}, aliases={"value": "Polar\nPLP"}))
        == {}
    )
    assert own_entities(bot, desk)["Polar Lithium"].aliases == ("Polar", "PLP")
    view = home(bot, 2)
    click(bot, view, ACTION_ENTITY_MENU, "Polar Lithium", option="Mute")
    mute = opened(bot, 2)
    assert mute["callback_id"] == "panel_mute"
    assert mute["blocks"][0]["element"]["initial_value"] == "Polar Lithium"
    assert errors(submit(bot, mute, name={"value": "Polar Lithium"}, **WEEK)) == {}
    view = home(bot, 3)
    [(muted, _until)] = bot.store.mutes(desk.id, datetime.now(UTC))
    assert muted.name == "Polar Lithium"
    assert "Polar Lithium until" in text_of(view)
    click(bot, view, ACTION_ENTITY_MENU, "Polar Lithium", option="Unmute")
    view = home(bot, 4)
    assert bot.store.mutes(desk.id, datetime.now(UTC)) == []
    click(bot, view, ACTION_ENTITY_MENU, "Polar Lithium", option="Remove")
    confirm = opened(bot, 3)
    assert confirm["callback_id"] == "panel_unwatch" and confirm["submit"]["text"] == "Remove"
    assert "Stop watching *Polar Lithium* in <#C0DEALS>?" in text_of(confirm)
    assert set(own_entities(bot, desk)) == {"Polar Lithium"}, "nothing removed before the answer"
    assert errors(submit(bot, confirm)) == {}
    view = home(bot, 5)
    assert own_entities(bot, desk) == {}
    assert "Stopped watching *Polar Lithium*." in text_of(view)


def test_schedule_modal_sets_weekly_digest_and_timezone_with_field_errors_first(
    bot: RunningBot, desk: Channel
) -> None:
    click(bot, open_home(bot), ACTION_SCHEDULE)
    modal = opened(bot)
    assert modal["blocks"][3]["element"]["initial_option"]["value"] == "UTC"
    typed = send(bot, suggestion_body("timezone", "timezone", "lond", modal)).json()
    [group] = typed["option_groups"]
    assert group["label"]["text"] == "Europe"
    [london] = group["options"]
    assert london == {
        "text": {"type": "plain_text", "text": "Europe/London"},
        "value": "Europe/London",
    }
    every = send(bot, suggestion_body("timezone", "timezone", "a", modal)).json()
    assert sum(len(g["options"]) for g in every["option_groups"]) == 100
    weekly = {"selected_option": {"value": "weekly"}}
    missing = submit(
        bot, modal, mode=weekly, time={"selected_time": None}, timezone={"selected_option": london}
    )
    assert set(errors(missing)) == {"day", "time"}
    assert bot.store.get_channel(desk.id).timezone == desk.timezone
    answer = submit(
        bot,
        modal,
        mode=weekly,
        day={"selected_option": {"value": "fri"}},
        time={"selected_time": "08:30"},
        timezone={"selected_option": london},
    )
    assert errors(answer) == {}
    stored = bot.store.get_channel(desk.id)
    assert (stored.delivery, stored.digest_schedule, stored.timezone) == (
        "digest",
        "weekly fri 08:30",
        "Europe/London",
    )
    assert "Delivery: digest weekly fri 08:30 · timezone Europe/London" in text_of(home(bot, 2))
    bad_zone = submit(
        bot,
        modal,
        mode={"selected_option": {"value": "off"}},
        timezone={"selected_option": {"value": "Mars/Olympus"}},
    )
    assert "timezone" in errors(bad_zone)
    assert bot.store.get_channel(desk.id).delivery == "digest"


def test_subscribe_and_unsubscribe_a_shared_list(bot: RunningBot, desk: Channel) -> None:
    listed = sharing.create_shared_watchlist(bot.store, "T0TEST", "energy", "C0OTHER")
    sharing.add_entity(bot.store, listed, Entity(name="Shell"))
    click(bot, open_home(bot), ACTION_SUBSCRIBE)
    modal = opened(bot)
    [chosen] = modal["blocks"][0]["element"]["options"]
    assert chosen["text"]["text"] == "energy (1 entity)"
    assert errors(submit(bot, modal, list={"selected_option": chosen})) == {}
    assert [w.name for w in bot.store.channel_watchlists(desk.id) if w.is_shared] == ["energy"]
    view = home(bot, 2)
    assert "*energy* · 1 entity" in text_of(view)
    click(bot, view, ACTION_UNSUBSCRIBE, "energy")
    view = home(bot, 3)
    assert [w.name for w in bot.store.channel_watchlists(desk.id) if w.is_shared] == []
    assert "Unsubscribed from *energy*." in text_of(view)
    sharing.delete_shared_watchlist(bot.store, listed)
    gone = submit(bot, modal, list={"selected_option": chosen})
    assert "No shared watchlist called" in errors(gone)["list"]


@pytest.fixture
def feeds() -> Iterator[FakeFeedServer]:
    """A local feed server."""
    server = FakeFeedServer().start()
    yield server
    server.stop()


def test_add_feed_checks_the_url_then_fetches_and_reports_in_the_modal(
    bot: RunningBot, desk: Channel, feeds: FakeFeedServer
) -> None:
    feeds.serve("/rss", Feed(RSS))
    click(bot, open_home(bot), ACTION_ADD_FEED)
    modal = opened(bot)
    assert errors(submit(bot, modal, url={"value": "ftp://example.org/feed"})) == {
        "url": "Type an http(s) URL of an RSS or Atom feed."
    }
    failed = submit(bot, modal, url={"value": feeds.url("/missing")})
    assert failed.json()["response_action"] == "update"
    retry = bot.slack.wait_until(
        lambda: [
            c.body["view"]
            for c in bot.slack.calls_to("views.update")
            if c.body["view"]["callback_id"] == "panel_feed"
        ]
    )[0]
    assert ":warning: Could not add" in text_of(retry)
    assert bot.store.channel_sources(desk.id) == []
    submit(bot, modal, url={"value": feeds.url("/rss")})
    [source] = bot.slack.wait_until(lambda: bot.store.channel_sources(desk.id))
    assert source.title == "Panel Wire"
    assert "1. Panel Wire · " in text_of(home(bot, 2))


def test_slash_deals_alone_opens_the_settings_modal_and_its_buttons_push(
    bot: RunningBot, desk: Channel
) -> None:
    bot.store.watch(desk.id, Entity(name="Skyloft"))
    assert command(bot, "").status_code == 200
    modal = opened(bot)
    assert modal["callback_id"] == "panel_settings"
    assert "*Skyloft*" in text_of(modal)
    click(bot, modal, ACTION_ADD_ENTITY)
    pushed = opened(bot, method="views.push")
    assert pushed["callback_id"] == "panel_entity"
    body = {**pushed, "previous_view_id": modal["id"]}
    assert errors(submit(bot, body, name={"value": "Aarhus Drones"})) == {}
    assert set(own_entities(bot, desk)) == {"Skyloft", "Aarhus Drones"}
    updated = bot.slack.wait_until(
        lambda: [
            c for c in bot.slack.calls_to("views.update") if c.body.get("view_id") == modal["id"]
        ]
    )
    assert "*Aarhus Drones*" in text_of(updated[0].body["view"])


def test_a_submit_over_the_settings_modal_draws_it_again_on_the_page_it_showed(
    bot: RunningBot, desk: Channel
) -> None:
    for number in range(ENTITIES_PER_PAGE + 3):
        bot.store.watch(desk.id, Entity(name=f"Entity {number:03d}"))
    assert command(bot, "").status_code == 200
    modal = opened(bot)
    more = next(
        e
        for b in modal["blocks"]
        if b.get("block_id") == "panel-pages-p"
        for e in b["elements"]
        if e["text"]["text"] == "More"
    )
    send(bot, view_action_body(more, "panel-pages-p", modal, USER))
    second = bot.slack.wait_until(
        lambda: [v for m, v in bot.slack.shown_views if m == "views.update"]
    )[-1]
    assert "Page 2 of 2" in text_of(second)
    click(bot, second, ACTION_ADD_ENTITY)
    pushed = opened(bot, method="views.push")
    body = {**pushed, "previous_view_id": modal["id"]}
    assert errors(submit(bot, body, name={"value": "Zyxel Zeta"})) == {}
    redrawn = bot.slack.wait_until(
        lambda: [
            c.body["view"]
            for c in bot.slack.calls_to("views.update")
            if c.body.get("view_id") == modal["id"] and "Zyxel" in str(c.body["view"])
        ]
    )
    assert "Page 2 of 2" in text_of(redrawn[-1])


def test_people_manage_only_channels_they_are_in(bot: RunningBot, desk: Channel) -> None:
    secret = bot.store.ensure_channel("T0TEST", "C0SECRET", "secret")
    bot.store.watch(secret.id, Entity(name="Hidden Deal"))
    view = open_home(bot)
    assert "Hidden Deal" not in text_of(view) and "C0SECRET" not in str(view)
    element, block_id = find(view, ACTION_ADD_ENTITY)
    forged = {**element, "value": '{"c":"C0SECRET"}'}
    send(bot, view_action_body(forged, block_id, view, USER))
    refused = home(bot, 2)
    assert "You can manage only channels you are a member of." in text_of(refused)
    assert bot.slack.calls_to("views.open") == []
    fake_modal = {
        "id": "VFAKE",
        "type": "modal",
        "callback_id": "panel_entity",
        "private_metadata": '{"c":"C0SECRET","e":0}',
        "blocks": [],
    }
    answer = submit(bot, fake_modal, name={"value": "Sneaky"})
    assert "member" in errors(answer)["name"]
    assert {e.name for e in sharing.own_watchlist(bot.store, secret).entities} == {"Hidden Deal"}


def test_a_large_channel_pages_its_watchlist_within_slack_limits(
    bot: RunningBot, desk: Channel
) -> None:
    for number in range(2 * ENTITIES_PER_PAGE + 5):
        bot.store.watch(
            desk.id, Entity(name=f"Entity {number:03d} " + "x" * 150, aliases=("a" * 190,) * 1)
        )
    for number in range(3):
        other = bot.store.ensure_channel("T0TEST", f"C0X{number}", f"desk-{number}")
        bot.slack.user_channels[USER].append(other.slack_id)
    view = open_home(bot)
    assert text_of(view).count("*Entity ") == ENTITIES_PER_PAGE
    click(bot, view, ACTION_PAGE)
    second = home(bot, 2)
    assert "*Entity 020 xxx" in text_of(second) and "*Entity 000 " not in text_of(second)
    assert "Page 2 of 3" in text_of(second)
    click(bot, second, ACTION_CHANNEL, option="#desk-1")
    third = home(bot, 3)
    assert "<#C0X1>" in text_of(third) and "*Entity" not in text_of(third)


def test_manage_overflow_under_a_digest_opens_the_channel_modals(
    bot: RunningBot, desk: Channel
) -> None:
    digest, ts = post_digest(bot)
    block = next(b for b in digest["blocks"] if b["type"] == "actions")
    [manage] = [e for e in block["elements"] if e["action_id"] == ACTION_MANAGE]
    expected = {
        "Channel settings": "panel_settings",
        "Watch another entity": "panel_entity",
        "Change the schedule": "panel_schedule",
        "Mute an entity": "panel_mute",
        "Export stories as CSV": "panel_export",
    }
    assert [o["text"]["text"] for o in manage["options"]] == list(expected)
    for number, (label, callback) in enumerate(expected.items(), start=1):
        picked = next(o for o in manage["options"] if o["text"]["text"] == label)
        body = block_action_body(
            manage, block["block_id"], ts, bot.slack.response_url, selected=picked
        )
        assert send(bot, body).status_code == 200
        modal = opened(bot, number)
        assert modal["callback_id"] == callback
        assert '"c":"C0DEALS"' in modal["private_metadata"]
    assert "*Kestrel Robotics*" in text_of(opened(bot, 1))
    muted = submit(
        bot,
        opened(bot, 4),
        name={"value": "Kestrel Robotics"},
        mute_for={"selected_option": {"value": "7d"}},
    )
    assert errors(muted) == {}
    mutes = bot.store.mutes(desk.id, datetime.now(UTC))
    assert [e.name for e, _until in mutes] == ["Kestrel Robotics"]
    bot.slack.user_channels[USER] = []
    picked = manage["options"][0]
    before = len(responses(bot))
    send(
        bot,
        block_action_body(manage, block["block_id"], ts, bot.slack.response_url, selected=picked),
    )
    [refusal] = bot.slack.wait_until(lambda: responses(bot)[before:])
    assert refusal["text"] == "You can manage only channels you are a member of."
    assert len(bot.slack.calls_to("views.open")) == len(expected)


def _list(bot: RunningBot, name: str) -> Any:
    return bot.store.find_watchlist("T0TEST", name)


def test_shared_list_modal_creates_renames_adds_removes_and_deletes(
    bot: RunningBot, desk: Channel
) -> None:
    click(bot, open_home(bot), ACTION_LISTS)
    lists = opened(bot)
    assert "no shared watchlists yet" in text_of(lists)
    bad = submit(bot, lists, list_name={"value": "two words"})
    assert "is not a list name" in errors(bad)["list_name"]
    created = submit(bot, lists, list_name={"value": "energy"})
    assert created.json()["response_action"] == "update"
    assert _list(bot, "energy").created_in == "C0DEALS"
    editor = {**created.json()["view"], "id": lists["id"]}
    assert "Created *energy*" in text_of(editor)
    answer = submit(
        bot,
        editor,
        rename={"value": "energy-majors"},
        name={"value": "Shell"},
        aliases={"value": "Royal Dutch Shell"},
    )
    assert errors(answer) == {}
    assert _list(bot, "energy") is None
    [shell] = _list(bot, "energy-majors").entities
    assert (shell.name, shell.aliases) == ("Shell", ("Royal Dutch Shell",))
    clash = sharing.create_shared_watchlist(bot.store, "T0TEST", "metals", "C0DEALS")
    taken = submit(
        bot,
        {**editor, "private_metadata": f'{{"c":"C0DEALS","w":{clash.id}}}'},
        rename={"value": "energy-majors"},
    )
    assert "rename" in errors(taken)

    click(bot, open_home(bot, 3), ACTION_LISTS)
    lists = opened(bot, 2)
    click(bot, lists, ACTION_LIST_OPEN, "energy-majors")
    shown = opened(bot, 1, method="views.push")
    assert "*Shell*\naka Royal Dutch Shell" in text_of(shown)
    click(bot, shown, ACTION_LIST_REMOVE, "Shell")
    updated = bot.slack.wait_until(
        lambda: [v for m, v in bot.slack.shown_views if m == "views.update"]
    )
    assert "Removed *Shell*." in text_of(updated[-1])
    assert _list(bot, "energy-majors").entities == ()
    click(bot, shown, ACTION_LIST_DELETE)
    bot.slack.wait_until(lambda: _list(bot, "energy-majors") is None)


def test_shared_list_modal_edits_the_names_of_a_list_entity(bot: RunningBot, desk: Channel) -> None:
    listed = sharing.create_shared_watchlist(bot.store, "T0TEST", "energy", "C0DEALS")
    sharing.add_entity(
        bot.store,
        listed,
        Entity(name="Shell", aliases=("Royal Dutch Shell", "RDS"), exclude=("Shell Beach",)),
    )
    click(bot, open_home(bot), ACTION_LISTS)
    click(bot, opened(bot), ACTION_LIST_OPEN, "energy")
    shown = opened(bot, 1, method="views.push")
    click(bot, shown, ACTION_LIST_EDIT_ENTITY, option="Shell")
    form = opened(bot, 2, method="views.push")
    assert form["callback_id"] == "panel_list_entity"
    aliases = next(b for b in form["blocks"] if b.get("block_id") == "aliases")
    assert aliases["element"]["initial_value"] == "Royal Dutch Shell\nRDS"
    answer = submit(
        bot,
        {**form, "previous_view_id": shown["id"]},
        name={"value": "Shell"},
        aliases={"value": "Royal Dutch Shell\nShell plc"},
        exclude={"value": ""},
    )
    assert errors(answer) == {}
    [shell] = _list(bot, "energy").entities
    assert sorted(shell.aliases) == ["Royal Dutch Shell", "Shell plc"]
    assert shell.exclude == ()
    updated = bot.slack.wait_until(
        lambda: [
            v for m, v in bot.slack.shown_views if m == "views.update" and v["id"] == shown["id"]
        ]
    )
    assert "Updated *Shell* on energy." in text_of(updated[-1])
    assert "RDS" not in text_of(updated[-1])


def test_a_list_entity_edit_from_a_channel_that_may_not_change_the_list_is_refused(
    bot: RunningBot, desk: Channel
) -> None:
    listed = sharing.create_shared_watchlist(bot.store, "T0TEST", "energy", "C0CREATOR")
    sharing.add_entity(bot.store, listed, Entity(name="Shell", aliases=("RDS",)))
    click(bot, open_home(bot), ACTION_LISTS)
    click(bot, opened(bot), ACTION_LIST_OPEN, "energy")
    shown = opened(bot, 1, method="views.push")
    assert ACTION_LIST_EDIT_ENTITY not in str(shown["blocks"])
    [shell] = _list(bot, "energy").entities
    forged = entity_modal("C0DEALS", EntityForm.of(shell), 80, list_id=listed.id)
    answer = submit(bot, forged, name={"value": "Shell"}, aliases={"value": ""})
    assert "can change it" in errors(answer)["name"]
    assert _list(bot, "energy").entities[0].aliases == ("RDS",)


def test_only_the_creator_channel_or_an_admin_may_change_a_shared_list(
    bot: RunningBot, desk: Channel
) -> None:
    listed = sharing.create_shared_watchlist(bot.store, "T0TEST", "energy", "C0CREATOR")
    sharing.add_entity(bot.store, listed, Entity(name="Shell"))
    click(bot, open_home(bot), ACTION_LISTS)
    click(bot, opened(bot), ACTION_LIST_OPEN, "energy")
    shown = opened(bot, 1, method="views.push")
    assert "submit" not in shown
    assert "Only the channel that created energy, or a workspace admin, can change it." in text_of(
        shown
    )
    forged = {
        "type": "button",
        "action_id": ACTION_LIST_REMOVE,
        "value": f'{{"c":"C0DEALS","w":{listed.id},"e":{_list(bot, "energy").entities[0].id}}}',
        "text": {"type": "plain_text", "text": "Remove"},
    }
    send(bot, view_action_body(forged, "b", shown, USER))
    refused = bot.slack.wait_until(
        lambda: [v for m, v in bot.slack.shown_views if m == "views.update"]
    )
    assert "can change it" in text_of(refused[-1])
    edit = submit(bot, {**shown, "callback_id": "panel_list_edit"}, rename={"value": "mine"})
    assert "can change it" in errors(edit)["rename"]
    assert [e.name for e in _list(bot, "energy").entities] == ["Shell"]
    bot.slack.admins.add(USER)
    assert errors(submit(bot, shown, rename={"value": "energy"}, name={"value": "BP"})) == {}
    assert sorted(e.name for e in _list(bot, "energy").entities) == ["BP", "Shell"]


def test_lookup_filters_and_pages_with_more_buttons(bot: RunningBot, desk: Channel) -> None:
    command(bot, "watch! Kestrel Robotics")
    bot.slack.wait_until(lambda: own_entities(bot, desk))
    targets = [f"Target{n}" for n in range(8)]
    articles = [
        Article(
            id=f"k-{n}",
            title=f"Kestrel Robotics buys {target} for ${100 + 10 * n} million",
            text=f"Kestrel Robotics agreed to acquire {target}, a drone maker, "
            f"for ${100 + 10 * n} million in cash, the companies said.",
            url=f"https://wire.example.org/k-{n}",
            source="Example Wire",
        )
        for n, target in enumerate(targets)
    ]
    small = Article(
        id="k-small",
        title="Kestrel Robotics buys Tinyco for $5 million",
        text="Kestrel Robotics agreed to acquire Tinyco for $5 million in cash.",
        url="https://wire.example.org/k-small",
        source="Example Wire",
    )
    bot.store.add_articles([*articles, small], None, datetime.now(UTC))
    Pipeline(bot.store).process(datetime.now(UTC))
    before = len(responses(bot))
    command(bot, "lookup Kestrel Robotics type:acquisition min:$50m since:30d")
    [first] = bot.slack.wait_until(lambda: responses(bot)[before:])
    assert "Stories about Kestrel Robotics* (since:30d type:acquisition min:$50m):" in first["text"]
    assert first["text"].count("• ") == PAGE_SIZE and "Tinyco" not in first["text"]
    more = first["blocks"][-1]["elements"][0]
    assert more["text"]["text"] == "More"
    body = block_action_body(more, "lookup-more", "1.1", bot.slack.response_url)
    assert send(bot, body).status_code == 200
    [second] = bot.slack.wait_until(lambda: responses(bot)[before + 1 :])
    assert second["replace_original"] is True
    assert second["text"].count("• ") == len(targets) - PAGE_SIZE, "the rest, none twice"
    assert "page 2" in second["text"] and "Tinyco" not in second["text"]
    assert all(b["type"] != "actions" for b in second["blocks"]), "no More after the last page"
    shown = first["text"] + second["text"]
    assert all(target in shown for target in targets)
    command(bot, "lookup Kestrel Robotics type:takeover")
    [bad] = bot.slack.wait_until(lambda: responses(bot)[before + 2 :])
    assert "`takeover` is not a deal type" in bad["text"]

    # The same filters in a modal, paged in place.
    click(bot, open_home(bot), ACTION_LOOKUP_OPEN)
    form = opened(bot)
    acquisition = {"value": "acquisition"}
    wrong = submit(
        bot,
        form,
        who={"value": "Kestrel Robotics"},
        since={"value": "1y"},
        min={"value": "lots"},
        types={"selected_options": [acquisition]},
    )
    assert set(errors(wrong)) == {"since", "min"}
    unknown = submit(bot, form, who={"value": "Nobody Known"})
    assert "No entity called" in errors(unknown)["who"]
    found = submit(
        bot,
        form,
        who={"value": "Kestrel Robotics"},
        min={"value": "$50m"},
        types={"selected_options": [acquisition]},
    ).json()
    assert found["response_action"] == "update"
    results = {**found["view"], "id": form["id"]}
    assert view_problems(results) == []
    assert text_of(results).count("• ") == PAGE_SIZE
    more = results["blocks"][-1]["elements"][0]
    send(bot, view_action_body(more, "lookup-more", results, USER))
    [page_two] = bot.slack.wait_until(
        lambda: [v for m, v in bot.slack.shown_views if m == "views.update"]
    )
    assert text_of(page_two).count("• ") == len(targets) - PAGE_SIZE

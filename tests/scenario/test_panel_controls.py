"""The rest of the panel: mute for any time, digest now, export, removing names, paging.

Every flow goes through signed block_actions / view_submission bodies over HTTP and asserts
what the store holds and what the person saw.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import MAX_SLACK_BODY
from handlers.list_modals import (
    ACTION_LIST_OPEN,
    ACTION_LIST_PAGE,
    ACTION_LIST_REMOVE,
    LIST_ENTITIES_PER_PAGE,
    LISTS_PER_PAGE,
)
from handlers.modals import (
    ACTION_CHANNEL,
    ACTION_DIGEST_NOW,
    ACTION_ENTITY_MENU,
    ACTION_EXPORT,
    ACTION_LISTS,
    ACTION_MUTE_OPEN,
    ACTION_SUBSCRIBE,
    ACTION_UNMUTE,
    ENTITIES_PER_PAGE,
    FEEDS_PER_PAGE,
    MAX_PICKER_CHANNELS,
    MUTES_PER_PAGE,
    SUBSCRIPTIONS_PER_PAGE,
)
from handlers.view_limits import (
    MAX_OPTIONS,
    view_problems,
)
from tests.fakes.slack_api import suggestion_body, view_action_body
from tests.scenario import test_panel
from tests.scenario.conftest import RunningBot
from tests.scenario.test_actions import ARTICLES, command, send
from tests.scenario.test_export import rows_of, uploaded
from tests.scenario.test_panel import (
    USER,
    click,
    errors,
    home,
    open_home,
    opened,
    own_entities,
    submit,
    text_of,
)
from tests.scenario.test_watchlists import ask, ingest
from watchlists import sharing
from watchlists.model import Channel, Entity

CHOSEN = "selected_option"
desk = test_panel.desk


def _mutes(bot: RunningBot, channel: Channel) -> dict[str, datetime]:
    return {entity.name: until for entity, until in bot.store.mutes(channel.id, datetime.now(UTC))}


def _near(when: datetime, expected: timedelta) -> bool:
    return abs(when - (datetime.now(UTC) + expected)) < timedelta(minutes=5)


def test_mute_modal_mutes_for_a_day_a_month_or_a_typed_time_with_field_errors(
    bot: RunningBot, desk: Channel
) -> None:
    bot.store.watch(desk.id, Entity(name="Polar Lithium"))
    energy = sharing.create_shared_watchlist(bot.store, "T0TEST", "energy", "C0OTHER")
    sharing.add_entity(bot.store, energy, Entity(name="Shell"))
    sharing.subscribe(bot.store, desk, "energy")
    view = open_home(bot)
    click(bot, view, ACTION_MUTE_OPEN)
    modal = opened(bot)
    assert modal["title"]["text"] == "Mute"
    custom = {CHOSEN: {"value": "custom"}}
    empty = submit(bot, modal, mute_for=custom)
    assert errors(empty) == {
        "name": "Type the name of the entity to mute.",
        "mute_custom": "Type how long, e.g. 12h, 3d or 2w.",
    }
    forever = submit(
        bot, modal, name={"value": "Shell"}, mute_for=custom, mute_custom={"value": "forever"}
    )
    assert "`forever` is not a duration" in errors(forever)["mute_custom"]
    unknown = submit(bot, modal, name={"value": "Nobody Ltd"}, mute_for={CHOSEN: {"value": "1d"}})
    assert "No entity called `Nobody Ltd` is known." in errors(unknown)["name"]
    assert _mutes(bot, desk) == {}
    typed = submit(
        bot, modal, name={"value": "shell"}, mute_for=custom, mute_custom={"value": "12h"}
    )
    assert errors(typed) == {}
    assert _near(_mutes(bot, desk)["Shell"], timedelta(hours=12))
    view = home(bot, 2)
    assert "Muted *Shell* here until" in text_of(view)
    assert "*Mutes* (1)" in text_of(view)

    click(bot, view, ACTION_ENTITY_MENU, "Polar Lithium", option="Mute")
    month = opened(bot, 2)
    chosen = submit(
        bot, month, name={"value": "Polar Lithium"}, mute_for={CHOSEN: {"value": "30d"}}
    )
    assert errors(chosen) == {}
    assert _near(_mutes(bot, desk)["Polar Lithium"], timedelta(days=30))
    view = home(bot, 3)
    click(bot, view, ACTION_UNMUTE, "Shell")
    view = home(bot, 4)
    assert set(_mutes(bot, desk)) == {"Polar Lithium"}
    assert "Unmuted *Shell*." in text_of(view)


def test_digest_now_from_the_panel_posts_the_queue_like_the_command(
    bot: RunningBot, desk: Channel
) -> None:
    command(bot, "watch Kestrel Robotics")
    command(bot, "watch Polar Lithium Partners aka PLP")
    bot.replies(2)
    ingest(bot, *ARTICLES)
    view = open_home(bot)
    button = next(
        e
        for b in view["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == ACTION_DIGEST_NOW
    )
    assert "confirm" in button, "posting to a whole channel asks first"
    click(bot, view, ACTION_DIGEST_NOW)
    view = home(bot, 2)
    assert "Posted 2 stories." in text_of(view)
    [digest] = [c.body for c in bot.slack.calls_to("chat.postMessage") if c.body.get("blocks")]
    assert digest["channel"] == "C0DEALS"
    assert bot.store.pending_items(desk.id) == []
    click(bot, view, ACTION_DIGEST_NOW)
    assert "No new stories since the last digest." in text_of(home(bot, 3))


def test_export_from_the_panel_posts_the_csv_to_the_channel(bot: RunningBot, desk: Channel) -> None:
    command(bot, "watch Kestrel Robotics")
    bot.replies(1)
    ingest(bot, *ARTICLES)
    click(bot, open_home(bot), ACTION_EXPORT)
    modal = opened(bot)
    assert errors(submit(bot, modal)) == {"period": "Choose the period to export."}
    custom = {CHOSEN: {"value": "custom"}}
    wrong = submit(bot, modal, period=custom, period_custom={"value": "a year"})
    assert "`a year` is not a duration" in errors(wrong)["period_custom"]
    assert bot.slack.uploaded_files() == []
    assert errors(submit(bot, modal, period={CHOSEN: {"value": "7d"}})) == {}
    [upload] = uploaded(bot)
    assert upload.channel == "C0DEALS"
    assert [row["entities"] for row in rows_of(upload)] == ["Kestrel Robotics"]
    assert "Exported 1 story of the last 7d as a CSV file." in text_of(home(bot, 2))
    assert errors(submit(bot, modal, period=custom, period_custom={"value": "2W"})) == {}
    uploaded(bot, 2)
    assert "Exported 1 story of the last 2w as a CSV file." in text_of(home(bot, 3))


def test_edit_removes_the_aliases_and_exclusions_deleted_from_the_form(
    bot: RunningBot, desk: Channel
) -> None:
    other = bot.store.ensure_channel("T0TEST", "C0OTHER", "other")
    shell = Entity(
        name="Shell",
        aliases=("Royal Dutch Shell", "RDS", "Shell, plc"),
        exclude=("shell beach", "shell game"),
    )
    bot.store.watch(desk.id, shell)
    bot.store.watch(other.id, Entity(name="Shell"))
    click(bot, open_home(bot), ACTION_ENTITY_MENU, "Shell", option="Edit")
    modal = opened(bot)
    assert "a line you delete is removed for all of them" in text_of(modal)
    answer = submit(
        bot,
        modal,
        name={"value": "Shell"},
        aliases={"value": "Royal Dutch Shell\nShell, plc\nSHL, Shell Oil"},
        exclude={"value": "shell beach"},
    )
    assert errors(answer) == {}
    edited = own_entities(bot, desk)["Shell"]
    assert edited.aliases == ("Royal Dutch Shell", "Shell, plc", "SHL", "Shell Oil")
    assert edited.exclude == ("shell beach",)
    assert own_entities(bot, other)["Shell"] == edited, "one entity for the whole workspace"
    assert bot.store.find_entity("T0TEST", "RDS") is None
    assert "Updated *Shell*." in text_of(home(bot, 2))

    # The same from the command line.
    reply = ask(bot, "unwatch Shell aka SHL, Shell Oil not shell beach")
    assert reply.startswith("Removed SHL, Shell Oil, shell beach from *Shell*")
    left = own_entities(bot, desk)["Shell"]
    assert (left.aliases, left.exclude) == (("Royal Dutch Shell", "Shell, plc"), ())
    assert "has no alias or exclusion `Nope`" in ask(bot, "unwatch Shell aka Nope")
    assert "does not watch `Gazprom`" in ask(bot, "unwatch Gazprom aka Газпром")
    assert own_entities(bot, desk)["Shell"] == left


def test_subscriptions_mutes_and_feeds_page_each_on_its_own(bot: RunningBot, desk: Channel) -> None:
    count = SUBSCRIPTIONS_PER_PAGE + 2
    for number in range(count):
        listed = sharing.create_shared_watchlist(bot.store, "T0TEST", f"list-{number}", "C0X")
        sharing.subscribe(bot.store, desk, listed.name)
    for number in range(ENTITIES_PER_PAGE + 1):
        bot.store.watch(desk.id, Entity(name=f"Entity {number:02d}"))
    for number in range(FEEDS_PER_PAGE + 2):
        bot.store.add_channel_source(desk.id, f"https://feeds.example/{number}", f"Feed {number}")
    view = open_home(bot)
    shown = text_of(view)
    assert "*list-5*" in shown and "*list-6*" not in shown
    assert "6. Feed 5" in shown and "Feed 6" not in shown
    subscriptions_more = _pager_button(view, "sp", "More")
    send(bot, view_action_body(subscriptions_more, "panel-pages-sp", view, USER))
    view = home(bot, 2)
    shown = text_of(view)
    assert "*list-6*" in shown and "*list-7*" in shown and "*list-0*" not in shown
    assert "*Entity 00*" in shown, "the watchlist stays on its page"
    send(bot, view_action_body(_pager_button(view, "fp", "More"), "panel-pages-fp", view, USER))
    view = home(bot, 3)
    shown = text_of(view)
    assert "7. Feed 6" in shown and "8. Feed 7" in shown and "1. Feed 0" not in shown
    assert "*list-7*" in shown, "the subscriptions stay on their page"
    send(bot, view_action_body(_pager_button(view, "sp", "Previous"), "panel-pages-sp", view, USER))
    shown = text_of(home(bot, 4))
    assert "*list-0*" in shown and "8. Feed 7" in shown


def _pager_button(view: dict, part: str, label: str) -> dict:
    block = next(b for b in view["blocks"] if b.get("block_id") == f"panel-pages-{part}")
    return next(e for e in block["elements"] if e["text"]["text"] == label)


def test_past_twenty_channels_the_picker_searches_as_the_person_types(
    bot: RunningBot, desk: Channel
) -> None:
    for number in range(MAX_PICKER_CHANNELS + 10):
        channel = bot.store.ensure_channel("T0TEST", f"C0N{number:03d}", f"team-{number}")
        bot.slack.user_channels[USER].append(channel.slack_id)
    bot.store.ensure_channel("T0TEST", "C0NOTMINE", "team-secret")
    view = open_home(bot)
    picker, block_id = next(
        (e, b["block_id"])
        for b in view["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == ACTION_CHANNEL
    )
    assert picker["type"] == "external_select"
    answer = send(bot, suggestion_body(ACTION_CHANNEL, block_id, "team-2", view)).json()
    labels = [o["text"]["text"] for o in answer["options"]]
    assert labels == ["#team-2", *(f"#team-{n}" for n in range(20, 30))]
    assert "secret" not in str(
        send(bot, suggestion_body(ACTION_CHANNEL, block_id, "", view)).json()
    )
    late = next(o for o in answer["options"] if o["text"]["text"] == "#team-27")
    send(bot, view_action_body(picker, block_id, view, USER, selected=late))
    shown = home(bot, 2)
    assert "<#C0N027>" in text_of(shown)


def test_a_long_shared_list_pages_and_removes_after_asking(bot: RunningBot, desk: Channel) -> None:
    listed = sharing.create_shared_watchlist(bot.store, "T0TEST", "big", "C0DEALS")
    total = 2 * LIST_ENTITIES_PER_PAGE + 5
    for number in range(total):
        sharing.add_entity(bot.store, listed, Entity(name=f"Member {number:02d}"))
    click(bot, open_home(bot), ACTION_LISTS)
    click(bot, opened(bot), ACTION_LIST_OPEN, "big")
    first = opened(bot, 1, method="views.push")
    assert text_of(first).count("*Member ") == LIST_ENTITIES_PER_PAGE
    more = _list_pager(first, "More")
    send(bot, view_action_body(more, "list-pages", first, USER))
    second = bot.slack.wait_until(lambda: _updates(bot))[-1]
    assert view_problems(second) == []
    assert "*Member 20*" in text_of(second) and "*Member 00*" not in text_of(second)
    remove = next(
        b["accessory"] for b in second["blocks"] if "Member 21" in b.get("text", {}).get("text", "")
    )
    assert remove["action_id"] == ACTION_LIST_REMOVE and "confirm" in remove
    send(bot, view_action_body(remove, "b", {**second, "id": first["id"]}, USER))
    after = bot.slack.wait_until(lambda: _updates(bot)[1:])[-1]
    assert "Removed *Member 21*." in text_of(after)
    assert "Page 2 of 3" in text_of(after), "the list stays on its page"
    names = {e.name for e in bot.store.find_watchlist("T0TEST", "big").entities}
    assert len(names) == total - 1 and "Member 21" not in names


def _list_pager(view: dict, label: str) -> dict:
    block = next(b for b in view["blocks"] if b.get("block_id") == "list-pages")
    element = next(e for e in block["elements"] if e["text"]["text"] == label)
    assert element["action_id"] == ACTION_LIST_PAGE
    return element


def _updates(bot: RunningBot) -> list[dict]:
    return [v for m, v in bot.slack.shown_views if m == "views.update"]


CHINESE = "中华人民共和国长江三角洲新能源汽车集团股份有限公司"


def test_a_click_on_a_500_entity_channel_with_long_chinese_names_reaches_the_bot(
    bot: RunningBot, desk: Channel
) -> None:
    long = (CHINESE * 8)[:190]
    for number in range(500):
        bot.store.watch(
            desk.id,
            Entity(
                name=f"{number:03d} {long}",
                aliases=tuple(f"{n} {long}" for n in range(3)),
                exclude=(f"x {long}",),
            ),
        )
    for number in range(MUTES_PER_PAGE):
        bot.store.mute(desk.id, number + 1, datetime.now(UTC) + timedelta(days=1))
    for number in range(FEEDS_PER_PAGE):
        bot.store.add_channel_source(desk.id, f"https://feeds.example/{number}", long)
    view = open_home(bot)
    more = _pager_button(view, "p", "More")
    body = view_action_body(more, "panel-pages-p", view, USER)
    # Measured 2026-12-02: 27.5 KB of the 64 KiB the bot reads.
    assert 20_000 < len(body.encode()) < MAX_SLACK_BODY
    assert send(bot, body).status_code == 200
    second = home(bot, 2)
    assert f"*{ENTITIES_PER_PAGE:03d} " in text_of(second)
    assert "Page 2 of 42" in text_of(second)


def test_past_100_shared_lists_the_subscribe_menu_searches_and_the_lists_modal_pages(
    bot: RunningBot, desk: Channel
) -> None:
    for number in range(MAX_OPTIONS + 5):
        sharing.create_shared_watchlist(bot.store, "T0TEST", f"list-{number:03d}", "C0X")
    view = open_home(bot)
    click(bot, view, ACTION_SUBSCRIBE)
    modal = opened(bot)
    element = modal["blocks"][0]["element"]
    assert element["type"] == "external_select"
    found = send(bot, suggestion_body("list", "list", "list-10", modal)).json()["options"]
    assert [o["value"] for o in found] == [f"list-{n}" for n in range(100, 105)]
    assert len(send(bot, suggestion_body("list", "list", "", modal)).json()["options"]) == 100
    assert errors(submit(bot, modal, list={CHOSEN: found[-1]})) == {}
    assert [w.name for w in bot.store.channel_watchlists(desk.id) if w.is_shared] == ["list-104"]

    click(bot, home(bot, 2), ACTION_LISTS)
    lists = opened(bot, 2)
    assert text_of(lists).count("*list-") == LISTS_PER_PAGE
    pager = next(b for b in lists["blocks"] if b.get("block_id") == "lists-pages")
    more = next(e for e in pager["elements"] if e["text"]["text"] == "More")
    send(bot, view_action_body(more, "lists-pages", lists, USER))
    second = bot.slack.wait_until(lambda: _updates(bot))[-1]
    assert view_problems(second) == []
    assert "*list-020*" in text_of(second) and "*list-000*" not in text_of(second)
    assert second["callback_id"] == lists["callback_id"], "still the form that creates a list"


def test_a_forged_remove_or_mute_for_a_channel_of_someone_else_changes_nothing(
    bot: RunningBot, desk: Channel
) -> None:
    secret = bot.store.ensure_channel("T0TEST", "C0SECRET", "secret")
    hidden = bot.store.watch(secret.id, Entity(name="Hidden Deal"))
    forged = {"id": "VFAKE", "type": "modal", "blocks": []}
    meta = f'{{"c":"C0SECRET","e":{hidden.id}}}'
    answer = submit(bot, {**forged, "callback_id": "panel_unwatch", "private_metadata": meta})
    assert answer.json()["response_action"] == "update"
    assert "You can manage only channels you are a member of." in text_of(answer.json()["view"])
    muted = submit(
        bot,
        {**forged, "callback_id": "panel_mute", "private_metadata": '{"c":"C0SECRET"}'},
        name={"value": "Hidden Deal"},
        mute_for={CHOSEN: {"value": "7d"}},
    )
    assert "member" in errors(muted)["name"]
    assert set(own_entities(bot, secret)) == {"Hidden Deal"}
    assert bot.store.mutes(secret.id, datetime.now(UTC)) == []

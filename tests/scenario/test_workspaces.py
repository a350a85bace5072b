"""Two workspaces on one bot: what T2 types never changes what T1 sees or gets (issue 14.1).

Every command that reads or writes entities, lists or feeds is sent, signed, from two
teams. T2 must never see T1's names, aliases, feeds or feed items, and nothing T2 does may
change T1's matching, list or deliveries.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import text

from bot.pipeline import Pipeline
from tests.fakes.feed_server import FakeFeedServer, Feed
from tests.fakes.signing import signed_headers, slash_command_body
from tests.fakes.slack_api import event_body
from tests.scenario.conftest import SECRET, RunningBot
from watchlists.model import Article

T1, C1 = "T0ONE", "C0ONE"
T2, C2 = "T0TWO", "C0TWO"

ALIBABA = Article(
    id="alibaba-1",
    title="Alibaba agrees to buy a stake in a Jakarta logistics firm",
    text="Alibaba said on Monday it would buy a minority stake.",
    url="https://news.example.com/alibaba-jakarta",
    source="Example Wire",
)
WEATHER = Article(
    id="weather-1",
    title="The weather turns, and the deal season with it",
    text="Forecasters expect rain.",
    url="https://news.example.com/weather",
    source="Example Wire",
)
PRIVATE_RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk Private Wire</title>'
    b"<item><title>Old item</title><guid>old</guid><description>x</description></item>"
    b"</channel></rss>"
)
SECRET_ITEM = Article(
    id="secret-1",
    title="Alibaba weighs a secret bid for Project Kite",
    text="People familiar with the matter said Alibaba was weighing a bid.",
    url="https://private.example.com/kite",
    source="Desk Private Wire",
)


def _responses(bot: RunningBot) -> list[dict[str, Any]]:
    return [call.body for call in bot.slack.calls if call.path == "/hooks/response"]


def ask(bot: RunningBot, team_id: str, channel_id: str, command: str) -> str:
    """Send /deals command from team_id's channel_id, signed; return its ephemeral answer."""
    before = len(_responses(bot))
    body = (
        slash_command_body(command, bot.slack.response_url, channel_id)
        .replace("team_id=T0TEST", f"team_id={team_id}")
        .replace("trigger_id=1.2.3", f"trigger_id={uuid.uuid4().hex}")
    )
    answer = httpx.post(
        f"{bot.url}/slack/events", content=body, headers=signed_headers(SECRET, body)
    )
    assert answer.status_code == 200
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        answers = _responses(bot)
        if len(answers) > before:
            return str(answers[before]["text"])
        time.sleep(0.02)
    raise AssertionError(f"no answer to {command!r} from {team_id}")


def one(bot: RunningBot, command: str) -> str:
    """A command from T1's channel."""
    return ask(bot, T1, C1, command)


def two(bot: RunningBot, command: str) -> str:
    """A command from T2's channel."""
    return ask(bot, T2, C2, command)


def process(bot: RunningBot) -> None:
    """One pipeline pass, as the scheduler would run it."""
    Pipeline(bot.store).process(datetime.now(UTC))


def received(bot: RunningBot, channel_id: str) -> set[str]:
    """The titles of the stories queued or posted to the channel, read with plain SQL."""
    with bot.store.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT story.title FROM delivery "
                "JOIN channel ON channel.id = delivery.channel_id "
                "JOIN story ON story.id = delivery.story_id WHERE channel.slack_id = :c"
            ),
            {"c": channel_id},
        ).all()
    return {str(title) for (title,) in rows}


def test_t2s_aliases_exclusions_mutes_and_unwatch_leave_t1s_matching_alone(
    bot: RunningBot,
) -> None:
    assert "Watching *Alibaba*" in one(bot, "watch Alibaba")
    assert "Watching *Alibaba*" in two(bot, "watch Alibaba aka the, deal not Alibaba")
    assert "Muted *Alibaba*" in two(bot, "mute Alibaba 7d")
    assert "Stopped watching *Alibaba*" in two(bot, "unwatch Alibaba")
    listed = one(bot, "list")
    assert "• *Alibaba*\n" in listed + "\n"
    assert "aka" not in listed and "not " not in listed and "Muted" not in listed
    bot.store.add_articles([ALIBABA, WEATHER], None, datetime.now(UTC))
    process(bot)
    assert received(bot, C1) == {ALIBABA.title}
    assert received(bot, C2) == set()


def test_lookup_and_did_you_mean_never_name_another_workspaces_entities(bot: RunningBot) -> None:
    one(bot, "watch Kestrel Robotics aka Project Nightjar")
    bot.store.add_articles(
        [
            Article(
                id="kestrel-1",
                title="Kestrel Robotics raises a Series B",
                text="Kestrel Robotics raised $40 million.",
                url="https://news.example.com/kestrel",
                source="Example Wire",
            )
        ],
        None,
        datetime.now(UTC),
    )
    process(bot)
    assert "Kestrel Robotics raises" in one(bot, "lookup Project Nightjar")
    for command, typed in (
        ("lookup Project Nightjar", "Project Nightjar"),
        ("lookup Kestrel Robotic", "Kestrel Robotic"),
        ("mute Kestrel Robotics 7d", "Kestrel Robotics"),
        ("unmute Project Nightjar", "Project Nightjar"),
    ):
        answer = two(bot, command)
        assert f"No entity called `{typed}` is known." in answer, command
        rest = answer.replace(f"`{typed}`", "")
        assert "Did you mean" not in rest and "Kestrel" not in rest and "Nightjar" not in rest
    asked = two(bot, "watch Kestrel Robotic")
    assert "Did you mean" not in asked and "Watching *Kestrel Robotic*" in asked
    assert "Kestrel Robotics" not in two(bot, "list")
    # T1's own did-you-mean still works from its own names.
    assert "Did you mean *Kestrel Robotics*" in one(bot, "watch Kestrel Robotic")


def test_shared_lists_hold_their_own_workspaces_entities(bot: RunningBot) -> None:
    one(bot, "watch Alibaba")
    assert "Created" in two(bot, "watchlist new deals")
    assert "Added *Alibaba*" in two(bot, "watchlist add deals Alibaba aka the not Alibaba")
    assert "Subscribed" in two(bot, "subscribe deals")
    assert "the" in two(bot, "watchlist show deals")
    assert "No shared watchlist called" in one(bot, "subscribe deals")
    assert "No shared watchlist called" in one(bot, "watchlist show deals")
    assert "This workspace has no shared watchlists yet" in one(bot, "watchlists")
    assert "Removed *Alibaba*" in two(bot, "watchlist remove deals Alibaba")
    listed = one(bot, "list")
    assert "aka" not in listed and "not " not in listed
    bot.store.add_articles([ALIBABA, WEATHER], None, datetime.now(UTC))
    process(bot)
    assert received(bot, C1) == {ALIBABA.title}


def _private_feed(bot: RunningBot, feeds: FakeFeedServer) -> None:
    """T1 follows a private feed and T2 the same URL; a new item reaches T1's copy."""
    feeds.serve("/private", Feed(PRIVATE_RSS))
    url = feeds.url("/private")
    assert "Added feed *Desk Private Wire*" in one(bot, f"feeds add {url}")
    [mine] = bot.store.channel_sources(bot.store.ensure_channel(T1, C1).id)
    # A poll of T1's feed stores a new item on T1's source.
    bot.store.add_articles([SECRET_ITEM], mine.id, datetime.now(UTC))


def test_a_private_feeds_items_reach_only_its_workspace(bot: RunningBot) -> None:
    one(bot, "watch Alibaba")
    two(bot, "watch Alibaba")
    feeds = FakeFeedServer().start()
    try:
        _private_feed(bot, feeds)
        assert "no feeds yet" in two(bot, "feeds list")
        assert "Desk Private Wire" not in two(bot, "list")
        assert "Added feed" in two(bot, f"feeds add {feeds.url('/private')}")
        assert "Removed feed" in two(bot, "feeds remove 1")
        assert "1. Desk Private Wire" in one(bot, "feeds list")
    finally:
        feeds.stop()
    process(bot)
    assert received(bot, C1) == {SECRET_ITEM.title}
    assert received(bot, C2) == set()
    assert "Project Kite" in one(bot, "lookup Alibaba")
    assert "Project Kite" not in two(bot, "lookup Alibaba")


def test_export_and_app_home_show_only_what_the_workspace_may_see(bot: RunningBot) -> None:
    one(bot, "watch Alibaba")
    two(bot, "watch Alibaba")
    feeds = FakeFeedServer().start()
    try:
        _private_feed(bot, feeds)
    finally:
        feeds.stop()
    bot.store.add_articles([ALIBABA], None, datetime.now(UTC))
    process(bot)
    assert "Posted 1 story" in two(bot, "digest now")
    assert "Posted 2 stories" in one(bot, "digest now")
    posted_to_two = " ".join(
        str(call.body)
        for call in bot.slack.calls_to("chat.postMessage")
        if call.body.get("channel") == C2
    )
    assert "Alibaba agrees" in posted_to_two and "Kite" not in posted_to_two
    assert "Exported 1 story" in two(bot, "export 30d")
    [upload] = bot.slack.uploaded_files()
    assert b"Kite" not in upload.content and b"Desk Private Wire" not in upload.content
    bot.slack.user_channels["U0USER"] = [C2]
    body = event_body(
        {"type": "app_home_opened", "user": "U0USER", "channel": "D0HOME", "tab": "home"},
        "Ev0TENANT",
        team_id=T2,
    )
    answer = httpx.post(
        f"{bot.url}/slack/events", content=body, headers=signed_headers(SECRET, body)
    )
    assert answer.status_code == 200
    deadline = time.monotonic() + 5
    while not bot.slack.calls_to("views.publish") and time.monotonic() < deadline:
        time.sleep(0.02)
    [view] = bot.slack.calls_to("views.publish")
    shown = str(view.body["view"])
    assert "Alibaba agrees" in shown
    assert "Kite" not in shown and "Desk Private Wire" not in shown and C1 not in shown

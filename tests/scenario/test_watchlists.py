"""Shared watchlists through signed /deals requests, the pipeline and the fake Slack."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
from sqlalchemy import text

from bot.pipeline import Pipeline
from tests.fakes.signing import signed_headers, slash_command_body
from tests.scenario.conftest import SECRET, RunningBot
from watchlists.model import Article


def send(bot: RunningBot, command: str, channel_id: str = "C0DEALS") -> None:
    """Send a signed /deals command with its own trigger_id, as every real one has."""
    body = slash_command_body(command, bot.slack.response_url, channel_id).replace(
        "trigger_id=1.2.3", f"trigger_id={uuid.uuid4().hex}"
    )
    answer = httpx.post(
        f"{bot.url}/slack/events", content=body, headers=signed_headers(SECRET, body)
    )
    assert answer.status_code == 200


def ask(bot: RunningBot, command: str, channel_id: str = "C0DEALS") -> str:
    """Send /deals command and wait for its ephemeral answer."""
    before = len(bot.slack.calls_to("response"))
    send(bot, command, channel_id)
    answer = bot.slack.wait_for("response", before + 1)[before].body
    assert answer["response_type"] == "ephemeral"
    return str(answer["text"])


def broadcasts(bot: RunningBot, channel_id: str, count: int) -> list[str]:
    """The in-channel messages of channel_id once there are count of them."""
    return [str(body.get("text", "")) for body in bot.posts(count, channel_id=channel_id)]


def ingest(bot: RunningBot, *articles: Article) -> None:
    """Store articles and run one pipeline pass, as the scheduler would."""
    bot.store.add_articles(articles, None, datetime.now(UTC))
    Pipeline(bot.store).process(datetime.now(UTC))


def deliveries(bot: RunningBot) -> set[tuple[str, str]]:
    """(channel slack id, story title) of every outbox row, read with plain SQL."""
    with bot.store.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT channel.slack_id, story.title FROM delivery "
                "JOIN channel ON channel.id = delivery.channel_id "
                "JOIN story ON story.id = delivery.story_id"
            )
        ).all()
    return {(str(slack_id), str(title)) for slack_id, title in rows}


OZON_STORY = Article(
    id="ozon-1",
    title="Ozon agrees to buy a Kazakh payments start-up",
    text="The Russian marketplace Ozon said on Monday it would buy a small payments firm.",
    url="https://news.example.com/ozon-payments",
    source="Example Wire",
)


def test_an_entity_added_to_a_shared_list_reaches_every_subscribed_channel(
    bot: RunningBot,
) -> None:
    assert "Created the shared watchlist *russia-ecommerce*" in ask(
        bot, "watchlist new russia-ecommerce", "C0ONE"
    )
    assert "Subscribed to *russia-ecommerce*" in ask(bot, "subscribe russia-ecommerce", "C0ONE")
    assert "Subscribed to *russia-ecommerce*" in ask(bot, "subscribe russia-ecommerce", "C0TWO")
    added = ask(bot, "watchlist add russia-ecommerce Ozon aka Озон", "C0ONE")
    assert "Added *Ozon* (aka Озон) to *russia-ecommerce*; 2 subscribed channels" in added
    ingest(bot, OZON_STORY)
    assert deliveries(bot) == {("C0ONE", OZON_STORY.title), ("C0TWO", OZON_STORY.title)}
    for channel_id in ("C0ONE", "C0TWO"):
        assert "Posted 1 story." in ask(bot, "digest now", channel_id)
        digest = next(
            call.body
            for call in bot.slack.calls_to("chat.postMessage")
            if call.body.get("channel") == channel_id and call.body.get("blocks")
        )
        assert OZON_STORY.title in str(digest["blocks"])


def test_unsubscribed_channel_stops_getting_the_lists_stories(bot: RunningBot) -> None:
    ask(bot, "watchlist new russia-ecommerce", "C0ONE")
    ask(bot, "watchlist add russia-ecommerce Ozon", "C0ONE")
    ask(bot, "subscribe russia-ecommerce", "C0ONE")
    ask(bot, "subscribe russia-ecommerce", "C0TWO")
    assert "Unsubscribed from *russia-ecommerce*" in ask(
        bot, "unsubscribe russia-ecommerce", "C0TWO"
    )
    assert "does not subscribe" in ask(bot, "unsubscribe russia-ecommerce", "C0TWO")
    ingest(bot, OZON_STORY)
    assert deliveries(bot) == {("C0ONE", OZON_STORY.title)}


def test_an_entity_removed_from_a_shared_list_is_no_longer_delivered(bot: RunningBot) -> None:
    ask(bot, "watchlist new fintech")
    ask(bot, "subscribe fintech")
    ask(bot, "watchlist add fintech Ozon aka Озон")
    assert "Removed *Озон* from *fintech*" in ask(bot, "watchlist remove fintech Озон")
    assert "is not on *fintech*" in ask(bot, "watchlist remove fintech Ozon")
    ingest(bot, OZON_STORY)
    assert deliveries(bot) == set()


def test_subscribe_and_list_changes_are_confirmed_in_the_channel(bot: RunningBot) -> None:
    ask(bot, "watchlist new fintech")
    ask(bot, "subscribe fintech")
    ask(bot, "watchlist add fintech Kaspi")
    messages = broadcasts(bot, "C0DEALS", 2)
    assert "now gets the stories of the shared watchlist *fintech*" in messages[0]
    assert "*Kaspi* was added to the shared watchlist *fintech*" in messages[1]


def test_adding_to_a_list_this_channel_does_not_follow_is_not_broadcast(
    bot: RunningBot,
) -> None:
    ask(bot, "watchlist new fintech", "C0ONE")
    ask(bot, "watchlist add fintech Kaspi", "C0ONE")
    ask(bot, "watch Alibaba", "C0ONE")
    broadcasts(bot, "C0ONE", 1)
    bot.finish_work()
    [only] = broadcasts(bot, "C0ONE", 1)
    assert "Alibaba" in only


def test_watchlists_shows_every_shared_list_with_counts_and_subscribers(
    bot: RunningBot,
) -> None:
    ask(bot, "watchlist new russia-ecommerce", "C0ONE")
    ask(bot, "watchlist add russia-ecommerce Ozon", "C0ONE")
    ask(bot, "watchlist add russia-ecommerce Wildberries", "C0ONE")
    ask(bot, "watchlist new fintech", "C0ONE")
    ask(bot, "subscribe russia-ecommerce", "C0ONE")
    ask(bot, "subscribe russia-ecommerce", "C0TWO")
    answer = ask(bot, "watchlists", "C0THREE")
    assert "*Shared watchlists of this workspace* (2)" in answer
    assert "• *fintech*: 0 entities · no channel subscribes" in answer
    assert "• *russia-ecommerce*: 2 entities · 2 subscribed channels" in answer
    assert "C0" not in answer, "subscribed channels are counted, never named"


def test_list_shows_own_entities_each_subscribed_list_mutes_schedule_and_feeds(
    bot: RunningBot,
) -> None:
    ask(bot, "watch Alibaba aka Alibaba Group")
    ask(bot, "watchlist new russia-ecommerce")
    ask(bot, "watchlist add russia-ecommerce Ozon aka Озон")
    ask(bot, "subscribe russia-ecommerce")
    ask(bot, "mute Ozon 7d")
    ask(bot, "tz Europe/London")
    ask(bot, "digest weekdays 08:30")
    bot.store.add_channel_source(
        bot.store.ensure_channel("T0TEST", "C0DEALS").id, "https://feeds.example.com/rss", "Wire"
    )
    answer = ask(bot, "list")
    lines = answer.splitlines()
    assert lines[:4] == [
        "*This channel watches 1 entity*:",
        "• *Alibaba* aka Alibaba Group",
        "*Shared watchlist russia-ecommerce* (1 entity):",
        "• *Ozon* aka Озон",
    ]
    assert any(line.startswith("Muted: Ozon until") for line in lines)
    assert "Delivery: weekdays 08:30 · timezone Europe/London" in lines
    assert any("1. Wire <https://feeds.example.com/rss>" in line for line in lines)


def test_list_of_an_empty_channel_suggests_how_to_start(bot: RunningBot) -> None:
    answer = ask(bot, "list")
    assert "watches nothing yet" in answer and "/deals subscribe" in answer


def test_bad_list_names_get_the_reason_and_change_nothing(bot: RunningBot) -> None:
    own = ask(bot, "watchlist new #C0DEALS")
    assert "names starting with # are the channels' own lists" in own
    spaced = ask(bot, "watchlist new 'two words'")
    assert "is not a list name" in spaced
    long = ask(bot, "watchlist new " + "x" * 65)
    assert "is not a list name" in long
    assert "subscribe &lt;list&gt;" in ask(bot, "subscribe")
    assert "needs a list name and an entity name" in ask(bot, "watchlist add fintech")
    assert "is not a watchlist command" in ask(bot, "watchlist archive fintech")
    assert bot.store.team_watchlists("T0TEST") == []


def test_list_names_are_unique_regardless_of_case(bot: RunningBot) -> None:
    ask(bot, "watchlist new Fintech")
    assert "already exists" in ask(bot, "watchlist new fintech")
    assert "Subscribed to *Fintech*" in ask(bot, "subscribe FINTECH")


def test_subscribing_to_an_unknown_list_names_the_lists_there_are(bot: RunningBot) -> None:
    ask(bot, "watchlist new fintech")
    answer = ask(bot, "subscribe fintek")
    assert "No shared watchlist called `fintek`. Lists here: fintech." in answer
    assert "subscribe &lt;list&gt;" in answer


def test_a_channels_own_list_cannot_be_subscribed_to_from_another_channel(
    bot: RunningBot,
) -> None:
    ask(bot, "watch Alibaba", "C0ONE")
    answer = ask(bot, "subscribe #C0ONE", "C0TWO")
    assert "channels' own lists" in answer
    two = bot.store.ensure_channel("T0TEST", "C0TWO")
    assert bot.store.channel_entities(two.id) == []

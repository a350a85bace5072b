"""Story buttons over HTTP: a real digest is posted, then its buttons are clicked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from bot.pipeline import Pipeline
from handlers.blocks import (
    ACTION_DETAILS,
    ACTION_EXCLUDE,
    ACTION_MANAGE,
    ACTION_MUTE,
    ACTION_NOT_RELEVANT,
    digest_message,
    read_action_value,
    validate_message,
)
from tests.fakes.signing import signed_headers, slash_command_body
from tests.fakes.slack_api import block_action_body
from tests.scenario.conftest import SECRET, RunningBot
from watchlists.model import Article, Channel, Digest, Match, StoryItem
from watchlists.services import MAX_STORIES_PER_MESSAGE

ARTICLES = [
    Article(
        id="kestrel-skyloft",
        title="Kestrel Robotics buys Danish drone maker Skyloft for $40 million",
        text="Kestrel Robotics agreed to acquire Skyloft, a drone maker based in Aarhus, "
        "for $40 million in cash, the companies said on Monday.",
        url="https://wire.example.org/kestrel-skyloft",
        source="Example Wire",
    ),
    Article(
        id="polar-oulu",
        title="Polar Lithium Partner opens Oulu refinery",
        text="The Finnish company Polar Lithium Partner said its refinery in Oulu began "
        "production this week.",
        url="https://wire.example.org/polar-oulu",
        source="Example Wire",
    ),
]


# One client for every request: building an httpx client costs ~80 ms.
HTTP = httpx.Client(timeout=10)


def send(bot: RunningBot, body: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """POST a body signed now (plus extra headers) to the bot's Slack endpoint."""
    signed = {**signed_headers(SECRET, body), **(headers or {})}
    if body.startswith("{"):
        signed["Content-Type"] = "application/json"
    return HTTP.post(f"{bot.url}/slack/events", content=body, headers=signed)


def command(bot: RunningBot, text: str, channel_id: str = "C0DEALS") -> httpx.Response:
    """Send a signed /deals command."""
    return send(bot, slash_command_body(text, bot.slack.response_url, channel_id))


def responses(bot: RunningBot) -> list[dict[str, Any]]:
    """Everything posted to response_url so far."""
    return [call.body for call in bot.slack.calls if call.path == "/hooks/response"]


def channel_posts(bot: RunningBot, containing: str) -> list[dict[str, Any]]:
    """chat.postMessage calls whose text contains a phrase."""
    return [
        call.body
        for call in bot.slack.calls_to("chat.postMessage")
        if containing in str(call.body.get("text", ""))
    ]


def post_digest(bot: RunningBot) -> tuple[dict[str, Any], str]:
    """Watch two entities, ingest two stories, post the digest; return its body and ts."""
    command(bot, "watch Kestrel Robotics")
    command(bot, "watch Polar Lithium Partners aka PLP")
    bot.replies(2)
    bot.store.add_articles(ARTICLES, None, datetime.now(UTC))
    Pipeline(bot.store).process(datetime.now(UTC))
    command(bot, "digest now")
    bot.replies(1, containing="Posted")
    [digest] = [c.body for c in bot.slack.calls_to("chat.postMessage") if c.body.get("blocks")]
    [posted] = [m for m in bot.slack.messages["C0DEALS"] if m.get("metadata")]
    return digest, str(posted["ts"])


def button(message: dict[str, Any], action_id: str, title_part: str = "") -> tuple[dict, str]:
    """The button with action_id under the story whose section mentions title_part."""
    blocks = message["blocks"]
    for number, block in enumerate(blocks):
        if block["type"] != "actions":
            continue
        story_text = blocks[number - 2]["text"]["text"] if number >= 2 else ""
        if title_part not in story_text:
            continue
        for element in block["elements"]:
            if element["action_id"] == action_id:
                return element, block.get("block_id", "")
    raise AssertionError(f"no {action_id} button under {title_part!r}")


def click(
    bot: RunningBot,
    element: dict[str, Any],
    block_id: str,
    message_ts: str,
    user_id: str = "U0USER",
    headers: dict[str, str] | None = None,
    action_ts: str | None = None,
) -> httpx.Response:
    """Send the signed block_actions request Slack sends for a click."""
    body = block_action_body(
        element, block_id, message_ts, bot.slack.response_url, user_id=user_id, action_ts=action_ts
    )
    return send(bot, body, headers)


def feedback_rows(bot: RunningBot) -> int:
    """How many feedback rows the database holds (plain SQL)."""
    with bot.store.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM feedback")).scalar_one())


def _long_item(number: int) -> StoryItem:
    name = f"Entity {number} " + "with a very long registered name " * 4
    match = Match(number, name, name, "title", 0, 10, name, 100.0, "exact")
    return StoryItem(
        story_id=10_000 + number,
        title="A headline & <tags> " * 20,
        url=f"https://wire.example.org/{number}",
        summary="A summary sentence. " * 40,
        published=None,
        source="Example Wire",
        matches=(match,),
        deal_type="acquisition",
        amount="$1 billion",
    )


@pytest.mark.parametrize(
    "count",
    [pytest.param(1, id="one-story"), pytest.param(MAX_STORIES_PER_MESSAGE, id="full-page")],
)
def test_a_digest_page_with_buttons_stays_within_slack_limits(count: int) -> None:
    channel = Channel(id=1, team_id="T0TEST", slack_id="C0DEALS")
    items = tuple(_long_item(number) for number in range(count))
    message = digest_message(Digest(channel, datetime.now(UTC), items))
    assert len(message["blocks"]) == 1 + 4 * count
    assert validate_message(message) == []


def test_validation_catches_long_button_text_value_and_block_id() -> None:
    element = {
        "type": "button",
        "text": {"type": "plain_text", "text": "x" * 76},
        "action_id": "story_mute",
        "value": "v" * 2001,
    }
    message = {
        "text": "t",
        "blocks": [{"type": "actions", "block_id": "b" * 256, "elements": [element]}],
    }
    problems = " | ".join(validate_message(message))
    assert "button text" in problems and "button value" in problems and "block_id" in problems


def test_story_buttons_mute_the_entity_and_post_the_details_in_the_thread(
    bot: RunningBot,
) -> None:
    digest, ts = post_digest(bot)
    assert validate_message(digest) == []
    actions = [block for block in digest["blocks"] if block["type"] == "actions"]
    assert len(actions) == 2
    for block in actions:
        ids = [element["action_id"] for element in block["elements"]]
        assert ids == [ACTION_MUTE, ACTION_NOT_RELEVANT, ACTION_DETAILS, ACTION_MANAGE]
        buttons = [e for e in block["elements"] if e["type"] == "button"]
        assert len({read_action_value(e["value"])["story"] for e in buttons}) == 1

    mute, mute_block = button(digest, ACTION_MUTE, "Kestrel")
    assert mute["text"]["text"] == "Mute Kestrel Robotics 7d"
    assert click(bot, mute, mute_block, ts).status_code == 200
    [reply] = bot.replies(containing="Muted")
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    channel = bot.store.ensure_channel("T0TEST", "C0DEALS")
    [(entity, until)] = bot.store.mutes(channel.id, datetime.now(UTC))
    assert entity.name == "Kestrel Robotics"
    assert abs(until - (datetime.now(UTC) + timedelta(days=7))) < timedelta(minutes=1)
    [note] = bot.posts(containing="muted *Kestrel Robotics* here for 7 days")
    assert note["channel"] == "C0DEALS" and "<@U0USER>" in note["text"]

    details, details_block = button(digest, ACTION_DETAILS, "Polar")
    click(bot, details, details_block, ts)
    [thread] = thread_posts(bot, 1)
    assert thread["thread_ts"] == ts and thread["channel"] == "C0DEALS"
    assert validate_message(thread) == []
    shown = " ".join(block["text"]["text"] for block in thread["blocks"])
    story_id = read_action_value(details["value"])["story"]
    [title_match, text_match] = bot.store.story_details(story_id).matches
    for expected in (
        "alias “Polar Lithium Partners”",
        "text “Polar Lithium Partner”",
        f"title 0–21, score {title_match.score:.1f}, fuzzy",
        f"text 20–41, score {text_match.score:.1f}, fuzzy",
        "Deal: Partnership",
        "confidence",
        "<https://wire.example.org/polar-oulu|",
    ):
        assert expected in shown
    click(bot, details, details_block, ts)
    bot.replies(containing="already in the thread")

    details, details_block = button(digest, ACTION_DETAILS, "Kestrel")
    click(bot, details, details_block, ts)
    deal = thread_posts(bot, 2)[1]
    shown = " ".join(block["text"]["text"] for block in deal["blocks"])
    assert "Deal: Acquisition" in shown and "$40 million" in shown
    assert "<https://wire.example.org/kestrel-skyloft|" in shown
    bot.finish_work()
    assert len(thread_posts(bot, 2)) == 2, "the repeated click posted nothing"


def thread_posts(bot: RunningBot, count: int) -> list[dict[str, Any]]:
    """chat.postMessage calls that answer in a thread, once there are count."""
    calls = bot.slack.wait_for("chat.postMessage", count, where=lambda c: "thread_ts" in c.body)
    return [call.body for call in calls]


def test_repeated_not_relevant_proposes_excluding_a_variant_but_never_the_entity_name(
    bot: RunningBot,
) -> None:
    digest, ts = post_digest(bot)
    variant, variant_block = button(digest, ACTION_NOT_RELEVANT, "Polar")
    own_name, own_name_block = button(digest, ACTION_NOT_RELEVANT, "Kestrel")
    for number, user in enumerate(("U0ANN", "U0BOB", "U0CAT"), start=1):
        click(bot, variant, variant_block, ts, user_id=user)
        click(bot, own_name, own_name_block, ts, user_id=user)
        bot.replies(2 * number, containing="Thanks")
        assert feedback_rows(bot) == 2 * number
    click(bot, own_name, own_name_block, ts, user_id="U0CAT")
    bot.replies(7, containing="Thanks")
    assert feedback_rows(bot) == 6, "the same person flagging the same story counts once"
    bot.replies(containing="cannot be excluded")
    proposal = bot.slack.wait_for("response", where=lambda call: "blocks" in call.body)[0].body
    accept, accept_block = button(proposal, ACTION_EXCLUDE)
    assert accept["text"]["text"] == "Exclude 'Polar Lithium Partner' for Polar Lithium Partners"
    click(bot, accept, accept_block, ts, user_id="U0CAT")
    [replaced] = bot.replies(containing="Excluded")
    assert replaced["replace_original"] is True
    entity = bot.store.find_entity("T0TEST", "PLP")
    assert entity is not None and entity.exclude == ("Polar Lithium Partner",)
    bot.posts(containing="excluded “Polar Lithium Partner”")
    bot.finish_work()
    proposals = [r for r in responses(bot) if r.get("blocks")]
    assert len(proposals) == 1, "only the third flag of the variant proposes"

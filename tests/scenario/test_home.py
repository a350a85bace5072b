"""The App Home over HTTP: app_home_opened in, views.publish out."""

from __future__ import annotations

from typing import Any

from handlers.blocks import validate_view
from tests.fakes.slack_api import event_body
from tests.scenario.conftest import RunningBot
from tests.scenario.test_actions import post_digest, send
from watchlists.model import Entity


def open_home(bot: RunningBot, event_id: str, headers: dict[str, str] | None = None) -> int:
    """Send a signed app_home_opened event; return the HTTP status."""
    event = {"type": "app_home_opened", "user": "U0USER", "channel": "D0HOME", "tab": "home"}
    return send(bot, event_body(event, event_id), headers).status_code


def published(bot: RunningBot, count: int = 1) -> list[dict[str, Any]]:
    """The views.publish calls, once there are count of them."""
    return [call.body for call in bot.slack.wait_for("views.publish", count)]


def view_text(view: dict[str, Any]) -> str:
    """Every text of a view, one per line."""
    parts: list[str] = []
    for block in view["blocks"]:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(element.get("text", "") for element in block.get("elements", []))
    return "\n".join(parts)


def test_home_shows_each_channel_with_watchlist_schedule_feeds_and_news_escaped(
    bot: RunningBot,
) -> None:
    post_digest(bot)
    channel = bot.store.ensure_channel("T0TEST", "C0DEALS")
    bot.store.add_channel_source(channel.id, "https://feeds.example.org/rss", "Example Feed")
    for number in range(21):
        extra = bot.store.ensure_channel("T0TEST", f"C0{number:03d}", f"zz-desk-{number}")
        bot.store.watch(extra.id, Entity(name="Fish & <Chips> Holdings"))
    bot.store.ensure_channel("T0OTHER", "C0ELSEWHERE", "aa-other-team")
    bot.slack.user_channels["U0USER"] = [
        "C0DEALS",
        "C0ELSEWHERE",
        *(f"C0{number:03d}" for number in range(21)),
    ]
    assert open_home(bot, "Ev0HOME1") == 200
    [call] = published(bot)
    assert call["user_id"] == "U0USER"
    view = call["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert validate_view(view) == []
    shown = view_text(view)
    assert "<#C0DEALS>" in shown
    assert "Watching: Kestrel Robotics, Polar Lithium Partners" in shown
    assert f"Delivery: digest {channel.digest_schedule} · timezone {channel.timezone}" in shown
    assert "Feed Example Feed: ok (last fetched never)" in shown
    assert "Kestrel Robotics buys Danish drone maker Skyloft" in shown
    assert "Fish &amp; &lt;Chips&gt; Holdings" in shown and "<Chips>" not in shown
    assert "and 2 more channels" in shown
    assert "C0ELSEWHERE" not in shown, "another workspace's channels stay private"

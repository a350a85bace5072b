"""The App Home over HTTP: app_home_opened in, views.publish out."""

from __future__ import annotations

from typing import Any

from handlers.blocks import validate_view
from tests.fakes.slack_api import event_body, suggestion_body, view_action_body
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
        for element in block.get("elements", []):
            text = element.get("text", "")
            parts.append(text if isinstance(text, str) else text.get("text", ""))
    return "\n".join(parts)


def test_home_picks_among_the_viewers_channels_and_shows_one_panel_escaped(
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
    [picker] = [b for b in view["blocks"] if b.get("block_id") == "panel-channel"]
    element = picker["elements"][0]
    assert element["type"] == "external_select", "past 20 channels the menu searches"
    typed = suggestion_body(element["action_id"], "panel-channel", "", view)
    options = send(bot, typed).json()["options"]
    assert len(options) == 22, "the viewer's channels in this workspace, every one"
    assert "C0ELSEWHERE" not in str(view) + str(options), "another workspace's stay private"
    assert "*<#C0DEALS>*" in shown
    assert "*Kestrel Robotics*" in shown and "*Polar Lithium Partners*" in shown
    assert f"Delivery: digest {channel.digest_schedule} · timezone {channel.timezone}" in shown
    assert "1. Example Feed · ok (last fetched never)" in shown
    assert "Kestrel Robotics buys Danish drone maker Skyloft" in shown
    desk = next(o for o in options if o["text"]["text"] == "#zz-desk-0")
    send(bot, view_action_body(element, "panel-channel", view, selected=desk))
    other = view_text(published(bot, 2)[1]["view"])
    assert "*Fish &amp; &lt;Chips&gt; Holdings*" in other and "<Chips>" not in other

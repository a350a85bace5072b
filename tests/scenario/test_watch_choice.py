"""A near-miss name asks "Did you mean" with buttons before anything is created (issue 15.8)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from tests.fakes.signing import signed_headers, slash_command_body
from tests.fakes.slack_api import block_action_body
from tests.scenario.conftest import SECRET, RunningBot


def wait_for(condition: Callable[[], Any], timeout: float = 5.0) -> Any:
    """The first truthy value of condition, polled until timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition never became true")


def responses(bot: RunningBot) -> list[dict[str, Any]]:
    """Everything posted to response_url so far."""
    return [call.body for call in bot.slack.calls if call.path == "/hooks/response"]


def post(bot: RunningBot, body: str) -> None:
    """POST a signed body to the bot's Slack endpoint."""
    answer = httpx.post(
        f"{bot.url}/slack/events", content=body, headers=signed_headers(SECRET, body)
    )
    assert answer.status_code == 200


def ask(bot: RunningBot, text: str) -> dict[str, Any]:
    """Send /deals text; return its response_url answer."""
    before = len(responses(bot))
    body = slash_command_body(text, bot.slack.response_url).replace(
        "trigger_id=1.2.3", f"trigger_id={uuid.uuid4().hex}"
    )
    post(bot, body)
    return wait_for(lambda: responses(bot)[before:])[0]


def click(bot: RunningBot, answer: dict[str, Any], number: int) -> dict[str, Any]:
    """Click button number of the answer's actions block; return the reply it gets."""
    [actions] = [block for block in answer["blocks"] if block["type"] == "actions"]
    before = len(responses(bot))
    element = actions["elements"][number]
    post(bot, block_action_body(element, actions["block_id"], "1.1", bot.slack.response_url))
    return wait_for(lambda: responses(bot)[before:])[0]


def broadcasts(bot: RunningBot) -> list[str]:
    """The in-channel messages of C0DEALS."""
    return [
        str(call.body.get("text", ""))
        for call in bot.slack.calls_to("chat.postMessage")
        if call.body.get("channel") == "C0DEALS"
    ]


def test_a_near_miss_asks_first_and_the_buttons_choose(bot: RunningBot) -> None:
    ask(bot, "watch Alibaba aka Alibaba Group")
    wait_for(lambda: broadcasts(bot))
    question = ask(bot, "watch Alibab not Alibab Cloud")
    assert "Did you mean *Alibaba* (aka Alibaba Group)?" in question["text"]
    assert bot.store.find_entity("T0TEST", "Alibab") is None, "nothing is created before the answer"
    known = click(bot, question, 0)
    assert known["replace_original"] is True
    assert known["text"] == "This channel already watches *Alibaba* (aka Alibaba Group)."
    typed = click(bot, question, 1)
    assert typed["text"] == "Watching *Alibab* (not Alibab Cloud) in this channel."
    entity = bot.store.find_entity("T0TEST", "Alibab")
    assert entity is not None and entity.exclude == ("Alibab Cloud",)
    wait_for(lambda: "This channel now watches *Alibab*." in broadcasts(bot))
    assert broadcasts(bot).count("This channel now watches *Alibaba*.") == 1, "announced once"

"""Dripping feeds given to `/deals feeds add` never take the threads that answer Slack."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.app import LISTENER_THREADS
from bot.ingest.fetcher import PREVIEW_WORKERS
from tests.fakes.feed_server import Drip, FakeFeedServer
from tests.scenario.conftest import RunningBot

# How long the test waits for the replies; a dripping preview lasts 15 s, so only replies
# that never waited for one arrive in time.
WAIT_S = 12.0
BUSY = "too many feeds are being checked"


def _replies(bot: RunningBot) -> list[str]:
    return [
        str(call.body.get("text", "")) for call in bot.slack.calls if call.path == "/hooks/response"
    ]


def _wait_for_replies(bot: RunningBot, wanted: int, text: str) -> list[str]:
    """The replies once `wanted` of them contain text; fails after WAIT_S."""
    done = threading.Event()
    for _ in range(int(WAIT_S / 0.05)):
        if sum(text in reply for reply in _replies(bot)) >= wanted:
            done.set()
            break
        done.wait(0.05)
    assert done.is_set(), f"expected {wanted} replies with {text!r}, got {_replies(bot)}"
    return _replies(bot)


def test_dripping_feeds_add_leave_listeners_free_for_other_commands(bot: RunningBot) -> None:
    if bot.store.engine.dialect.name != "sqlite":
        pytest.skip("no SQL under test: once is enough")
    feeds = FakeFeedServer().start()
    try:
        adds = LISTENER_THREADS + 8
        # One path each: identical commands sent in the same second count as Slack retries.
        for n in range(adds):
            feeds.serve(f"/drip-{n}", Drip(b"<rss>" + b" " * 10_000 + b"</rss>", every_s=0.5))
        with ThreadPoolExecutor(max_workers=8) as pool:
            acks = list(
                pool.map(lambda n: bot.command(f"feeds add {feeds.url(f'/drip-{n}')}"), range(adds))
            )
        assert [ack.status_code for ack in acks] == [200] * adds
        _wait_for_replies(bot, adds - PREVIEW_WORKERS, BUSY)
        bot.command("feeds list")
        _wait_for_replies(bot, 1, "This channel has no feeds yet")
    finally:
        feeds.stop()

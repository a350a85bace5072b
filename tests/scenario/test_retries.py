"""Slack redelivers what it thinks we missed; nothing may happen twice, and acks stay fast."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.app import create_app, create_asgi
from bot.settings import Settings
from db.store import SqlStore
from handlers.blocks import ACTION_MUTE
from handlers.poster import make_web_client
from tests.fakes.servers import serve_asgi
from tests.fakes.signing import signed_headers, slash_command_body
from tests.fakes.slack_api import DEFAULT_WAIT_S, FakeSlack, block_action_body, event_body
from tests.scenario.conftest import SECRET, RunningBot
from tests.scenario.test_actions import (
    HTTP,
    button,
    channel_posts,
    click,
    post_digest,
    responses,
    send,
)
from tests.scenario.test_home import open_home, published, view_text
from watchlists.model import Entity

RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
# Far above any real ack, and below how long a held mute waits to be released.
ACK_TIMEOUT_S = DEFAULT_WAIT_S / 2


def test_event_redelivered_with_a_retry_header_is_applied_once(bot: RunningBot) -> None:
    assert open_home(bot, "Ev0ONCE") == 200
    assert open_home(bot, "Ev0ONCE", headers=RETRY) == 200
    assert open_home(bot, "Ev0OTHER") == 200
    first = published(bot, 2)[0]
    assert "/deals watch" in view_text(first["view"]), "an empty Home says how to start"
    bot.finish_work()
    assert len(bot.slack.calls_to("views.publish")) == 2


def test_clicks_and_commands_sent_twice_are_applied_once(bot: RunningBot) -> None:
    digest, ts = post_digest(bot)
    element, block_id = button(digest, ACTION_MUTE, "Kestrel")
    assert click(bot, element, block_id, ts, action_ts="1700000100.000200").status_code == 200
    again = click(bot, element, block_id, ts, headers=RETRY, action_ts="1700000100.000200")
    assert again.status_code == 200

    body = slash_command_body("watch Orbital Freight", bot.slack.response_url)
    headers = signed_headers(SECRET, body)
    for _ in range(2):
        assert (
            HTTP.post(f"{bot.url}/slack/events", content=body, headers=headers).status_code == 200
        )
    later = signed_headers(SECRET, body, int(headers["X-Slack-Request-Timestamp"]) - 1)
    HTTP.post(f"{bot.url}/slack/events", content=body, headers=later)

    bot.finish_work()
    assert len(channel_posts(bot, "muted *Kestrel Robotics*")) == 1
    assert len([r for r in responses(bot) if "Muted" in str(r.get("text"))]) == 1
    assert len([r for r in responses(bot) if "Orbital" in str(r.get("text"))]) == 2, (
        "a new request with the same text is a new command"
    )


class SlowStore(SqlStore):
    """The real store, whose mutes wait until the test lets them go (a database under load)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.release = threading.Event()

    def mute(self, channel_id: int, entity_id: int, until: datetime) -> None:
        """Wait for release, then mute."""
        if not self.release.wait(timeout=DEFAULT_WAIT_S):
            raise TimeoutError("the test never released the mute")
        super().mute(channel_id, entity_id, until)


@pytest.fixture
def slow_bot(engine: Engine, slack: FakeSlack) -> Iterator[RunningBot]:
    """The real HTTP app whose store is slow to mute."""
    settings = Settings(
        slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack.url
    )
    store = SlowStore(engine)
    app = create_app(settings, store, make_web_client(settings.slack_bot_token, slack.url))
    with serve_asgi(create_asgi(app)) as url:
        try:
            yield RunningBot(url=url, app=app, store=store, slack=slack)
        finally:
            store.release.set()


def test_a_click_is_acked_while_its_slow_work_is_still_running(slow_bot: RunningBot) -> None:
    digest, ts = post_digest(slow_bot)
    element, block_id = button(digest, ACTION_MUTE, "Kestrel")
    body = block_action_body(element, block_id, ts, slow_bot.slack.response_url)
    # The mute blocks until released: an ack that waited for it would time out here.
    answer = HTTP.post(
        f"{slow_bot.url}/slack/events",
        content=body,
        headers=signed_headers(SECRET, body),
        timeout=ACK_TIMEOUT_S,
    )
    assert answer.status_code == 200
    assert channel_posts(slow_bot, "muted *Kestrel Robotics*") == []
    assert isinstance(slow_bot.store, SlowStore)
    slow_bot.store.release.set()
    slow_bot.posts(containing="muted *Kestrel Robotics*")


def test_uninstall_forgets_the_team_in_single_workspace_mode(bot: RunningBot) -> None:
    channel = bot.store.ensure_channel("T0TEST", "C0DEALS", "deal-desk")
    bot.store.watch(channel.id, Entity(name="Kestrel Robotics"))
    kept = bot.store.ensure_channel("T0KEEP", "C0KEEP", "keep-desk")
    answer = send(bot, event_body({"type": "app_uninstalled"}, "Ev0GONE"))
    assert answer.status_code == 200
    with bot.store.engine.connect() as connection:
        counts = [
            connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("workspace", "channel", "watchlist", "subscription")
        ]
    assert counts == [1, 1, 1, 1], "only the other team's rows are left"
    assert [c.slack_id for c in bot.store.team_channels("T0KEEP")] == [kept.slack_id]

"""A running bot over HTTP, wired to the fake Slack Web API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from slack_bolt import App
from sqlalchemy.engine import Engine

from bot.app import create_app, create_asgi
from bot.settings import Settings
from db.store import SqlStore
from handlers.poster import make_web_client
from tests.fakes.servers import serve_asgi
from tests.fakes.signing import signed_headers, slash_command_body
from tests.fakes.slack_api import Call, FakeSlack

SECRET = "test-signing-secret"


@dataclass
class RunningBot:
    """The bot's base URL, its Bolt app, its store and the fake Slack it talks to."""

    url: str
    app: App
    store: SqlStore
    slack: FakeSlack

    def command(self, text: str, channel_id: str = "C0DEALS") -> httpx.Response:
        """Send a signed /deals command and return the HTTP answer."""
        body = slash_command_body(text, self.slack.response_url, channel_id)
        return httpx.post(
            f"{self.url}/slack/events", content=body, headers=signed_headers(SECRET, body)
        )

    def replies(self, count: int = 1, containing: str = "") -> list[dict[str, Any]]:
        """The bodies sent to response_url that contain a phrase, once there are count."""
        calls = self.slack.wait_for(
            "response", count, where=lambda call: containing in str(call.body.get("text", ""))
        )
        return [call.body for call in calls]

    def posts(
        self, count: int = 1, containing: str = "", channel_id: str | None = None
    ) -> list[dict[str, Any]]:
        """chat.postMessage bodies with a phrase (in a channel), once there are count."""

        def wanted(call: Call) -> bool:
            in_channel = channel_id is None or call.body.get("channel") == channel_id
            return in_channel and containing in str(call.body.get("text", ""))

        return [call.body for call in self.slack.wait_for("chat.postMessage", count, where=wanted)]

    def finish_work(self) -> None:
        """Wait until every listener started so far has finished; the bot takes no more work."""
        self.app.listener_runner.listener_executor.shutdown(wait=True)


@pytest.fixture
def bot(engine: Engine, slack: FakeSlack) -> Iterator[RunningBot]:
    """The real HTTP app on a free port, on the test database."""
    settings = Settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=slack.url,
        allow_loopback_feeds=True,
    )
    store = SqlStore(engine)
    app = create_app(settings, store, make_web_client(settings.slack_bot_token, slack.url))
    with serve_asgi(create_asgi(app, signing_secret=SECRET)) as url:
        yield RunningBot(url=url, app=app, store=store, slack=slack)

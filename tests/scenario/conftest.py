"""A running bot over HTTP, wired to the fake Slack Web API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy.engine import Engine

from bot.app import create_app, create_asgi
from bot.settings import Settings
from db.store import SqlStore
from handlers.poster import make_web_client
from tests.fakes.servers import serve_asgi
from tests.fakes.signing import signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack

SECRET = "test-signing-secret"


@dataclass
class RunningBot:
    """The bot's base URL, its store and the fake Slack it talks to."""

    url: str
    store: SqlStore
    slack: FakeSlack

    def command(self, text: str, channel_id: str = "C0DEALS") -> httpx.Response:
        """Send a signed /deals command and return the HTTP answer."""
        body = slash_command_body(text, self.slack.response_url, channel_id)
        return httpx.post(
            f"{self.url}/slack/events", content=body, headers=signed_headers(SECRET, body)
        )


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
        yield RunningBot(url=url, store=store, slack=slack)

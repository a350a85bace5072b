"""Slash commands are acknowledged at once, even while every listener is busy."""

from __future__ import annotations

import threading
import time

import httpx
from sqlalchemy.engine import Engine

from bot.app import DISPATCH_THREADS, LISTENER_THREADS, WORK_THREADS, create_app, create_asgi
from bot.settings import Settings
from db.store import SqlStore
from handlers.poster import make_web_client
from tests.fakes.servers import serve_asgi
from tests.fakes.signing import signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack
from tests.scenario.conftest import SECRET
from watchlists.model import Channel

# More commands than every thread that could run listener work.
COMMANDS = LISTENER_THREADS + DISPATCH_THREADS + WORK_THREADS + 8


class StuckStore(SqlStore):
    """A store whose channel look-up waits until released: listener work that never ends."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.release = threading.Event()
        self.entered = 0
        self._count = threading.Lock()

    def ensure_channel(self, team_id: str, slack_id: str, name: str = "") -> Channel:
        with self._count:
            self.entered += 1
        self.release.wait(timeout=60)
        return super().ensure_channel(team_id, slack_id, name)


def _replies(slack: FakeSlack) -> int:
    return len([call for call in slack.calls if call.path == "/hooks/response"])


def test_commands_are_acked_while_every_listener_is_stuck(engine: Engine, slack: FakeSlack) -> None:
    settings = Settings(
        slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack.url
    )
    store = StuckStore(engine)
    app = create_app(settings, store, make_web_client(settings.slack_bot_token, slack.url))
    with serve_asgi(create_asgi(app, signing_secret=SECRET)) as url:
        try:
            for n in range(COMMANDS):
                body = slash_command_body("help", slack.response_url, f"C{n:03d}")
                answer = httpx.post(
                    f"{url}/slack/events",
                    content=body,
                    headers=signed_headers(SECRET, body),
                    timeout=10,
                )
                assert answer.status_code == 200, (n, answer.status_code)
            assert _replies(slack) == 0  # every one was acked before any work finished
        finally:
            store.release.set()
        deadline = time.monotonic() + 30
        while _replies(slack) < COMMANDS and time.monotonic() < deadline:
            time.sleep(0.02)
    assert _replies(slack) == COMMANDS


def test_a_forged_command_is_not_acked(engine: Engine, slack: FakeSlack) -> None:
    settings = Settings(
        slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack.url
    )
    app = create_app(settings, SqlStore(engine), make_web_client("xoxb-test", slack.url))
    with serve_asgi(create_asgi(app, signing_secret=SECRET)) as url:
        body = slash_command_body("help", slack.response_url)
        answer = httpx.post(
            f"{url}/slack/events", content=body, headers=signed_headers("forged", body)
        )
    assert answer.status_code == 401

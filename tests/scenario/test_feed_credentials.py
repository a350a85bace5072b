"""A feed URL with a user name and password: used to fetch, never shown, logged or kept in clear.

One signed `/deals feeds add http://user:s3cr3t-pass@127.0.0.1:PORT/feed.xml` against the fake
feed server, then every surface that names a feed: the replies, `feeds list`, the App
Home, a failing poll, `dealwatch status` (text and JSON), the metrics, the log records and
the rows in the database.
"""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.exposition import generate_latest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.app import create_app, create_asgi, feed_fetcher
from bot.observability import MeteredFetcher, Metrics, print_status
from bot.scheduler import poll_and_log
from bot.settings import Settings
from db.secrets import new_key
from db.store import SqlStore
from handlers.poster import make_web_client
from tests.conftest import unpaced_poster
from tests.fakes.feed_server import FakeFeedServer, Feed, Status
from tests.fakes.servers import serve_asgi
from tests.fakes.slack_api import FakeSlack
from tests.scenario.conftest import SECRET, RunningBot
from tests.scenario.test_home import open_home, published

# Distinctive, so that finding it anywhere means it leaked ("pass" alone is in help texts).
PASSWORD = "s3cr3t-pass"
BASIC_AUTH = "Basic " + base64.b64encode(f"user:{PASSWORD}".encode()).decode()
# No channel title: every surface has to fall back on the URL, which must show as ***.
FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel>'
    b"<item><title>Kestrel Robotics buys Osprey Labs</title><guid>k-1</guid>"
    b"<link>https://news.example/k-1</link><description>An acquisition.</description></item>"
    b"</channel></rss>"
)


@pytest.fixture
def feeds() -> Iterator[FakeFeedServer]:
    """The fake feed server on a free port."""
    server = FakeFeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def settings(engine: Engine, slack: FakeSlack) -> Settings:
    """Loopback feeds allowed and a secret key set, on the test database."""
    return Settings(
        database_url=engine.url.render_as_string(hide_password=False),
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=slack.url,
        allow_loopback_feeds=True,
        secret_key=new_key(),
    )


@pytest.fixture
def keyed_bot(engine: Engine, slack: FakeSlack, settings: Settings) -> Iterator[RunningBot]:
    """The real HTTP app with DEALWATCH_SECRET_KEY set."""
    store = SqlStore(engine, settings.secret_box)
    app = create_app(settings, store, make_web_client(settings.slack_bot_token, slack.url))
    with serve_asgi(create_asgi(app)) as url:
        yield RunningBot(url=url, app=app, store=store, slack=slack)


def reply_text(bot: RunningBot, count: int) -> str:
    """The text of the count-th response_url reply, once it came."""
    return str(bot.slack.wait_for("response", count)[count - 1].body["text"])


def test_feed_credentials_reach_the_feed_server_and_no_surface_shows_them(
    keyed_bot: RunningBot,
    feeds: FakeFeedServer,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    feeds.serve("/feed.xml", Feed(FEED), Status(500, b"down for maintenance"))
    port = feeds.port
    secret_url = f"http://user:{PASSWORD}@127.0.0.1:{port}/feed.xml"

    keyed_bot.command(f"feeds add {secret_url}")
    added = reply_text(keyed_bot, 1)
    assert "Kestrel Robotics buys Osprey Labs" in added
    [fetched] = feeds.requests_to("/feed.xml")
    assert fetched.headers["Authorization"] == BASIC_AUTH  # decrypted for the request

    keyed_bot.command(f"feeds add http://user:{PASSWORD}@127.0.0.1:{port}/missing.xml")
    refused = reply_text(keyed_bot, 2)
    assert "Could not add" in refused and f"http://***@127.0.0.1:{port}/missing.xml" in refused

    # A poll that fails: its error is kept, logged, and shown by `feeds list` and status.
    with keyed_bot.store.engine.begin() as connection:
        connection.execute(text("UPDATE source SET next_poll_at = NULL"))
    metrics = Metrics()
    fetcher = MeteredFetcher(feed_fetcher(settings), metrics)
    poll_and_log(keyed_bot.store, fetcher, unpaced_poster(keyed_bot.slack), datetime.now(UTC))
    assert len(feeds.requests_to("/feed.xml")) == 2

    keyed_bot.command("feeds list")
    listed = reply_text(keyed_bot, 3)
    assert f"http://***@127.0.0.1:{port}/feed.xml" in listed and "500" in listed

    keyed_bot.slack.user_channels["U0USER"] = ["C0DEALS"]
    assert open_home(keyed_bot, "Ev0HOMESECRET") == 200
    [home] = published(keyed_bot)

    status_text, status_json = io.StringIO(), io.StringIO()
    print_status(settings, out=status_text)
    print_status(settings, as_json=True, out=status_json)
    assert f"127.0.0.1:{port}/feed.xml" in status_json.getvalue()

    shown = {
        "slack calls": " ".join(
            f"{call.path} {call.body} {call.headers}" for call in keyed_bot.slack.calls
        ),
        "app home": str(home),
        "status": status_text.getvalue() + status_json.getvalue(),
        "metrics": generate_latest(metrics.registry).decode(),
        "log": "\n".join(
            f"{record.getMessage()} {record.exc_text or ''} {record.exc_info or ''}"
            for record in caplog.records
        ),
    }
    for surface, content in shown.items():
        assert PASSWORD not in content, surface
        assert "s3cr3t" not in content, surface

    with keyed_bot.store.engine.connect() as connection:
        [(url, credentials)] = connection.execute(text("SELECT url, credentials FROM source")).all()
    assert url == f"http://***@127.0.0.1:{port}/feed.xml"
    assert credentials.startswith("gAAAAA") and PASSWORD not in credentials


def test_without_a_secret_key_a_credential_feed_is_refused_with_the_reason(
    engine: Engine, slack: FakeSlack, feeds: FakeFeedServer, settings: Settings
) -> None:
    feeds.serve("/feed.xml", Feed(FEED))
    keyless = Settings(**{**vars(settings), "secret_key": ""})
    store = SqlStore(engine, keyless.secret_box)
    app = create_app(keyless, store, make_web_client(keyless.slack_bot_token, slack.url))
    with serve_asgi(create_asgi(app)) as url:
        bot = RunningBot(url=url, app=app, store=store, slack=slack)
        bot.command(f"feeds add http://user:{PASSWORD}@127.0.0.1:{feeds.port}/feed.xml")
        refused = reply_text(bot, 1)
        bot.command(f"feeds add {feeds.url('/feed.xml')}")
        accepted = reply_text(bot, 2)
    assert "DEALWATCH_SECRET_KEY" in refused and PASSWORD not in refused
    assert "Added feed" in accepted
    with engine.connect() as connection:
        urls = connection.execute(text("SELECT url FROM source")).scalars().all()
    assert urls == [feeds.url("/feed.xml")]


def test_a_poll_due_in_the_past_uses_the_decrypted_url(
    keyed_bot: RunningBot, feeds: FakeFeedServer, settings: Settings
) -> None:
    feeds.serve("/feed.xml", Feed(FEED))
    channel = keyed_bot.store.ensure_channel("T0TEST", "C0DEALS")
    keyed_bot.store.add_channel_source(
        channel.id, f"http://user:{PASSWORD}@127.0.0.1:{feeds.port}/feed.xml", ""
    )
    fetcher = feed_fetcher(settings)
    poll_and_log(
        keyed_bot.store, fetcher, unpaced_poster(keyed_bot.slack), datetime.now(UTC) + timedelta(1)
    )
    [fetched] = feeds.requests_to("/feed.xml")
    assert fetched.headers["Authorization"] == BASIC_AUTH

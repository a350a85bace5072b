"""Requests nobody signed, or signed but broken, meet a capped, quiet, 4xx edge (issue 14.3, 14.6, 14.8)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from apscheduler.schedulers.background import BackgroundScheduler  # type: ignore[import-untyped]
from sqlalchemy.engine import Engine

from bot.app import (
    DEGRADED_REPLY,
    MAX_SLACK_BODY,
    create_app,
    create_asgi,
    readiness_checks,
)
from bot.http_server import guarded_protocols, server_config
from bot.settings import Settings
from db.engine import make_engine
from db.store import SqlStore
from handlers.poster import make_web_client
from tests.conftest import create_schema
from tests.fakes.servers import serve_config
from tests.fakes.signing import signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack
from tests.scenario.conftest import SECRET, RunningBot

MARKER = "BODY-MARKER-7f3a"


def wait_for(condition: Callable[[], Any], timeout: float = 5.0) -> Any:
    """The first truthy value of condition, polled until timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def sign(body: bytes, stamp: str | None = None) -> dict[str, str]:
    """Slack's v0 signature over raw bytes (the fake's helper signs text only)."""
    stamp = stamp or str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
        "Content-Type": "application/json",
    }


def edge_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What dealwatch and Bolt logged (uvicorn's access lines aside)."""
    return [
        record
        for record in caplog.records
        if record.name.startswith(("dealwatch", "slack_bolt", "slack_sdk"))
    ]


def assert_one_quiet_line(caplog: pytest.LogCaptureFixture) -> None:
    """Exactly one line was logged, on one line, and none of the body reached the log."""
    records = edge_records(caplog)
    assert len(records) == 1, [r.getMessage() for r in records]
    message = records[0].getMessage()
    assert "\n" not in message and len(message) < 300
    assert MARKER not in caplog.text


def post(bot: RunningBot, content: Any, headers: dict[str, str]) -> httpx.Response:
    """POST to /slack/events."""
    return httpx.post(f"{bot.url}/slack/events", content=content, headers=headers, timeout=30)


def test_an_oversized_body_is_refused_by_its_declared_length(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    body = (MARKER + "x" * 1000) * 200
    answer = post(bot, body, signed_headers("wrong-secret", body))
    assert answer.status_code == 413
    assert_one_quiet_line(caplog)


def test_an_oversized_chunked_body_is_refused_while_it_streams(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        for _ in range(4 * MAX_SLACK_BODY // 4096):
            sent.append(4096)
            yield MARKER.encode() + b"y" * (4096 - len(MARKER))

    try:
        answer = post(bot, chunks(), {"Content-Type": "application/json"})
    except httpx.HTTPError:
        pytest.fail("the server should answer, not drop the connection")
    assert answer.status_code == 413
    assert_one_quiet_line(caplog)


def test_a_badly_signed_request_is_logged_in_one_line_without_its_body(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = slash_command_body(f"watch {MARKER}\n2026-01-01 ERROR forged line", "http://x")
    answer = post(bot, body, signed_headers("wrong-secret", body))
    assert answer.status_code == 401
    assert_one_quiet_line(caplog)
    assert bot.store.list_channels() == []


@pytest.mark.parametrize(
    ("content", "headers", "status"),
    [
        pytest.param(
            b"\xff\xfe" + MARKER.encode() + b"\xc3\x28",
            {"X-Slack-Signature": "v0=00", "X-Slack-Request-Timestamp": str(int(time.time()))},
            401,
            id="unsigned-invalid-utf8",
        ),
        pytest.param(
            ('{"type": "event_callback", "' + MARKER).encode(),
            {"X-Slack-Signature": "v0=00", "X-Slack-Request-Timestamp": str(int(time.time()))},
            401,
            id="unsigned-malformed-json",
        ),
        pytest.param(
            MARKER.encode(),
            {"X-Slack-Signature": "v0=00", "X-Slack-Request-Timestamp": "9" * 5000},
            401,
            id="5000-digit-timestamp",
        ),
        pytest.param(b"\xff\xfe" + MARKER.encode(), None, 400, id="signed-invalid-utf8"),
        pytest.param(
            ('{"type": "event_callback", "' + MARKER).encode(), None, 400, id="signed-bad-json"
        ),
    ],
)
def test_a_malformed_request_gets_a_4xx_and_one_log_line(
    bot: RunningBot,
    caplog: pytest.LogCaptureFixture,
    content: bytes,
    headers: dict[str, str] | None,
    status: int,
) -> None:
    caplog.set_level(logging.INFO)
    answer = post(bot, content, headers or sign(content))
    assert answer.status_code == status
    assert_one_quiet_line(caplog)


def test_a_good_request_still_passes_the_edge(bot: RunningBot) -> None:
    assert bot.command("watch Alibaba").status_code == 200
    wait_for(lambda: [c for c in bot.slack.calls if c.path == "/hooks/response"])


# Health ----------------------------------------------------------------------


def _app(engine: Engine, slack: FakeSlack) -> Any:
    settings = Settings(
        slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack.url
    )
    return create_app(settings, SqlStore(engine), make_web_client("xoxb-test", slack.url))


def test_readiness_reports_the_database_and_the_scheduler(
    engine: Engine, slack: FakeSlack, tmp_path: Path
) -> None:
    scheduler = BackgroundScheduler()
    app = _app(engine, slack)
    down = make_engine(f"sqlite:///{tmp_path / 'no-such-dir' / 'gone.db'}")
    ready = create_asgi(app, readiness=readiness_checks(engine, scheduler))
    broken = create_asgi(app, readiness=readiness_checks(down, scheduler))
    with serve_config(server_config(ready, "127.0.0.1", 0, log_level="warning")) as url:
        stopped = httpx.get(f"{url}/readyz")
        assert stopped.status_code == 503
        assert stopped.json() == {"ok": False, "database": "ok", "scheduler": "stopped"}
        scheduler.start()
        try:
            assert httpx.get(f"{url}/readyz").json() == {
                "ok": True,
                "database": "ok",
                "scheduler": "running",
            }
            with serve_config(
                server_config(broken, "127.0.0.1", 0, log_level="warning")
            ) as down_url:
                answer = httpx.get(f"{down_url}/readyz")
                assert answer.status_code == 503
                assert answer.json()["database"].startswith("down: ")
                assert httpx.get(f"{down_url}/healthz").json() == {"ok": True}, "still alive"
        finally:
            scheduler.shutdown(wait=False)


def test_a_command_during_a_database_outage_is_acked_and_told_the_service_is_degraded(
    slack: FakeSlack, tmp_path: Path
) -> None:
    path = tmp_path / "outage.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    app = _app(engine, slack)
    with serve_config(server_config(create_asgi(app), "127.0.0.1", 0, log_level="warning")) as url:
        engine.dispose()
        for leftover in tmp_path.glob("outage.db*"):
            os.remove(leftover)
        path.mkdir()  # the database file is now a directory: no connection can open it
        body = slash_command_body("list", slack.response_url)
        answer = httpx.post(
            f"{url}/slack/events", content=body, headers=signed_headers(SECRET, body)
        )
        assert answer.status_code == 200
        [reply] = wait_for(lambda: [c.body for c in slack.calls if c.path == "/hooks/response"])
        assert reply["text"] == DEGRADED_REPLY
        assert reply["response_type"] == "ephemeral"


# Server limits ---------------------------------------------------------------


def whole_response(connection: socket.socket) -> bytes:
    """One HTTP response read to the end of its body (it may come in several segments)."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(1024)
        assert chunk, f"the connection closed inside a response: {received!r}"
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = connection.recv(1024)
        assert chunk, f"the connection closed inside a body: {received!r}"
        body += chunk
    return head + b"\r\n\r\n" + body


@pytest.mark.parametrize("protocol", guarded_protocols(), ids=lambda p: p.__name__)
def test_a_connection_that_never_finishes_its_headers_is_closed(
    engine: Engine, slack: FakeSlack, protocol: type[Any]
) -> None:
    quick = type("QuickHeaderTimeout", (protocol,), {"header_timeout_s": 0.3})
    # A keep-alive far longer than the header deadline: only the header clock closes these.
    config = server_config(
        create_asgi(_app(engine, slack)),
        "127.0.0.1",
        0,
        http=quick,
        timeout_keep_alive=60,
        log_level="warning",
    )
    with serve_config(config) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as half_open:
            half_open.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
            assert half_open.recv(1024) == b"", "the server closed the connection"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as silent:
            assert silent.recv(1024) == b""
        with socket.create_connection(("127.0.0.1", port), timeout=10) as kept:
            kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert whole_response(kept).startswith(b"HTTP/1.1 200")
            kept.sendall(b"GET /healthz HTTP/1.1\r\nHo")
            assert kept.recv(1024) == b"", "a second request's slow headers close it too"
        assert httpx.get(f"{url}/healthz").status_code == 200


def test_dealwatch_serves_with_the_c_http_parser_when_installed() -> None:
    config = server_config(None, "127.0.0.1", 0)
    assert config.http is guarded_protocols()[0]
    assert guarded_protocols()[0].__name__ == "GuardedHttpToolsProtocol"


def test_connections_above_the_limit_are_answered_503(engine: Engine, slack: FakeSlack) -> None:
    config = server_config(
        create_asgi(_app(engine, slack)), "127.0.0.1", 0, limit_concurrency=2, log_level="warning"
    )
    with serve_config(config) as url:
        port = int(url.rsplit(":", 1)[1])
        idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
        try:
            wait_for(lambda: httpx.get(f"{url}/healthz").status_code == 503)
        finally:
            for connection in idle:
                connection.close()
        wait_for(lambda: httpx.get(f"{url}/healthz").status_code == 200)

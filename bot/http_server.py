"""The uvicorn configuration dealwatch serves with: a C HTTP parser, timeouts, a connection limit.

The HTTP/1.1 protocol is uvicorn's httptools one (a C parser: the acks' 20-way p99 in
benchmarks/bench_ack.py is lower than with the pure-Python h11 one in the same run) when
httptools is installed, else h11. Either closes a connection that has not sent a request's
headers within HEADER_TIMEOUT_S.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is not installed: h11 serves alone
    HttpToolsProtocol = None

# Slack retries after 3 s: a request that has not even sent its headers by then is not Slack.
HEADER_TIMEOUT_S = 10.0
KEEP_ALIVE_S = 5
# Below the common 1,024 open files, leaving room for the database, feeds and Slack calls.
MAX_CONNECTIONS = 512


class HeaderClock:
    """Closes a transport whose request headers are not complete within a deadline."""

    def __init__(self, loop: asyncio.AbstractEventLoop, deadline_s: float) -> None:
        self.loop = loop
        self.deadline_s = deadline_s
        self._timer: asyncio.TimerHandle | None = None
        self._transport: asyncio.BaseTransport | None = None

    def start(self, transport: asyncio.BaseTransport) -> None:
        """Start the clock unless it runs already."""
        if self._timer is None:
            self._transport = transport
            self._timer = self.loop.call_later(self.deadline_s, self._too_slow)

    def stop(self) -> None:
        """Stop the clock: the headers are complete or the connection is gone."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _too_slow(self) -> None:
        self._timer = None
        if self._transport is not None and not self._transport.is_closing():
            self._transport.close()


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose headers take too long."""

    header_timeout_s = HEADER_TIMEOUT_S

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the header clock as the connection opens."""
        super().connection_made(transport)
        self._header_clock = HeaderClock(self.loop, self.header_timeout_s)
        self._watch_headers()

    def data_received(self, data: bytes) -> None:
        """Read, then stop the clock once a request's headers are complete (or restart it)."""
        super().data_received(data)
        self._watch_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock with the connection."""
        self._header_clock.stop()
        super().connection_lost(exc)

    def _watch_headers(self) -> None:
        # Idle between requests is the keep-alive timer's business, not the header clock's.
        if self.conn.their_state is h11.IDLE and self.timeout_keep_alive_task is None:
            self._header_clock.start(self.transport)
        else:
            self._header_clock.stop()


if HttpToolsProtocol is not None:

    class GuardedHttpToolsProtocol(HttpToolsProtocol):  # type: ignore[misc, valid-type]
        """uvicorn's httptools protocol, closing a connection whose headers take too long."""

        header_timeout_s = HEADER_TIMEOUT_S

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            """Start the header clock as the connection opens."""
            super().connection_made(transport)
            self._header_clock = HeaderClock(self.loop, self.header_timeout_s)
            self._header_clock.start(transport)

        def on_message_begin(self) -> None:
            """A request starts: its headers are on the clock."""
            super().on_message_begin()
            self._header_clock.start(self.transport)

        def on_headers_complete(self) -> None:
            """The headers are in: stop the clock."""
            self._header_clock.stop()
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            """Idle until the next request is the keep-alive timer's business."""
            self._header_clock.stop()
            super().on_response_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            """Stop the clock with the connection."""
            self._header_clock.stop()
            super().connection_lost(exc)


def guarded_protocols() -> list[type[asyncio.Protocol]]:
    """The guarded HTTP/1.1 protocols installed here, the one served with first."""
    found: list[type[asyncio.Protocol]] = [GuardedH11Protocol]
    if HttpToolsProtocol is not None:
        found.insert(0, GuardedHttpToolsProtocol)
    return found


def server_config(asgi: Any, host: str, port: int, **overrides: Any) -> Any:
    """The uvicorn configuration dealwatch serves with: timeouts and a connection limit."""
    import uvicorn

    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "http": guarded_protocols()[0],
        "timeout_keep_alive": KEEP_ALIVE_S,
        "limit_concurrency": MAX_CONNECTIONS,
        "log_level": "info",
        # log_config=None: uvicorn's loggers reach the root handler (and its JSON format).
        "log_config": None,
    }
    options.update(overrides)
    return uvicorn.Config(asgi, **options)

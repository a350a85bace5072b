"""Cross-process wake-ups on PostgreSQL: NOTIFY when work is added, LISTEN for it.

A store that adds articles or queues deliveries sends a notification on the channel of
its schema (`dealwatch_work:<schema>`) in the same transaction, so listeners hear of it
when it commits and never before. A listener holds a connection of its own, outside the
pool, and waits on it. The payload names the engine that sent it (host, process, engine),
and a listener skips its own engine's: the process that added the work woke itself.
SQLite has no such thing: there the process wakes itself and the worker's probe notices
other processes.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from types import TracebackType
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

WORK_CHANNEL_PREFIX = "dealwatch_work:"
# PostgreSQL refuses a channel name of NAMEDATALEN (64) bytes or more.
MAX_CHANNEL_BYTES = 63
# Payloads say what was added; listeners wake for any of them.
ARTICLES_ADDED = "articles"
DELIVERIES_QUEUED = "deliveries"


def supports_notify(engine: Engine) -> bool:
    """Whether the database has LISTEN/NOTIFY (PostgreSQL)."""
    return engine.dialect.name == "postgresql"


def work_channel(schema: str) -> str:
    """The channel the stores of one schema notify on."""
    name = (WORK_CHANNEL_PREFIX + schema).encode()[:MAX_CHANNEL_BYTES]
    return name.decode(errors="ignore")


def origin_of(engine: Engine) -> str:
    """Who sends through engine: host, process and engine (a process may hold several)."""
    return f"{socket.gethostname()}:{os.getpid()}:{id(engine):x}"


def _schema_channel(connection: Connection | Session) -> str:
    return work_channel(str(connection.execute(text("SELECT current_schema()")).scalar_one()))


class WorkNotifier:
    """Sends work notifications inside a store's transactions (nothing on SQLite)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.enabled = supports_notify(engine)
        self._channel: str | None = None
        self._lock = threading.Lock()

    def notify(self, session: Session, what: str) -> None:
        """Notify listeners of this schema that work was added; sent when session commits."""
        if not self.enabled:
            return
        with self._lock:
            channel = self._channel
        if channel is None:
            channel = _schema_channel(session)
            with self._lock:
                self._channel = channel
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": channel, "payload": f"{what}@{origin_of(self.engine)}"},
        )


class WorkNotifications:
    """A dedicated connection LISTENing on the schema's work channel."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._proxy: Any = None
        self._connection: Any = None

    def __enter__(self) -> WorkNotifications:
        # Out of the pool for good: a pooled connection would carry the LISTEN to others.
        proxy = self.engine.raw_connection()
        connection: Any = proxy.driver_connection
        proxy.detach()
        self._proxy = proxy
        connection.autocommit = True
        from psycopg import sql  # only PostgreSQL gets here

        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            row = cursor.fetchone()
            channel = work_channel(str(row[0] if row else "public"))
            cursor.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
        self._connection = connection
        return self

    def wait(self, timeout: float) -> bool:
        """Wait up to timeout seconds for another engine's notification; True when one came."""
        own = "@" + origin_of(self.engine)
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            # One read may bring more than stop_after notifications: look at them all.
            notices = list(self._connection.notifies(timeout=remaining, stop_after=1))
            if not notices:
                return False
            if any(not notice.payload.endswith(own) for notice in notices):
                return True
        return False

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        if self._proxy is not None:
            self._proxy.close()

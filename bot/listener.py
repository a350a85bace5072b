"""The work listener: on PostgreSQL, another process's new work wakes this one's worker.

Stores NOTIFY when they add articles or queue deliveries (db/notify.py); this thread
LISTENs on a connection of its own and calls wake (the worker's wake_now) for each
notification another process (another engine) sent.
A lost connection is opened again after RECONNECT_S, with a wake-up for what may have been
missed meanwhile (not at startup: the scheduler's first cycle takes what was there, and a
second pass of the same process claiming beside it would leave nothing for the other
replicas); the worker's probe and interval stay as the safety net. SQLite has no
listener: there the process wakes itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.engine import Engine

from db.notify import WorkNotifications, supports_notify

log = logging.getLogger("dealwatch.listener")

# How long one wait on the connection lasts: the most a stop() waits for the thread.
WAIT_S = 0.5
RECONNECT_S = 2.0


class WorkListener:
    """A thread that turns work notifications into wake-ups."""

    def __init__(
        self,
        engine: Engine,
        wake: Callable[[], None],
        wait_s: float = WAIT_S,
        reconnect_s: float = RECONNECT_S,
    ) -> None:
        self.engine, self.wake = engine, wake
        self.wait_s, self.reconnect_s = wait_s, reconnect_s
        # Set while the LISTEN is in place: notifications from then on are heard.
        self.listening = threading.Event()
        self.notifications = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="work-listener", daemon=True)

    def start(self) -> WorkListener:
        """Start listening."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and close the connection."""
        self._stopping.set()
        self._thread.join(timeout=self.wait_s + 5)

    def _loop(self) -> None:
        reconnecting = False
        while not self._stopping.is_set():
            try:
                with WorkNotifications(self.engine) as notifications:
                    if reconnecting:
                        self.wake()  # whatever came while no LISTEN was in place
                    self.listening.set()
                    while not self._stopping.is_set():
                        if notifications.wait(self.wait_s):
                            self.notifications += 1
                            self.wake()
            except Exception:
                log.warning("listening for work failed; listening again", exc_info=True)
            finally:
                self.listening.clear()
            reconnecting = True
            self._stopping.wait(self.reconnect_s)


def start_work_listener(engine: Engine, wake: Callable[[], None]) -> WorkListener | None:
    """A started listener when the database has LISTEN/NOTIFY, else None."""
    if not supports_notify(engine):
        return None
    return WorkListener(engine, wake).start()

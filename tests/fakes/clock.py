"""A clock that moves only when a test moves it: sleeping on it advances it instead of waiting."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class FakeClock:
    """Callable like a clock (`clock()` is the wall time, also `clock.now`); `monotonic`,
    `sleep` and `advance` move both forward together."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start
        self._start = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        """The current fake wall time."""
        with self._lock:
            return self.now

    def monotonic(self) -> float:
        """Seconds the clock has moved since it started, as time.monotonic counts them."""
        with self._lock:
            return (self.now - self._start).total_seconds()

    def sleep(self, seconds: float) -> None:
        """Return at once, the clock seconds later."""
        self.advance(seconds)

    def advance(self, by: timedelta | float) -> datetime:
        """Move forward by a duration (or seconds); return the new time."""
        step = by if isinstance(by, timedelta) else timedelta(seconds=by)
        if step < timedelta(0):
            raise ValueError(f"a clock does not go back ({step})")
        with self._lock:
            self.now += step
            return self.now

    def set(self, to: datetime) -> datetime:
        """Jump to a time; return it."""
        with self._lock:
            self.now = to
            return self.now

"""A clock that moves only when a test moves it: sleeping on it advances it instead of waiting."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class FakeClock:
    """Wall time (`clock()` or `clock.now()`) and monotonic time that `sleep`, `advance` and `set` move."""

    def __init__(self, start: datetime = START) -> None:
        self._start = start
        self._elapsed = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        """The current fake wall time."""
        return self.now()

    def now(self) -> datetime:
        """The current fake wall time."""
        with self._lock:
            return self._start + timedelta(seconds=self._elapsed)

    def monotonic(self) -> float:
        """Seconds since the clock started, as time.monotonic counts them."""
        with self._lock:
            return self._elapsed

    def sleep(self, seconds: float) -> None:
        """Return at once, the clock seconds later."""
        self.advance(seconds)

    def advance(self, by: timedelta | float) -> datetime:
        """Move forward by a duration or a number of seconds; return the new time."""
        seconds = by.total_seconds() if isinstance(by, timedelta) else by
        if seconds < 0:
            raise ValueError(f"a clock does not go back ({seconds}s)")
        with self._lock:
            self._elapsed += seconds
        return self.now()

    def set(self, to: datetime) -> datetime:
        """Jump forward to a time; return it."""
        return self.advance(to - self.now())

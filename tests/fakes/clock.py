"""A clock that moves only when told: sleeping on it advances it instead of waiting."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta


class FakeClock:
    """Wall time (`now`) and monotonic time that `sleep` and `advance` move forward."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._elapsed = 0.0
        self._lock = threading.Lock()

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

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        if seconds < 0:
            raise ValueError(f"a clock does not go back ({seconds}s)")
        with self._lock:
            self._elapsed += seconds

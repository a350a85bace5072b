"""A clock that moves only when a test moves it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class FakeClock:
    """Callable like a clock (`clock()` is now); `advance` moves it forward."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        """The current fake time."""
        return self.now

    def advance(self, by: timedelta) -> datetime:
        """Move forward by a duration; return the new time."""
        self.now += by
        return self.now

    def set(self, to: datetime) -> datetime:
        """Jump to a time; return it."""
        self.now = to
        return self.now

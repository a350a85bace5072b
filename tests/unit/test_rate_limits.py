"""The workspace-wide post rate: a token bucket per workspace, with an injected clock."""

from __future__ import annotations

import pytest

from handlers.poster import WorkspaceLimiter


class FakeTime:
    """A clock that only moves when something sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_burst_passes_then_posts_wait_their_turn() -> None:
    time = FakeTime()
    limiter = WorkspaceLimiter(rate=2.0, burst=3, clock=time.clock, sleep=time.sleep)
    for _ in range(3):
        limiter.wait("T1")
    assert time.slept == []
    limiter.wait("T1")
    assert time.slept == [pytest.approx(0.5)]


def test_one_workspace_does_not_slow_another() -> None:
    time = FakeTime()
    limiter = WorkspaceLimiter(rate=1.0, burst=1, clock=time.clock, sleep=time.sleep)
    limiter.wait("T1")
    limiter.wait("T2")
    assert time.slept == []


def test_tokens_come_back_with_time() -> None:
    time = FakeTime()
    limiter = WorkspaceLimiter(rate=1.0, burst=2, clock=time.clock, sleep=time.sleep)
    limiter.wait("T1")
    limiter.wait("T1")
    time.now += 2.0
    limiter.wait("T1")
    limiter.wait("T1")
    assert time.slept == []


def test_concurrent_waiters_queue_one_after_another() -> None:
    time = FakeTime()
    # Waiters that do not sleep in between see the balance go further negative each time.
    limiter = WorkspaceLimiter(rate=10.0, burst=1, clock=time.clock, sleep=lambda s: None)
    limiter.wait("T1")
    waits = []
    for _ in range(3):
        limiter.sleep = waits.append
        limiter.wait("T1")
    assert waits == [pytest.approx(0.1), pytest.approx(0.2), pytest.approx(0.3)]


def test_a_rate_of_zero_means_no_limit() -> None:
    time = FakeTime()
    limiter = WorkspaceLimiter(rate=0, burst=1, clock=time.clock, sleep=time.sleep)
    for _ in range(100):
        limiter.wait("T1")
    assert time.slept == []

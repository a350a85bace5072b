"""When to poll a feed next, and whether its failures deserve a warning.

Rules:
- After a success the next poll is `interval_s` later, spread by ±10% jitter so feeds
  added together do not stay in lock-step.
- After the n-th consecutive failure (n >= 1) the delay is `base_interval_s * 2**(n-1)`:
  1x, 2x, 4x, ... the normal interval, capped at 24 h. Jitter spreads it by ±10%; at the
  cap jitter only shortens the delay, so the wait never exceeds 24 h.
- Jitter comes in as an argument in [0, 1) (the caller passes `random.random()`), so the
  schedule is a pure function and tests pick it: 0 gives -10%, 0.5 exactly the delay.
- Health: "healthy" with no failure; "failing" while it fails; "broken" once it has failed
  at least `threshold_failures` times in a row AND the first of those failures is at least
  `threshold_age` old. Both are needed: a one-hour outage polled often is not broken, and
  neither is a daily feed that failed once yesterday. On "broken" the caller warns the
  feed's channels ONCE and records that it warned; a success resets everything.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

FeedHealth = Literal["healthy", "failing", "broken"]

MAX_DELAY = timedelta(hours=24)
JITTER_FRACTION = 0.10
BROKEN_AFTER_FAILURES = 5
BROKEN_AFTER_AGE = timedelta(hours=24)


def _check_jitter(jitter: float) -> None:
    if not 0.0 <= jitter < 1.0:
        raise ValueError(f"jitter must be in [0, 1), got {jitter}")


def _spread(seconds: float, jitter: float) -> float:
    return seconds * (1.0 + JITTER_FRACTION * (2.0 * jitter - 1.0))


def next_poll_after_success(interval_s: int, now: datetime, jitter: float) -> datetime:
    """The next poll after a successful fetch: the interval, ±10% jitter."""
    if interval_s <= 0:
        raise ValueError(f"interval_s must be positive, got {interval_s}")
    _check_jitter(jitter)
    return now + timedelta(seconds=_spread(interval_s, jitter))


def next_poll_after_failure(
    consecutive_failures: int, base_interval_s: int, now: datetime, jitter: float
) -> datetime:
    """The next poll after the n-th failure in a row: exponential, ±10% jitter, at most 24 h."""
    if consecutive_failures < 1:
        raise ValueError(f"consecutive_failures must be at least 1, got {consecutive_failures}")
    if base_interval_s <= 0:
        raise ValueError(f"base_interval_s must be positive, got {base_interval_s}")
    _check_jitter(jitter)
    cap_s = MAX_DELAY.total_seconds()
    # Past 2**40 the cap has long been reached; a bounded exponent keeps the number small.
    delay_s = float(base_interval_s) * 2.0 ** min(consecutive_failures - 1, 40)
    if delay_s >= cap_s:
        return now + timedelta(seconds=cap_s * (1.0 - JITTER_FRACTION * jitter))
    return now + timedelta(seconds=min(_spread(delay_s, jitter), cap_s))


def feed_health(
    consecutive_failures: int,
    first_failure_at: datetime | None,
    now: datetime,
    threshold_failures: int = BROKEN_AFTER_FAILURES,
    threshold_age: timedelta = BROKEN_AFTER_AGE,
) -> FeedHealth:
    """The feed's health: broken once it failed often enough for long enough to warn once."""
    if consecutive_failures <= 0:
        return "healthy"
    failing_for = now - first_failure_at if first_failure_at is not None else timedelta(0)
    if consecutive_failures >= threshold_failures and failing_for >= threshold_age:
        return "broken"
    return "failing"

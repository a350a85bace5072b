"""Poll scheduling after successes and failures, and feed health."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from watchlists.backoff import feed_health, next_poll_after_failure, next_poll_after_success

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
HOUR = 3600


@pytest.mark.parametrize(
    ("failures", "base_s", "jitter", "expected"),
    [
        pytest.param(1, 900, 0.5, timedelta(minutes=15), id="first-failure-waits-one-interval"),
        pytest.param(2, 900, 0.5, timedelta(minutes=30), id="second-failure-doubles"),
        pytest.param(4, 900, 0.5, timedelta(hours=2), id="fourth-failure-eight-times"),
        pytest.param(1, 900, 0.0, timedelta(minutes=13.5), id="lowest-jitter-is-minus-ten-percent"),
        pytest.param(3, 600, 0.75, timedelta(minutes=42), id="jitter-above-half-lengthens"),
        pytest.param(8, 900, 0.5, timedelta(hours=24) * 0.95, id="capped-delay-jitter-shortens"),
        pytest.param(8, 900, 0.0, timedelta(hours=24), id="capped-delay-never-exceeds-a-day"),
        pytest.param(
            1, 22 * HOUR, 0.999, timedelta(hours=24), id="jitter-cannot-push-past-the-cap"
        ),
        pytest.param(10_000, 60, 0.0, timedelta(hours=24), id="huge-failure-count-stays-capped"),
    ],
)
def test_failure_delay_doubles_per_failure_up_to_a_day(
    failures: int, base_s: int, jitter: float, expected: timedelta
) -> None:
    delay = next_poll_after_failure(failures, base_s, NOW, jitter) - NOW
    assert abs(delay - expected) < timedelta(seconds=1)


def test_failure_delay_never_shrinks_as_failures_grow() -> None:
    delays = [next_poll_after_failure(n, 900, NOW, 0.5) - NOW for n in range(1, 15)]
    assert delays == sorted(delays)
    assert max(delays) <= timedelta(hours=24)


@pytest.mark.parametrize(
    ("jitter", "expected"),
    [
        pytest.param(0.5, timedelta(hours=1), id="middle-jitter-is-exact"),
        pytest.param(0.0, timedelta(minutes=54), id="lowest-jitter-is-minus-ten-percent"),
        pytest.param(0.99, timedelta(minutes=65.88), id="highest-jitter-is-almost-plus-ten"),
    ],
)
def test_success_polls_again_after_the_interval_with_jitter(
    jitter: float, expected: timedelta
) -> None:
    delay = next_poll_after_success(HOUR, NOW, jitter) - NOW
    assert abs(delay - expected) < timedelta(seconds=1)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: next_poll_after_failure(0, 900, NOW, 0.5), id="zero-failures"),
        pytest.param(lambda: next_poll_after_failure(1, 0, NOW, 0.5), id="zero-base-interval"),
        pytest.param(lambda: next_poll_after_failure(1, 900, NOW, 1.0), id="jitter-of-one"),
        pytest.param(lambda: next_poll_after_success(HOUR, NOW, -0.1), id="negative-jitter"),
        pytest.param(lambda: next_poll_after_success(0, NOW, 0.5), id="zero-interval"),
    ],
)
def test_bad_arguments_are_refused(call: object) -> None:
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("failures", "failing_for", "expected"),
    [
        pytest.param(0, None, "healthy", id="no-failures-is-healthy"),
        pytest.param(1, timedelta(minutes=5), "failing", id="one-failure-is-failing"),
        pytest.param(4, timedelta(days=3), "failing", id="old-but-too-few-failures"),
        pytest.param(9, timedelta(hours=2), "failing", id="many-failures-but-recent"),
        pytest.param(5, timedelta(hours=24), "broken", id="both-thresholds-reached"),
        pytest.param(12, timedelta(days=4), "broken", id="long-outage-is-broken"),
        pytest.param(6, None, "failing", id="unknown-start-is-not-broken"),
    ],
)
def test_feed_is_broken_only_after_enough_failures_for_long_enough(
    failures: int, failing_for: timedelta | None, expected: str
) -> None:
    first_failure_at = NOW - failing_for if failing_for is not None else None
    assert feed_health(failures, first_failure_at, NOW) == expected


@pytest.mark.parametrize(
    ("failures", "failing_for", "expected"),
    [
        pytest.param(2, timedelta(hours=1), "broken", id="lower-thresholds-warn-sooner"),
        pytest.param(1, timedelta(hours=2), "failing", id="below-custom-failure-threshold"),
    ],
)
def test_health_thresholds_can_be_chosen(
    failures: int, failing_for: timedelta, expected: str
) -> None:
    health = feed_health(
        failures, NOW - failing_for, NOW, threshold_failures=2, threshold_age=timedelta(hours=1)
    )
    assert health == expected

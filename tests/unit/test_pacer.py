"""ChannelPacer: one post a second per channel, across replicas through the database."""

from __future__ import annotations

from datetime import timedelta

from handlers.poster import ChannelPacer
from tests.fakes.clock import FakeClock


def pacer(clock: FakeClock) -> ChannelPacer:
    return ChannelPacer(interval=1.0, clock=clock.monotonic, sleep=clock.sleep, wall=clock.now)


def test_a_channel_another_replica_posted_to_half_a_second_ago_waits_the_other_half() -> None:
    clock = FakeClock()
    last = clock.now() - timedelta(seconds=0.5)
    started = clock.monotonic()
    pacer(clock).wait("C1", last_post_at=last)
    assert clock.monotonic() - started == 0.5


def test_a_last_post_older_than_the_interval_or_unknown_does_not_wait() -> None:
    clock = FakeClock()
    paced = pacer(clock)
    paced.wait("C1", last_post_at=clock.now() - timedelta(seconds=5))
    paced.wait("C2")
    assert clock.monotonic() == 0.0


def test_a_last_post_in_the_future_of_a_skewed_clock_waits_one_interval_at_most() -> None:
    clock = FakeClock()
    pacer(clock).wait("C1", last_post_at=clock.now() + timedelta(minutes=5))
    assert clock.monotonic() == 1.0


def test_this_process_keeps_its_own_pace_whatever_the_database_says() -> None:
    clock = FakeClock()
    paced = pacer(clock)
    paced.wait("C1")
    paced.sent("C1")
    paced.wait("C1", last_post_at=clock.now() - timedelta(seconds=30))
    assert clock.monotonic() == 1.0

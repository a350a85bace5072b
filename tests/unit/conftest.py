"""Fixtures of the use-case tests: the fake store on a fake clock, and one channel."""

from __future__ import annotations

import pytest

from tests.fakes.clock import FakeClock
from tests.fakes.store import FakeStore
from watchlists.model import Channel


@pytest.fixture
def clock() -> FakeClock:
    """A clock that moves only when the test moves it."""
    return FakeClock()


@pytest.fixture
def store(clock: FakeClock) -> FakeStore:
    """An empty fake store whose ingestion and request-key times come from clock."""
    return FakeStore(clock=clock)


@pytest.fixture
def channel(store: FakeStore) -> Channel:
    """Channel C1 (#deals) of team T1, watching nothing yet."""
    return store.ensure_channel("T1", "C1", "deals")

"""What the Slack handlers are given: the store, a poster factory, a clock and a jitter."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk import WebClient

from watchlists.ports import FeedFetcher, Poster, Store


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    """Services and adapters passed into every listener."""

    store: Store
    poster_for: Callable[[WebClient], Poster]
    fetcher: FeedFetcher | None = None
    now: Callable[[], datetime] = _utcnow
    jitter: Callable[[], float] = random.random

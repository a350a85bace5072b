"""What the Slack handlers are given: the store, a poster factory, a clock and a jitter."""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk import WebClient

from watchlists.ports import FeedFetcher, Poster, Store


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _no_lock() -> AbstractContextManager[object]:
    return nullcontext()


def _nobody() -> None:
    return None


def _at_once(work: Callable[[], None]) -> None:
    work()


def _generic_failure(_error: Exception) -> str:
    return "Something went wrong on dealwatch's side; your command may not have been applied."


@dataclass(frozen=True)
class Deps:
    """Services and adapters passed into every listener."""

    store: Store
    poster_for: Callable[[WebClient], Poster]
    fetcher: FeedFetcher | None = None
    now: Callable[[], datetime] = _utcnow
    jitter: Callable[[], float] = random.random
    # Holds the pipeline's matching lock with every accepted article processed.
    matching: Callable[[], AbstractContextManager[object]] = _no_lock
    # Asks the pipeline worker for a delivery pass soon (new stories were queued).
    wake: Callable[[], None] = _nobody
    # Runs a listener's work after the ack, off the threads that ack.
    defer: Callable[[Callable[[], None]], None] = _at_once
    # What the person is told when acked work fails (the composition root knows why).
    failure_reply: Callable[[Exception], str] = _generic_failure

"""Housekeeping: what the bot forgets, and when.

Articles are kept for `retention` (default 90 days) after ingestion; older ones go unless
their story was queued or delivered to a channel, so every delivered story keeps its
record (title, links, matches). Slack request keys used to ignore retries are kept one day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from watchlists.ports import HousekeepingStore

DEFAULT_RETENTION = timedelta(days=90)
REQUEST_KEYS_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class HousekeepingReport:
    """What one housekeeping pass removed."""

    articles: int
    request_keys: int


def run_housekeeping(
    store: HousekeepingStore, now: datetime, retention: timedelta = DEFAULT_RETENTION
) -> HousekeepingReport:
    """Drop old undelivered articles and old request keys."""
    return HousekeepingReport(
        articles=store.prune_articles(now - retention),
        request_keys=store.prune_processed(now - REQUEST_KEYS_KEPT),
    )

"""HousekeepingStore on the fake's tables."""

from __future__ import annotations

from datetime import datetime

from tests.fakes.store.state import (
    REQUEST_KEY_WIDTH,
    State,
)


class HousekeepingStoreMixin(State):
    """Pruning and Slack retry detection."""

    def first_time(self, key: str, now: datetime) -> bool:
        """Record a request key; False when it was recorded before."""
        key = key[:REQUEST_KEY_WIDTH]
        if key in self.processed:
            return False
        self.processed[key] = now
        return True

    def prune_processed(self, before: datetime) -> int:
        """Forget request keys recorded before a time; return how many."""
        old = [key for key, at in self.processed.items() if at < before]
        for key in old:
            del self.processed[key]
        return len(old)

    def prune_articles(self, before: datetime) -> int:
        """Delete processed articles ingested before a time unless their story was queued."""
        delivered = {d.story_id for d in self.deliveries.values()}
        old = [
            row.id
            for row in self.articles.values()
            if row.ingested_at < before
            and row.matched_at is not None
            and (row.story_id is None or row.story_id not in delivered)
        ]
        for article_id in old:
            del self.articles[article_id]
        self.matches = [m for m in self.matches if m.article_id not in set(old)]
        return len(old)

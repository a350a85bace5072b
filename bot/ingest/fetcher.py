"""HttpFeedFetcher: the core's FeedFetcher port over fetch_feed (httpx + SSRF guard)."""

from __future__ import annotations

from bot.ingest.fetch import FetchPolicy, fetch_feed
from watchlists.ports import FetchOutcome


class HttpFeedFetcher:
    """Fetches feeds over HTTP with the given policy; never raises for fetch problems."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()

    def fetch(self, url: str, etag: str = "", last_modified: str = "") -> FetchOutcome:
        """The feed at url as a FetchOutcome."""
        result = fetch_feed(url, etag=etag, last_modified=last_modified, policy=self.policy)
        feed = result.feed
        return FetchOutcome(
            status=result.status,
            articles=tuple(feed.articles) if feed else (),
            title=feed.title if feed else "",
            etag=result.etag,
            last_modified=result.last_modified,
            error=result.error,
        )

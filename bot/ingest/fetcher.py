"""HttpFeedFetcher: the core's FeedFetcher port over fetch_feed (httpx + SSRF guard).

With `full_text=True` the teaser items of a fetched feed get their article page's main
text (`bot.ingest.fulltext`), through the same guarded client and policy; that step is
bounded and never turns a good feed fetch into an error.
"""

from __future__ import annotations

from bot.ingest.fetch import FetchPolicy, fetch_feed
from bot.ingest.fulltext import FullTextExtractor, FullTextLimits
from bot.ingest.guard import build_guarded_client
from watchlists.ports import FetchOutcome


class HttpFeedFetcher:
    """Fetches feeds over HTTP with the given policy; never raises for fetch problems."""

    def __init__(
        self, policy: FetchPolicy | None = None, full_text_limits: FullTextLimits | None = None
    ) -> None:
        self.policy = policy or FetchPolicy()
        self.full_text = FullTextExtractor(self.policy, full_text_limits)

    def fetch(
        self, url: str, etag: str = "", last_modified: str = "", *, full_text: bool = False
    ) -> FetchOutcome:
        """The feed at url as a FetchOutcome, teasers expanded when full_text is on."""
        with build_guarded_client(self.policy) as client:
            result = fetch_feed(
                url, etag=etag, last_modified=last_modified, client=client, policy=self.policy
            )
            feed = result.feed
            articles = tuple(feed.articles) if feed else ()
            if full_text and articles:
                articles = self.full_text.expand(articles, client)
        return FetchOutcome(
            status=result.status,
            articles=articles,
            title=feed.title if feed else "",
            etag=result.etag,
            last_modified=result.last_modified,
            error=result.error,
        )

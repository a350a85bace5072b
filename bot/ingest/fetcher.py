"""HttpFeedFetcher: the core's FeedFetcher port over fetch_feed (httpx + SSRF guard).

With `full_text=True` the teaser items of a fetched feed get their article page's main
text (`bot.ingest.fulltext`), through the same guarded client and policy; that step is
bounded and never turns a good feed fetch into an error.

PreviewFetcher is the FeedFetcher for commands (`/deals feeds add`): its fetches run on
a few threads of their own under a short wall-clock deadline, so slow or dripping feeds
can never hold the listener threads that answer Slack. When all its threads are busy it
answers at once that the feed cannot be checked now.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace

from bot.ingest.fetch import FetchPolicy, fetch_feed
from bot.ingest.fulltext import FullTextExtractor, FullTextLimits
from bot.ingest.guard import build_guarded_client
from watchlists.ports import FeedFetcher, FetchOutcome

# A person waits for the reply: a feed that has not answered by then is not one to add.
PREVIEW_DEADLINE_S = 15.0
PREVIEW_WORKERS = 4
# Time past the fetch's own deadline for what it cannot bound (name resolution).
PREVIEW_GRACE_S = 5.0


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


def preview_policy(policy: FetchPolicy, deadline_s: float = PREVIEW_DEADLINE_S) -> FetchPolicy:
    """The policy with every timeout cut to the preview deadline."""
    return replace(
        policy,
        connect_timeout_s=min(policy.connect_timeout_s, deadline_s),
        read_timeout_s=min(policy.read_timeout_s, deadline_s),
        total_timeout_s=min(policy.total_timeout_s, deadline_s),
    )


class PreviewFetcher:
    """Fetches for commands on a few threads of its own, each within a short deadline."""

    def __init__(
        self,
        fetcher: FeedFetcher,
        deadline_s: float = PREVIEW_DEADLINE_S,
        workers: int = PREVIEW_WORKERS,
        grace_s: float = PREVIEW_GRACE_S,
    ) -> None:
        self.fetcher = fetcher
        self.deadline_s = deadline_s
        self.grace_s = grace_s
        self._slots = threading.BoundedSemaphore(workers)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="feed-preview")

    def fetch(
        self, url: str, etag: str = "", last_modified: str = "", *, full_text: bool = False
    ) -> FetchOutcome:
        """The fetch's outcome, or an error outcome when it is too slow or too many run."""
        if not self._slots.acquire(blocking=False):
            return FetchOutcome(
                status="error",
                error="too many feeds are being checked right now; try again in a minute",
            )
        try:
            future = self._pool.submit(
                self.fetcher.fetch, url, etag, last_modified, full_text=full_text
            )
        except RuntimeError:
            self._slots.release()
            raise
        future.add_done_callback(self._release)
        try:
            return future.result(timeout=self.deadline_s + self.grace_s)
        except FutureTimeout:
            return FetchOutcome(
                status="error", error=f"the feed did not answer within {self.deadline_s:g} s"
            )

    def _release(self, _future: Future[FetchOutcome]) -> None:
        self._slots.release()

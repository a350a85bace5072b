"""FakePoster and FakeFetcher: the Poster and FeedFetcher ports with what they were asked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from watchlists.errors import DeliveryError, RetryLaterError
from watchlists.model import Channel, Digest
from watchlists.ports import FeedFetcher, FetchOutcome, Poster


@dataclass(frozen=True)
class PostedPage:
    """One digest page as it reached the fake Slack."""

    channel: str
    story_ids: tuple[int, ...]
    page: int
    pages: int
    thread_ts: str
    ts: str


@dataclass(frozen=True)
class Notice:
    """One plain notice as it reached the fake Slack."""

    channel: str
    text: str


class PosterCrashError(RuntimeError):
    """The process died after Slack took the post but before the store heard of it."""


@dataclass
class FakePoster:
    """Records every page and notice; told to, refuses channels or crashes after posting."""

    posted: list[PostedPage] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    # Slack channel id -> error code every post there is refused with (DeliveryError).
    refuse: dict[str, str] = field(default_factory=dict)
    # Slack channel id -> code every post there fails with for now (RetryLaterError).
    retry_later: dict[str, str] = field(default_factory=dict)
    # Errors raised by the next posts, in order; each is raised once.
    failures: list[Exception] = field(default_factory=list)
    # How many more posts reach Slack and then "crash" before the ts comes back.
    crash_after_posting: int = 0

    def post_digest_page(self, digest: Digest, page: int, pages: int) -> str:
        """Record the page and return a fresh ts, unless told to fail."""
        channel = digest.channel.slack_id
        if channel in self.refuse:
            raise DeliveryError(self.refuse[channel], channel)
        if channel in self.retry_later:
            raise RetryLaterError(self.retry_later[channel], channel)
        if self.failures:
            raise self.failures.pop(0)
        ts = f"{1000 + len(self.posted) + len(self.notices)}.000100"
        self.posted.append(
            PostedPage(
                channel=channel,
                story_ids=tuple(item.story_id for item in digest.items),
                page=page,
                pages=pages,
                thread_ts=digest.thread_ts,
                ts=ts,
            )
        )
        if self.crash_after_posting:
            self.crash_after_posting -= 1
            raise PosterCrashError(f"crashed after posting {ts}")
        return ts

    def find_posted(self, channel: Channel, story_ids: Sequence[int]) -> dict[int, str]:
        """Which of these stories a recorded page to the channel carried, with its ts."""
        found: dict[int, str] = {}
        for page in self.posted:
            if page.channel == channel.slack_id:
                found.update({s: page.ts for s in page.story_ids if s in story_ids})
        return found

    def post_notice(self, channel: Channel, text: str) -> str:
        """Record the notice, unless the channel refuses posts."""
        if channel.slack_id in self.refuse:
            raise DeliveryError(self.refuse[channel.slack_id], channel.slack_id)
        self.notices.append(Notice(channel=channel.slack_id, text=text))
        return f"{1000 + len(self.posted) + len(self.notices)}.000200"

    def stories_posted_to(self, channel: str) -> list[int]:
        """Every story id posted to the Slack channel, in posting order."""
        return [s for page in self.posted if page.channel == channel for s in page.story_ids]


@dataclass(frozen=True)
class FetchCall:
    """What the fetcher was asked for."""

    url: str
    etag: str
    last_modified: str
    full_text: bool


@dataclass
class FakeFetcher:
    """Answers each URL with its served outcomes in order, repeating the last; records calls."""

    outcomes: dict[str, list[FetchOutcome]] = field(default_factory=dict)
    last: dict[str, FetchOutcome] = field(default_factory=dict)
    calls: list[FetchCall] = field(default_factory=list)

    def serve(self, url: str, *outcomes: FetchOutcome) -> None:
        """Queue what fetching url gives next, in order."""
        self.outcomes.setdefault(url, []).extend(outcomes)

    def fetch(
        self, url: str, etag: str = "", last_modified: str = "", *, full_text: bool = False
    ) -> FetchOutcome:
        """The next served outcome for url, else the last again; an error when none was served."""
        self.calls.append(FetchCall(url, etag, last_modified, full_text))
        queued = self.outcomes.get(url)
        if queued:
            self.last[url] = queued.pop(0)
        return self.last.get(url) or FetchOutcome(status="error", error="nothing served here")


def _implements_the_ports(poster: FakePoster, fetcher: FakeFetcher) -> tuple[Poster, FeedFetcher]:
    """Never called: mypy checks here that the fakes provide the Poster and FeedFetcher ports."""
    return poster, fetcher

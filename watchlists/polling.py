"""Use cases for feeds: adding one to a channel, and polling those that are due.

A poll that fails backs off exponentially (watchlists.backoff). When a feed becomes
broken (5 failures in a row over at least 24 h by default) each channel using it gets one
warning; when it recovers after that warning, one "recovered" note. Adding a feed stores
its current items as already seen, so nobody gets a backlog flood. A source with
`fetch_full_text` on (off by default) asks the fetcher to replace teaser items with the
main text of their article pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from watchlists.backoff import feed_health, next_poll_after_failure, next_poll_after_success
from watchlists.errors import DealwatchError, DeliveryError
from watchlists.model import Article, Channel
from watchlists.ports import ArticleStore, FeedFetcher, Poster, SourceState, SourceStore
from watchlists.urls import redact_url


class FeedPorts(SourceStore, ArticleStore, Protocol):
    """What adding and polling feeds needs."""


LEASE = timedelta(minutes=5)


class FeedError(DealwatchError):
    """A feed a person asked for could not be used."""


@dataclass(frozen=True)
class PollReport:
    """What one polling pass did."""

    polled: int = 0
    failed: int = 0
    new_articles: int = 0
    warnings: int = 0
    recoveries: int = 0


@dataclass(frozen=True)
class AddedFeed:
    """A feed attached to a channel, and its newest item as a preview."""

    source: SourceState
    preview: Article | None
    existing_items: int


def add_feed(
    store: FeedPorts,
    fetcher: FeedFetcher,
    channel: Channel,
    url: str,
    now: datetime,
    jitter: Callable[[], float],
) -> AddedFeed:
    """Validate a feed, attach it to the channel and mark its current items as seen."""
    outcome = fetcher.fetch(url)
    if outcome.status != "ok":
        raise FeedError(
            f"Could not add {redact_url(url)[:200]}: {outcome.error or 'no feed there'}"
        )
    source = store.add_channel_source(channel.id, url, outcome.title)
    try:
        store.add_articles(outcome.articles, source.id, now)
        store.mark_seen(source.id, now)
        store.record_poll(
            replace(
                source,
                title=outcome.title or source.title,
                etag=outcome.etag,
                last_modified=outcome.last_modified,
                last_success_at=now,
                next_poll_at=next_poll_after_success(source.poll_interval_s, now, jitter()),
            )
        )
    except Exception as error:
        # A feed half added would be polled without ever having been previewed.
        store.remove_channel_source(channel.id, source.id)
        raise FeedError(
            f"Could not add {redact_url(url)[:200]}: its items could not be stored"
        ) from error
    newest = max(
        outcome.articles,
        key=lambda a: a.published.timestamp() if a.published else 0.0,
        default=None,
    )
    return AddedFeed(source=source, preview=newest, existing_items=len(outcome.articles))


def poll_due_sources(
    store: FeedPorts,
    fetcher: FeedFetcher,
    poster: Poster,
    now: datetime,
    limit: int = 50,
    *,
    jitter: Callable[[], float],
) -> PollReport:
    """Poll every source whose time has come; back off, warn and report as the rules say."""
    report = PollReport()
    for source in store.claim_due_sources(now, now + LEASE, limit):
        outcome = fetcher.fetch(
            source.url, source.etag, source.last_modified, full_text=source.fetch_full_text
        )
        added = 0
        if outcome.status == "ok":
            try:
                added = store.add_articles(outcome.articles, source.id, now)
            except Exception as error:
                # Recorded and backed off like a fetch failure, and the next feeds still run.
                outcome = replace(
                    outcome,
                    status="error",
                    error=f"its items could not be stored ({type(error).__name__})",
                )
        if outcome.status == "error":
            updated = _failed(source, outcome.error, now, jitter())
            health = feed_health(updated.consecutive_failures, updated.first_failure_at, now)
            warn = health == "broken" and not source.warned_broken
            if warn:
                updated = replace(updated, warned_broken=True)
            store.record_poll(updated)
            warnings = _notify(store, poster, source, _broken_text(updated)) if warn else 0
            report = replace(
                report,
                polled=report.polled + 1,
                failed=report.failed + 1,
                warnings=report.warnings + warnings,
            )
            continue
        store.record_poll(
            replace(
                source,
                title=outcome.title or source.title,
                etag=outcome.etag or source.etag,
                last_modified=outcome.last_modified or source.last_modified,
                consecutive_failures=0,
                first_failure_at=None,
                last_error="",
                last_success_at=now,
                warned_broken=False,
                next_poll_at=next_poll_after_success(source.poll_interval_s, now, jitter()),
            )
        )
        recovered = (
            _notify(
                store, poster, source, f"Feed recovered: {source.title or redact_url(source.url)}"
            )
            if source.warned_broken
            else 0
        )
        report = replace(
            report,
            polled=report.polled + 1,
            new_articles=report.new_articles + added,
            recoveries=report.recoveries + recovered,
        )
    return report


def _failed(source: SourceState, error: str, now: datetime, jitter: float) -> SourceState:
    failures = source.consecutive_failures + 1
    return replace(
        source,
        consecutive_failures=failures,
        first_failure_at=source.first_failure_at or now,
        last_error=error,
        next_poll_at=next_poll_after_failure(failures, source.poll_interval_s, now, jitter),
    )


def _broken_text(source: SourceState) -> str:
    since = f"{source.first_failure_at:%Y-%m-%d %H:%M} UTC" if source.first_failure_at else "?"
    return (
        f"Feed broken: {source.title or redact_url(source.url)} has failed {source.consecutive_failures} "
        f"times in a row since {since}. Last error: {source.last_error}. dealwatch keeps "
        "retrying with backoff and will say when it recovers."
    )


def _notify(store: SourceStore, poster: Poster, source: SourceState, text: str) -> int:
    sent = 0
    for channel in store.channels_of_source(source.id):
        try:
            poster.post_notice(channel, text)
            sent += 1
        except DeliveryError:
            continue  # the channel's own delivery problem is reported elsewhere
    return sent


def feed_health_line(source: SourceState, now: datetime) -> str:
    """One line on a feed's health for `/deals feeds list` and the App Home."""
    health = feed_health(source.consecutive_failures, source.first_failure_at, now)
    if health == "healthy":
        seen = f"{source.last_success_at:%Y-%m-%d %H:%M} UTC" if source.last_success_at else "never"
        return f"ok (last fetched {seen})"
    return f"{health}: {source.consecutive_failures} failure(s) in a row; last error: {source.last_error}"

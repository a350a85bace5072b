"""The scheduler only picks work; the work is the same service code the commands call."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.pipeline import Pipeline
from watchlists.polling import poll_due_sources
from watchlists.ports import FeedFetcher, Poster
from watchlists.services import run_digest, run_due_digests

log = logging.getLogger("dealwatch.scheduler")


def run_cycle(
    pipeline: Pipeline, poster: Poster, now: datetime, fetcher: FeedFetcher | None = None
) -> None:
    """Poll due feeds, process new articles, post instant alerts, then due digests."""
    if fetcher is not None:
        polled = poll_due_sources(pipeline.store, fetcher, poster, now)
        if polled.polled:
            log.info(
                "polled %d feeds: %d failed, %d new articles",
                polled.polled,
                polled.failed,
                polled.new_articles,
            )
    result = pipeline.process(now)
    if result.articles:
        log.info("processed %d articles, %d matched", result.articles, result.matched)
    for channel in pipeline.store.list_channels():
        if channel.delivery == "instant":
            run_digest(pipeline.store, poster, channel, now)
    run_due_digests(pipeline.store, poster, now)


def build_scheduler(
    pipeline: Pipeline,
    poster: Poster,
    interval_s: int,
    fetcher: FeedFetcher | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> BackgroundScheduler:
    """A scheduler running the pipeline cycle every interval_s seconds."""
    scheduler = BackgroundScheduler(timezone=UTC)

    def cycle() -> None:
        try:
            run_cycle(pipeline, poster, clock(), fetcher)
        except Exception:
            log.exception("pipeline cycle failed; it runs again at the next interval")

    scheduler.add_job(
        cycle,
        "interval",
        seconds=interval_s,
        id="pipeline",
        max_instances=1,
        coalesce=True,
        next_run_time=clock(),
    )
    return scheduler

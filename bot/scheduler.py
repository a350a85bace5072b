"""The scheduler only picks work; the work is the same service code the commands call."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.pipeline import Pipeline
from watchlists.ports import Poster
from watchlists.services import run_digest, run_due_digests

log = logging.getLogger("dealwatch.scheduler")


def run_cycle(pipeline: Pipeline, poster: Poster, now: datetime) -> None:
    """Process new articles, post instant alerts, then any digest that is due."""
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
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> BackgroundScheduler:
    """A scheduler running the pipeline cycle every interval_s seconds."""
    scheduler = BackgroundScheduler(timezone=UTC)

    def cycle() -> None:
        try:
            run_cycle(pipeline, poster, clock())
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

"""The scheduler only picks work; the work is the same service code the commands call."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot.pipeline import Pipeline
from bot.worker import deliver_all
from watchlists.housekeeping import DEFAULT_RETENTION, run_housekeeping
from watchlists.polling import poll_due_sources
from watchlists.ports import FeedFetcher, Poster

log = logging.getLogger("dealwatch.scheduler")


def worker_id() -> str:
    """This process's name in leases: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def is_dead_local_worker(owner: str) -> bool:
    """True when owner names a process on this host that no longer runs."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname()[: 64 - len(pid) - 1] or not pid.isdigit():
        return False  # another machine's worker: its lease expires on its own
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def run_cycle(
    pipeline: Pipeline,
    poster: Poster,
    now: datetime,
    fetcher: FeedFetcher | None = None,
    owner: str = "",
    pool: ThreadPoolExecutor | None = None,
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
    # One process at a time matches and files stories; the others skip this step.
    result = pipeline.process_if_free(now)
    if result is not None and result.articles:
        log.info("processed %d articles, %d matched", result.articles, result.matched)
    delivered = deliver_all(pipeline, poster, now, owner, pool)
    if delivered.channels or delivered.paused:
        log.info(
            "delivered %d stories to %d channels; paused %s",
            delivered.stories,
            delivered.channels,
            ", ".join(delivered.paused) or "none",
        )


def build_scheduler(
    pipeline: Pipeline,
    poster: Poster,
    interval_s: int,
    fetcher: FeedFetcher | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    retention: timedelta = DEFAULT_RETENTION,
    refresh_tokens: Callable[[], object] | None = None,
    pool: ThreadPoolExecutor | None = None,
) -> BackgroundScheduler:
    """A scheduler running the pipeline cycle every interval_s seconds."""
    scheduler = BackgroundScheduler(timezone=UTC)
    owner = worker_id()
    # A restart on the same host need not wait for its predecessor's leases to expire.
    released = pipeline.store.clear_stale_leases(is_dead_local_worker)
    if released:
        log.info("released %d channel leases of dead workers on this host", released)

    def cycle() -> None:
        try:
            run_cycle(pipeline, poster, clock(), fetcher, owner, pool)
        except Exception:
            log.exception("pipeline cycle failed; it runs again at the next interval")

    def housekeeping() -> None:
        try:
            report = run_housekeeping(pipeline.store, clock(), retention)
            log.info(
                "housekeeping removed %d articles and %d request keys",
                report.articles,
                report.request_keys,
            )
        except Exception:
            log.exception("housekeeping failed; it runs again tomorrow")

    scheduler.add_job(
        cycle,
        "interval",
        seconds=interval_s,
        id="pipeline",
        max_instances=1,
        coalesce=True,
        next_run_time=clock(),
    )
    scheduler.add_job(
        housekeeping, "interval", hours=24, id="housekeeping", max_instances=1, coalesce=True
    )
    if refresh_tokens is not None:
        scheduler.add_job(
            refresh_tokens,
            "interval",
            minutes=30,
            id="token-refresh",
            max_instances=1,
            coalesce=True,
            next_run_time=clock(),
        )
    return scheduler

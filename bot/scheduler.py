"""The scheduler only picks work; the work is the same service code the commands call.

Feeds are polled by a job of their own ("poll"), POLL_WORKERS at a time, each worker
claiming one due feed after another: a slow feed holds one worker for at most its fetch
deadline, never the other feeds nor the "pipeline" job that matches and delivers.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot.pipeline import Pipeline
from watchlists.delivery import deliver_due
from watchlists.housekeeping import DEFAULT_RETENTION, run_housekeeping
from watchlists.polling import PollReport, poll_due_sources
from watchlists.ports import FeedFetcher, Poster, Store

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


# Feeds polled at once: a slow feed holds one worker, never the others or the pipeline.
POLL_WORKERS = 4
POLLS_PER_PASS = 50


def poll_feeds(
    store: Store,
    fetcher: FeedFetcher,
    poster: Poster,
    now: datetime,
    workers: int = POLL_WORKERS,
    limit: int = POLLS_PER_PASS,
) -> PollReport:
    """Poll due feeds on a bounded pool; each worker claims one feed at a time."""
    budget = threading.Semaphore(limit)
    reports: list[PollReport] = []
    lock = threading.Lock()

    def work() -> None:
        while budget.acquire(blocking=False):
            try:
                report = poll_due_sources(
                    store, fetcher, poster, now, limit=1, jitter=random.random
                )
            except Exception:
                # This feed keeps its lease and comes back when it expires; the others go on.
                log.exception("polling a feed failed")
                continue
            if not report.polled:
                return
            with lock:
                reports.append(report)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="poll") as pool:
        for _ in range(workers):
            pool.submit(work)
    return PollReport(
        polled=sum(r.polled for r in reports),
        failed=sum(r.failed for r in reports),
        new_articles=sum(r.new_articles for r in reports),
        warnings=sum(r.warnings for r in reports),
        recoveries=sum(r.recoveries for r in reports),
    )


def run_cycle(
    pipeline: Pipeline,
    poster: Poster,
    now: datetime,
    fetcher: FeedFetcher | None = None,
    owner: str = "",
) -> None:
    """Poll due feeds, process new articles, post instant alerts, then due digests."""
    if fetcher is not None:
        poll_and_log(pipeline.store, fetcher, poster, now)
    with pipeline.store.exclusive("dealwatch:process") as mine:
        # One process at a time matches and files stories; the others skip this step.
        if mine:
            result = pipeline.process(now)
            if result.articles:
                log.info("processed %d articles, %d matched", result.articles, result.matched)
    delivered = deliver_due(pipeline.store, poster, now, owner)
    if delivered.channels or delivered.paused:
        log.info(
            "delivered %d stories to %d channels; paused %s",
            delivered.stories,
            delivered.channels,
            ", ".join(delivered.paused) or "none",
        )


def poll_and_log(store: Store, fetcher: FeedFetcher, poster: Poster, now: datetime) -> None:
    """Poll due feeds and log what came of it."""
    polled = poll_feeds(store, fetcher, poster, now)
    if polled.polled:
        log.info(
            "polled %d feeds: %d failed, %d new articles",
            polled.polled,
            polled.failed,
            polled.new_articles,
        )


def build_scheduler(
    pipeline: Pipeline,
    poster: Poster,
    interval_s: int,
    fetcher: FeedFetcher | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    retention: timedelta = DEFAULT_RETENTION,
    refresh_tokens: Callable[[], object] | None = None,
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
            # Feeds are polled by their own job: a slow feed never holds matching or delivery.
            run_cycle(pipeline, poster, clock(), None, owner)
        except Exception:
            log.exception("pipeline cycle failed; it runs again at the next interval")

    def poll() -> None:
        try:
            if fetcher is not None:
                poll_and_log(pipeline.store, fetcher, poster, clock())
        except Exception:
            log.exception("feed polling failed; it runs again at the next interval")

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
    if fetcher is not None:
        scheduler.add_job(
            poll,
            "interval",
            seconds=interval_s,
            id="poll",
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

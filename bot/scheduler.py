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
from bot.worker import deliver_all
from watchlists.delivery import LEASE, LEASE_RENEWAL, DeliveryReport
from watchlists.housekeeping import DEFAULT_RETENTION, run_housekeeping
from watchlists.polling import PollReport, poll_due_sources
from watchlists.ports import FeedFetcher, Poster, Store

log = logging.getLogger("dealwatch.scheduler")

# How often a process looks for channels and feeds whose lease lapsed (a crashed replica's):
# with LEASE at 15 s they are taken over at most LEASE + TAKEOVER_INTERVAL after the crash.
TAKEOVER_INTERVAL = timedelta(seconds=5)


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
    pool: ThreadPoolExecutor | None = None,
) -> None:
    """Poll due feeds, process new articles, post instant alerts, then due digests."""
    if fetcher is not None:
        poll_and_log(pipeline.store, fetcher, poster, now)
    # One process at a time matches and files stories; the others skip this step.
    result = pipeline.process_if_free(now)
    if result is not None and result.articles:
        log.info("processed %d articles, %d matched", result.articles, result.matched)
    _log_delivery(deliver_all(pipeline, poster, now, owner, pool))


def take_over_lapsed(
    pipeline: Pipeline,
    poster: Poster,
    now: datetime,
    fetcher: FeedFetcher | None = None,
    owner: str = "",
    pool: ThreadPoolExecutor | None = None,
) -> None:
    """Deliver to channels and poll feeds that are free, a crashed replica's among them."""
    # Cheap when there is nothing to do (one claim query each), so it runs often: a
    # crashed process's work does not wait for the next pipeline interval.
    if fetcher is not None:
        poll_and_log(pipeline.store, fetcher, poster, now)
    _log_delivery(deliver_all(pipeline, poster, now, owner, pool))


def _log_delivery(delivered: DeliveryReport) -> None:
    if delivered.channels or delivered.paused:
        log.info(
            "delivered %d stories to %d channels; paused %s",
            delivered.stories,
            delivered.channels,
            ", ".join(delivered.paused) or "none",
        )
    for channel, reason in delivered.backed_off:
        log.warning("channel %s backed off: %s", channel, reason)


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
            # Feeds are polled by their own job: a slow feed never holds matching or delivery.
            run_cycle(pipeline, poster, clock(), None, owner, pool)
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

    def heartbeat() -> None:
        try:
            pipeline.store.renew_leases(owner, clock() + LEASE)
        except Exception:
            log.exception("renewing leases failed; they lapse unless the next renewal works")

    def takeover() -> None:
        try:
            take_over_lapsed(pipeline, poster, clock(), fetcher, owner, pool)
        except Exception:
            log.exception("taking over lapsed leases failed; it runs again shortly")

    scheduler.add_job(
        heartbeat,
        "interval",
        seconds=LEASE_RENEWAL.total_seconds(),
        id="lease-heartbeat",
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        takeover,
        "interval",
        seconds=TAKEOVER_INTERVAL.total_seconds(),
        id="takeover",
        max_instances=1,
        coalesce=True,
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

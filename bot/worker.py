"""The pipeline worker: an accepted article is matched and delivered at once.

Rules:
    * `wake()` (POST /ingest, a feed poll, a new watch) starts a pass; wake-ups that
      arrive within BATCH_WINDOW_S of the first one share it, and wake-ups during a pass
      start one more pass after it, so nothing waits for the next interval;
    * `wake_now()` (another process's committed work, bot/listener.py) starts it without
      the window: that work came in one transaction, and replicas woken by the same
      commit claim its channels side by side;
    * a pass processes every pending article (when no other process is matching), then
      delivers to every channel it can claim, batch after batch, channels served
      concurrently by the fan-out pool (each still paced by the poster);
    * work another process added (`dealwatch ingest`, another replica) wakes it at once on
      PostgreSQL (NOTIFY, bot/listener.py), and is noticed anyway by a cheap probe (newest
      article and delivery ids) every PROBE_INTERVAL_S;
    * the scheduler's interval cycle stays as the safety net (feeds, due digests).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from bot.pipeline import Pipeline
from watchlists.delivery import DeliveryReport, deliver_due
from watchlists.ports import Poster

log = logging.getLogger("dealwatch.worker")

BATCH_WINDOW_S = 0.2
PROBE_INTERVAL_S = 1.0
FANOUT_WORKERS = 32
# A pass claims this many channels at a time: each gets its first page before any gets
# its second (watchlists/delivery.py). Not more, so replicas woken together share the work.
CLAIM_BATCH = 100
# A pass stops after this many full batches so a stream of work cannot starve the probe.
MAX_BATCHES_PER_PASS = 50


def deliver_all(
    pipeline: Pipeline,
    poster: Poster,
    now: datetime,
    owner: str,
    pool: ThreadPoolExecutor | None,
) -> DeliveryReport:
    """Deliver batch after batch until a claim comes back short."""
    total = DeliveryReport()
    for _ in range(MAX_BATCHES_PER_PASS):
        report = deliver_due(pipeline.store, poster, now, owner, CLAIM_BATCH, pool)
        total = total.plus(report)
        if report.claimed < CLAIM_BATCH:
            break
    return total


class PipelineWorker:
    """A thread that runs a match-and-deliver pass whenever it is woken."""

    def __init__(
        self,
        pipeline: Pipeline,
        poster: Poster,
        owner: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        batch_window_s: float = BATCH_WINDOW_S,
        probe_interval_s: float = PROBE_INTERVAL_S,
        workers: int = FANOUT_WORKERS,
    ) -> None:
        self.pipeline, self.poster, self.owner, self.clock = pipeline, poster, owner, clock
        self.batch_window_s, self.probe_interval_s = batch_window_s, probe_interval_s
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fanout")
        self.passes = 0
        self._wakeup = threading.Event()
        self._at_once = threading.Event()
        self._marker: tuple[int, int] | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="pipeline-worker", daemon=True)

    def wake(self) -> None:
        """Ask for a pass soon; cheap and safe from any thread."""
        self._wakeup.set()

    def wake_now(self) -> None:
        """Ask for a pass at once, without waiting for more wake-ups to join it."""
        self._at_once.set()
        self._wakeup.set()

    def start(self) -> PipelineWorker:
        """Start the worker thread."""
        # Probed here, not in the thread: work stored once start() returned is new to it,
        # however late the thread gets to run.
        self._marker = self._probe()
        self._thread.start()
        return self

    def stop(self) -> None:
        """Finish the current pass and stop."""
        self._stopping.set()
        self._wakeup.set()
        self._thread.join(timeout=30)
        self.pool.shutdown(wait=False, cancel_futures=True)

    def run_pass(self) -> DeliveryReport:
        """Process pending articles, then deliver what is due; return the delivery report."""
        now = self.clock()
        result = self.pipeline.process_if_free(now)
        if result is not None and result.articles:
            log.info("processed %d articles, %d matched", result.articles, result.matched)
        report = deliver_all(self.pipeline, self.poster, self.clock(), self.owner, self.pool)
        if report.channels or report.paused:
            log.info("delivered %d stories to %d channels", report.stories, report.channels)
        self.passes += 1
        return report

    def _probe(self) -> tuple[int, int] | None:
        try:
            return self.pipeline.store.work_marker()
        except Exception:
            log.exception("probing for new work failed")
            return None

    def _loop(self) -> None:
        marker = self._marker
        while not self._stopping.is_set():
            woken = self._wakeup.wait(self.probe_interval_s)
            if self._stopping.is_set():
                return
            if woken and not self._at_once.is_set():
                # Let the rest of a burst arrive so it is matched in one pass.
                self._stopping.wait(self.batch_window_s)
            elif not woken and self._probe() == marker:
                continue
            self._wakeup.clear()
            self._at_once.clear()
            try:
                self.run_pass()
            except Exception:
                log.exception("pipeline pass failed; the next wake-up or interval retries")
            marker = self._probe()

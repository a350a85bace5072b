"""Failover time on PostgreSQL: the posting replica SIGKILLed mid-delivery, the survivor finishes.

Two real `dealwatch run` processes (default pipeline interval, 60 s) share a database on
PostgreSQL and a fake Slack Web API that takes POST_DELAY_S per message. Once Slack has
seen KILL_AFTER posts, the replica that made them is killed with SIGKILL; the benchmark
times until the survivor's first post (the takeover) and until every queued (channel,
story) is in Slack, and checks none arrived twice. The same-run baseline is one replica
delivering the same work with no kill: the ratio says what the crash cost on top of
posting. Needs DEALWATCH_TEST_DATABASE_URL (a schema of its own, dropped afterwards).

    DEALWATCH_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m benchmarks.bench_failover
"""

from __future__ import annotations

import os
import signal
import sys
import time
from datetime import UTC, datetime

from benchmarks.bench_ack import database
from bot.pipeline import Pipeline
from db.store import SqlStore
from tests.fakes.slack_api import FakeSlack
from tests.integration.test_fault_tolerance import (
    _db_pairs,
    _posted_per_channel,
    _seed,
    _start,
    _stop,
    _worker_of,
)

CHANNELS = 40
ARTICLES = 400
COMPANIES = 40
POST_DELAY_S = 0.05
KILL_AFTER = 10
STARTUP_S = 60
FINISH_S = 180


def deliver(kill: bool) -> tuple[float, float, float, int, int]:
    """(takeover s, kill->done s, first post->done s, duplicates, messages) of one run."""
    with database("postgresql") as engine:
        _seed(engine, channels=CHANNELS, articles=ARTICLES, companies=COMPANIES)
        Pipeline(SqlStore(engine)).process(datetime.now(UTC))
        expected = _db_pairs(engine)
        url = engine.url.render_as_string(hide_password=False)
        slack = FakeSlack().start()
        slack.post_delay_s = POST_DELAY_S
        replicas = [_start(url, slack, interval_s=60) for _ in range(2 if kill else 1)]
        try:
            slack.wait_for("auth.test", len(replicas), timeout=STARTUP_S)
            [first, *_] = slack.wait_for("chat.postMessage", KILL_AFTER, timeout=STARTUP_S)
            started = first.at  # the fake Slack stamps calls with time.monotonic
            takeover = 0.0
            killed_at = time.monotonic()
            if kill:
                posting = _worker_of(first.body)
                [victim] = [r for r in replicas if posting.endswith(f":{r.pid}")]
                [survivor] = [r for r in replicas if r is not victim]
                victim.send_signal(signal.SIGKILL)
                killed_at = time.monotonic()
                victim.wait(timeout=10)
                slack.wait_until(
                    lambda: any(
                        _worker_of(c.body).endswith(f":{survivor.pid}")
                        for c in slack.calls_to("chat.postMessage")
                    ),
                    timeout=FINISH_S,
                )
                takeover = time.monotonic() - killed_at
            slack.wait_until(lambda: set(_posted_per_channel(slack)) >= expected, timeout=FINISH_S)
            done = time.monotonic()
        finally:
            for replica in replicas:
                _stop(replica)
            slack.stop()
        posted = _posted_per_channel(slack)
        duplicates = sum(n - 1 for n in posted.values())
        messages = len(slack.calls_to("chat.postMessage"))
        return takeover, done - killed_at, done - started, duplicates, messages


def main() -> int:
    """Print the failover figures and the no-crash baseline of the same run."""
    if not os.environ.get("DEALWATCH_TEST_DATABASE_URL"):
        print("bench_failover needs PostgreSQL: set DEALWATCH_TEST_DATABASE_URL", file=sys.stderr)
        return 2
    _t, _k, baseline, base_dupes, messages = deliver(kill=False)
    takeover, after_kill, total, dupes, _m = deliver(kill=True)
    print(f"workload: {CHANNELS} channels, {messages} messages, {POST_DELAY_S}s per post")
    print(f"baseline (one replica, no kill): all posted {baseline:.1f}s after the first post")
    print(f"kill -9 after {KILL_AFTER} posts: survivor's first post {takeover:.1f}s after the kill")
    print(f"kill -9 after {KILL_AFTER} posts: all posted {after_kill:.1f}s after the kill")
    print(f"total with the crash {total:.1f}s = {total / baseline:.2f}x the baseline")
    print(f"duplicates: {dupes} (baseline {base_dupes})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

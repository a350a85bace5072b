"""Ingest -> instant post latency through a real `dealwatch run` over HTTP.

Setup: 30 channels on `digest instant`, each watching the same 64 made-up companies;
`dealwatch run` with its defaults (60 s pipeline interval, 1 post/s per channel, the
workspace rate) against the fake Slack Web API (tests/fakes, real HTTP), on SQLite and
on PostgreSQL when DEALWATCH_TEST_DATABASE_URL is set.

* single: ROUNDS articles, one per POST /ingest, each about a different company (so each
  is a story of its own); for every (article, channel) the time from sending the POST to
  the fake Slack receiving the post. p50/p95/max, and the p50/p95 of the last channel of
  each round. Twice: "spaced", ISOLATED_GAP_S between rounds, so every article finds the
  workspace's burst of posts available (the pipeline's own latency), and "back to back",
  ROUND_GAP_S between rounds: 30 posts every ~3 s is the workspace rate (10/s), so the
  last channels of a round queue behind the workspace limiter (after a round taking D s
  the bucket holds 10 x (D + 1.5) tokens: the round settles at D of about 1.5 s).
* burst: BURST articles in one POST (one story each, 30 x 3 pages of 8): time until the
  last page reached the last channel, against the ideal of pages x 1 s per channel.
* same-run baselines: the POST /ingest answer alone (the floor of any delivery), and the
  expected wait before this change, half the pipeline interval.

    .venv/bin/python benchmarks/bench_instant.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.engine import make_engine, upgrade  # noqa: E402
from db.store import SqlStore  # noqa: E402
from handlers.poster import WORKSPACE_BURST, WORKSPACE_POSTS_PER_S  # noqa: E402
from tests.fakes.running_bot import dealwatch_run, ingest  # noqa: E402
from tests.fakes.slack_api import FakeSlack  # noqa: E402
from watchlists.model import Entity  # noqa: E402
from watchlists.services import set_digest  # noqa: E402

CHANNELS = 30
COMPANIES = 64  # one per round of each kind and one per burst article
ROUNDS = 20
ROUND_GAP_S = 1.5
# The workspace limiter's burst refilled (30 posts at 10/s) and half a second to spare.
ISOLATED_GAP_S = 3.5
BURST = 24
PIPELINE_INTERVAL_S = 60
WAIT_LIMIT_S = 120.0
SYLLABLES = ["vor", "tan", "qui", "zel", "mar", "dex", "lun", "pry", "osk", "bel"]
INDUSTRIES = ["Minerals", "Robotics", "Logistics", "Biotech"]
VERBS = ["agrees to buy", "takes a stake in", "forms a venture with", "invests in"]


def company(k: int) -> str:
    """A distinct made-up company name."""
    return (
        f"{SYLLABLES[k % 10].capitalize()}{SYLLABLES[(k // 10) % 10]} {INDUSTRIES[(k // 100) % 4]}"
    )


def article(n: int, k: int) -> dict[str, object]:
    """An article about company k with a marker of its own."""
    title = f"{company(k)} {VERBS[n % 4]} Target{n:05d}"
    return {
        "id": f"bench-{n}",
        "title": title,
        "text": f"{title} for ${n + 10} million in deal number {n}.",
        "url": f"https://wire.test/{n}",
    }


def percentile(values: list[float], fraction: float) -> float:
    """The value at fraction of the sorted list (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def seed(url: str) -> None:
    """Thirty instant channels watching the same companies."""
    engine = make_engine(url)
    upgrade(engine)
    store = SqlStore(engine)
    for n in range(CHANNELS):
        channel = store.ensure_channel("TBENCH", f"C{n:03d}", f"desk-{n}")
        for k in range(COMPANIES):
            store.watch(channel.id, Entity(name=company(k)))
        set_digest(store, channel, "instant", datetime.now(UTC))
    engine.dispose()


# (channel, blocks as text, at) of every post read so far: the polling below renders each
# post once, not on every poll, so the benchmark does not steal the fake Slack's interpreter.
_POSTS: dict[int, list[tuple[str, str, float]]] = {}


def arrivals(slack: FakeSlack, marker: str) -> dict[str, float]:
    """When each channel first received a post naming marker."""
    posts = _POSTS.setdefault(id(slack), [])
    for call in slack.calls_to("chat.postMessage")[len(posts) :]:
        posts.append((str(call.body["channel"]), str(call.body.get("blocks", "")), call.at))
    seen: dict[str, float] = {}
    for channel, blocks, at in posts:
        if marker in blocks:
            seen.setdefault(channel, at)
    return seen


def wait_for(slack: FakeSlack, markers: list[str]) -> float:
    """Wait until every channel got every marker; return when the last arrived."""
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        times = [arrivals(slack, marker) for marker in markers]
        if all(len(seen) == CHANNELS for seen in times):
            return max(max(seen.values()) for seen in times)
        time.sleep(0.01)
    raise RuntimeError(f"not every channel got {markers[:3]}... within {WAIT_LIMIT_S} s")


def rounds(
    bot: str, slack: FakeSlack, first: int, gap_s: float
) -> tuple[list[float], list[float], list[float]]:
    """ROUNDS single-article POSTs gap_s apart: latencies, last channel per round, answers."""
    latencies: list[float] = []
    last: list[float] = []
    answers: list[float] = []
    for n in range(first, first + ROUNDS):
        time.sleep(gap_s)
        item = article(n, n)
        started = time.monotonic()
        response = ingest(bot, [item])
        answers.append(time.monotonic() - started)
        if response.status_code != 202:
            raise RuntimeError(f"ingest answered {response.status_code}")
        wait_for(slack, [f"Target{n:05d}"])
        got = arrivals(slack, f"Target{n:05d}")
        latencies.extend(at - started for at in got.values())
        last.append(max(got.values()) - started)
    return latencies, last, answers


def describe(label: str, latencies: list[float], last: list[float]) -> str:
    """One line of single-article figures."""
    return (
        f"[{label}] {len(latencies)} posts, ingest->post p50 "
        f"{statistics.median(latencies):.2f} s, p95 {percentile(latencies, 0.95):.2f} s, "
        f"max {max(latencies):.2f} s; last channel per round p50 {statistics.median(last):.2f} s, "
        f"p95 {percentile(last, 0.95):.2f} s"
    )


def bench(url: str, label: str) -> None:
    """Print the figures for one database."""
    seed(url)
    slack = FakeSlack().start()
    cpu = time.process_time()
    try:
        with dealwatch_run(url, slack.url) as bot:
            time.sleep(2)  # let the startup cycle pass
            spaced, spaced_last, answers = rounds(bot, slack, 0, ISOLATED_GAP_S)
            latencies, last, more = rounds(bot, slack, ROUNDS, ROUND_GAP_S)
            answers += more
            burst = [article(1000 + n, 2 * ROUNDS + n) for n in range(BURST)]
            time.sleep(ISOLATED_GAP_S)
            started = time.monotonic()
            ingest(bot, burst)
            burst_s = wait_for(slack, [f"Target{1000 + n:05d}" for n in range(BURST)]) - started
    finally:
        slack.stop()
    pages = -(-BURST // 8)
    print(describe(f"{label}, spaced {ISOLATED_GAP_S} s", spaced, spaced_last))
    print(describe(f"{label}, back to back {ROUND_GAP_S} s", latencies, last))
    print(
        f"[{label}] baseline, POST /ingest answer: p50 {statistics.median(answers) * 1000:.0f} ms; "
        f"before this change the expected wait was {PIPELINE_INTERVAL_S / 2:.0f} s "
        f"(ratio {statistics.median(latencies) / (PIPELINE_INTERVAL_S / 2):.3f})"
    )
    # The workspace limiter lets the first WORKSPACE_BURST posts go at once, then 10/s.
    floor = max(CHANNELS * pages - WORKSPACE_BURST, 0) / WORKSPACE_POSTS_PER_S
    print(
        f"[{label}] burst: {BURST} articles in one POST, {CHANNELS} channels x {pages} pages: "
        f"last post after {burst_s:.2f} s; ideal {pages - 1 + 0.0:.0f}-{pages} s by the "
        f"channel pace, {floor:.1f} s by the workspace rate (ratio to that: {burst_s / floor:.2f})"
    )
    print(
        f"[{label}] benchmark process CPU (client and fake Slack): {time.process_time() - cpu:.1f} s"
    )


def main() -> int:
    """Run on SQLite and, when configured, PostgreSQL."""
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as folder:
        bench(f"sqlite:///{folder}/bench.db", "sqlite")
    pg_url = os.environ.get("DEALWATCH_TEST_DATABASE_URL")
    if pg_url:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(pg_url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            separator = "&" if "?" in pg_url else "?"
            bench(f"{pg_url}{separator}options=-csearch_path%3D{schema}", "postgresql")
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        print("postgresql: skipped (DEALWATCH_TEST_DATABASE_URL is not set)")
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

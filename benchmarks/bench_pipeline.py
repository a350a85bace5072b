"""End-to-end pipeline benchmark: ingest -> match -> analyse -> story -> queued delivery,
and digest fan-out to many channels over HTTP, each against a same-run baseline.

Setup: 10,000 aliases (5,000 real company names from benchmarks/data/companies.json, each
with its ticker), 1,000 channels watching 10 entities each (every entity watched by two
channels), and generated ~1.5 KB articles naming one to three companies.

Figures, on SQLite (a temp file) and on PostgreSQL when DEALWATCH_BENCH_DATABASE_URL or
DEALWATCH_TEST_DATABASE_URL is set:
* pipeline articles/s from `add_articles` to queued deliveries (`Pipeline.process`),
  against the baseline of matching alone (`MatchIndex.match` on the same articles): the
  ratio says how much storage, deal analysis and stories cost on top of matching;
* fan-out: seconds to deliver one digest to each of 1,000 channels against the fake Slack
  Web API (tests/fakes, real HTTP), against the baseline of 1,000 bare chat.postMessage
  calls to the same server: the ratio is our overhead per channel;
* paced fan-out: every channel gets exactly 1, then exactly 3 messages (8 stories a
  message), posted by the bot's delivery pass (bot/worker.py: channels served by the
  fan-out pool) with the real pacing of 1 post/s per channel; the time against the ideal
  of messages per channel x 1 s. The workspace rate is off here (the ideal assumes none);
  with it on, 10 posts/s per workspace make 1,000 messages take at least 97 s.

Usage: python benchmarks/bench_pipeline.py [--articles N] [--channels N] [--sqlite-only]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.pipeline import Pipeline  # noqa: E402
from bot.worker import FANOUT_WORKERS, deliver_all  # noqa: E402
from db import tables as t  # noqa: E402
from db.engine import make_engine, upgrade  # noqa: E402
from db.store import SqlStore, name_key  # noqa: E402
from handlers.poster import ChannelPacer, SlackPoster, make_web_client  # noqa: E402
from tests.fakes.slack_api import FakeSlack  # noqa: E402
from watchlists.delivery import deliver_due  # noqa: E402
from watchlists.matching import MatchIndex  # noqa: E402
from watchlists.model import Article  # noqa: E402
from watchlists.services import (  # noqa: E402
    MAX_STORIES_PER_MESSAGE,
    ingest_articles,
    set_digest,
)

FILLER = (
    "Analysts said the market reaction was muted as investors weighed the outlook for "
    "interest rates, supply chains and consumer demand across the region. "
)
VERBS = ["agreed to buy", "took a stake in", "formed a joint venture with", "invested in"]


def load_companies(count: int) -> list[tuple[str, str]]:
    """Distinct (name, ticker) pairs from the SEC list."""
    rows = json.loads((ROOT / "benchmarks/data/companies.json").read_text(encoding="utf-8"))
    seen: set[str] = set()
    result = []
    for row in rows:
        name, ticker = row["name"].strip(), row["ticker"].strip()
        key = name_key(name)
        if len(name) < 4 or key in seen or not ticker:
            continue
        seen.add(key)
        result.append((name, ticker))
        if len(result) == count:
            break
    return result


def make_articles(companies: list[tuple[str, str]], count: int, seed: int = 7) -> list[Article]:
    """Articles naming one to three companies, with deal wording and filler."""
    rng = random.Random(seed)
    articles = []
    for n in range(count):
        named = rng.sample(companies, rng.randint(1, 3))
        lead = (
            f"{named[0][0]} {rng.choice(VERBS)} Target{n:05d} for ${rng.randint(5, 900)} million."
        )
        others = " ".join(f"{name} also commented on the sector." for name, _ in named[1:])
        body = f"{lead} {others} " + FILLER * 8
        articles.append(
            Article(
                id=f"b{n}",
                title=f"{named[0][0]} deal number {n}",
                text=body,
                url=f"https://bench.test/{n}",
                published=datetime(2026, 11, 1, tzinfo=UTC),
            )
        )
    return articles


def seed_watchlists(
    engine: Engine, store: SqlStore, companies: list[tuple[str, str]], channels: int
) -> None:
    """Entities with aliases, and channels watching ten each, inserted in bulk."""
    with engine.begin() as connection:
        connection.execute(
            insert(t.Entity),
            [
                {"name": name, "name_key": name_key(name), "created_at": datetime.now(UTC)}
                for name, _ in companies
            ],
        )
        ids = dict(connection.execute(text("SELECT name_key, id FROM entity")).all())
        connection.execute(
            insert(t.Alias),
            [{"entity_id": ids[name_key(name)], "text": ticker} for name, ticker in companies],
        )
    entity_ids = [ids[name_key(name)] for name, _ in companies]
    links = []
    for n in range(channels):
        channel = store.ensure_channel("TBENCH", f"C{n:05d}", f"desk-{n}")
        with engine.connect() as connection:
            own = connection.execute(
                text("SELECT id FROM watchlist WHERE owner_channel_id = :c"), {"c": channel.id}
            ).scalar_one()
        for k in range(10):
            links.append(
                {"watchlist_id": own, "entity_id": entity_ids[(n * 5 + k) % len(entity_ids)]}
            )
    with engine.begin() as connection:
        connection.execute(insert(t.WatchlistEntity), links)


def bench_database(url: str, label: str, articles_n: int, channels: int) -> None:
    """Run both measurements on one database."""
    engine = make_engine(url)
    upgrade(engine)
    store = SqlStore(engine)
    companies = load_companies(5000)
    started = time.perf_counter()
    seed_watchlists(engine, store, companies, channels)
    print(
        f"[{label}] seeded {len(companies)} entities / {2 * len(companies)} aliases, "
        f"{channels} channels in {time.perf_counter() - started:.1f} s"
    )
    articles = make_articles(companies, articles_n)

    index = MatchIndex(store.watched_entities())
    started = time.perf_counter()
    matched = sum(1 for article in articles if index.match(article))
    match_s = time.perf_counter() - started

    started = time.perf_counter()
    ingest_articles(store, articles, None, datetime.now(UTC))
    result = Pipeline(store).process(datetime.now(UTC))
    pipeline_s = time.perf_counter() - started
    print(
        f"[{label}] baseline, matching alone: {articles_n / match_s:,.0f} articles/s ({matched} matched)"
    )
    print(
        f"[{label}] pipeline ingest->queued:   {articles_n / pipeline_s:,.0f} articles/s "
        f"({result.matched} matched, {result.deliveries_queued} deliveries queued)"
    )
    print(f"[{label}] ratio pipeline / matching alone: {match_s / pipeline_s:.2f}x")

    slack = FakeSlack().start()
    try:
        client = make_web_client("xoxb-test", slack.url)
        started = time.perf_counter()
        for n in range(channels):
            client.chat_postMessage(channel=f"CBASE{n:05d}", text="baseline")
        bare_s = time.perf_counter() - started
        for channel in store.list_channels():
            set_digest(store, channel, "instant", datetime.now(UTC))
        poster = SlackPoster(client, ChannelPacer(interval=0))
        started = time.perf_counter()
        report = deliver_due(store, poster, datetime.now(UTC), "bench", limit=channels)
        fanout_s = time.perf_counter() - started
    finally:
        slack.stop()
    print(f"[{label}] baseline, {channels} bare chat.postMessage calls: {bare_s:.1f} s")
    print(
        f"[{label}] fan-out: {report.channels} channels, {report.stories} stories in "
        f"{fanout_s:.1f} s ({len(slack.calls_to('chat.postMessage')) - channels} messages)"
    )
    print(f"[{label}] ratio fan-out / bare posts: {fanout_s / bare_s:.2f}x")
    for messages in (1, 3):
        bench_paced_fanout(engine, store, label, channels, messages)
    engine.dispose()


def bench_paced_fanout(
    engine: Engine, store: SqlStore, label: str, channels: int, messages: int
) -> None:
    """Every channel gets exactly `messages` messages, paced 1/s per channel, in parallel."""
    stories = messages * MAX_STORIES_PER_MESSAGE
    stamp = uuid.uuid4().hex[:6]
    names = [f"Quorvex{stamp}{n:02d} Holdings" for n in range(stories)]
    with engine.begin() as connection:
        connection.execute(
            insert(t.Entity),
            [
                {"name": name, "name_key": name_key(name), "created_at": datetime.now(UTC)}
                for name in names
            ],
        )
        ids = [
            connection.execute(
                text("SELECT id FROM entity WHERE name_key = :k"), {"k": name_key(name)}
            ).scalar_one()
            for name in names
        ]
        workspace = connection.execute(text("SELECT MIN(id) FROM workspace")).scalar_one()
        connection.execute(
            insert(t.Watchlist),
            [
                {
                    "workspace_id": workspace,
                    "name": f"fanout-{stamp}",
                    "created_at": datetime.now(UTC),
                }
            ],
        )
        shared = connection.execute(
            text("SELECT id FROM watchlist WHERE name = :n"), {"n": f"fanout-{stamp}"}
        ).scalar_one()
        connection.execute(
            insert(t.WatchlistEntity), [{"watchlist_id": shared, "entity_id": i} for i in ids]
        )
        channel_ids = [row[0] for row in connection.execute(text("SELECT id FROM channel"))]
        connection.execute(
            insert(t.Subscription),
            [{"channel_id": c, "watchlist_id": shared} for c in channel_ids],
        )
    articles = [
        Article(
            id=f"fan-{stamp}-{n}",
            title=f"{name} {VERBS[n % len(VERBS)]} Fanout{stamp}{n:03d}",
            text=f"{name} {VERBS[n % len(VERBS)]} Fanout{stamp}{n:03d}. " + FILLER,
            url=f"https://bench.test/fan/{stamp}/{n}",
            published=datetime.now(UTC),
        )
        for n, name in enumerate(names)
    ]
    ingest_articles(store, articles, None, datetime.now(UTC))
    pipeline = Pipeline(store)
    pipeline.process(datetime.now(UTC))
    slack = FakeSlack().start()
    try:
        poster = SlackPoster(make_web_client("xoxb-test", slack.url), ChannelPacer(interval=1.0))
        with ThreadPoolExecutor(FANOUT_WORKERS) as pool:
            started, cpu = time.perf_counter(), time.process_time()
            report = deliver_all(pipeline, poster, datetime.now(UTC), "bench", pool)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        posts = len(slack.calls_to("chat.postMessage"))
    finally:
        slack.stop()
    per_channel = posts / max(report.channels, 1)
    print(
        f"[{label}] paced fan-out, {messages} message(s) per channel: {report.channels} channels, "
        f"{posts} messages ({per_channel:.2f} per channel), {report.stories} stories in "
        f"{elapsed:.1f} s with {FANOUT_WORKERS} workers; ideal {messages} s, "
        f"ratio {elapsed / messages:.1f}x; CPU {cpu:.1f} s, {cpu / max(posts, 1) * 1000:.1f} ms a "
        "message (this process holds the fake Slack too)"
    )


def main() -> int:
    """Run the benchmark on SQLite and, when configured, PostgreSQL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as folder:
        bench_database(f"sqlite:///{folder}/bench.db", "sqlite", args.articles, args.channels)
    pg_url = os.environ.get("DEALWATCH_BENCH_DATABASE_URL") or os.environ.get(
        "DEALWATCH_TEST_DATABASE_URL"
    )
    if pg_url and not args.sqlite_only:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(pg_url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            separator = "&" if "?" in pg_url else "?"
            bench_database(
                f"{pg_url}{separator}options=-csearch_path%3D{schema}",
                "postgresql",
                args.articles,
                args.channels,
            )
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    else:
        print(
            "PostgreSQL skipped: set DEALWATCH_BENCH_DATABASE_URL (or DEALWATCH_TEST_DATABASE_URL)"
        )
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

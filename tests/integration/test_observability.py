"""Metrics over real HTTP, scheduler lag on a real scheduler, `dealwatch status` as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from apscheduler.schedulers.background import BackgroundScheduler  # type: ignore[import-untyped]
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.applications import Starlette

from bot.app import create_app, create_asgi
from bot.observability import (
    MeteredFetcher,
    MeteredPipeline,
    MeteredPoster,
    MeteredStore,
    Metrics,
    collect_status,
    metered_web_client,
    observe_scheduler,
    operations_routes,
    print_status,
    render_status,
)
from bot.settings import Settings
from db.engine import make_engine, upgrade
from db.store import SqlStore
from handlers.poster import ChannelPacer, SlackPoster
from tests.fakes.clock import FakeClock
from tests.fakes.servers import serve_asgi
from tests.fakes.slack_api import FakeSlack
from watchlists.errors import DatabaseNotMigratedError, DeliveryError, RetryLaterError
from watchlists.model import Article, Entity
from watchlists.polling import poll_due_sources
from watchlists.ports import FetchOutcome
from watchlists.services import run_digest

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
GOOD_FEED = "https://feeds.test/good.xml"
BAD_FEED = "https://feeds.test/bad.xml"

PUSHED = [
    Article(id="n1", title="Orchard Labs sells its robotics unit", text="Orchard Labs agreed."),
    Article(id="n2", title="Rain expected on Thursday", text="A weather note."),
]


class ScriptedFetcher:
    """A FeedFetcher that answers from a dict of url -> outcome."""

    def __init__(self, outcomes: dict[str, FetchOutcome]) -> None:
        self.outcomes = outcomes

    def fetch(
        self, url: str, etag: str = "", last_modified: str = "", *, full_text: bool = False
    ) -> FetchOutcome:
        """The scripted outcome for url."""
        return self.outcomes[url]


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite file (metrics do not depend on the database kind)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'ops.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def _samples(exposition: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


def _value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_endpoint_counts_a_cycle_of_polls_matches_and_deliveries(
    sqlite_engine: Engine, slack: FakeSlack
) -> None:
    metrics = Metrics()
    store = MeteredStore(sqlite_engine, metrics)
    channel = store.ensure_channel("T1", "C1", "deals")
    store.watch(channel.id, Entity(name="Orchard Labs"))
    store.ensure_source(GOOD_FEED, "good")
    store.ensure_source(BAD_FEED, "bad")
    fetcher = MeteredFetcher(
        ScriptedFetcher(
            {
                GOOD_FEED: FetchOutcome(status="ok", articles=tuple(PUSHED), title="good"),
                BAD_FEED: FetchOutcome(status="error", error="HTTP 503"),
            }
        ),
        metrics,
    )
    client = metered_web_client("xoxb-test", slack.url, metrics)
    poster = MeteredPoster(SlackPoster(client, ChannelPacer(interval=0)), metrics)
    slack.rate_limit("chat.postMessage", times=1, retry_after=0)

    poll_due_sources(store, fetcher, poster, NOW, jitter=lambda: 0.5)
    processed = MeteredPipeline(store, metrics).process(NOW)
    # A 429 on a post is not slept out here: the channel waits (delivery records it).
    with pytest.raises(RetryLaterError):
        run_digest(store, poster, channel, NOW)
    posted = run_digest(store, poster, channel, NOW)
    # A crash between posting and recording: the next run finds the post in Slack.
    with sqlite_engine.begin() as connection:
        connection.execute(text("UPDATE delivery SET status = 'sending'"))
    recovered = run_digest(store, poster, channel, NOW)
    with sqlite_engine.begin() as connection:
        connection.execute(text("UPDATE delivery SET status = 'pending'"))
    slack.fail_next("chat.postMessage", "not_in_channel")
    with pytest.raises(DeliveryError):
        run_digest(store, poster, channel, NOW)

    with serve_asgi(Starlette(routes=operations_routes(store, Settings(), metrics))) as url:
        response = httpx.get(f"{url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)

    assert (processed.articles, processed.matched, posted.stories_posted) == (2, 1, 1)
    assert recovered.recovered == 1
    assert _value(samples, "dealwatch_feed_polls_total", outcome="ok") == 1
    assert _value(samples, "dealwatch_feed_polls_total", outcome="error") == 1
    assert _value(samples, "dealwatch_articles_ingested_total") == 2
    assert _value(samples, "dealwatch_articles_processed_total") == 2
    assert _value(samples, "dealwatch_articles_matched_total") == 1
    assert _value(samples, "dealwatch_deliveries_queued_total") == 1
    assert _value(samples, "dealwatch_deliveries_total", outcome="posted") == 1
    assert _value(samples, "dealwatch_deliveries_total", outcome="recovered") == 1
    assert _value(samples, "dealwatch_deliveries_total", outcome="failed") == 2  # 429, refusal
    assert _value(samples, "dealwatch_slack_rate_limited_total", method="chat.postMessage") == 1
    assert (
        _value(
            samples,
            "dealwatch_slack_api_errors_total",
            method="chat.postMessage",
            error="not_in_channel",
        )
        == 1
    )
    post_calls = len(slack.calls_to("chat.postMessage"))
    assert post_calls == 3  # the 429, the post of the next run, the refused post
    assert _value(samples, "dealwatch_slack_api_seconds_count", method="chat.postMessage") == 3
    assert _value(samples, "dealwatch_slack_api_seconds_count", method="conversations.history") == 1


def test_create_asgi_mounts_ingest_and_metrics_next_to_slack(
    sqlite_engine: Engine, slack: FakeSlack
) -> None:
    settings = Settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        slack_api_url=slack.url,
        ingest_token="push-token",
    )
    metrics = Metrics()
    store = MeteredStore(sqlite_engine, metrics)
    app = create_app(settings, store, metered_web_client("xoxb-test", slack.url, metrics))
    with serve_asgi(create_asgi(app, operations_routes(store, settings, metrics))) as url:
        accepted = httpx.post(
            f"{url}/ingest",
            json=[{"title": "Pushed item", "text": "Some text."}],
            headers={"Authorization": "Bearer push-token"},
        )
        refused = httpx.post(f"{url}/ingest", json={"title": "x"})
        health = httpx.get(f"{url}/healthz")
        samples = _samples(httpx.get(f"{url}/metrics").text)
    assert (accepted.status_code, refused.status_code, health.status_code) == (202, 401, 200)
    assert _value(samples, "dealwatch_ingest_requests_total", status="202") == 1
    assert _value(samples, "dealwatch_ingest_requests_total", status="401") == 1
    assert _value(samples, "dealwatch_articles_ingested_total") == 1


def test_two_metrics_objects_do_not_share_counts() -> None:
    first, second = Metrics(), Metrics()
    first.articles_ingested.inc(3)
    assert b"dealwatch_articles_ingested_total 3.0" in first.exposition()
    assert b"dealwatch_articles_ingested_total 0.0" in second.exposition()


def test_scheduler_lag_is_how_late_a_job_started() -> None:
    metrics = Metrics()
    scheduler = BackgroundScheduler(timezone=UTC)
    ran = threading.Event()
    due = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    late_by = timedelta(milliseconds=400)
    scheduler.add_job(
        ran.set, "interval", hours=1, id="pipeline", next_run_time=due, misfire_grace_time=30
    )
    # The listener reads the time from the fake clock: the job starts exactly late_by late.
    observe_scheduler(scheduler, metrics, clock=FakeClock(due + late_by))
    scheduler.start()
    try:
        assert ran.wait(timeout=30)
    finally:
        scheduler.shutdown()  # waits for the scheduler thread, which told the listener
    samples = _samples(metrics.exposition().decode())
    assert _value(samples, "dealwatch_scheduler_lag_seconds_count", job="pipeline") == 1
    lag = _value(samples, "dealwatch_scheduler_lag_seconds_sum", job="pipeline")
    assert lag == pytest.approx(late_by.total_seconds())


# status ---------------------------------------------------------------------


def _seed_status_database(engine: Engine) -> None:
    """Two channels (one paused), two watched entities, three sources, articles, outbox."""
    store = SqlStore(engine)
    deals = store.ensure_channel("T1", "C1", "deals")
    store.ensure_channel("T1", "C2", "archive")
    store.watch(deals.id, Entity(name="Orchard Labs"))
    store.watch(deals.id, Entity(name="Kestrel Fund"))
    ok = store.ensure_source("https://feeds.test/ok.xml")
    failing = store.ensure_source("https://feeds.test/flaky.xml")
    broken = store.ensure_source("https://feeds.test/gone.xml")
    store.add_articles(PUSHED, ok, datetime.now(UTC))
    store.add_articles([Article(id="n3", title="Third", text="Third item.")], ok, datetime.now(UTC))
    now = datetime.now(UTC)
    with engine.begin() as connection:
        sql = connection.execute
        sql(text("UPDATE channel SET paused_reason = 'is_archived' WHERE slack_id = 'C2'"))
        sql(
            text("UPDATE channel SET next_digest_at = :at WHERE slack_id = 'C1'"),
            {"at": now + timedelta(hours=5)},
        )
        sql(
            text(
                "UPDATE source SET consecutive_failures = :n, first_failure_at = :since, "
                "last_error = :error WHERE id = :id"
            ),
            [
                {"n": 2, "since": now - timedelta(hours=1), "error": "HTTP 502", "id": failing},
                {"n": 7, "since": now - timedelta(days=2), "error": "HTTP 410", "id": broken},
            ],
        )
        sql(text("UPDATE article SET matched_at = :at WHERE guid = 'n1'"), {"at": now})
        sql(
            text(
                "INSERT INTO story (key, title, deal_type, deal_stage, created_at, updated_at) "
                "VALUES ('s1', 'S1', 'none', '', :at, :at), ('s2', 'S2', 'none', '', :at, :at), "
                "('s3', 'S3', 'none', '', :at, :at)"
            ),
            {"at": now},
        )
        sql(
            text(
                "INSERT INTO delivery (channel_id, story_id, status, slack_ts, attempts, created_at) "
                "SELECT :channel, id, CASE key WHEN 's1' THEN 'posted' ELSE 'pending' END, '', 0, :at "
                "FROM story"
            ),
            {"channel": deals.id, "at": now},
        )


def test_status_reads_every_count_from_the_database(sqlite_engine: Engine) -> None:
    _seed_status_database(sqlite_engine)
    report = collect_status(SqlStore(sqlite_engine), datetime.now(UTC))
    assert report.channels == 2
    assert report.paused == {"#archive (C2)": "is_archived"}
    assert report.entities_watched == 2
    assert report.health_counts() == {"healthy": 1, "failing": 1, "broken": 1}
    assert {s.url: s.last_error for s in report.sources if s.health != "healthy"} == {
        "https://feeds.test/flaky.xml": "HTTP 502",
        "https://feeds.test/gone.xml": "HTTP 410",
    }
    assert (report.articles, report.unprocessed) == (3, 2)
    assert report.deliveries == {"pending": 2, "sending": 0, "posted": 1}
    assert [line.channel for line in report.next_digests] == ["#deals (C1)"]
    assert report.next_digests[0].next_digest_at is not None


def test_status_command_prints_the_snapshot_of_database_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'status.db'}"
    engine = make_engine(url)
    upgrade(engine)
    _seed_status_database(engine)
    engine.dispose()

    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "status"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "channels    2 (1 paused: #archive (C2): is_archived)" in lines
    assert "entities    2 watched" in lines
    assert "sources     3: 1 healthy, 1 failing, 1 broken" in lines
    assert any("broken" in line and "gone.xml" in line and "HTTP 410" in line for line in lines)
    assert "articles    3 total, 2 unprocessed, 0 quarantined" in lines
    assert "deliveries  pending 2, sending 0, posted 1" in lines
    assert any("#deals (C1)" in line and "daily 09:00" in line for line in lines)


def test_status_shows_backed_off_channels_and_quarantined_articles(
    sqlite_engine: Engine,
) -> None:
    _seed_status_database(sqlite_engine)
    store = SqlStore(sqlite_engine)
    now = datetime.now(UTC)
    [deals] = [c for c in store.list_channels() if c.slack_id == "C1"]
    due = now + timedelta(days=1)  # C1's digest is due then
    assert [c.id for c in store.claim_deliverable_channels(due, "w1", due, 10)] == [deals.id]
    store.back_off_channel(deals.id, "w1", due + timedelta(seconds=30), "msg_too_long")
    [(article_id, _article)] = store.unmatched_articles(1)
    store.quarantine_article(article_id, "took 31.0 s, over the 20 s budget", now)
    report = collect_status(store, now)
    assert [(b.channel, b.failures, b.reason) for b in report.backed_off] == [
        ("#deals (C1)", 1, "msg_too_long")
    ]
    assert [(q.article_id, q.reason) for q in report.quarantined] == [
        (article_id, "took 31.0 s, over the 20 s budget")
    ]
    assert report.unprocessed == 1
    lines = render_status(report).splitlines()
    assert (
        f"  backed off #deals (C1): 1 failure(s) in a row, waits until "
        f"{due + timedelta(seconds=30):%Y-%m-%d %H:%M} UTC; last error: msg_too_long"
    ) in lines
    assert "articles    3 total, 1 unprocessed, 1 quarantined" in lines
    assert any(
        line.startswith(f"  quarantined #{article_id} ") and line.endswith("over the 20 s budget")
        for line in lines
    )


def test_status_refuses_a_database_without_the_schema(tmp_path: Path) -> None:
    with pytest.raises(DatabaseNotMigratedError):
        print_status(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}"))


def test_status_shows_when_a_channel_on_the_default_schedule_gets_its_first_digest(
    engine: Engine,
) -> None:
    store = SqlStore(engine)
    store.ensure_channel("T1", "C0FRESH", "fresh")  # daily 09:00 by default, never scheduled
    with engine.begin() as connection:
        connection.execute(text("UPDATE channel SET next_digest_at = NULL"))
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    [line] = collect_status(store, now).next_digests
    assert (line.schedule, line.timezone) == ("daily 09:00", "UTC")
    assert line.next_digest_at == "2026-03-03 09:00 UTC"
    assert "not scheduled" not in render_status(collect_status(store, now))

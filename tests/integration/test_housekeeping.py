"""Housekeeping drops old undelivered articles and keeps what reached a channel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.pipeline import Pipeline
from db.store import SqlStore
from watchlists.housekeeping import run_housekeeping
from watchlists.model import Article, Entity
from watchlists.services import ingest_articles


def _titles(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return [r[0] for r in connection.execute(text("SELECT title FROM article ORDER BY title"))]


def test_old_unmatched_articles_go_and_delivered_stories_stay(engine: Engine) -> None:
    store = SqlStore(engine)
    channel = store.ensure_channel("T1", "C1")
    store.watch(channel.id, Entity(name="Alibaba"))
    ingest_articles(
        store,
        [
            Article(
                id="1",
                title="Alibaba buys a grocer",
                text="Alibaba agreed to buy Mavi Market.",
                url="https://n.test/1",
            ),
            Article(
                id="2", title="Weather in Lisbon", text="Sunny all week.", url="https://n.test/2"
            ),
        ],
        None,
        datetime.now(UTC),
    )
    Pipeline(store).process(datetime.now(UTC))
    store.first_time("request-key", datetime.now(UTC))
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE article SET ingested_at = :old"), {"old": datetime(2020, 1, 1, tzinfo=UTC)}
        )
        connection.execute(
            text("UPDATE processedrequest SET created_at = :old"),
            {"old": datetime(2020, 1, 1, tzinfo=UTC)},
        )

    report = run_housekeeping(store, datetime.now(UTC), retention=timedelta(days=90))
    assert (report.articles, report.request_keys) == (1, 1)
    assert _titles(engine) == ["Alibaba buys a grocer"]
    assert [item.title for item in store.pending_items(channel.id)] == ["Alibaba buys a grocer"]


def test_recent_articles_are_kept(engine: Engine) -> None:
    store = SqlStore(engine)
    ingest_articles(
        store, [Article(id="1", title="Weather", text="Rain.")], None, datetime.now(UTC)
    )
    Pipeline(store).process(datetime.now(UTC))
    assert run_housekeeping(store, datetime.now(UTC)).articles == 0
    assert _titles(engine) == ["Weather"]

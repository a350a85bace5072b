"""Work another process adds wakes this one's worker at once: PostgreSQL NOTIFY and LISTEN.
SQLite has none (the process wakes itself, the worker's probe notices others)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.listener import WorkListener, start_work_listener
from bot.pipeline import Pipeline
from bot.worker import PipelineWorker
from db.engine import make_engine
from db.notify import WorkNotifications
from db.store import SqlStore
from tests.conftest import create_schema, empty_database, unpaced_poster
from tests.fakes.slack_api import FakeSlack
from watchlists.model import Article, Entity
from watchlists.services import ingest_articles, set_digest

TIMEOUT_S = 20.0
NO_NOTIFY = "LISTEN/NOTIFY is PostgreSQL's; on SQLite the process wakes itself"


def _article(n: int) -> Article:
    title = f"Alibaba agrees to buy Zorvex{n:03d} Robotics"
    return Article(
        id=f"a{n}",
        title=title,
        text=f"{title} for ${n + 10} million in cash.",
        url=f"https://wire.test/{n}",
        published=datetime.now(UTC),
    )


class Wakes:
    """A wake() that counts and can be waited for."""

    def __init__(self) -> None:
        self.count = 0
        self.event = threading.Event()

    def __call__(self) -> None:
        self.count += 1
        self.event.set()

    def reset(self) -> None:
        self.count = 0
        self.event.clear()


def _other_engine(engine: Engine) -> Engine:
    """A second engine on the same database, as another process would have."""
    return make_engine(engine.url.render_as_string(hide_password=False))


@pytest.fixture
def pg_engine(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip(NO_NOTIFY)
    return engine


@pytest.fixture
def wakes() -> Wakes:
    return Wakes()


@pytest.fixture
def listener(pg_engine: Engine, wakes: Wakes) -> Iterator[WorkListener]:
    """A listener on an engine of its own, listening."""
    other = _other_engine(pg_engine)
    started = WorkListener(other, wakes).start()
    try:
        assert started.listening.wait(TIMEOUT_S), "the listener never got to LISTEN"
        yield started
    finally:
        started.stop()
        other.dispose()


def test_articles_one_store_adds_wake_the_listener_of_another(
    pg_engine: Engine, listener: WorkListener, wakes: Wakes
) -> None:
    ingest_articles(SqlStore(pg_engine), [_article(1)], None, datetime.now(UTC))
    assert wakes.event.wait(TIMEOUT_S)
    assert listener.notifications >= 1


def test_a_listener_skips_what_its_own_engine_sent(pg_engine: Engine) -> None:
    other = _other_engine(pg_engine)
    try:
        with WorkNotifications(pg_engine) as notifications:
            ingest_articles(SqlStore(pg_engine), [_article(1)], None, datetime.now(UTC))
            ingest_articles(SqlStore(other), [_article(2)], None, datetime.now(UTC))
            assert notifications.wait(TIMEOUT_S)  # the other engine's
            assert not notifications.wait(0.5)  # its own was skipped: nothing else came
    finally:
        other.dispose()


def test_recent_stories_queued_for_a_new_watch_wake_the_listener(
    pg_engine: Engine, wakes: Wakes
) -> None:
    store = SqlStore(pg_engine)
    first = store.ensure_channel("T1", "C1", "desk")
    store.watch(first.id, Entity(name="Alibaba"))
    ingest_articles(store, [_article(1)], None, datetime.now(UTC))
    Pipeline(store).process()  # filed, and queued for the first channel only
    channel = store.ensure_channel("T1", "C2", "desk-2")
    entity = store.watch(channel.id, Entity(name="Alibaba"))
    other = _other_engine(pg_engine)
    listening = WorkListener(other, wakes).start()
    try:
        assert listening.listening.wait(TIMEOUT_S)
        wakes.reset()
        since = datetime(2000, 1, 1, tzinfo=UTC)
        assert store.queue_recent_stories(channel.id, [entity.id], since, 5, datetime.now(UTC))
        assert wakes.event.wait(TIMEOUT_S)
    finally:
        listening.stop()
        other.dispose()


def test_a_listener_hears_only_its_own_schema(
    pg_engine: Engine, listener: WorkListener, wakes: Wakes, tmp_path: Path
) -> None:
    elsewhere = Wakes()
    with empty_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        create_schema(engine)
        stranger = WorkListener(engine, elsewhere).start()
        try:
            assert stranger.listening.wait(TIMEOUT_S)
            elsewhere.reset()
            ingest_articles(SqlStore(pg_engine), [_article(1)], None, datetime.now(UTC))
            assert wakes.event.wait(TIMEOUT_S)
            # Both heard the commit at once or not at all: the other schema's listener did not.
            assert stranger.notifications == 0
        finally:
            stranger.stop()
            engine.dispose()


def test_a_worker_posts_what_another_process_stored_without_its_probe(
    pg_engine: Engine, slack: FakeSlack
) -> None:
    store = SqlStore(pg_engine)
    channel = store.ensure_channel("T1", "C1", "desk")
    store.watch(channel.id, Entity(name="Alibaba"))
    set_digest(store, channel, "instant", datetime.now(UTC))
    # The probe would take an hour: only the notification can start the pass.
    worker = PipelineWorker(
        Pipeline(store), unpaced_poster(slack), "w1", probe_interval_s=3600
    ).start()
    listening = start_work_listener(store.engine, worker.wake)
    assert listening is not None
    try:
        assert listening.listening.wait(TIMEOUT_S)
        other = _other_engine(pg_engine)
        try:
            ingest_articles(SqlStore(other), [_article(1)], None, datetime.now(UTC))
        finally:
            other.dispose()
        slack.wait_for("chat.postMessage", 1, timeout=TIMEOUT_S)
    finally:
        listening.stop()
        worker.stop()


def test_sqlite_has_no_listener(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL has a listener")
    assert start_work_listener(engine, Wakes()) is None


def test_wake_now_starts_a_pass_without_the_batch_window(engine: Engine, slack: FakeSlack) -> None:
    store = SqlStore(engine)
    channel = store.ensure_channel("T1", "C1", "desk")
    store.watch(channel.id, Entity(name="Alibaba"))
    set_digest(store, channel, "instant", datetime.now(UTC))
    # An hour-long window and probe: only a pass started at once can post.
    worker = PipelineWorker(
        Pipeline(store), unpaced_poster(slack), "w1", batch_window_s=3600, probe_interval_s=3600
    ).start()
    try:
        ingest_articles(store, [_article(1)], None, datetime.now(UTC))
        worker.wake_now()
        slack.wait_for("chat.postMessage", 1, timeout=TIMEOUT_S)
    finally:
        worker.stop()

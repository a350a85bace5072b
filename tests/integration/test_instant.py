"""Everything accepted is seen at once: catch-up before `digest now` and `lookup`, stored
articles matched for a new watch or subscription, a worker woken by an ingest, fan-out in
parallel. SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.pipeline import Pipeline
from bot.worker import PipelineWorker
from db.store import SqlStore
from handlers.commands import run_command
from handlers.deps import Deps
from tests.conftest import unpaced_poster
from tests.fakes.slack_api import FakeSlack
from watchlists.delivery import deliver_due
from watchlists.model import Article, Channel, Digest, Entity
from watchlists.services import MAX_STORIES_PER_MESSAGE, ingest_articles, set_digest


def _articles(count: int, name: str = "Alibaba", start: int = 0) -> list[Article]:
    return [
        Article(
            id=f"a{n}",
            title=f"{name} agrees to buy Zorvex{n:03d} Robotics",
            text=f"{name} agrees to buy Zorvex{n:03d} Robotics for ${n + 10} million in cash.",
            url=f"https://wire.test/{n}",
            published=datetime.now(UTC),
        )
        for n in range(start, start + count)
    ]


def _backdate(engine: Engine, days: float) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE article SET ingested_at = :at"),
            {"at": datetime.now(UTC) - timedelta(days=days)},
        )


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


class Desk:
    """One store, one pipeline and a channel answering /deals commands like the bot does."""

    def __init__(self, engine: Engine, slack: FakeSlack) -> None:
        self.engine, self.slack = engine, slack
        self.store = SqlStore(engine)
        self.pipeline = Pipeline(self.store)
        self.poster = unpaced_poster(slack)
        self.woken = 0
        self.deps = Deps(
            store=self.store,
            poster_for=lambda _client: self.poster,
            matching=self.pipeline.matching,
            wake=self._wake,
        )

    def _wake(self) -> None:
        self.woken += 1

    def channel(self, slack_id: str, delivery: str = "instant") -> Channel:
        channel = self.store.ensure_channel("T1", slack_id, f"desk-{slack_id}")
        return set_digest(self.store, channel, delivery, datetime.now(UTC))

    def run(self, command: str, channel: Channel) -> str:
        return run_command(command, channel, self.deps, self.poster).ephemeral_text

    def store_unwatched(self, articles: Sequence[Article], days_ago: float) -> None:
        """Articles stored and processed while nobody watched them, days_ago."""
        ingest_articles(self.store, articles, None, datetime.now(UTC))
        self.pipeline.process()
        _backdate(self.engine, days_ago)

    def posts(self) -> list[str]:
        return [str(call.body.get("text", "")) for call in self.slack.calls_to("chat.postMessage")]


@pytest.fixture
def desk(engine: Engine, slack: FakeSlack) -> Desk:
    return Desk(engine, slack)


def test_watch_picks_up_last_weeks_stored_article(desk: Desk) -> None:
    desk.store_unwatched(_articles(1), days_ago=3)
    channel = desk.channel("C1")
    desk.run("watch Alibaba", channel)
    assert _count(desk.engine, "SELECT COUNT(*) FROM delivery WHERE status = 'pending'") == 1
    assert desk.woken == 1
    assert "Zorvex000" in desk.run("lookup Alibaba 7d", channel)
    report = deliver_due(desk.store, desk.poster, datetime.now(UTC), "w1")
    assert report.stories == 1
    assert any("Zorvex000" in post for post in desk.posts())


def test_watch_leaves_articles_older_than_a_week(desk: Desk) -> None:
    desk.store_unwatched(_articles(1), days_ago=8)
    desk.run("watch Alibaba", desk.channel("C1"))
    assert _count(desk.engine, "SELECT COUNT(*) FROM delivery") == 0
    assert desk.woken == 0


def test_instant_channel_gets_one_recent_coverage_message_not_a_flood(desk: Desk) -> None:
    desk.store_unwatched(_articles(20), days_ago=2)
    desk.run("watch Alibaba", desk.channel("C1"))
    report = deliver_due(desk.store, desk.poster, datetime.now(UTC), "w1")
    assert report.stories == MAX_STORIES_PER_MESSAGE
    [post] = desk.posts()
    assert post.startswith(f"Recent coverage: {MAX_STORIES_PER_MESSAGE} stories: ")


def test_recent_coverage_is_posted_apart_from_news_that_arrives_with_it(desk: Desk) -> None:
    desk.store_unwatched(_articles(2), days_ago=2)
    desk.run("watch Alibaba", desk.channel("C1"))
    ingest_articles(desk.store, _articles(1, start=50), None, datetime.now(UTC))
    desk.pipeline.process()
    deliver_due(desk.store, desk.poster, datetime.now(UTC), "w1")
    news, recent = desk.posts()
    assert news.startswith("Deal digest: 1 story: ") and "Zorvex050" in news
    assert recent.startswith("Recent coverage: 2 stories: ")


def test_subscribing_to_a_list_picks_up_last_weeks_stored_article(desk: Desk) -> None:
    desk.store_unwatched(_articles(1), days_ago=5)
    owner, reader = desk.channel("C1"), desk.channel("C2", "daily 09:00")
    desk.run("watchlist new asia", owner)
    desk.run("watchlist add asia Alibaba", owner)
    desk.run("subscribe asia", reader)
    pending = _count(
        desk.engine,
        "SELECT COUNT(*) FROM delivery d JOIN channel c ON c.id = d.channel_id "
        "WHERE c.slack_id = 'C2' AND d.status = 'pending'",
    )
    assert pending == 1
    assert "Posted 1 story" in desk.run("digest now", reader)


def test_adding_to_a_list_picks_up_last_weeks_article_for_its_subscribers(desk: Desk) -> None:
    desk.store_unwatched(_articles(1), days_ago=5)
    owner, reader = desk.channel("C1"), desk.channel("C2")
    desk.run("watchlist new asia", owner)
    desk.run("subscribe asia", reader)
    desk.run("watchlist add asia Alibaba", owner)
    pending = _count(
        desk.engine,
        "SELECT COUNT(*) FROM delivery d JOIN channel c ON c.id = d.channel_id "
        "WHERE c.slack_id = 'C2' AND d.status = 'pending'",
    )
    assert pending == 1
    assert desk.woken == 1


def test_lookup_finds_an_article_stored_before_anyone_watched_its_entity(desk: Desk) -> None:
    desk.store_unwatched(_articles(1), days_ago=20)  # older than a new watch looks back
    channel = desk.channel("C1")
    desk.run("watch Alibaba", channel)
    desk.run("unwatch Alibaba", channel)  # known, watched by nobody
    answer = desk.run("lookup Alibaba 30d", channel)
    assert "Zorvex000" in answer
    # The mentions are recorded once, however often the entity is looked up.
    recorded = _count(desk.engine, "SELECT COUNT(*) FROM match")
    assert recorded >= 1
    desk.run("lookup Alibaba 30d", channel)
    assert _count(desk.engine, "SELECT COUNT(*) FROM match") == recorded


def test_digest_now_right_after_an_ingest_posts_it(desk: Desk) -> None:
    channel = desk.channel("C1", "daily 09:00")
    desk.run("watch Alibaba", channel)
    ingest_articles(
        desk.store, _articles(1), None, datetime.now(UTC)
    )  # accepted, not processed yet
    assert "Posted 1 story" in desk.run("digest now", channel)
    assert any("Zorvex000" in post for post in desk.posts())


def test_lookup_right_after_an_ingest_sees_it(desk: Desk) -> None:
    channel = desk.channel("C1", "daily 09:00")
    desk.run("watch Alibaba", channel)
    ingest_articles(desk.store, _articles(1), None, datetime.now(UTC))
    assert "Zorvex000" in desk.run("lookup Alibaba", channel)


def test_a_wake_up_delivers_to_instant_channels_without_waiting_for_the_interval(
    desk: Desk,
) -> None:
    channel = desk.channel("C1")
    desk.run("watch Alibaba", channel)
    # The probe would take an hour: only the wake-up can start this pass.
    worker = PipelineWorker(desk.pipeline, desk.poster, "w1", probe_interval_s=3600).start()
    try:
        ingest_articles(desk.store, _articles(1), None, datetime.now(UTC))
        worker.wake()
        _wait(lambda: any("Zorvex000" in p for p in desk.posts()), 20, "the instant post")
    finally:
        worker.stop()


def test_the_worker_notices_articles_another_process_stored(desk: Desk, engine: Engine) -> None:
    channel = desk.channel("C1")
    desk.run("watch Alibaba", channel)
    worker = PipelineWorker(desk.pipeline, desk.poster, "w1", probe_interval_s=0.05).start()
    try:
        ingest_articles(
            SqlStore(engine), _articles(1), None, datetime.now(UTC)
        )  # no wake-up: another process
        _wait(lambda: any("Zorvex000" in p for p in desk.posts()), 20, "the instant post")
    finally:
        worker.stop()


class BarrierPoster:
    """Posts only once `parties` posts are in flight together: a serial fan-out hangs."""

    def __init__(self, parties: int) -> None:
        self.barrier = threading.Barrier(parties, timeout=10)
        self.posted: list[str] = []
        self._lock = threading.Lock()

    def post_digest_page(self, digest: Digest, page: int, pages: int) -> str:
        self.barrier.wait()
        with self._lock:
            self.posted.append(digest.channel.slack_id)
            return f"1.{len(self.posted)}"

    def find_posted(self, channel: Channel, story_ids: Sequence[int]) -> dict[int, str]:
        return {}

    def post_notice(self, channel: Channel, text: str) -> str:
        return "1.0"


def test_fan_out_serves_channels_concurrently(desk: Desk) -> None:
    for n in range(4):
        desk.run("watch Alibaba", desk.channel(f"C{n}"))
    ingest_articles(desk.store, _articles(1), None, datetime.now(UTC))
    desk.pipeline.process()
    poster = BarrierPoster(parties=4)
    with ThreadPoolExecutor(4) as pool:
        report = deliver_due(desk.store, poster, datetime.now(UTC), "w1", pool=pool)
    assert report.channels == 4 and report.stories == 4
    assert sorted(poster.posted) == ["C0", "C1", "C2", "C3"]
    again = deliver_due(desk.store, poster, datetime.now(UTC), "w1")
    assert again.stories == 0


def test_stored_mentions_are_recorded_once_per_article_and_entity(desk: Desk) -> None:
    desk.store_unwatched(_articles(2), days_ago=1)
    entity = desk.store.watch(desk.channel("C1").id, Entity(name="Alibaba"))
    ids = [entity.id]
    since = datetime.now(UTC) - timedelta(days=7)
    unscanned = desk.store.unscanned_articles(ids, since, None, 10)
    assert [article.id for _, article in unscanned] == ["a1", "a0"]  # newest first
    from watchlists.matching import MatchIndex

    index = MatchIndex([entity])
    found = [(article_id, tuple(index.match(article))) for article_id, article in unscanned]
    assert desk.store.add_matches(found) == 2  # (article, entity) pairs, not mentions
    assert desk.store.add_matches(found) == 0
    assert desk.store.unscanned_articles(ids, since, None, 10) == []


class LateProbeStore(SqlStore):
    """Stores an article just before the worker thread's first look at the newest ids, as
    another process may while the thread has not run yet."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.raced = False

    def work_marker(self) -> tuple[int, int]:
        if threading.current_thread().name == "pipeline-worker" and not self.raced:
            self.raced = True
            ingest_articles(SqlStore(self.engine), _articles(1), None, datetime.now(UTC))
        return super().work_marker()


def test_the_worker_notices_articles_stored_before_its_thread_first_ran(
    desk: Desk, engine: Engine
) -> None:
    channel = desk.channel("C1")
    desk.run("watch Alibaba", channel)
    store = LateProbeStore(engine)
    worker = PipelineWorker(Pipeline(store), desk.poster, "w1", probe_interval_s=0.05).start()
    try:
        _wait(lambda: any("Zorvex000" in p for p in desk.posts()), 20, "the instant post")
    finally:
        worker.stop()

"""Ingest -> match -> queue -> digest on a real database, posting to the fake Slack over HTTP."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.pipeline import Pipeline
from db.store import SqlStore
from handlers.poster import SlackPoster, make_web_client
from tests.conftest import unpaced_poster
from tests.fakes.slack_api import FakeSlack
from watchlists.errors import DeliveryError, RetryLaterError
from watchlists.model import Article, Entity
from watchlists.services import ingest_articles, run_digest

NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)

ARTICLES = [
    Article(
        id="a1",
        title="Alibaba weighs Russian venture",
        text="Alibaba is in talks.",
        url="https://x.test/1",
        source="Wire A",
    ),
    Article(
        id="a2",
        title="Bank results",
        text="A bank reported profits.",
        url="https://x.test/2",
        source="Wire A",
    ),
    Article(
        id="a3",
        title="RDIF backs logistics",
        text="The RDIF will invest.",
        url="https://x.test/3",
        source="Wire B",
    ),
]


JV_TALKS = Article(
    id="t1",
    title="Alibaba in advanced talks to form Russian e-commerce venture with RDIF",
    text="Alibaba is in advanced negotiations to form a joint venture with RDIF, people familiar said.",
    url="https://wire-a.test/jv?utm_source=x",
    source="Wire A",
    published=NOW,
)
JV_DONE = Article(
    id="t3",
    title="Alibaba and RDIF complete Russian e-commerce joint venture",
    text="Alibaba and RDIF have completed the formation of their joint venture, the companies said.",
    url="https://wire-a.test/jv-completed",
    source="Wire A",
    published=NOW,
)


class CrashAfterPosting(SlackPoster):
    """A poster whose process dies right after Slack accepted the post."""

    def post_digest_page(self, digest, page, pages):  # type: ignore[no-untyped-def]
        super().post_digest_page(digest, page, pages)
        raise KeyboardInterrupt("process killed after Slack accepted the post")


def _seed(engine: Engine) -> tuple[SqlStore, int]:
    store = SqlStore(engine)
    channel = store.ensure_channel("T1", "C1", "deals")
    store.watch(channel.id, Entity(name="Alibaba"))
    store.watch(channel.id, Entity(name="RDIF", aliases=("Russian Direct Investment Fund",)))
    return store, channel.id


def _delivery_statuses(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return [
            row[0] for row in connection.execute(text("SELECT status FROM delivery ORDER BY id"))
        ]


def test_matched_articles_are_posted_once_in_a_digest(engine: Engine, slack: FakeSlack) -> None:
    store, channel_id = _seed(engine)
    assert ingest_articles(store, ARTICLES, None, datetime.now(UTC)) == 3
    result = Pipeline(store).process(NOW)
    assert (result.articles, result.matched, result.deliveries_queued) == (3, 2, 2)

    channel = store.get_channel(channel_id)
    first = run_digest(store, unpaced_poster(slack), channel, NOW)
    second = run_digest(store, unpaced_poster(slack), channel, NOW)

    assert first.stories_posted == 2 and second.stories_posted == 0
    [post] = slack.calls_to("chat.postMessage")
    assert post.body["channel"] == "C1"
    assert "Alibaba weighs Russian venture" in post.body["text"]
    assert post.body["metadata"]["event_payload"]["story_ids"]
    assert _delivery_statuses(engine) == ["posted", "posted"]


def test_reingesting_the_same_items_adds_nothing(engine: Engine) -> None:
    store, _ = _seed(engine)
    ingest_articles(store, ARTICLES, None, datetime.now(UTC))
    assert ingest_articles(store, ARTICLES, None, datetime.now(UTC)) == 0


def test_crash_after_post_before_record_does_not_post_again(
    engine: Engine, slack: FakeSlack
) -> None:
    store, channel_id = _seed(engine)
    ingest_articles(store, ARTICLES, None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    channel = store.get_channel(channel_id)

    with pytest.raises(KeyboardInterrupt):
        run_digest(store, CrashAfterPosting(make_web_client("xoxb-test", slack.url)), channel, NOW)
    assert _delivery_statuses(engine) == ["sending", "sending"]

    result = run_digest(store, unpaced_poster(slack), channel, NOW)
    assert result.recovered == 2 and result.stories_posted == 0
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert _delivery_statuses(engine) == ["posted", "posted"]


def test_a_post_slack_refuses_for_now_is_requeued_and_sent_by_the_next_run(
    engine: Engine, slack: FakeSlack
) -> None:
    store, channel_id = _seed(engine)
    ingest_articles(store, ARTICLES, None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    channel = store.get_channel(channel_id)
    slack.fail_next("chat.postMessage", "internal_error")
    with pytest.raises(RetryLaterError, match="internal_error"):
        run_digest(store, unpaced_poster(slack), channel, NOW)
    assert _delivery_statuses(engine) == ["pending", "pending"]

    result = run_digest(store, unpaced_poster(slack), channel, NOW)
    assert result.recovered == 0 and result.stories_posted == 2
    assert _delivery_statuses(engine) == ["posted", "posted"]


def test_not_in_channel_becomes_a_delivery_error(engine: Engine, slack: FakeSlack) -> None:
    store, channel_id = _seed(engine)
    ingest_articles(store, ARTICLES, None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    slack.fail_next("chat.postMessage", "not_in_channel")
    with pytest.raises(DeliveryError) as caught:
        run_digest(store, unpaced_poster(slack), store.get_channel(channel_id), NOW)
    assert caught.value.code == "not_in_channel"


def test_a_rate_limited_post_is_not_slept_out_but_handed_back_with_its_retry_after(
    engine: Engine, slack: FakeSlack
) -> None:
    store, channel_id = _seed(engine)
    ingest_articles(store, ARTICLES, None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    slack.rate_limit("chat.postMessage", times=1, retry_after=30)
    with pytest.raises(RetryLaterError) as caught:
        run_digest(store, unpaced_poster(slack), store.get_channel(channel_id), NOW)
    assert (caught.value.code, caught.value.retry_after) == ("ratelimited", 30.0)
    assert len(slack.calls_to("chat.postMessage")) == 1
    result = run_digest(store, unpaced_poster(slack), store.get_channel(channel_id), NOW)
    assert result.stories_posted == 2


def test_lookup_finds_stories_about_an_entity_by_alias(engine: Engine) -> None:
    from watchlists.lookup import lookup_page, parse_lookup

    store, _ = _seed(engine)
    ingest_articles(store, ARTICLES, None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    query = parse_lookup("russian direct investment fund since:30d")
    found = lookup_page(store, "T1", query, NOW)
    assert found.entity.name == "RDIF"
    assert [item.title for item in found.items] == ["RDIF backs logistics"]


def test_muted_entity_is_not_queued(engine: Engine) -> None:
    store, channel_id = _seed(engine)
    alibaba = store.find_entity("T1", "Alibaba")
    assert alibaba is not None
    store.mute(channel_id, alibaba.id, datetime(2099, 1, 1, tzinfo=UTC))
    ingest_articles(store, ARTICLES, None, datetime.now(UTC))
    result = Pipeline(store).process(NOW)
    assert result.matched == 2 and result.deliveries_queued == 1
    assert [item.title for item in store.pending_items(channel_id)] == ["RDIF backs logistics"]


def test_muted_entity_is_not_queued_even_when_the_article_names_another_unwatched_one(
    engine: Engine,
) -> None:
    store = SqlStore(engine)
    muting = store.ensure_channel("T1", "C1", "muting")
    other = store.ensure_channel("T1", "C2", "other")
    store.watch(muting.id, Entity(name="Alibaba"))
    store.watch(other.id, Entity(name="RDIF"))
    alibaba = store.find_entity("T1", "Alibaba")
    assert alibaba is not None
    store.mute(muting.id, alibaba.id, datetime(2099, 1, 1, tzinfo=UTC))
    both = Article(
        id="b1",
        title="Alibaba and RDIF form venture",
        text="Alibaba and RDIF agreed.",
        url="https://x.test/b1",
    )
    ingest_articles(store, [both], None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    assert store.pending_items(muting.id) == []
    assert [item.title for item in store.pending_items(other.id)] == [
        "Alibaba and RDIF form venture"
    ]


def test_story_told_once_across_sources_and_restarts_with_a_material_update(
    engine: Engine,
) -> None:
    store, channel_id = _seed(engine)
    same_elsewhere = Article(
        id="t2",
        title="Alibaba nears e-commerce joint venture with RDIF in Russia",
        text="Alibaba is in advanced talks to form a joint venture with RDIF, sources said.",
        url="https://wire-b.test/alibaba-rdif",
        source="Wire B",
        published=NOW,
    )
    ingest_articles(store, [JV_TALKS, same_elsewhere], None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    [item] = store.pending_items(channel_id)
    assert item.also_reported_by == ("Wire B",)
    assert (item.deal_type, item.deal_stage) == ("joint_venture", "in_talks")
    store.mark_posted(channel_id, [item.story_id], "1.1", NOW)

    # A new process (restart) sees an edited re-publication, then the completion.
    republished = Article(
        id="t1-edit",
        title="Alibaba in advanced talks to form Russian e-commerce venture with RDIF",
        text="Alibaba is in advanced negotiations to form a joint venture with RDIF, people familiar with the matter said.",
        url="https://wire-a.test/jv",
        source="Wire A",
        published=NOW,
    )
    ingest_articles(store, [republished], None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    assert store.pending_items(channel_id) == []

    ingest_articles(store, [JV_DONE], None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    [update] = store.pending_items(channel_id)
    assert update.title.startswith("Update: ")
    assert update.deal_stage == "completed"


def _first_report_then_update(
    store: SqlStore, channel_id: int, slack: FakeSlack
) -> tuple[str, int]:
    """Post the talks story, then file the completion; the ts of the first post and the
    update's story id."""
    ingest_articles(store, [JV_TALKS], None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    run_digest(store, unpaced_poster(slack), store.get_channel(channel_id), NOW)
    [first] = slack.messages["C1"]
    ingest_articles(store, [JV_DONE], None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    [update] = store.pending_items(channel_id)
    return first["ts"], update.story_id


def test_material_update_is_posted_in_the_thread_of_the_first_report(
    engine: Engine, slack: FakeSlack
) -> None:
    store, channel_id = _seed(engine)
    first_ts, update_id = _first_report_then_update(store, channel_id, slack)
    [pending] = store.pending_items(channel_id)
    assert pending.thread_ts == first_ts

    result = run_digest(store, unpaced_poster(slack), store.get_channel(channel_id), NOW)

    assert result.stories_posted == 1
    reply = slack.calls_to("chat.postMessage")[-1].body
    assert reply["thread_ts"] == first_ts and reply["reply_broadcast"] is True
    assert "complete" in reply["text"] and reply["metadata"]["event_payload"]["story_ids"] == [
        update_id
    ]
    assert _delivery_statuses(engine) == ["posted", "posted"]


def test_update_of_a_story_the_channel_never_got_is_posted_as_a_story_of_its_own(
    engine: Engine, slack: FakeSlack
) -> None:
    store, _ = _seed(engine)
    ingest_articles(store, [JV_TALKS], None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    # Another channel starts watching after the first report was filed.
    late = store.ensure_channel("T1", "C2", "late")
    store.watch(late.id, Entity(name="Alibaba"))
    ingest_articles(store, [JV_DONE], None, datetime.now(UTC))
    Pipeline(store).process(NOW)

    run_digest(store, unpaced_poster(slack), store.get_channel(late.id), NOW)

    [post] = slack.calls_to("chat.postMessage")
    assert post.body["channel"] == "C2" and "thread_ts" not in post.body
    assert "Update: Alibaba and RDIF complete" in post.body["text"]


def test_crash_after_a_threaded_update_is_posted_does_not_post_it_again(
    engine: Engine, slack: FakeSlack
) -> None:
    store, channel_id = _seed(engine)
    _first_report_then_update(store, channel_id, slack)
    channel = store.get_channel(channel_id)

    with pytest.raises(KeyboardInterrupt):
        run_digest(store, CrashAfterPosting(make_web_client("xoxb-test", slack.url)), channel, NOW)
    result = run_digest(store, unpaced_poster(slack), channel, NOW)

    assert result.recovered == 1 and result.stories_posted == 0
    assert len(slack.calls_to("chat.postMessage")) == 2
    assert _delivery_statuses(engine) == ["posted", "posted"]


@pytest.mark.parametrize("restarted", [False, True], ids=["same-process", "after-restart"])
def test_completion_months_after_the_talks_is_an_update_of_the_same_story(
    engine: Engine, restarted: bool
) -> None:
    store, channel_id = _seed(engine)
    pipeline = Pipeline(store)
    ingest_articles(store, [JV_TALKS], None, datetime.now(UTC))
    pipeline.process(NOW)
    [first] = store.pending_items(channel_id)
    later = NOW + timedelta(days=60)
    done = replace(JV_DONE, published=later)
    ingest_articles(store, [done], None, datetime.now(UTC))

    (Pipeline(store) if restarted else pipeline).process(later)

    pending = store.pending_items(channel_id)
    [update] = [item for item in pending if item.story_id != first.story_id]
    assert update.title.startswith("Update: ")

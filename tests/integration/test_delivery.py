"""Delivery passes: leases shared by workers, schedules advanced, refusals pause a channel."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.pipeline import Pipeline
from db.store import SqlStore
from handlers.poster import ChannelPacer, SlackPoster, make_web_client
from tests.conftest import unpaced_poster
from tests.fakes.clock import FakeClock
from tests.fakes.slack_api import FakeSlack
from watchlists.delivery import deliver_due
from watchlists.model import Article, Entity
from watchlists.services import ingest_articles, set_digest

NOW = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # a Monday
NEWS = [
    Article(
        id="a1",
        title="Alibaba agrees to buy Turkish grocer Mavi Market",
        text="Alibaba agreed to acquire Mavi Market for $400 million.",
        url="https://n.test/1",
    ),
    Article(
        id="a2",
        title="Alibaba cloud unit teams up with Lisbon bank",
        text="Alibaba signed a cloud partnership with Banco Atlantico.",
        url="https://n.test/2",
    ),
    Article(
        id="a3",
        title="Logistics start-up Rotafox raises series B led by Alibaba",
        text="Rotafox raised $60 million in a series B round led by Alibaba.",
        url="https://n.test/3",
    ),
]


def _channels_with_news(engine: Engine, count: int, delivery: str = "instant") -> SqlStore:
    store = SqlStore(engine)
    for n in range(count):
        channel = store.ensure_channel("T1", f"C{n:04d}", f"desk-{n}")
        store.watch(channel.id, Entity(name="Alibaba"))
        set_digest(store, channel, delivery, NOW)
    ingest_articles(store, NEWS, None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    return store


def _posted_pairs(engine: Engine) -> list[tuple[int, int]]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT channel_id, story_id FROM delivery WHERE status = 'posted' ORDER BY 1, 2"
                )
            )
        ]


def test_instant_channels_get_their_stories_and_nothing_twice(
    engine: Engine, slack: FakeSlack
) -> None:
    store = _channels_with_news(engine, 3)
    report = deliver_due(store, unpaced_poster(slack), NOW, "w1")
    assert report.channels == 3 and report.stories == 9
    again = deliver_due(store, unpaced_poster(slack), NOW + timedelta(minutes=1), "w1")
    assert again.channels == 0
    assert len(slack.calls_to("chat.postMessage")) == 3


def test_scheduled_digest_waits_for_its_time_then_moves_to_the_next(
    engine: Engine, slack: FakeSlack
) -> None:
    store = _channels_with_news(engine, 1, delivery="daily 09:00")
    assert deliver_due(store, unpaced_poster(slack), NOW, "w1").channels == 0
    at_nine = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert deliver_due(store, unpaced_poster(slack), at_nine, "w1").stories == 3
    with engine.connect() as connection:
        next_at = connection.execute(text("SELECT next_digest_at FROM channel")).scalar_one()
    if isinstance(next_at, str):
        next_at = datetime.fromisoformat(next_at)
    assert next_at.replace(tzinfo=UTC) == datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


def test_a_leased_channel_is_not_claimed_by_another_worker(
    engine: Engine, slack: FakeSlack
) -> None:
    store = _channels_with_news(engine, 2)
    [first] = store.claim_deliverable_channels(NOW, "w1", NOW + timedelta(minutes=10), limit=1)
    others = store.claim_deliverable_channels(NOW, "w2", NOW + timedelta(minutes=10), limit=10)
    assert [c.id for c in others] != [] and first.id not in [c.id for c in others]
    # After the lease expires (the worker died) another worker may take it.
    later = store.claim_deliverable_channels(
        NOW + timedelta(minutes=11), "w2", NOW + timedelta(minutes=21), limit=10
    )
    assert first.id in [c.id for c in later]


def test_concurrent_workers_deliver_every_pair_exactly_once(
    engine: Engine, slack: FakeSlack
) -> None:
    store = _channels_with_news(engine, 12)
    reports = []

    def work(owner: str) -> None:
        reports.append(deliver_due(SqlStore(engine), unpaced_poster(slack), NOW, owner, limit=3))
        reports.append(deliver_due(SqlStore(engine), unpaced_poster(slack), NOW, owner, limit=3))

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deliver_due(store, unpaced_poster(slack), NOW, "cleanup")
    pairs = _posted_pairs(engine)
    assert len(pairs) == len(set(pairs)) == 12 * 3
    assert len(slack.calls_to("chat.postMessage")) == 12


def test_not_in_channel_pauses_and_tells_the_installer_once(
    engine: Engine, slack: FakeSlack
) -> None:
    store = _channels_with_news(engine, 1)
    with engine.begin() as connection:
        connection.execute(text("UPDATE workspace SET installer_user_id = 'U0INSTALL'"))
    slack.fail_next("chat.postMessage", "not_in_channel", times=1)
    report = deliver_due(store, unpaced_poster(slack), NOW, "w1")
    assert report.paused == ("C0000",)
    notices = [c for c in slack.calls_to("chat.postMessage") if c.body["channel"] == "U0INSTALL"]
    assert len(notices) == 1 and "not_in_channel" in notices[0].body["text"]
    assert deliver_due(store, unpaced_poster(slack), NOW + timedelta(minutes=5), "w1").channels == 0

    store.ensure_channel("T1", "C0000")  # someone runs /deals there: try again
    resumed = deliver_due(store, unpaced_poster(slack), NOW + timedelta(minutes=6), "w1")
    assert resumed.stories == 3


def test_missed_digest_is_sent_once_within_grace_and_skipped_after(
    engine: Engine, slack: FakeSlack
) -> None:
    store = _channels_with_news(engine, 1, delivery="daily 09:00")
    # Down from 08:00 to 11:00: the 09:00 digest goes out once on return.
    back = datetime(2026, 11, 2, 11, 0, tzinfo=UTC)
    assert deliver_due(store, unpaced_poster(slack), back, "w1").stories == 3
    assert deliver_due(store, unpaced_poster(slack), back + timedelta(minutes=1), "w1").stories == 0
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_digest_missed_beyond_grace_waits_for_its_next_time(
    engine: Engine, slack: FakeSlack
) -> None:
    store = _channels_with_news(engine, 1, delivery="daily 09:00")
    much_later = datetime(2026, 11, 2, 20, 0, tzinfo=UTC)
    assert deliver_due(store, unpaced_poster(slack), much_later, "w1").stories == 0
    assert slack.calls_to("chat.postMessage") == []
    next_morning = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
    assert deliver_due(store, unpaced_poster(slack), next_morning, "w1").stories == 3


def test_rate_limited_channel_loses_nothing_and_keeps_one_post_per_second(
    engine: Engine, slack: FakeSlack
) -> None:
    store = SqlStore(engine)
    channel = store.ensure_channel("T1", "C1", "busy")
    store.watch(channel.id, Entity(name="Alibaba"))
    set_digest(store, channel, "instant", NOW)
    targets = [
        "Vorqui Minerals",
        "Tanzel Robotics",
        "Marpry Logistics",
        "Osklun Biotech",
        "Belrav Shipping",
    ]
    verbs = [
        ("agrees to buy", "acquire"),
        ("takes a stake in", "invest in"),
        ("sells its unit to", "sell a unit to"),
        ("forms venture with", "form a joint venture with"),
    ]
    many = [
        Article(
            id=f"m{n}",
            title=f"Alibaba {verbs[n % 4][0]} {targets[n // 4]}",
            text=f"Alibaba agreed to {verbs[n % 4][1]} {targets[n // 4]} for ${(n + 1) * 37} million.",
            url=f"https://n.test/m{n}",
        )
        for n in range(20)
    ]
    ingest_articles(store, many, None, datetime.now(UTC))
    Pipeline(store).process(NOW)
    slack.rate_limit("chat.postMessage", times=2, retry_after=0)
    clock = FakeClock(NOW)
    slack.clock = clock.monotonic  # the fake notes when each post landed, in the pacer's time
    pacer = ChannelPacer(interval=1.0, clock=clock.monotonic, sleep=clock.sleep)
    poster = SlackPoster(make_web_client("xoxb-test", slack.url), pacer)
    # Each 429 backs the channel off for its Retry-After (0 s here): the next pass goes on.
    reports = [deliver_due(store, poster, NOW, "w1") for _ in range(3)]
    assert [r.backed_off for r in reports[:2]] == [(("C1", "ratelimited"),)] * 2
    accepted = slack.messages["C1"]
    posted_ids = [i for m in accepted for i in m["metadata"]["event_payload"]["story_ids"]]
    assert reports[2].stories == 20 and len(posted_ids) == len(set(posted_ids))
    assert len(_posted_pairs(engine)) == 20
    gaps = [later["at"] - earlier["at"] for earlier, later in itertools.pairwise(accepted)]
    assert gaps and min(gaps) >= 1.0


def test_the_pacer_spaces_posts_to_one_channel_and_leaves_others_alone() -> None:
    clock = FakeClock(NOW)
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.sleep(seconds)

    pacer = ChannelPacer(interval=1.0, clock=clock.monotonic, sleep=sleep)
    pacer.wait("C1")
    pacer.sent("C1")
    pacer.wait("C1")
    assert (slept, clock.monotonic()) == ([1.0], 1.0), "the second post waits a full interval"
    pacer.wait("C2")
    assert slept == [1.0], "another channel does not wait"
    clock.advance(0.5)  # a post to C2 that took half a second, retries included
    pacer.sent("C2")
    pacer.wait("C2")
    assert (slept, clock.monotonic()) == ([1.0, 1.0], 2.5), "the interval counts from the landing"
    clock.advance(5.0)
    pacer.wait("C1")
    assert slept == [1.0, 1.0], "a channel quiet for longer than the interval does not wait"

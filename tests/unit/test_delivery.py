"""Delivery passes (watchlists.delivery) on the fake store, poster and clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.clock import FakeClock
from tests.fakes.poster import FakePoster
from tests.fakes.store import FakeStore
from watchlists.delivery import (
    CHANNEL_BACKOFF_BASE,
    CHANNEL_BACKOFF_MAX,
    DIGEST_GRACE,
    LEASE,
    backoff_delay,
    deliver_due,
)
from watchlists.errors import RetryLaterError
from watchlists.model import Channel, Digest, Entity
from watchlists.services import MAX_STORIES_PER_MESSAGE, set_digest

NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TOMORROW_NINE = NINE + timedelta(days=1)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NINE - timedelta(hours=1))


def digest_channel(store: FakeStore, clock: FakeClock, slack_id: str = "C1") -> Channel:
    """A channel on a daily 09:00 (UTC) digest with two stories queued."""
    channel = store.ensure_channel("T1", slack_id, "deals")
    channel = set_digest(store, channel, "daily 09:00", clock())
    acme = store.watch(channel.id, Entity(name="Acme"))
    store.seed_story(acme, key=f"{slack_id}-1")
    store.seed_story(acme, key=f"{slack_id}-2")
    return channel


def test_a_due_digest_is_posted_and_the_next_one_scheduled(
    store: FakeStore, clock: FakeClock
) -> None:
    channel = digest_channel(store, clock)
    poster = FakePoster()
    report = deliver_due(store, poster, clock.set(NINE), "w1")
    assert (report.channels, report.stories, report.paused) == (1, 2, ())
    assert len(poster.posted) == 1
    assert store.get_channel(channel.id).next_digest_at == TOMORROW_NINE
    assert store.channels[channel.id].lease_owner == ""


def test_a_digest_not_yet_due_waits(store: FakeStore, clock: FakeClock) -> None:
    digest_channel(store, clock)
    poster = FakePoster()
    report = deliver_due(store, poster, NINE - timedelta(minutes=1), "w1")
    assert (report.channels, poster.posted) == (0, [])


def test_an_instant_channel_gets_what_is_queued_on_the_next_pass(
    store: FakeStore, clock: FakeClock
) -> None:
    channel = store.ensure_channel("T1", "C1")
    set_digest(store, channel, "instant", clock())
    acme = store.watch(channel.id, Entity(name="Acme"))
    poster = FakePoster()
    assert deliver_due(store, poster, clock(), "w1").channels == 0
    story = store.seed_story(acme, key="k1")
    assert deliver_due(store, poster, clock(), "w1").stories == 1
    assert poster.stories_posted_to("C1") == [story]
    assert store.get_channel(channel.id).next_digest_at is None


def test_a_digest_missed_within_the_grace_period_is_sent_once(
    store: FakeStore, clock: FakeClock
) -> None:
    digest_channel(store, clock)
    poster = FakePoster()
    late = NINE + DIGEST_GRACE - timedelta(minutes=1)
    assert deliver_due(store, poster, late, "w1").stories == 2
    assert deliver_due(store, poster, late, "w1").channels == 0
    assert len(poster.posted) == 1


def test_a_digest_missed_past_the_grace_period_waits_for_its_next_time(
    store: FakeStore, clock: FakeClock
) -> None:
    channel = digest_channel(store, clock)
    poster = FakePoster()
    report = deliver_due(store, poster, NINE + DIGEST_GRACE + timedelta(minutes=1), "w1")
    assert (report.channels, poster.posted) == (0, [])
    assert store.get_channel(channel.id).next_digest_at == TOMORROW_NINE
    assert len(store.pending_items(channel.id)) == 2
    assert deliver_due(store, poster, TOMORROW_NINE, "w1").stories == 2


def test_a_channel_slack_refuses_is_paused_and_the_installer_told_once(
    store: FakeStore, clock: FakeClock
) -> None:
    store.set_workspace_timezone("T1", "UTC", "U_INSTALLER")
    channel = digest_channel(store, clock)
    poster = FakePoster(refuse={"C1": "not_in_channel"})
    report = deliver_due(store, poster, NINE, "w1")
    assert report.paused == ("C1",)
    assert [n.channel for n in poster.notices] == ["U_INSTALLER"]
    assert "#deals" in poster.notices[0].text and "/invite" in poster.notices[0].text
    assert store.channels[channel.id].paused_reason == "not_in_channel"
    assert deliver_due(store, poster, TOMORROW_NINE, "w1").paused == ()
    assert len(poster.notices) == 1
    assert len(store.pending_items(channel.id)) == 2


def test_without_a_known_installer_the_pause_is_recorded_silently(
    store: FakeStore, clock: FakeClock
) -> None:
    channel = digest_channel(store, clock)
    poster = FakePoster(refuse={"C1": "is_archived"})
    assert deliver_due(store, poster, NINE, "w1").paused == ("C1",)
    assert poster.notices == []
    assert store.channels[channel.id].paused_reason == "is_archived"


def test_an_unexpected_error_backs_the_channel_off_and_frees_its_lease(
    store: FakeStore, clock: FakeClock
) -> None:
    channel = digest_channel(store, clock)
    poster = FakePoster(failures=[ConnectionError("network down")])
    report = deliver_due(store, poster, NINE, "w1")
    assert report.backed_off == (("C1", "error: ConnectionError: network down"),)
    assert store.channels[channel.id].lease_owner == ""
    assert store.get_channel(channel.id).not_before == NINE + CHANNEL_BACKOFF_BASE
    assert deliver_due(store, poster, NINE + CHANNEL_BACKOFF_BASE / 2, "w1").channels == 0
    report = deliver_due(store, poster, NINE + CHANNEL_BACKOFF_BASE, "w1")
    assert report.results[0].recovered == 2 and report.stories == 2
    assert poster.stories_posted_to("C1") == list(store.statuses(channel.id))
    assert store.get_channel(channel.id).failures == 0


def instant_channel(store: FakeStore, slack_id: str, acme: Entity | None = None) -> Channel:
    """An instant channel watching Acme with one story of its own queued."""
    channel = store.ensure_channel("T1", slack_id, slack_id.lower())
    set_digest(store, channel, "instant", NINE)
    entity = store.watch(channel.id, acme or Entity(name=f"Acme {slack_id}"))
    store.seed_story(entity, key=f"{slack_id}-1")
    return store.get_channel(channel.id)


def test_a_channel_that_keeps_failing_is_backed_off_alone_while_the_others_get_their_posts(
    store: FakeStore,
) -> None:
    failing, first, second = (instant_channel(store, c) for c in ("C2", "C1", "C3"))
    poster = FakePoster(retry_later={"C2": "msg_too_long"})
    report = deliver_due(store, poster, NINE, "w1")
    assert sorted(page.channel for page in poster.posted) == ["C1", "C3"]
    assert report.backed_off == (("C2", "msg_too_long"),)
    assert [store.channels[c.id].lease_owner for c in (failing, first, second)] == ["", "", ""]
    state = store.get_channel(failing.id)
    assert (state.failures, state.backoff_reason) == (1, "msg_too_long")
    assert state.not_before == NINE + CHANNEL_BACKOFF_BASE
    assert set(store.statuses(failing.id).values()) == {"pending"}
    # Each failure in a row doubles the wait.
    deliver_due(store, poster, NINE + CHANNEL_BACKOFF_BASE, "w1")
    state = store.get_channel(failing.id)
    assert state.failures == 2
    assert state.not_before == NINE + CHANNEL_BACKOFF_BASE + 2 * CHANNEL_BACKOFF_BASE
    poster.retry_later.clear()
    later = state.not_before
    assert later is not None and deliver_due(store, poster, later, "w1").stories == 1
    state = store.get_channel(failing.id)
    assert (state.failures, state.backoff_reason, state.not_before) == (0, "", None)


def test_backoff_doubles_up_to_a_ceiling_and_a_retry_after_is_the_wait() -> None:
    assert backoff_delay(0, None) == CHANNEL_BACKOFF_BASE
    assert backoff_delay(3, None) == CHANNEL_BACKOFF_BASE * 8
    assert backoff_delay(50, None) == CHANNEL_BACKOFF_MAX
    assert backoff_delay(5, 7.0) == timedelta(seconds=7)


def test_a_retry_after_delays_only_that_channel(store: FakeStore) -> None:
    limited = instant_channel(store, "C1")
    other = instant_channel(store, "C2")
    poster = FakePoster(failures=[RetryLaterError("ratelimited", "C1", retry_after=7)])
    report = deliver_due(store, poster, NINE, "w1")
    assert [page.channel for page in poster.posted] == ["C2"]
    assert store.get_channel(limited.id).not_before == NINE + timedelta(seconds=7)
    assert store.get_channel(other.id).not_before is None
    assert report.backed_off == (("C1", "ratelimited"),)
    assert deliver_due(store, poster, NINE + timedelta(seconds=6), "w1").channels == 0
    assert deliver_due(store, poster, NINE + timedelta(seconds=7), "w1").stories == 1


def test_a_post_whose_fate_is_unknown_stays_sending_and_is_settled_without_a_repeat(
    store: FakeStore,
) -> None:
    channel = instant_channel(store, "C1")

    class LandsThenCannotTell(FakePoster):
        """The first post lands, then the poster cannot read the history to tell."""

        def post_digest_page(self, digest: Digest, page: int, pages: int) -> str:
            ts = super().post_digest_page(digest, page, pages)
            if len(self.posted) == 1:
                raise RetryLaterError("http_503; history unreadable", "C1", posted_unknown=True)
            return ts

    poster = LandsThenCannotTell()
    deliver_due(store, poster, NINE, "w1")
    assert set(store.statuses(channel.id).values()) == {"sending"}
    report = deliver_due(store, poster, NINE + CHANNEL_BACKOFF_BASE, "w1")
    assert report.results[0].recovered == 1
    assert len(poster.posted) == 1 and set(store.statuses(channel.id).values()) == {"posted"}


def test_a_channel_leased_to_another_worker_is_left_alone_until_the_lease_ends(
    store: FakeStore, clock: FakeClock
) -> None:
    digest_channel(store, clock)
    store.claim_deliverable_channels(NINE, "w1", NINE + LEASE, 10)  # w1 then dies
    poster = FakePoster()
    assert deliver_due(store, poster, NINE, "w2").channels == 0
    assert deliver_due(store, poster, NINE + LEASE + timedelta(seconds=1), "w2").stories == 2


def test_each_due_channel_is_delivered_in_one_pass_up_to_the_limit(
    store: FakeStore, clock: FakeClock
) -> None:
    for slack_id in ("C1", "C2", "C3"):
        digest_channel(store, clock, slack_id)
    poster = FakePoster()
    assert deliver_due(store, poster, NINE, "w1", limit=2).channels == 2
    assert deliver_due(store, poster, NINE, "w1", limit=2).channels == 1
    assert sorted(p.channel for p in poster.posted) == ["C1", "C2", "C3"]


def test_every_channel_gets_its_first_page_before_any_gets_its_second(
    store: FakeStore, clock: FakeClock
) -> None:
    for slack_id in ("C1", "C2", "C3"):
        channel = set_digest(store, store.ensure_channel("T1", slack_id), "instant", clock())
        acme = store.watch(channel.id, Entity(name=f"Acme {slack_id}"))
        for n in range(MAX_STORIES_PER_MESSAGE + 1):
            store.seed_story(acme, key=f"{slack_id}-{n}")
    poster = FakePoster()
    report = deliver_due(store, poster, clock(), "w1")
    assert report.stories == 3 * (MAX_STORIES_PER_MESSAGE + 1)
    assert [(page.channel, page.page) for page in poster.posted] == [
        ("C1", 1),
        ("C2", 1),
        ("C3", 1),
        ("C1", 2),
        ("C2", 2),
        ("C3", 2),
    ]
    assert [len(result.messages) for result in report.results] == [2, 2, 2]
    assert all(store.channels[c].lease_owner == "" for c in store.channels)

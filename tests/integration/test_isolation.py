"""One channel or one article never holds up the others (issue 11 items 6 and 7).

Real stores (SQLite, and PostgreSQL when configured), the real SlackPoster, the fake Slack.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import Engine

from db.store import SqlStore
from tests.conftest import unpaced_poster
from tests.fakes.slack_api import FakeSlack
from watchlists.delivery import CHANNEL_BACKOFF_BASE, deliver_due
from watchlists.matching import MatchIndex
from watchlists.model import Article, Channel, Entity, Match
from watchlists.services import ingest_articles, process_new_articles, set_digest

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
COMPANIES = {"C1": "Orchard Labs", "C2": "Quillon Robotics", "C3": "Vantor Shipping"}


def _article(guid: str, title: str) -> Article:
    return Article(
        id=guid,
        title=title,
        text=f"{title}, the companies said on Monday.",
        url=f"https://wire.test/{guid}",
        published=NOW,
    )


def _instant_channels(store: SqlStore) -> dict[str, Channel]:
    """C1..C3 on instant delivery, each watching its own company with one story queued."""
    channels = {}
    for slack_id, company in COMPANIES.items():
        channel = store.ensure_channel("T1", slack_id, slack_id.lower())
        store.watch(channel.id, Entity(name=company))
        channels[slack_id] = set_digest(store, channel, "instant", NOW)
    articles = [
        _article(f"a-{c}", f"{name} agrees to buy Target {c}") for c, name in COMPANIES.items()
    ]
    ingest_articles(store, articles, None, datetime.now(UTC))
    result = process_new_articles(store, MatchIndex(store.watched_entities()), NOW)
    assert result.deliveries_queued == len(COMPANIES)
    return channels


def _lease_owners(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT lease_owner FROM channel"))]


def _posts_to(slack: FakeSlack, channel: str) -> list[dict[str, object]]:
    return [
        call.body for call in slack.calls_to("chat.postMessage") if call.body["channel"] == channel
    ]


def test_a_channel_that_always_fails_does_not_hold_up_the_two_that_work(
    engine: Engine, slack: FakeSlack
) -> None:
    store = SqlStore(engine)
    channels = _instant_channels(store)
    slack.refuse_channel("C2", "msg_too_long")
    report = deliver_due(store, unpaced_poster(slack), NOW, "w1")

    assert len(slack.messages_in("C1")) == len(slack.messages_in("C3")) == 1
    assert slack.messages_in("C2") == []
    assert len(_posts_to(slack, "C2")) == 1  # tried once in the pass, not retried in a loop
    assert report.backed_off == (("C2", "msg_too_long"),)
    assert _lease_owners(engine) == ["", "", ""]
    failing = store.get_channel(channels["C2"].id)
    assert (failing.failures, failing.backoff_reason) == (1, "msg_too_long")
    assert failing.not_before == NOW + CHANNEL_BACKOFF_BASE
    # It waits out its backoff; the others have nothing left to send.
    assert deliver_due(store, unpaced_poster(slack), NOW + timedelta(seconds=1), "w1").channels == 0
    assert len(_posts_to(slack, "C2")) == 1
    assert store.count_deliveries("pending") == 1


def test_a_retry_after_on_one_channel_delays_that_channel_only(
    engine: Engine, slack: FakeSlack
) -> None:
    store = SqlStore(engine)
    channels = _instant_channels(store)
    # A sleep of Retry-After in the pass would hold this test for ten minutes.
    slack.rate_limit_channel("C1", times=1, retry_after=600)
    report = deliver_due(store, unpaced_poster(slack), NOW, "w1")

    assert report.backed_off == (("C1", "ratelimited"),)
    assert (len(slack.messages_in("C2")), len(slack.messages_in("C3"))) == (1, 1)
    assert store.get_channel(channels["C1"].id).not_before == NOW + timedelta(seconds=600)
    later = NOW + timedelta(seconds=599)
    assert deliver_due(store, unpaced_poster(slack), later, "w1").channels == 0
    report = deliver_due(store, unpaced_poster(slack), NOW + timedelta(seconds=600), "w1")
    assert (report.channels, report.stories, len(slack.messages_in("C1"))) == (1, 1, 1)


def test_a_post_slack_took_but_answered_with_a_5xx_is_found_in_the_history_not_repeated(
    engine: Engine, slack: FakeSlack
) -> None:
    store = SqlStore(engine)
    _instant_channels(store)
    slack.accept_then_fail(times=1, status=503)
    report = deliver_due(store, unpaced_poster(slack), NOW, "w1")

    assert report.stories == 3 and report.backed_off == ()
    for channel in COMPANIES:
        assert len(slack.messages_in(channel)) == 1, channel
    assert len(slack.calls_to("chat.postMessage")) == 3
    # The answered-503 post is recorded under the ts it really got.
    first = str(slack.calls_to("chat.postMessage")[0].body["channel"])
    [landed] = slack.messages_in(first)
    assert slack.calls_to("conversations.history")[0].body["channel"] == first
    with engine.connect() as connection:
        stamps = {row[0] for row in connection.execute(text("SELECT slack_ts FROM delivery"))}
    assert landed["ts"] in stamps and store.count_deliveries("posted") == 3


class PoisonedIndex(MatchIndex):
    """Raises on every article whose title starts with POISON."""

    def match(self, article: Article) -> list[Match]:
        if article.title.startswith("POISON"):
            raise MemoryError("the matcher ran out of memory")
        return super().match(article)


def test_a_poisoned_article_is_quarantined_while_the_next_one_is_delivered(
    engine: Engine, slack: FakeSlack
) -> None:
    store = SqlStore(engine)
    channel = store.ensure_channel("T1", "C1", "deals")
    store.watch(channel.id, Entity(name="Orchard Labs"))
    set_digest(store, channel, "instant", NOW)
    poison = _article("p", "POISON Orchard Labs")
    good = _article("g", "Orchard Labs agrees to buy Beta Minerals")
    ingest_articles(store, [poison, good], None, datetime.now(UTC))

    index = PoisonedIndex(store.watched_entities())
    result = process_new_articles(store, index, NOW)
    deliver_due(store, unpaced_poster(slack), NOW, "w1")

    assert (result.articles, result.quarantined, result.deliveries_queued) == (2, 1, 1)
    [message] = slack.messages_in("C1")
    assert "Beta Minerals" in str(message["text"])
    quarantined = store.quarantined_articles()
    assert [(title, reason) for _id, title, reason in quarantined] == [
        ("POISON Orchard Labs", "MemoryError: the matcher ran out of memory")
    ]
    assert store.article_counts() == (2, 0)
    assert process_new_articles(store, index, NOW + timedelta(minutes=1)).articles == 0

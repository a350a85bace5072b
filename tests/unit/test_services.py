"""Use cases of watchlists.services on the fake store, poster and clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.clock import FakeClock
from tests.fakes.poster import FakePoster, PosterCrashError
from tests.fakes.store import FakeStore
from watchlists.errors import DealwatchError, DeliveryError, NotFoundError
from watchlists.lookup import lookup_page, parse_lookup
from watchlists.matching import MatchIndex
from watchlists.model import Article, Channel, Entity
from watchlists.schedule import ScheduleError
from watchlists.services import (
    MAX_STORIES_PER_MESSAGE,
    ingest_articles,
    mute_entity,
    next_digest_time,
    parse_duration,
    process_new_articles,
    remove_entity_names,
    resolve_entity,
    run_digest,
    set_digest,
    set_timezone,
    unmute_entity,
    unwatch_entity,
    watch_entity,
)

# watching ---------------------------------------------------------------------


def test_watching_a_new_entity_puts_it_on_the_channels_list(
    store: FakeStore, channel: Channel
) -> None:
    result = watch_entity(store, channel, Entity(name="Acme Corp", aliases=("Acme",)))
    assert not result.reused and result.did_you_mean is None
    assert store.channel_entities(channel.id) == [result.entity]
    assert result.entity.aliases == ("Acme",)


def test_removing_names_is_all_or_none_and_only_for_an_entity_watched_here(
    store: FakeStore, channel: Channel
) -> None:
    shell = watch_entity(
        store, channel, Entity(name="Shell", aliases=("RDS", "Шелл"), exclude=("shell beach",))
    ).entity
    with pytest.raises(NotFoundError, match="has no alias or exclusion `Nope`"):
        remove_entity_names(store, channel, "Shell", aliases=("RDS", "Nope"))
    assert store.get_entity(shell.id) == shell
    other = store.ensure_channel("T1", "C2")
    with pytest.raises(NotFoundError, match="does not watch `Shell`"):
        remove_entity_names(store, other, "Shell", aliases=("RDS",))
    left = remove_entity_names(store, channel, "shell", ("шелл",), ("Shell Beach",))
    assert (left.aliases, left.exclude) == (("RDS",), ())


def test_watching_a_known_alias_reuses_the_entity_and_merges_new_names(
    store: FakeStore, channel: Channel
) -> None:
    other = store.ensure_channel("T1", "C2")
    known = watch_entity(store, other, Entity(name="Acme Corp", aliases=("Acme",))).entity
    result = watch_entity(store, channel, Entity(name="acme", aliases=("ACME Inc",)))
    assert result.reused
    assert result.entity.id == known.id
    assert result.entity.aliases == ("Acme", "ACME Inc")
    assert len(store.entities) == 1


def test_watching_a_near_miss_suggests_the_known_entity(store: FakeStore, channel: Channel) -> None:
    known = watch_entity(store, channel, Entity(name="Rosneft")).entity
    result = watch_entity(store, channel, Entity(name="Rosneftt"))
    assert not result.reused
    assert result.did_you_mean == known


def test_unwatching_takes_the_entity_off_the_channel_once(
    store: FakeStore, channel: Channel
) -> None:
    watch_entity(store, channel, Entity(name="Acme"))
    assert unwatch_entity(store, channel, "ACME") is True
    assert unwatch_entity(store, channel, "Acme") is False
    assert store.channel_entities(channel.id) == []


# the pipeline -------------------------------------------------------------------


def news(guid: str, title: str, source: str = "Reuters") -> Article:
    return Article(
        id=guid,
        title=title,
        text=f"{title}, {source} reports. The companies said so on Monday.",
        url=f"https://news.example/{guid}",
        source=source,
    )


def test_ingest_stores_only_articles_not_seen_before(store: FakeStore) -> None:
    first = news("a1", "Acme Corp buys Beta Ltd")
    assert ingest_articles(store, [first, first], None, store.clock()) == 1
    assert ingest_articles(store, [first, news("a2", "Other")], None, store.clock()) == 1
    assert len(store.articles) == 2


def test_an_article_naming_a_watched_entity_is_queued_for_the_channel(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    acme = store.watch(channel.id, Entity(name="Acme Corp"))
    store.add_articles(
        [news("a1", "Acme Corp agrees to buy Beta Ltd"), news("a2", "Rain in Paris")],
        None,
        store.clock(),
    )
    result = process_new_articles(store, MatchIndex(store.watched_entities()), clock())
    assert (result.articles, result.matched, result.deliveries_queued) == (2, 1, 1)
    [item] = store.pending_items(channel.id)
    assert item.title == "Acme Corp agrees to buy Beta Ltd"
    assert {(m.entity_id, m.field) for m in item.matches} == {(acme.id, "title"), (acme.id, "text")}
    assert store.unmatched_articles(10) == []


def test_the_pipeline_works_through_every_batch(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    store.watch(channel.id, Entity(name="Acme Corp"))
    titles = ["Acme Corp buys Beta", "Acme Corp sells Gamma unit", "Acme Corp hires a chief"]
    store.add_articles(
        [news(f"a{n}", title) for n, title in enumerate(titles)], None, store.clock()
    )
    index = MatchIndex(store.watched_entities())
    result = process_new_articles(store, index, clock(), batch_size=1)
    assert (result.articles, result.matched) == (3, 3)
    assert store.unmatched_articles(10) == []


def test_the_same_report_from_a_second_source_joins_the_story_without_a_new_post(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    store.watch(channel.id, Entity(name="Acme Corp"))
    index = MatchIndex(store.watched_entities())
    title = "Acme Corp agrees to buy Beta Ltd for $500 million"
    store.add_articles([news("a1", title, source="Reuters")], None, store.clock())
    process_new_articles(store, index, clock())
    store.add_articles([news("b1", title, source="Bloomberg")], None, store.clock())
    result = process_new_articles(store, index, clock.advance(timedelta(hours=1)))
    assert (result.articles, result.deliveries_queued) == (1, 0)
    [item] = store.pending_items(channel.id)
    assert item.also_reported_by == ("Bloomberg",)


def test_a_later_stage_of_a_posted_deal_is_queued_as_an_update_in_its_thread(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    store.watch(channel.id, Entity(name="Contoso"))
    index = MatchIndex(store.watched_entities())
    talks = "Contoso is in talks to acquire Fabrikam, people familiar with the matter said."
    store.add_articles(
        [Article("t", "Contoso in talks to buy Fabrikam", talks, source="Reuters")],
        None,
        store.clock(),
    )
    process_new_articles(store, index, clock())
    poster = FakePoster()
    run_digest(store, poster, channel, clock())
    done = "Contoso completed its acquisition of Fabrikam for $2 billion on Tuesday."
    store.add_articles(
        [Article("d", "Contoso completes Fabrikam deal", done, source="FT")], None, store.clock()
    )
    result = process_new_articles(store, index, clock.advance(timedelta(hours=5)))
    assert result.deliveries_queued == 1
    [update] = store.pending_items(channel.id)
    assert update.title == "Update: Contoso completes Fabrikam deal"
    assert update.deal_stage == "completed"
    assert update.thread_ts == poster.posted[0].ts


# digests ----------------------------------------------------------------------------


def queue(store: FakeStore, channel: Channel, count: int) -> list[int]:
    acme = store.watch(channel.id, Entity(name="Acme"))
    return [store.seed_story(acme, key=f"k{n}") for n in range(count)]


def test_a_digest_posts_the_queue_in_pages_of_eight_and_records_each(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    story_ids = queue(store, channel, MAX_STORIES_PER_MESSAGE + 2)
    poster = FakePoster()
    result = run_digest(store, poster, channel, clock())
    assert result.stories_posted == MAX_STORIES_PER_MESSAGE + 2
    assert [(p.page, p.pages, len(p.story_ids)) for p in poster.posted] == [(1, 2, 8), (2, 2, 2)]
    assert poster.stories_posted_to("C1") == story_ids
    assert result.messages == tuple(p.ts for p in poster.posted)
    assert {d.slack_ts for d in store.posted} == set(result.messages)
    assert store.pending_items(channel.id) == []
    assert {d.posted_at for d in store.posted} == {clock()}


def test_an_empty_queue_posts_nothing(store: FakeStore, channel: Channel, clock: FakeClock) -> None:
    poster = FakePoster()
    result = run_digest(store, poster, channel, clock())
    assert (result.stories_posted, result.messages, poster.posted) == (0, (), [])


def test_a_refused_post_goes_back_in_the_queue_and_the_error_surfaces(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    story_ids = queue(store, channel, 2)
    poster = FakePoster(refuse={"C1": "not_in_channel"})
    with pytest.raises(DeliveryError):
        run_digest(store, poster, channel, clock())
    assert store.statuses(channel.id) == {s: "pending" for s in story_ids}
    assert poster.posted == []


def test_a_crash_after_slack_took_the_post_is_confirmed_not_reposted(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    story_ids = queue(store, channel, 2)
    poster = FakePoster(crash_after_posting=1)
    with pytest.raises(PosterCrashError):
        run_digest(store, poster, channel, clock())
    assert store.sending_items(channel.id) == story_ids
    result = run_digest(store, poster, channel, clock())
    assert result.recovered == 2 and result.stories_posted == 0
    assert len(poster.posted) == 1
    assert store.statuses(channel.id) == {s: "posted" for s in story_ids}
    assert {d.slack_ts for d in store.posted} == {poster.posted[0].ts}


def test_a_post_that_never_reached_slack_is_requeued_and_sent(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    story_ids = queue(store, channel, 2)
    store.mark_sending(channel.id, story_ids)  # a worker died before posting
    poster = FakePoster()
    result = run_digest(store, poster, channel, clock())
    assert (result.recovered, result.stories_posted) == (2, 2)
    assert poster.stories_posted_to("C1") == story_ids


def test_an_update_of_a_posted_story_goes_alone_into_its_thread(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    acme = store.watch(channel.id, Entity(name="Acme"))
    store.seed_story(acme, key="root")
    poster = FakePoster()
    run_digest(store, poster, channel, clock())
    update = store.seed_story(acme, key="root~completed", update_of="root")
    fresh = store.seed_story(acme, key="other")
    run_digest(store, poster, channel, clock())
    root_ts = poster.posted[0].ts
    assert [(p.story_ids, p.thread_ts) for p in poster.posted[1:]] == [
        ((fresh,), ""),
        ((update,), root_ts),
    ]


# settings -------------------------------------------------------------------------------


def test_instant_delivery_has_no_next_digest(store: FakeStore, channel: Channel) -> None:
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    updated = set_digest(store, channel, "Instant", now)
    assert (updated.delivery, updated.next_digest_at) == ("instant", None)
    assert next_digest_time(updated, now) is None
    assert set_digest(store, channel, "off", now).delivery == "off"


def test_a_schedule_sets_the_next_digest_in_the_channels_timezone(
    store: FakeStore, channel: Channel
) -> None:
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    set_timezone(store, channel, "Europe/Moscow", now)
    updated = set_digest(store, channel, "daily 18:30", now)
    assert (updated.delivery, updated.digest_schedule) == ("digest", "daily 18:30")
    assert updated.next_digest_at == datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
    assert store.get_channel(channel.id) == updated


def test_changing_the_timezone_moves_the_next_digest(store: FakeStore, channel: Channel) -> None:
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    set_digest(store, channel, "daily 09:00", now)
    assert store.get_channel(channel.id).next_digest_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    moved = set_timezone(store, channel, "Asia/Tokyo", now)
    assert moved.next_digest_at == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)


def test_a_bad_schedule_or_timezone_changes_nothing(store: FakeStore, channel: Channel) -> None:
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    with pytest.raises(ScheduleError):
        set_digest(store, channel, "hourly", now)
    with pytest.raises(ScheduleError):
        set_timezone(store, channel, "Mars/Olympus", now)
    assert store.get_channel(channel.id) == channel


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        pytest.param("12h", 12, id="hours"),
        pytest.param(" 7D ", 168, id="days-any-case"),
        pytest.param("2w", 336, id="weeks"),
    ],
)
def test_durations_read_hours_days_and_weeks(text: str, hours: int) -> None:
    assert parse_duration(text) == timedelta(hours=hours)


@pytest.mark.parametrize("text", ["0d", "3m", "d", "12 hours", "99999h"])
def test_other_durations_are_refused(text: str) -> None:
    with pytest.raises(DealwatchError):
        parse_duration(text)


# mutes and lookups ------------------------------------------------------------------------


def test_an_unknown_name_is_not_found_with_a_suggestion(store: FakeStore, channel: Channel) -> None:
    store.watch(channel.id, Entity(name="Gazprom", aliases=("Газпром",)))
    assert resolve_entity(store, "T1", "газпром").name == "Gazprom"
    with pytest.raises(NotFoundError, match="Did you mean Gazprom"):
        resolve_entity(store, "T1", "Gazpromm")


def test_muting_silences_the_entity_in_the_channel_for_the_duration(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    acme = store.watch(channel.id, Entity(name="Acme"))
    entity, until = mute_entity(store, channel, "acme", "2d", clock())
    assert (entity, until) == (acme, clock() + timedelta(days=2))
    assert store.muted_until == {(channel.id, acme.id): until}
    assert store.seed_story(acme, key="k1") and store.pending_items(channel.id) == []
    assert unmute_entity(store, channel, "Acme") == (acme, True)
    assert unmute_entity(store, channel, "Acme") == (acme, False)


def test_lookup_finds_the_entitys_stories_in_the_period(
    store: FakeStore, channel: Channel, clock: FakeClock
) -> None:
    acme = store.watch(channel.id, Entity(name="Acme"))
    store.seed_story(acme, key="old")
    clock.advance(timedelta(days=10))
    store.seed_story(acme, key="new")
    week = lookup_page(store, "T1", parse_lookup("acme since:7d"), clock())
    assert week.entity == acme
    assert [i.title for i in week.items] == ["Story new"]
    fortnight = lookup_page(store, "T1", parse_lookup("acme since:2w"), clock())
    assert [i.title for i in fortnight.items] == [
        "Story new",
        "Story old",
    ]

"""One contract for every Store: FakeStore, SqlStore on SQLite and on PostgreSQL behave alike.

Each test drives the store through the port only and asserts what the port shows back.
Times the SQL store stamps from the wall clock (filing, posting, request keys) are
compared with wide margins around the real time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from watchlists.deals.summary import shorten
from watchlists.errors import AlreadyExistsError, NotFoundError
from watchlists.model import Article, Channel, Entity, Match
from watchlists.ports import AnalysedArticle, NotRelevant, Store

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def wall() -> datetime:
    """The real time: what the SQL store stamps rows with."""
    return datetime.now(UTC)


def article(guid: str, title: str = "", text: str = "", source: str = "Wire") -> Article:
    """An article whose title and text default to something unique to guid."""
    return Article(
        id=guid,
        title=title or f"Headline {guid}",
        text=text or f"Body of {guid}.",
        url=f"https://news.example/{guid}",
        published=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        source=source,
    )


def mention(entity: Entity, text: str = "", field: str = "title") -> Match:
    """A match of the entity's name."""
    said = text or entity.name
    return Match(
        entity_id=entity.id,
        entity=entity.name,
        alias=entity.name,
        field="title" if field == "title" else "text",
        start=0,
        end=len(said),
        text=said,
        score=100.0,
        kind="exact",
    )


def ingest(store: Store, item: Article, source_id: int | None = None) -> int:
    """Store the article and return its row id."""
    store.add_articles([item], source_id, wall())
    return next(i for i, a in store.unmatched_articles(1000) if a.id == item.id)


def analysed(
    article_id: int,
    matches: tuple[Match, ...],
    key: str,
    deal: Mapping[str, object] | None = None,
    stage: str = "",
    update_of: str = "",
    title: str = "",
) -> AnalysedArticle:
    """What the pipeline would file for the article."""
    return AnalysedArticle(
        article_id=article_id,
        matches=matches,
        story_key=key,
        story_title=title or f"Story {key}",
        deal_type="acquisition",
        deal_stage=stage,
        deal_json=json.dumps(deal or {}),
        update_of=update_of,
    )


def file_story(
    store: Store,
    guid: str,
    matches: tuple[Match, ...],
    key: str,
    *,
    source: str = "Wire",
    deal: Mapping[str, object] | None = None,
    update_of: str = "",
) -> int:
    """Ingest an article and file it under key; return how many deliveries it queued."""
    article_id = ingest(store, article(guid, source=source))
    filed = analysed(article_id, matches, key, deal=deal, update_of=update_of)
    return store.file_articles([filed], wall())


def channel_watching(store: Store, slack_id: str, *names: str) -> tuple[Channel, list[Entity]]:
    """A channel of team T1 watching an entity per name."""
    channel = store.ensure_channel("T1", slack_id, slack_id.lower())
    return channel, [store.watch(channel.id, Entity(name=name)) for name in names]


# channels ---------------------------------------------------------------------


def test_ensure_channel_twice_gives_the_same_channel(store: Store) -> None:
    first = store.ensure_channel("T1", "C1", "deals")
    again = store.ensure_channel("T1", "C1")
    assert again == first
    assert store.get_channel(first.id) == first
    assert (first.team_id, first.slack_id, first.name, first.delivery) == (
        "T1",
        "C1",
        "deals",
        "digest",
    )


def test_ensure_channel_with_a_new_name_renames_it(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1", "deals")
    assert store.ensure_channel("T1", "C1", "mna").name == "mna"
    assert store.get_channel(channel.id).name == "mna"


def test_same_slack_id_in_two_teams_is_two_channels(store: Store) -> None:
    one = store.ensure_channel("T1", "C1")
    two = store.ensure_channel("T2", "C1")
    assert one.id != two.id
    assert [c.id for c in store.list_channels()] == [one.id, two.id]


def test_unknown_channel_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.get_channel(987654)
    with pytest.raises(NotFoundError):
        store.channel_watchlists(987654)


def test_team_channels_lists_only_the_team_by_name(store: Store) -> None:
    store.ensure_channel("T1", "C2", "zeta")
    store.ensure_channel("T2", "C9", "other")
    store.ensure_channel("T1", "C1", "alpha")
    assert [c.name for c in store.team_channels("T1")] == ["alpha", "zeta"]
    assert store.team_ids() == ["T1", "T2"]


def test_workspace_timezone_is_unknown_until_set_and_first_setter_installs(store: Store) -> None:
    assert store.workspace_timezone("T1") is None
    assert store.installer_of("T1") == ""
    store.set_workspace_timezone("T1", "Europe/Moscow", "U1")
    store.set_workspace_timezone("T1", "Asia/Tokyo", "U2")
    assert store.workspace_timezone("T1") == "Asia/Tokyo"
    assert store.installer_of("T1") == "U1"
    assert store.ensure_channel("T1", "C1").timezone == "Asia/Tokyo"


def test_update_channel_applies_the_change_and_the_next_digest_time(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    due = wall().replace(microsecond=0) + DAY
    updated = store.update_channel(
        channel.id,
        lambda c: (
            replace(c, delivery="instant", digest_schedule="weekly mon 08:00", name="x"),
            due,
        ),
    )
    assert (updated.delivery, updated.digest_schedule, updated.next_digest_at) == (
        "instant",
        "weekly mon 08:00",
        due,
    )
    assert updated.name == channel.name
    assert store.get_channel(channel.id) == updated
    with pytest.raises(NotFoundError):
        store.update_channel(987654, lambda c: (c, None))


def test_pause_says_true_once_and_using_the_channel_again_resumes_it(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    store.update_channel(channel.id, lambda c: (replace(c, delivery="digest"), wall() - HOUR))
    assert store.pause_channel(channel.id, "not_in_channel") is True
    assert store.pause_channel(channel.id, "not_in_channel") is False
    assert store.claim_deliverable_channels(wall(), "w1", wall() + HOUR, 10) == []
    store.ensure_channel("T1", "C1")
    assert [c.id for c in store.claim_deliverable_channels(wall(), "w1", wall() + HOUR, 10)] == [
        channel.id
    ]
    assert store.pause_channel(987654, "gone") is False


def test_forget_workspace_deletes_its_channels_and_lists_only(store: Store) -> None:
    mine, _ = channel_watching(store, "C1", "Acme")
    other = store.ensure_channel("T2", "C2")
    store.create_watchlist("T1", "shared")
    assert store.forget_workspace("T1") is True
    assert store.forget_workspace("T1") is False
    assert [c.id for c in store.list_channels()] == [other.id]
    assert store.team_watchlists("T1") == []
    assert store.team_ids() == ["T2"]
    assert store.find_entity("T1", "Acme") is None  # its entities went with it
    with pytest.raises(NotFoundError):
        store.get_channel(mine.id)


# entities, exclusions, mutes --------------------------------------------------


def test_watch_merges_an_entity_of_the_same_name_into_one(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    first = store.watch(channel.id, Entity(name="Acme Corp", aliases=("Acme",)))
    again = store.watch(
        channel.id, Entity(name="ACME  corp", aliases=("Acme Inc",), exclude=("x",))
    )
    assert again.id == first.id
    assert again.name == "Acme Corp"
    assert again.aliases == ("Acme", "Acme Inc")
    assert again.exclude == ("x",)
    assert store.channel_entities(channel.id) == [again]


def test_an_alias_equal_to_the_name_is_not_stored(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    entity = store.watch(channel.id, Entity(name="Acme", aliases=("ACME", "Acme Co")))
    assert entity.aliases == ("Acme Co",)


def test_unwatch_removes_by_name_once(store: Store) -> None:
    channel, [acme] = channel_watching(store, "C1", "Acme")
    assert store.unwatch(channel.id, "acme") is True
    assert store.unwatch(channel.id, "acme") is False
    assert store.unwatch(channel.id, "Unknown") is False
    assert store.channel_entities(channel.id) == []
    assert store.all_entities("T1") == [acme]
    assert store.watched_entities() == []


def test_find_entity_by_name_or_alias_ignoring_case(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    acme = store.watch(channel.id, Entity(name="Acme Corp", aliases=("ACM",)))
    assert store.find_entity("T1", "  acme   CORP ") == acme
    assert store.find_entity("T1", "acm") == acme
    assert store.find_entity("T1", "Nobody") is None
    assert store.get_entity(acme.id) == acme
    with pytest.raises(NotFoundError):
        store.get_entity(987654)


def test_channel_entities_are_sorted_by_name_and_watched_entities_by_id(store: Store) -> None:
    channel, [zeta, alpha] = channel_watching(store, "C1", "Zeta", "Alpha")
    assert store.channel_entities(channel.id) == [alpha, zeta]
    assert store.watched_entities() == [zeta, alpha]


def test_add_exclusion_adds_a_phrase_once_whatever_its_case(store: Store) -> None:
    _, [apple] = channel_watching(store, "C1", "Apple")
    store.add_exclusion(apple.id, "apple pie")
    entity = store.add_exclusion(apple.id, "Apple Pie")
    assert entity.exclude == ("apple pie",)
    assert store.get_entity(apple.id).exclude == ("apple pie",)
    with pytest.raises(NotFoundError):
        store.add_exclusion(987654, "x")


def test_mutes_last_until_their_end_and_a_new_mute_replaces_the_old(store: Store) -> None:
    channel, [acme, beta] = channel_watching(store, "C1", "Acme", "Beta")
    now = wall()
    store.mute(channel.id, beta.id, now + DAY)
    store.mute(channel.id, acme.id, now + HOUR)
    store.mute(channel.id, acme.id, now + 2 * HOUR)
    assert store.mutes(channel.id, now) == [(acme, now + 2 * HOUR), (beta, now + DAY)]
    assert store.mutes(channel.id, now + 3 * HOUR) == [(beta, now + DAY)]
    assert store.unmute(channel.id, beta.id) is True
    assert store.unmute(channel.id, beta.id) is False
    assert store.mutes(channel.id, now) == [(acme, now + 2 * HOUR)]


# watchlists and subscriptions ---------------------------------------------------


def test_create_watchlist_refuses_a_name_taken_in_any_case(store: Store) -> None:
    created = store.create_watchlist("T1", "Russia")
    assert created.is_shared and created.entities == () and created.subscribers == ()
    with pytest.raises(AlreadyExistsError):
        store.create_watchlist("T1", "russia")
    assert store.create_watchlist("T2", "russia").id != created.id
    assert store.find_watchlist("T1", "RUSSIA") == created
    assert store.find_watchlist("T1", "nope") is None


def test_team_watchlists_are_the_shared_ones_by_name(store: Store) -> None:
    store.ensure_channel("T1", "C1")
    store.create_watchlist("T1", "zeta")
    store.create_watchlist("T1", "Alpha")
    assert [w.name for w in store.team_watchlists("T1")] == ["Alpha", "zeta"]
    own = store.find_watchlist("T1", "#C1")
    assert own is not None and not own.is_shared


def test_a_watchlist_remembers_the_channel_that_created_it(store: Store) -> None:
    created = store.create_watchlist("T1", "deals", created_in="C1")
    assert created.created_in == "C1"
    assert store.create_watchlist("T1", "legacy").created_in == ""


def test_rename_watchlist_keeps_its_subscribers_and_refuses_a_taken_name(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    shared = store.create_watchlist("T1", "old")
    store.create_watchlist("T1", "taken")
    store.subscribe(channel.id, shared.id)
    renamed = store.rename_watchlist(shared.id, "New")
    assert (renamed.id, renamed.name, renamed.subscribers) == (shared.id, "New", ("C1",))
    assert store.find_watchlist("T1", "old") is None
    with pytest.raises(AlreadyExistsError):
        store.rename_watchlist(shared.id, "TAKEN")
    with pytest.raises(NotFoundError):
        store.rename_watchlist(987654, "x")


def test_delete_watchlist_ends_its_subscriptions_and_keeps_its_entities(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    shared = store.create_watchlist("T1", "gone")
    listed, _ = store.add_to_watchlist(shared.id, Entity(name="Listed"))
    store.subscribe(channel.id, shared.id)
    store.delete_watchlist(shared.id)
    assert store.find_watchlist("T1", "gone") is None
    assert store.channel_watchlists(channel.id) == [] or all(
        w.id != shared.id for w in store.channel_watchlists(channel.id)
    )
    assert store.channel_entities(channel.id) == []
    assert store.get_entity(listed.id) == listed
    with pytest.raises(NotFoundError):
        store.delete_watchlist(shared.id)


def test_add_to_watchlist_says_whether_the_entity_is_new_there(store: Store) -> None:
    shared = store.create_watchlist("T1", "shared")
    entity, added = store.add_to_watchlist(shared.id, Entity(name="Acme", aliases=("AC",)))
    again, added_again = store.add_to_watchlist(shared.id, Entity(name="acme", aliases=("AC2",)))
    assert (added, added_again) == (True, False)
    assert again.id == entity.id and again.aliases == ("AC", "AC2")
    info = store.find_watchlist("T1", "shared")
    assert info is not None and info.entities == (again,)
    with pytest.raises(NotFoundError):
        store.add_to_watchlist(987654, Entity(name="X"))


def test_remove_from_watchlist_by_alias(store: Store) -> None:
    shared = store.create_watchlist("T1", "shared")
    store.add_to_watchlist(shared.id, Entity(name="Acme Corp", aliases=("Acme",)))
    assert store.remove_from_watchlist(shared.id, "ACME") is True
    assert store.remove_from_watchlist(shared.id, "ACME") is False
    assert store.team_watchlists("T1")[0].entities == ()


def test_subscribing_brings_the_lists_entities_to_the_channel(store: Store) -> None:
    channel, [own] = channel_watching(store, "C1", "Own")
    shared = store.create_watchlist("T1", "shared")
    listed, _ = store.add_to_watchlist(shared.id, Entity(name="Listed"))
    assert store.subscribe(channel.id, shared.id) is True
    assert store.subscribe(channel.id, shared.id) is False
    assert store.channel_entities(channel.id) == [listed, own]
    assert [w.name for w in store.channel_watchlists(channel.id)] == ["#C1", "shared"]
    assert store.team_watchlists("T1")[0].subscribers == ("C1",)
    assert store.unsubscribe(channel.id, shared.id) is True
    assert store.unsubscribe(channel.id, shared.id) is False
    assert store.channel_entities(channel.id) == [own]


# sources ---------------------------------------------------------------------------


def test_a_feed_added_twice_is_one_source_shared_by_channels(store: Store) -> None:
    one = store.ensure_channel("T1", "C1")
    two = store.ensure_channel("T1", "C2")
    first = store.add_channel_source(one.id, "https://feeds.example/a", "A")
    second = store.add_channel_source(two.id, "https://feeds.example/a", "other title")
    store.add_channel_source(one.id, "https://feeds.example/a", "A")
    assert second.id == first.id and second.title == "A"
    assert [c.id for c in store.channels_of_source(first.id)] == [one.id, two.id]
    later = store.add_channel_source(one.id, "https://feeds.example/b", "B")
    assert [s.id for s in store.channel_sources(one.id)] == [first.id, later.id]
    assert store.remove_channel_source(one.id, first.id) is True
    assert store.remove_channel_source(one.id, first.id) is False
    assert [s.id for s in store.channel_sources(one.id)] == [later.id]
    assert [c.id for c in store.channels_of_source(first.id)] == [two.id]


def test_claiming_sources_leases_them_until_the_lease_ends(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    feed = store.add_channel_source(channel.id, "https://feeds.example/a", "A")
    store.add_channel_source(channel.id, "file:///tmp/feed.xml", "local")
    now = wall()
    claimed = store.claim_due_sources(now, now + HOUR, 10)
    assert [(s.id, s.url, s.next_poll_at) for s in claimed] == [(feed.id, feed.url, now + HOUR)]
    assert store.claim_due_sources(now + timedelta(minutes=30), now + 2 * HOUR, 10) == []
    assert [s.id for s in store.claim_due_sources(now + HOUR, now + 2 * HOUR, 10)] == [feed.id]


def test_claim_takes_never_polled_sources_first_and_at_most_limit(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    now = wall()
    polled = store.add_channel_source(channel.id, "https://feeds.example/old", "old")
    store.record_poll(replace(polled, next_poll_at=now - HOUR))
    fresh = store.add_channel_source(channel.id, "https://feeds.example/new", "new")
    assert [s.id for s in store.claim_due_sources(now, now + HOUR, 1)] == [fresh.id]
    assert [s.id for s in store.claim_due_sources(now, now + HOUR, 1)] == [polled.id]


def test_record_poll_saves_the_fetch_state_but_not_the_full_text_toggle(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    source = store.add_channel_source(channel.id, "https://feeds.example/a", "A")
    store.set_full_text(source.id, True)
    now = wall().replace(microsecond=0)
    polled = replace(
        source,
        title="New title",
        etag='"v2"',
        last_modified="Mon, 02 Mar 2026 08:00:00 GMT",
        consecutive_failures=3,
        first_failure_at=now - DAY,
        last_success_at=now - 2 * DAY,
        last_error="HTTP 503",
        warned_broken=True,
        next_poll_at=now + HOUR,
        fetch_full_text=False,
    )
    store.record_poll(polled)
    assert store.channel_sources(channel.id) == [replace(polled, fetch_full_text=True)]
    store.set_full_text(source.id, False)
    assert store.channel_sources(channel.id)[0].fetch_full_text is False
    with pytest.raises(NotFoundError):
        store.record_poll(replace(source, id=987654))
    with pytest.raises(NotFoundError):
        store.set_full_text(987654, True)


def test_mark_seen_processes_the_sources_stored_articles(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    source = store.add_channel_source(channel.id, "https://feeds.example/a", "A")
    store.add_articles([article("a1"), article("a2")], source.id, wall())
    store.add_articles([article("other")], None, wall())
    store.mark_seen(source.id, wall())
    assert [a.id for _, a in store.unmatched_articles(10)] == ["other"]


# articles and stories --------------------------------------------------------------


def test_add_articles_skips_the_same_guid_or_text_from_the_same_source(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    source = store.add_channel_source(channel.id, "https://feeds.example/a", "A")
    assert store.add_articles([article("a1"), article("a1"), article("a2")], source.id, wall()) == 2
    same_text = replace(article("a1"), id="renamed-guid")
    assert store.add_articles([same_text, article("a3")], source.id, wall()) == 1
    assert store.add_articles([article("a1")], None, wall()) == 1
    assert store.add_articles([article("a1")], None, wall()) == 0
    assert [a.id for _, a in store.unmatched_articles(10)] == ["a1", "a2", "a3", "a1"]


def test_an_article_without_guid_is_known_by_its_url(store: Store) -> None:
    item = replace(article("x"), id="")
    assert store.add_articles([item], None, wall()) == 1
    assert [a.id for _, a in store.unmatched_articles(10)] == [item.url]


def test_unmatched_articles_are_oldest_first_up_to_limit(store: Store) -> None:
    store.add_articles([article(f"a{n}") for n in range(5)], None, wall())
    assert [a.id for _, a in store.unmatched_articles(3)] == ["a0", "a1", "a2"]
    stored = store.unmatched_articles(1)[0][1]
    assert stored == article("a0")


def test_filing_queues_the_story_for_each_watching_channel_once(store: Store) -> None:
    one, [acme] = channel_watching(store, "C1", "Acme")
    two = store.ensure_channel("T1", "C2")
    store.watch(two.id, Entity(name="Acme"))
    store.ensure_channel("T1", "C3")  # watches nothing
    assert file_story(store, "a1", (mention(acme),), "k1") == 2
    assert file_story(store, "a2", (mention(acme),), "k1", source="Other") == 0
    assert [i.title for i in store.pending_items(one.id)] == ["Story k1"]
    assert len(store.pending_items(two.id)) == 1
    assert store.unmatched_articles(10) == []


def test_an_article_without_matches_is_filed_but_queued_nowhere(store: Store) -> None:
    channel_watching(store, "C1", "Acme")
    assert file_story(store, "a1", (), "k1") == 0
    assert store.unmatched_articles(10) == []


def test_a_channel_muting_every_matched_entity_gets_nothing(store: Store) -> None:
    channel, [acme, beta] = channel_watching(store, "C1", "Acme", "Beta")
    store.mute(channel.id, acme.id, wall() + DAY)
    assert file_story(store, "a1", (mention(acme),), "k1") == 0
    assert file_story(store, "a2", (mention(acme), mention(beta)), "k2") == 1
    store.mute(channel.id, beta.id, wall() - HOUR)  # expired: no effect
    assert file_story(store, "a3", (mention(beta),), "k3") == 1
    assert [i.title for i in store.pending_items(channel.id)] == ["Story k2", "Story k3"]


def test_filing_an_unknown_article_files_nothing(store: Store) -> None:
    channel, [acme] = channel_watching(store, "C1", "Acme")
    known = ingest(store, article("a1"))
    batch = [analysed(known, (mention(acme),), "k1"), analysed(987654, (mention(acme),), "k2")]
    with pytest.raises(NotFoundError):
        store.file_articles(batch, wall())
    assert store.pending_items(channel.id) == []
    assert [a.id for _, a in store.unmatched_articles(10)] == ["a1"]


def test_pending_item_shows_the_first_articles_deal_and_other_sources(store: Store) -> None:
    channel, [acme, _beta] = channel_watching(store, "C1", "Acme", "Beta")
    other = store.watch(store.ensure_channel("T1", "C9").id, Entity(name="Unwatched here"))
    deal = {
        "amounts": [{"currency": "USD", "value": 5e8, "text": "$500m"}],
        "summary": "Acme buys.",
    }
    first = ingest(store, article("a1", source="Reuters"))
    second = ingest(store, article("a2", source="FT"))
    third = ingest(store, article("a3", source="Reuters"))
    store.file_articles(
        [
            analysed(first, (mention(acme), mention(other)), "k1", deal=deal, stage="announced"),
            analysed(second, (mention(acme, field="text"),), "k1", stage="completed"),
            analysed(third, (mention(acme),), "k1"),
        ],
        wall(),
    )
    [item] = store.pending_items(channel.id)
    assert item.title == "Story k1"
    assert (item.url, item.source) == ("https://news.example/a1", "Reuters")
    assert (item.summary, item.amount) == ("Acme buys.", "$500m")
    assert (item.deal_type, item.deal_stage) == ("acquisition", "completed")
    assert item.also_reported_by == ("FT",)
    assert [(m.entity, m.field) for m in item.matches] == [
        ("Acme", "title"),
        ("Acme", "text"),
        ("Acme", "title"),
    ]
    assert item.published == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert item.thread_ts == ""


def test_an_undisclosed_deal_shows_undisclosed_and_no_deal_shows_the_text(store: Store) -> None:
    channel, [acme] = channel_watching(store, "C1", "Acme")
    file_story(store, "a1", (mention(acme),), "k1", deal={"undisclosed": True})
    file_story(store, "a2", (mention(acme),), "k2")
    undisclosed, plain = store.pending_items(channel.id)
    assert undisclosed.amount == "undisclosed"
    assert (plain.amount, plain.summary) == ("", "Body of a2.")


def test_an_update_goes_in_the_thread_of_the_posted_first_report(store: Store) -> None:
    channel, [acme] = channel_watching(store, "C1", "Acme")
    file_story(store, "a1", (mention(acme),), "root")
    [root] = store.pending_items(channel.id)
    store.mark_sending(channel.id, [root.story_id])
    store.mark_posted(channel.id, [root.story_id], "111.222", wall())
    file_story(store, "a2", (mention(acme),), "root~completed", update_of="root")
    [update] = store.pending_items(channel.id)
    assert update.thread_ts == "111.222"


def test_an_update_of_an_unposted_report_has_no_thread(store: Store) -> None:
    channel, [acme] = channel_watching(store, "C1", "Acme")
    file_story(store, "a1", (mention(acme),), "root")
    file_story(store, "a2", (mention(acme),), "root~completed", update_of="root")
    assert [i.thread_ts for i in store.pending_items(channel.id)] == ["", ""]


@pytest.mark.parametrize(
    "text",
    [
        "Short body without a deal summary.",
        "Long body. " * 20_000,
        "Mostly white space." + " " * 5_000 + "then words " * 100,
    ],
    ids=["short", "long", "mostly-white-space"],
)
def test_a_story_without_a_deal_summary_shows_its_text_shortened(store: Store, text: str) -> None:
    channel, [acme] = channel_watching(store, "C1", "Acme")
    article_id = ingest(store, article("a1", text=text))
    store.file_articles([analysed(article_id, (mention(acme),), "k1")], wall())
    [pending] = store.pending_items(channel.id)
    [looked_up] = store.stories_for_entity(acme.id, wall() - HOUR, 5)
    assert pending.summary == looked_up.summary == shorten(text)


def test_a_story_shows_its_deal_summary_whatever_the_size_of_its_text(store: Store) -> None:
    channel, [acme] = channel_watching(store, "C1", "Acme")
    article_id = ingest(store, article("a1", text="Megabytes of wire copy. " * 50_000))
    filed = analysed(article_id, (mention(acme),), "k1", deal={"summary": "Acme buys Beta."})
    store.file_articles([filed], wall())
    [pending] = store.pending_items(channel.id)
    assert pending.summary == "Acme buys Beta."


def test_recent_stories_carry_first_article_entities_amounts_and_parties(store: Store) -> None:
    _, [acme, beta] = channel_watching(store, "C1", "Acme", "Beta")
    amounts = [{"currency": "EUR", "value": 2e6, "text": "€2m"}]
    first = ingest(store, article("a1"))
    second = ingest(store, article("a2"))
    store.file_articles(
        [
            analysed(first, (mention(beta), mention(acme)), "k1", deal={"parties": ["Acme"]}),
            analysed(second, (), "k1", deal={"amounts": amounts, "parties": ["Beta", "Acme"]}),
        ],
        wall(),
    )
    [story] = store.recent_stories(wall() - HOUR)
    assert (story.key, story.article, story.deal_type) == ("k1", article("a1"), "acquisition")
    assert story.entity_ids == tuple(sorted((acme.id, beta.id)))
    assert [(a.currency, a.value, a.text) for a in story.amounts] == [("EUR", 2e6, "€2m")]
    assert story.parties == ("Acme", "Beta")
    assert store.recent_stories(wall() + HOUR) == []


def test_stories_for_entity_are_newest_first_up_to_limit(store: Store) -> None:
    _, [acme, beta] = channel_watching(store, "C1", "Acme", "Beta")
    for n in range(3):
        file_story(store, f"a{n}", (mention(acme), mention(beta)), f"k{n}")
    file_story(store, "b", (mention(beta),), "only-beta")
    found = store.stories_for_entity(acme.id, wall() - HOUR, 2)
    assert [i.title for i in found] == ["Story k2", "Story k1"]
    assert {m.entity for i in found for m in i.matches} == {"Acme"}
    assert store.stories_for_entity(acme.id, wall() + HOUR, 10) == []


def test_story_details_hold_the_deal_and_every_articles_matches(store: Store) -> None:
    channel, [acme] = channel_watching(store, "C1", "Acme")
    deal = {
        "confidence": 0.8,
        "trigger": "acquire",
        "amounts": [{"currency": "USD", "value": 1.0, "text": "$1"}],
        "stakes": [{"text": "51%"}],
        "parties": ["Acme", "Beta"],
        "summary": "Acme buys Beta.",
    }
    first = ingest(store, article("a1", source="Reuters"))
    second = ingest(store, article("a2", source="FT"))
    store.file_articles(
        [
            analysed(first, (mention(acme),), "k1", deal=deal),
            analysed(second, (mention(acme, "ACME", field="text"),), "k1"),
        ],
        wall(),
    )
    [item] = store.pending_items(channel.id)
    details = store.story_details(item.story_id)
    assert (details.title, details.confidence, details.trigger) == ("Story k1", 0.8, "acquire")
    assert (details.amounts, details.stakes, details.parties) == (
        ("$1",),
        ("51%",),
        ("Acme", "Beta"),
    )
    assert details.summary == "Acme buys Beta."
    assert [a.source for a in details.articles] == ["Reuters", "FT"]
    assert [m.text for m in details.matches] == ["Acme", "ACME"]
    with pytest.raises(NotFoundError):
        store.story_details(987654)


# outbox and delivery ------------------------------------------------------------------


def queued_stories(store: Store, count: int) -> tuple[Channel, list[int]]:
    """A channel with count stories pending."""
    channel, [acme] = channel_watching(store, "C1", "Acme")
    for n in range(count):
        file_story(store, f"a{n}", (mention(acme),), f"k{n}")
    return channel, [i.story_id for i in store.pending_items(channel.id)]


def test_mark_sending_moves_each_story_only_once(store: Store) -> None:
    channel, [s1, s2, s3] = queued_stories(store, 3)
    assert store.mark_sending(channel.id, [s2, s1]) == [s2, s1]
    assert store.mark_sending(channel.id, [s1, s2, s3]) == [s3]
    assert store.mark_sending(channel.id, [s1]) == []
    assert store.mark_sending(channel.id, []) == []
    assert sorted(store.sending_items(channel.id)) == [s1, s2, s3]
    assert store.pending_items(channel.id) == []


def test_batched_outbox_calls_touch_each_channels_own_stories_only(store: Store) -> None:
    one, [acme, beta] = channel_watching(store, "C1", "Acme", "Beta")
    two, _ = channel_watching(store, "C2", "Beta")
    idle = store.ensure_channel("T1", "C3")
    file_story(store, "a1", (mention(acme),), "k1")
    file_story(store, "a2", (mention(acme), mention(beta)), "k2")
    pending = store.pending_items_of([one.id, two.id, idle.id])
    assert pending == {one.id: store.pending_items(one.id), two.id: store.pending_items(two.id)}
    assert [i.title for i in pending[one.id]] == ["Story k1", "Story k2"]
    # Each channel sees the matches of the entities it watches.
    assert [m.entity for m in pending[two.id][0].matches] == ["Beta"]
    [s1, s2] = [i.story_id for i in pending[one.id]]
    # Each channel's own page only: one's s2 waits, and two never had s1.
    moved = store.mark_sending_pages([(one.id, [s1]), (two.id, [s1, s2]), (idle.id, [s2])])
    assert moved == {one.id: [s1], two.id: [s2]}
    assert [i.story_id for i in store.pending_items(one.id)] == [s2]
    assert store.mark_sending_pages([(one.id, [s2, s1])]) == {one.id: [s2]}
    assert store.sending_items_of([one.id, two.id, idle.id]) == {one.id: [s1, s2], two.id: [s2]}
    store.record_posts([(one.id, [s1, s2], "1.1"), (two.id, [s2], "2.2")], wall())
    assert store.sending_items_of([one.id, two.id]) == {}
    assert [p.story_id for p in store.recent_posts(two.id, 5)] == [s2]
    assert store.pending_items_of([one.id, two.id]) == {}


def test_release_channels_ends_only_the_owners_leases(store: Store) -> None:
    one, two = due_digest_channel(store, "C1"), due_digest_channel(store, "C2")
    claimed = store.claim_deliverable_channels(wall(), "w1", wall() + HOUR, 10)
    assert [c.id for c in claimed] == [one.id, two.id]
    store.release_channels([(one.id, wall() + DAY), (two.id, wall() + DAY)], "w2")
    assert store.claim_deliverable_channels(wall(), "w3", wall() + HOUR, 10) == []
    store.release_channels([(one.id, wall() + DAY), (two.id, wall() - HOUR)], "w1")
    # One's next digest is tomorrow; two's is still due, now free for anyone.
    assert [c.id for c in store.claim_deliverable_channels(wall(), "w3", wall() + HOUR, 10)] == [
        two.id
    ]


def test_posted_stories_leave_the_queue_and_show_as_recent_posts(store: Store) -> None:
    channel, [s1, s2, s3] = queued_stories(store, 3)
    store.mark_sending(channel.id, [s1, s2])
    posted_at = wall().replace(microsecond=0)
    store.mark_posted(channel.id, [s2], "2.2", posted_at + HOUR)
    store.mark_posted(channel.id, [s1], "1.1", posted_at)
    assert store.sending_items(channel.id) == []
    assert [i.story_id for i in store.pending_items(channel.id)] == [s3]
    posts = store.recent_posts(channel.id, 5)
    assert [p.story_id for p in posts] == [s2, s1]
    assert [p.title for p in posts] == ["Story k1", "Story k0"]
    assert posts[0].url == "https://news.example/a1"
    assert [p.posted_at for p in posts] == [posted_at + HOUR, posted_at]
    assert [p.story_id for p in store.recent_posts(channel.id, 1)] == [s2]


def test_requeue_puts_unconfirmed_stories_back_in_the_queue(store: Store) -> None:
    channel, [s1, s2] = queued_stories(store, 2)
    store.mark_sending(channel.id, [s1, s2])
    store.requeue(channel.id, [s2])
    assert store.sending_items(channel.id) == [s1]
    assert [i.story_id for i in store.pending_items(channel.id)] == [s2]
    assert store.mark_sending(channel.id, [s2]) == [s2]


def test_delivered_items_are_every_story_queued_since_then(store: Store) -> None:
    channel, [s1, s2] = queued_stories(store, 2)
    store.mark_sending(channel.id, [s1])
    store.mark_posted(channel.id, [s1], "1.1", wall())
    assert [i.story_id for i in store.delivered_items(channel.id, wall() - HOUR)] == [s1, s2]
    assert store.delivered_items(channel.id, wall() + HOUR) == []


def due_digest_channel(store: Store, slack_id: str) -> Channel:
    """A digest channel whose digest was due an hour ago."""
    channel = store.ensure_channel("T1", slack_id)
    return store.update_channel(channel.id, lambda c: (c, wall() - HOUR))


def test_a_due_channel_is_leased_to_one_worker_until_the_lease_ends(store: Store) -> None:
    channel = due_digest_channel(store, "C1")
    now = wall()
    assert [c.id for c in store.claim_deliverable_channels(now, "w1", now + HOUR, 10)] == [
        channel.id
    ]
    assert store.claim_deliverable_channels(now, "w2", now + HOUR, 10) == []
    later = now + 2 * HOUR
    assert [c.id for c in store.claim_deliverable_channels(later, "w2", later + HOUR, 10)] == [
        channel.id
    ]


def test_release_by_the_owner_sets_the_next_digest_and_frees_the_channel(store: Store) -> None:
    channel = due_digest_channel(store, "C1")
    now = wall().replace(microsecond=0)
    store.claim_deliverable_channels(now, "w1", now + HOUR, 10)
    store.release_channel(channel.id, "w2", now + DAY)  # not the owner: ignored
    assert store.get_channel(channel.id).next_digest_at == channel.next_digest_at
    store.release_channel(channel.id, "w1", now + DAY)
    assert store.get_channel(channel.id).next_digest_at == now + DAY
    assert store.claim_deliverable_channels(now, "w2", now + HOUR, 10) == []
    tomorrow = now + DAY
    claimed = store.claim_deliverable_channels(tomorrow, "w2", tomorrow + HOUR, 10)
    assert [c.id for c in claimed] == [channel.id]


def test_an_instant_channel_is_due_only_with_queued_stories(store: Store) -> None:
    channel, [acme] = channel_watching(store, "C1", "Acme")
    store.update_channel(channel.id, lambda c: (replace(c, delivery="instant"), None))
    now = wall()
    assert store.claim_deliverable_channels(now, "w1", now + HOUR, 10) == []
    file_story(store, "a1", (mention(acme),), "k1")
    [claimed] = store.claim_deliverable_channels(now, "w1", now + HOUR, 10)
    assert claimed.delivery == "instant"
    store.release_channel(channel.id, "w1", now + DAY)
    assert store.get_channel(channel.id).next_digest_at is None


def test_channels_off_or_not_yet_due_are_not_claimed_and_limit_holds(store: Store) -> None:
    first = due_digest_channel(store, "C1")
    due_digest_channel(store, "C2")
    off = due_digest_channel(store, "C3")
    store.update_channel(off.id, lambda c: (replace(c, delivery="off"), None))
    future = store.ensure_channel("T1", "C4")
    store.update_channel(future.id, lambda c: (c, wall() + DAY))
    now = wall()
    assert [c.id for c in store.claim_deliverable_channels(now, "w1", now + HOUR, 1)] == [first.id]
    assert [c.slack_id for c in store.claim_deliverable_channels(now, "w2", now + HOUR, 10)] == [
        "C2"
    ]


def test_exclusive_is_held_by_one_holder_at_a_time(store: Store) -> None:
    with store.exclusive("digest") as first:
        with store.exclusive("digest") as second:
            assert (first, second) == (True, False)
        with store.exclusive("other") as other:
            assert other is True
    with store.exclusive("digest") as again:
        assert again is True


# feedback ------------------------------------------------------------------------------


def not_relevant(
    channel: Channel, story_id: int, entity: Entity, user: str, text: str
) -> NotRelevant:
    """A "not relevant" click."""
    return NotRelevant(
        channel_id=channel.id,
        story_id=story_id,
        entity_id=entity.id,
        alias=entity.name,
        matched_text=text,
        user_id=user,
        at=wall(),
    )


def test_feedback_counts_people_and_stories_of_the_team_on_the_same_text(store: Store) -> None:
    channel, [apple] = channel_watching(store, "C1", "Apple")
    neighbour = store.ensure_channel("T1", "C2")
    stranger = store.ensure_channel("T2", "C3")
    for n in range(3):
        file_story(store, f"a{n}", (mention(apple),), f"k{n}")
    s1, s2, s3 = [i.story_id for i in store.pending_items(channel.id)]
    assert store.add_feedback(not_relevant(channel, s1, apple, "U1", "apple")) == 1
    assert store.add_feedback(not_relevant(channel, s1, apple, "U1", "apple")) == 1
    assert store.add_feedback(not_relevant(neighbour, s2, apple, "U2", "APPLE")) == 2
    assert store.add_feedback(not_relevant(stranger, s3, apple, "U3", "apple")) == 1
    assert store.add_feedback(not_relevant(channel, s3, apple, "U4", "apple pie")) == 1
    assert store.add_feedback(not_relevant(channel, s3, apple, "U1", "apple")) == 3
    with pytest.raises(NotFoundError):
        store.add_feedback(replace(not_relevant(channel, s1, apple, "U9", "x"), channel_id=987654))


# housekeeping ------------------------------------------------------------------------


def test_a_request_key_is_new_only_the_first_time(store: Store) -> None:
    assert store.first_time("event:Ev1", wall()) is True
    assert store.first_time("event:Ev1", wall()) is False
    assert store.first_time("event:Ev2", wall()) is True


def test_prune_processed_forgets_keys_recorded_before_the_time(store: Store) -> None:
    store.first_time("k1", wall())
    store.first_time("k2", wall())
    assert store.prune_processed(wall() - HOUR) == 0
    assert store.first_time("k1", wall()) is False
    assert store.prune_processed(wall() + HOUR) == 2
    assert store.first_time("k1", wall()) is True


def test_prune_articles_keeps_unprocessed_ones_and_those_of_queued_stories(store: Store) -> None:
    channel, [acme] = channel_watching(store, "C1", "Acme")
    file_story(store, "delivered", (mention(acme),), "k1")
    file_story(store, "unmatched", (), "k2")
    store.add_articles([article("unprocessed")], None, wall())
    assert store.prune_articles(wall() - HOUR) == 0
    assert store.prune_articles(wall() + HOUR) == 1
    assert [a.id for _, a in store.unmatched_articles(10)] == ["unprocessed"]
    [item] = store.pending_items(channel.id)
    assert item.url == "https://news.example/delivered"
    assert [s.key for s in store.recent_stories(wall() - HOUR)] == ["k1"]


def test_ingest_and_request_key_times_are_the_callers_not_the_databases(store: Store) -> None:
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    store.add_articles([article("old")], None, long_ago)
    [(article_id, _)] = store.unmatched_articles(10)
    store.file_articles([analysed(article_id, (), "k-old")], long_ago)
    store.add_articles([article("new")], None, long_ago + 2 * DAY)
    [(new_id, _)] = store.unmatched_articles(10)
    store.file_articles([analysed(new_id, (), "k-new")], long_ago + 2 * DAY)
    assert store.prune_articles(long_ago + DAY) == 1
    store.first_time("k-then", long_ago)
    store.first_time("k-later", long_ago + 2 * DAY)
    assert store.prune_processed(long_ago + DAY) == 1
    assert store.first_time("k-then", long_ago + 3 * DAY) is True
    assert store.first_time("k-later", long_ago + 3 * DAY) is False


def test_find_entity_folds_the_case_of_a_non_latin_alias(store: Store) -> None:
    channel = store.ensure_channel("T1", "C1")
    gazprom = store.watch(channel.id, Entity(name="Gazprom", aliases=("Газпром",)))
    assert store.find_entity("T1", "ГАЗПРОМ") == gazprom
    assert store.find_entity("T1", "  газпром ") == gazprom
    assert store.find_entity("T2", "Газпром") is None


def test_remove_names_drops_aliases_by_key_and_exclusions_whatever_their_case(
    store: Store,
) -> None:
    channel = store.ensure_channel("T1", "C1")
    shell = store.watch(
        channel.id,
        Entity(
            name="Shell",
            aliases=("Royal Dutch Shell", "Шелл", "RDS"),
            exclude=("shell beach", "Shell Game"),
        ),
    )
    left = store.remove_names(
        shell.id, aliases=("royal  dutch shell", "ШЕЛЛ"), exclude=("SHELL game",)
    )
    assert (left.aliases, left.exclude) == (("RDS",), ("shell beach",))
    assert store.get_entity(shell.id) == left
    assert store.find_entity("T1", "Шелл") is None
    assert store.find_entity("T1", "rds") == left
    unchanged = store.remove_names(shell.id, aliases=("Nothing",), exclude=("nope",))
    assert unchanged == left
    with pytest.raises(NotFoundError):
        store.remove_names(shell.id + 1000, aliases=("RDS",))


def test_a_naive_published_time_is_read_back_as_utc(store: Store) -> None:
    naive = replace(article("a1"), published=datetime(2026, 3, 1, 12, 0))
    store.add_articles([naive], None, wall())
    [(_, stored)] = store.unmatched_articles(10)
    assert stored.published == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_a_published_time_with_an_offset_is_read_back_as_the_same_instant(store: Store) -> None:
    moscow = timezone(timedelta(hours=3))
    store.add_articles(
        [replace(article("a1"), published=datetime(2026, 3, 1, 12, 0, tzinfo=moscow))], None, wall()
    )
    [(_, stored)] = store.unmatched_articles(10)
    assert stored.published == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_the_filing_time_dates_the_story_and_its_deliveries(store: Store) -> None:
    channel, [acme] = channel_watching(store, "C1", "Acme")
    filed_at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    article_id = ingest(store, article("a1"))
    store.file_articles([analysed(article_id, (mention(acme),), "k1")], filed_at)
    second = timedelta(seconds=1)
    assert [s.key for s in store.recent_stories(filed_at)] == ["k1"]
    assert store.recent_stories(filed_at + second) == []
    assert len(store.delivered_items(channel.id, filed_at)) == 1
    assert store.delivered_items(channel.id, filed_at + second) == []
    assert len(store.stories_for_entity(acme.id, filed_at, 10)) == 1
    assert store.stories_for_entity(acme.id, filed_at + second, 10) == []


def test_a_lease_ending_exactly_now_still_holds_and_a_poll_due_now_is_due(store: Store) -> None:
    channel = due_digest_channel(store, "C1")
    source = store.add_channel_source(channel.id, "https://feeds.example/a", "A")
    now = wall().replace(microsecond=0)
    store.claim_deliverable_channels(now, "w1", now + HOUR, 10)
    assert store.claim_deliverable_channels(now + HOUR, "w2", now + 2 * HOUR, 10) == []
    store.record_poll(replace(source, next_poll_at=now))
    assert [s.id for s in store.claim_due_sources(now, now + HOUR, 10)] == [source.id]


def test_a_backed_off_channel_waits_until_its_time_and_release_clears_the_backoff(
    store: Store,
) -> None:
    channel = due_digest_channel(store, "C1")
    now = wall().replace(microsecond=0)
    store.claim_deliverable_channels(now, "w1", now + HOUR, 10)
    store.back_off_channel(channel.id, "w2", now + HOUR, "not the owner")  # ignored
    assert store.get_channel(channel.id).failures == 0
    store.back_off_channel(channel.id, "w1", now + HOUR, "msg_too_long" * 30)
    backed = store.get_channel(channel.id)
    assert (backed.failures, backed.not_before) == (1, now + HOUR)
    assert backed.backoff_reason == ("msg_too_long" * 30)[:200]
    # The lease ended with the backoff; the channel waits for not_before, not for a lease.
    assert store.claim_deliverable_channels(now + HOUR / 2, "w2", now + 2 * HOUR, 10) == []
    [claimed] = store.claim_deliverable_channels(now + HOUR, "w2", now + 2 * HOUR, 10)
    assert (claimed.failures, claimed.not_before) == (1, now + HOUR)
    store.back_off_channel(channel.id, "w2", now + 3 * HOUR, "ratelimited")
    assert store.get_channel(channel.id).failures == 2
    store.claim_deliverable_channels(now + 3 * HOUR, "w3", now + 4 * HOUR, 10)
    store.release_channel(channel.id, "w3", now + DAY)
    released = store.get_channel(channel.id)
    assert (released.failures, released.not_before, released.backoff_reason) == (0, None, "")


def test_renewing_extends_only_the_owners_channel_leases(store: Store) -> None:
    mine, theirs = due_digest_channel(store, "C1"), due_digest_channel(store, "C2")
    now = wall().replace(microsecond=0)
    store.claim_deliverable_channels(now, "w1", now + HOUR, 1)
    store.claim_deliverable_channels(now, "w2", now + HOUR, 1)
    assert store.renew_leases("w1", now + 3 * HOUR) == 1
    # w2 died: its lease lapses at now + HOUR; w1's holds on.
    later = now + 2 * HOUR
    assert [c.id for c in store.claim_deliverable_channels(later, "w3", later + HOUR, 10)] == [
        theirs.id
    ]
    store.release_channel(mine.id, "w1", now + DAY)
    assert store.renew_leases("w1", now + 4 * HOUR) == 0


def test_renewing_extends_the_feed_leases_held_until_their_poll_is_recorded(
    store: Store,
) -> None:
    channel = store.ensure_channel("T1", "C1")
    store.add_channel_source(channel.id, "https://feeds.example/a", "A")
    now = wall()
    [held] = store.claim_due_sources(now, now + HOUR, 10)
    assert store.renew_leases("w1", now + 3 * HOUR) == 1
    assert store.claim_due_sources(now + 2 * HOUR, now + 4 * HOUR, 10) == []
    store.record_poll(replace(held, next_poll_at=now + 5 * HOUR))
    assert store.renew_leases("w1", now + 6 * HOUR) == 0
    assert [s.id for s in store.claim_due_sources(now + 5 * HOUR, now + 6 * HOUR, 10)] == [held.id]


def test_a_post_records_when_the_channel_last_got_one(store: Store) -> None:
    channel, [acme] = channel_watching(store, "C1", "Acme")
    file_story(store, "a1", (mention(acme),), "k1")
    [item] = store.pending_items(channel.id)
    story = item.story_id
    assert store.get_channel(channel.id).last_post_at is None
    before = wall() - HOUR  # the SQL store stamps the wall clock, the fake the time given
    store.mark_sending(channel.id, [story])
    store.mark_posted(channel.id, [story], "1.0", wall())
    last = store.get_channel(channel.id).last_post_at
    assert last is not None and before <= last <= wall() + HOUR


def test_a_quarantined_article_is_not_picked_up_again(store: Store) -> None:
    first = ingest(store, article("bad", "Poison"))
    ingest(store, article("good", "Fine"))
    store.quarantine_article(first, "RecursionError: too deep", wall())
    assert [a.id for _, a in store.unmatched_articles(10)] == ["good"]


# matching stored articles for a new watch ---------------------------------------

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def test_unscanned_articles_are_processed_ones_lacking_a_mention_newest_first(
    store: Store,
) -> None:
    _, [acme, beta] = channel_watching(store, "C1", "Acme", "Beta")
    file_story(store, "a1", (mention(acme),), "k1")
    file_story(store, "a2", (), "k2")
    ingest(store, article("a3"))  # not processed yet: never offered
    unscanned = store.unscanned_articles([acme.id], LONG_AGO, None, 10)
    assert [item.id for _, item in unscanned] == ["a2"]
    both = store.unscanned_articles([acme.id, beta.id], LONG_AGO, None, 10)
    assert [item.id for _, item in both] == ["a2", "a1"]
    newest_id = both[0][0]
    assert [
        item.id for _, item in store.unscanned_articles([acme.id, beta.id], LONG_AGO, newest_id, 10)
    ] == ["a1"]
    assert store.unscanned_articles([], LONG_AGO, None, 10) == []


def test_add_matches_records_each_article_and_entity_once(store: Store) -> None:
    _, [acme] = channel_watching(store, "C1", "Acme")
    file_story(store, "a1", (), "k1")
    [(article_id, _)] = store.unscanned_articles([acme.id], LONG_AGO, None, 10)
    assert store.add_matches([(article_id, [mention(acme), mention(acme, "ACME")])]) == 1
    assert store.add_matches([(article_id, [mention(acme)])]) == 0
    assert store.unscanned_articles([acme.id], LONG_AGO, None, 10) == []


def test_queue_recent_stories_queues_each_story_once_and_not_when_muted(store: Store) -> None:
    _, [acme] = channel_watching(store, "C1", "Acme")
    file_story(store, "a1", (mention(acme),), "k1")
    newcomer = store.ensure_channel("T1", "C2", "c2")
    assert store.queue_recent_stories(newcomer.id, [acme.id], LONG_AGO, 8, wall()) == 1
    assert store.queue_recent_stories(newcomer.id, [acme.id], LONG_AGO, 8, wall()) == 0
    assert [item.title for item in store.pending_items(newcomer.id)] == ["Story k1"]
    muted = store.ensure_channel("T1", "C3", "c3")
    store.mute(muted.id, acme.id, wall() + timedelta(days=1))
    assert store.queue_recent_stories(muted.id, [acme.id], LONG_AGO, 8, wall()) == 0


# workspaces: entities, feeds and what each may see -----------------------------------


def test_two_workspaces_watching_one_name_get_two_entities(store: Store) -> None:
    one = store.ensure_channel("T1", "C1")
    two = store.ensure_channel("T2", "C2")
    mine = store.watch(one.id, Entity(name="Alibaba", aliases=("BABA",)))
    theirs = store.watch(two.id, Entity(name="alibaba", aliases=("the",), exclude=("Alibaba",)))
    assert theirs.id != mine.id
    assert store.get_entity(mine.id) == mine  # T2's alias and exclusion did not touch it
    assert store.find_entity("T1", "the") is None
    assert store.find_entity("T2", "BABA") is None
    assert store.find_entity("T2", "Alibaba") == theirs
    assert store.all_entities("T1") == [mine]
    assert store.all_entities("T3") == []
    assert store.unwatch(two.id, "Alibaba") is True
    assert store.channel_entities(one.id) == [mine]
    assert {e.id for e in store.watched_entities()} == {mine.id}


def test_a_shared_list_takes_its_own_workspaces_entities_and_only_its_channels(
    store: Store,
) -> None:
    one = store.ensure_channel("T1", "C1")
    two = store.ensure_channel("T2", "C2")
    mine = store.watch(one.id, Entity(name="Acme"))
    shared = store.create_watchlist("T2", "deals")
    listed, _ = store.add_to_watchlist(shared.id, Entity(name="ACME", aliases=("AC",)))
    assert listed.id != mine.id and store.get_entity(mine.id).aliases == ()
    assert store.remove_from_watchlist(shared.id, "acme") is True
    assert store.channel_entities(one.id) == [mine]
    with pytest.raises(NotFoundError):
        store.subscribe(one.id, shared.id)
    assert store.subscribe(two.id, shared.id) is True


def test_one_feed_url_is_one_source_per_workspace(store: Store) -> None:
    one = store.ensure_channel("T1", "C1")
    two = store.ensure_channel("T2", "C2")
    mine = store.add_channel_source(one.id, "https://feeds.example/a", "A")
    theirs = store.add_channel_source(two.id, "https://feeds.example/a", "A")
    assert theirs.id != mine.id
    assert [c.id for c in store.channels_of_source(mine.id)] == [one.id]
    assert [s.id for s in store.channel_sources(two.id)] == [theirs.id]


def test_a_workspaces_feed_matches_only_its_own_entities(store: Store) -> None:
    one, [mine] = channel_watching(store, "C1", "Alibaba")
    two = store.ensure_channel("T2", "C2")
    theirs = store.watch(two.id, Entity(name="Alibaba"))
    feed = store.add_channel_source(one.id, "https://private.example/feed", "Private")
    private = ingest(store, article("p1", title="Alibaba private"), feed.id)
    public = ingest(store, article("o1", title="Alibaba public"))
    both = (mention(mine), mention(theirs))
    queued = store.file_articles(
        [analysed(private, both, "k-private"), analysed(public, both, "k-public")], wall()
    )
    assert queued == 3
    assert [i.title for i in store.pending_items(one.id)] == ["Story k-private", "Story k-public"]
    assert [i.title for i in store.pending_items(two.id)] == ["Story k-public"]
    assert [i.title for i in store.stories_for_entity(theirs.id, wall() - DAY, 10)] == [
        "Story k-public"
    ]


def test_a_story_shows_a_workspace_only_the_articles_it_may_see(store: Store) -> None:
    one, [mine] = channel_watching(store, "C1", "Alibaba")
    two = store.ensure_channel("T2", "C2")
    theirs = store.watch(two.id, Entity(name="Alibaba"))
    feed = store.add_channel_source(one.id, "https://private.example/feed", "Private")
    private = ingest(store, article("p1", title="Alibaba secret", source="Secret"), feed.id)
    store.file_articles([analysed(private, (mention(mine),), "k", title="Alibaba secret")], wall())
    public = ingest(store, article("o1", title="Alibaba public", source="Wire"))
    store.file_articles([analysed(public, (mention(mine), mention(theirs)), "k")], wall())
    [item] = store.pending_items(two.id)
    assert (item.title, item.source, item.also_reported_by) == ("Alibaba public", "Wire", ())
    [mine_item] = store.pending_items(one.id)
    assert mine_item.title == "Alibaba secret"
    details = store.story_details(item.story_id, "T2")
    assert [a.title for a in details.articles] == ["Alibaba public"]
    assert {m.entity_id for m in details.matches} == {theirs.id}
    assert details.title == "Alibaba public"
    assert len(store.story_details(item.story_id, "T1").articles) == 2
    [csv_item] = store.delivered_items(two.id, wall() - DAY)
    assert csv_item.url == "https://news.example/o1"


def test_stored_articles_of_a_workspaces_feed_match_and_queue_only_for_that_workspace(
    store: Store,
) -> None:
    one, [mine] = channel_watching(store, "C1", "Alibaba")
    two = store.ensure_channel("T2", "C2")
    theirs = store.watch(two.id, Entity(name="Alibaba"))
    feed = store.add_channel_source(one.id, "https://private.example/feed", "Private")
    private = ingest(store, article("p1", title="Alibaba private"), feed.id)
    public = ingest(store, article("o1", title="Alibaba public"))
    store.file_articles(
        [analysed(private, (), "k-private"), analysed(public, (), "k-public")], wall()
    )
    # T2's entity is offered the operator source's article only, T1's both.
    assert [a.id for _, a in store.unscanned_articles([theirs.id], LONG_AGO, None, 10)] == ["o1"]
    assert [a.id for _, a in store.unscanned_articles([mine.id], LONG_AGO, None, 10)] == [
        "o1",
        "p1",
    ]
    assert store.add_matches([(private, [mention(theirs)]), (public, [mention(theirs)])]) == 1
    assert store.unscanned_articles([theirs.id], LONG_AGO, None, 10) == []
    assert store.queue_recent_stories(two.id, [theirs.id], LONG_AGO, 8, wall()) == 1
    assert [i.title for i in store.pending_items(two.id)] == ["Story k-public"]
    assert [i.title for i in store.stories_for_entity(theirs.id, LONG_AGO, 10)] == [
        "Story k-public"
    ]
    assert store.add_matches([(private, [mention(mine)])]) == 1
    # Even handed T1's entity, T2's channel is not given T1's private story.
    assert store.queue_recent_stories(two.id, [mine.id], LONG_AGO, 8, wall()) == 0
    newcomer = store.ensure_channel("T1", "C3", "c3")
    assert store.queue_recent_stories(newcomer.id, [mine.id], LONG_AGO, 8, wall()) == 1

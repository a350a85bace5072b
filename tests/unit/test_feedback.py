"""Story buttons and the App Home (watchlists.feedback) on the fake store and clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.fakes.clock import FakeClock
from tests.fakes.store import FakeStore
from watchlists.errors import NotFoundError
from watchlists.feedback import (
    EXCLUSION_THRESHOLD,
    MAX_HOME_CHANNELS,
    MUTE_DAYS,
    RECENT_POSTS,
    accept_exclusion,
    home_overview,
    mark_not_relevant,
    mute_story_entity,
    story_match,
)
from watchlists.model import Channel, Entity, Field, Match
from watchlists.ports import ArticleEvidence, NotRelevant, StoryDetails


@pytest.fixture
def apple(store: FakeStore, channel: Channel) -> Entity:
    return store.watch(channel.id, Entity(name="Apple", aliases=("Apple Inc",)))


def test_mute_silences_the_storys_entity_for_a_week(
    store: FakeStore, channel: Channel, apple: Entity, clock: FakeClock
) -> None:
    entity, until = mute_story_entity(store, channel, apple.id, clock())
    assert (entity, until) == (apple, clock() + timedelta(days=MUTE_DAYS))
    assert store.mutes(channel.id, clock()) == [(apple, until)]


def test_not_relevant_records_the_match_it_was_about(
    store: FakeStore, channel: Channel, apple: Entity, clock: FakeClock
) -> None:
    story = store.seed_story(apple, key="k1", said="Apple Records")
    outcome = mark_not_relevant(store, channel, story, apple.id, "U1", clock())
    assert (outcome.entity, outcome.match.text, outcome.times, outcome.proposal) == (
        apple,
        "Apple Records",
        1,
        "",
    )
    assert store.feedback == [
        NotRelevant(channel.id, story, apple.id, "Apple", "Apple Records", "U1", clock())
    ]


def test_a_story_that_no_longer_mentions_the_entity_is_not_found(
    store: FakeStore, channel: Channel, apple: Entity, clock: FakeClock
) -> None:
    other = store.watch(channel.id, Entity(name="Pear"))
    story = store.seed_story(other, key="k1")
    with pytest.raises(NotFoundError):
        mark_not_relevant(store, channel, story, apple.id, "U1", clock())
    assert store.feedback == []


def test_the_title_match_is_the_one_the_feedback_is_about() -> None:
    def match(field: Field, text: str) -> Match:
        return Match(1, "Apple", "Apple", field, 0, len(text), text, 100.0, "exact")

    details = StoryDetails(
        story_id=1,
        title="t",
        articles=(
            ArticleEvidence("a", "u", "s", None, (match("text", "apple pie"),)),
            ArticleEvidence("b", "u", "s", None, (match("title", "Apple Records"),)),
        ),
    )
    assert story_match(details, 1).text == "Apple Records"
    with pytest.raises(NotFoundError):
        story_match(details, 2)


def flag_by_people(
    store: FakeStore, channel: Channel, entity: Entity, said: str, clock: FakeClock, people: int
) -> list[str]:
    """Each person flags their own story where said matched; the proposals made."""
    proposals = []
    for n in range(people):
        story = store.seed_story(entity, key=f"{said}-{n}", said=said)
        proposals.append(
            mark_not_relevant(store, channel, story, entity.id, f"U{n}", clock()).proposal
        )
    return proposals


def test_enough_people_flagging_the_same_text_propose_excluding_it(
    store: FakeStore, channel: Channel, apple: Entity, clock: FakeClock
) -> None:
    proposals = flag_by_people(store, channel, apple, " Apple Records ", clock, EXCLUSION_THRESHOLD)
    assert proposals == [""] * (EXCLUSION_THRESHOLD - 1) + ["Apple Records"]


def test_one_person_clicking_again_counts_once(
    store: FakeStore, channel: Channel, apple: Entity, clock: FakeClock
) -> None:
    story = store.seed_story(apple, key="k1", said="Apple Records")
    for _ in range(EXCLUSION_THRESHOLD):
        outcome = mark_not_relevant(store, channel, story, apple.id, "U1", clock())
    assert (outcome.times, outcome.proposal) == (1, "")
    assert len(store.feedback) == 1


@pytest.mark.parametrize(
    "said", [pytest.param("APPLE", id="own-name"), pytest.param("apple inc", id="own-alias")]
)
def test_the_entitys_own_names_are_never_proposed(
    store: FakeStore, channel: Channel, apple: Entity, clock: FakeClock, said: str
) -> None:
    assert flag_by_people(store, channel, apple, said, clock, EXCLUSION_THRESHOLD + 1)[-1] == ""


def test_an_excluded_text_is_not_proposed_again(
    store: FakeStore, channel: Channel, apple: Entity, clock: FakeClock
) -> None:
    accept_exclusion(store, "T1", apple.id, "apple records")
    assert (
        flag_by_people(store, channel, apple, "Apple Records", clock, EXCLUSION_THRESHOLD)[-1] == ""
    )


def test_accepting_a_proposal_adds_the_phrase_to_the_entity(
    store: FakeStore, apple: Entity
) -> None:
    entity = accept_exclusion(store, "T1", apple.id, "  Apple Records ")
    assert entity.exclude == ("Apple Records",)
    assert store.get_entity(apple.id).exclude == ("Apple Records",)


def test_another_workspaces_buttons_cannot_mute_or_exclude_an_entity(
    store: FakeStore, apple: Entity, clock: FakeClock
) -> None:
    elsewhere = store.ensure_channel("T2", "C9", "other")
    with pytest.raises(NotFoundError):
        accept_exclusion(store, "T2", apple.id, "Apple")
    with pytest.raises(NotFoundError):
        mute_story_entity(store, elsewhere, apple.id, clock())
    assert store.get_entity(apple.id).exclude == ()
    assert store.mutes(elsewhere.id, clock()) == []


def test_the_home_shows_each_channels_entities_feeds_and_latest_posts(
    store: FakeStore, channel: Channel, apple: Entity, clock: FakeClock
) -> None:
    store.add_channel_source(channel.id, "https://feeds.example/a", "")
    stories = [store.seed_story(apple, key=f"k{n}") for n in range(RECENT_POSTS + 1)]
    for n, story in enumerate(stories):
        store.mark_sending(channel.id, [story])
        store.mark_posted(channel.id, [story], f"{n}.0", clock.advance(timedelta(minutes=1)))
    store.ensure_channel("T2", "C9", "elsewhere")
    home = home_overview(store, "T1", clock())
    [overview] = home.channels
    # The channel as it is now: its last post time is the last mark_posted.
    posted_channel = replace(channel, last_post_at=clock())
    assert (overview.channel, overview.entities, home.hidden_channels) == (
        posted_channel,
        ("Apple",),
        0,
    )
    assert [(f.name, f.health) for f in overview.feeds] == [
        ("https://feeds.example/a", "ok (last fetched never)")
    ]
    assert [p.story_id for p in overview.recent] == stories[::-1][:RECENT_POSTS]


def test_the_home_shows_a_limited_number_of_channels(store: FakeStore) -> None:
    for n in range(MAX_HOME_CHANNELS + 2):
        store.ensure_channel("T1", f"C{n:02}", f"ch{n:02}")
    home = home_overview(store, "T1", FakeClock()())
    assert len(home.channels) == MAX_HOME_CHANNELS and home.hidden_channels == 2
    assert home.channels[0].channel.name == "ch00"

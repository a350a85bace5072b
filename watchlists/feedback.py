"""Use cases behind the story buttons and the App Home.

Rules:
- "Mute" silences the story's entity in the clicking channel for MUTE_DAYS days.
- "Not relevant" records the match it was about (entity, alias, matched text), once per
  person and story. When people of one workspace have flagged the same entity and matched
  text EXCLUSION_THRESHOLD times (any channels, any stories), an exclusion of that text is
  proposed, unless the text is already excluded or is the entity's own name or alias:
  excluding that would silence the entity everywhere, which is what unwatch is for.
- Accepting a proposal adds the phrase to the entity's exclusions.
- The App Home shows at most MAX_HOME_CHANNELS channels of the workspace, each with its
  entities, schedule, feed health and its RECENT_POSTS newest posted stories.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from watchlists import polling
from watchlists.entity_rules import answers_to, name_key
from watchlists.errors import NotFoundError
from watchlists.model import Channel, Entity, Match
from watchlists.ports import (
    ArticleStore,
    ChannelStore,
    EntityStore,
    FeedbackStore,
    NotRelevant,
    OutboxStore,
    PostedStory,
    SourceStore,
    StoryDetails,
)


class FeedbackPorts(ArticleStore, EntityStore, FeedbackStore, Protocol):
    """What recording "not relevant" needs."""


class HomePorts(ChannelStore, EntityStore, SourceStore, OutboxStore, Protocol):
    """What the App Home overview reads."""


MUTE_DAYS = 7
EXCLUSION_THRESHOLD = 3
MAX_HOME_CHANNELS = 20
RECENT_POSTS = 3


@dataclass(frozen=True)
class FeedbackOutcome:
    """What a "not relevant" click recorded, and the exclusion it now proposes, if any."""

    entity: Entity
    match: Match
    times: int
    proposal: str = ""


@dataclass(frozen=True)
class FeedLine:
    """A feed of a channel with its one-line health."""

    name: str
    health: str


@dataclass(frozen=True)
class ChannelOverview:
    """One channel as the App Home shows it."""

    channel: Channel
    entities: tuple[str, ...]
    feeds: tuple[FeedLine, ...]
    recent: tuple[PostedStory, ...]


@dataclass(frozen=True)
class HomeOverview:
    """The App Home of one workspace: its channels, and how many did not fit."""

    channels: tuple[ChannelOverview, ...]
    hidden_channels: int = 0


def mute_story_entity(
    store: EntityStore, channel: Channel, entity_id: int, now: datetime
) -> tuple[Entity, datetime]:
    """Mute the entity in the channel for MUTE_DAYS days; return it and the end time."""
    entity = team_entity(store, channel.team_id, entity_id)
    until = now + timedelta(days=MUTE_DAYS)
    store.mute(channel.id, entity.id, until)
    return entity, until


def story_match(details: StoryDetails, entity_id: int) -> Match:
    """The first match of the entity in the story (titles before texts), or NotFoundError."""
    matches = [match for match in details.matches if match.entity_id == entity_id]
    if not matches:
        raise NotFoundError("That story no longer mentions this entity.")
    return min(matches, key=lambda match: match.field != "title")


def mark_not_relevant(
    store: FeedbackPorts,
    channel: Channel,
    story_id: int,
    entity_id: int,
    user_id: str,
    now: datetime,
) -> FeedbackOutcome:
    """Record that the story's match on the entity was not relevant; maybe propose an exclusion."""
    # Only the team's own entities and visible articles: a foreign entity id is not found.
    match = story_match(store.story_details(story_id, channel.team_id), entity_id)
    entity = team_entity(store, channel.team_id, entity_id)
    times = store.add_feedback(
        NotRelevant(
            channel_id=channel.id,
            story_id=story_id,
            entity_id=entity_id,
            alias=match.alias,
            matched_text=match.text,
            user_id=user_id,
            at=now,
        )
    )
    proposal = match.text.strip() if should_propose(entity, match.text, times) else ""
    return FeedbackOutcome(entity=entity, match=match, times=times, proposal=proposal)


def should_propose(entity: Entity, phrase: str, times: int) -> bool:
    """True when enough people flagged the phrase and excluding it would not silence the entity."""
    if times < EXCLUSION_THRESHOLD or not name_key(phrase):
        return False
    return not answers_to(phrase, entity.names) and not answers_to(phrase, entity.exclude)


def accept_exclusion(store: EntityStore, team_id: str, entity_id: int, phrase: str) -> Entity:
    """Add the phrase to the team's entity's exclusions; return the entity."""
    team_entity(store, team_id, entity_id)
    return store.add_exclusion(entity_id, phrase.strip())


def team_entity(store: EntityStore, team_id: str, entity_id: int) -> Entity:
    """The team's entity with that id; NotFoundError for another workspace's."""
    for entity in store.all_entities(team_id):
        if entity.id == entity_id:
            return entity
    raise NotFoundError("That entity is not known in this workspace.")


def home_overview(
    store: HomePorts, team_id: str, now: datetime, visible: Collection[str] | None = None
) -> HomeOverview:
    """What the App Home of the workspace shows; only channels in visible, when given."""
    channels = [
        channel
        for channel in store.team_channels(team_id)
        if visible is None or channel.slack_id in visible
    ]
    shown = channels[:MAX_HOME_CHANNELS]
    return HomeOverview(
        channels=tuple(
            ChannelOverview(
                channel=channel,
                entities=tuple(entity.name for entity in store.channel_entities(channel.id)),
                feeds=tuple(
                    FeedLine(source.title or source.url, polling.feed_health_line(source, now))
                    for source in store.channel_sources(channel.id)
                ),
                recent=tuple(store.recent_posts(channel.id, RECENT_POSTS)),
            )
            for channel in shown
        ),
        hidden_channels=len(channels) - len(shown),
    )

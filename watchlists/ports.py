"""The ports the use cases need; db/ and handlers/ provide the adapters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from watchlists.model import Article, Channel, Digest, Entity, Match, StoryItem


@dataclass(frozen=True)
class AnalysedArticle:
    """What the pipeline learned about one stored article."""

    article_id: int
    matches: tuple[Match, ...]
    story_key: str
    story_title: str
    deal_type: str
    deal_stage: str
    deal_json: str


@dataclass(frozen=True)
class StoredStory:
    """A story the store already knows, as the story index needs it."""

    key: str
    article: Article
    deal_type: str
    deal_stage: str
    entity_ids: tuple[int, ...]


@dataclass(frozen=True)
class SourceState:
    """A feed with its fetch state and health."""

    id: int
    url: str
    title: str = ""
    etag: str = ""
    last_modified: str = ""
    poll_interval_s: int = 900
    consecutive_failures: int = 0
    first_failure_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str = ""
    warned_broken: bool = False
    next_poll_at: datetime | None = None


@dataclass(frozen=True)
class FetchOutcome:
    """What fetching a feed gave: new articles, nothing new, or a one-line error."""

    status: str  # ok | not_modified | error
    articles: tuple[Article, ...] = ()
    title: str = ""
    etag: str = ""
    last_modified: str = ""
    error: str = ""


class FeedFetcher(Protocol):
    """Fetches a feed over the network (conditional GET, guarded)."""

    def fetch(self, url: str, etag: str = "", last_modified: str = "") -> FetchOutcome:
        """The feed at url; never raises for network or parse problems."""
        ...


class Store(Protocol):
    """Persistence of channels, watchlists, articles, stories and the delivery outbox."""

    def ensure_channel(self, team_id: str, slack_id: str, name: str = "") -> Channel:
        """The channel, created with its own watchlist on first use."""
        ...

    def get_channel(self, channel_id: int) -> Channel:
        """The channel with that id, or NotFoundError."""
        ...

    def list_channels(self) -> list[Channel]:
        """Every channel."""
        ...

    def watch(self, channel_id: int, entity: Entity) -> Entity:
        """Add entity (merged with a known one of the same name) to the channel's own list."""
        ...

    def unwatch(self, channel_id: int, name: str) -> bool:
        """Remove the entity from the channel's own list; False when it was not there."""
        ...

    def channel_entities(self, channel_id: int) -> list[Entity]:
        """Every entity the channel receives stories for, own and subscribed lists."""
        ...

    def find_entity(self, name: str) -> Entity | None:
        """The entity whose name or alias is name (case-insensitive), if any."""
        ...

    def all_entities(self) -> list[Entity]:
        """Every entity any watchlist ever named, for "did you mean" suggestions."""
        ...

    def mute(self, channel_id: int, entity_id: int, until: datetime) -> None:
        """Silence an entity in the channel until a time."""
        ...

    def unmute(self, channel_id: int, entity_id: int) -> bool:
        """Lift a mute; False when there was none."""
        ...

    def mutes(self, channel_id: int, now: datetime) -> list[tuple[Entity, datetime]]:
        """The channel's active mutes with their end times."""
        ...

    def stories_for_entity(self, entity_id: int, since: datetime, limit: int) -> list[StoryItem]:
        """The latest stories that mention the entity, newest first."""
        ...

    def watched_entities(self) -> list[Entity]:
        """Every entity some channel receives: the global match index is built from these."""
        ...

    def update_channel(
        self, channel_id: int, change: Callable[[Channel], tuple[Channel, datetime | None]]
    ) -> Channel:
        """Apply change to the channel's current settings atomically; it returns the new
        settings and the next digest time."""
        ...

    def due_channels(self, now: datetime) -> list[Channel]:
        """Channels on a digest schedule whose next digest time has come."""
        ...

    def ensure_source(self, url: str, title: str = "") -> int:
        """The id of the source with that URL, created when new."""
        ...

    def add_channel_source(self, channel_id: int, url: str, title: str) -> SourceState:
        """Attach a feed to the channel, creating the source when new."""
        ...

    def channel_sources(self, channel_id: int) -> list[SourceState]:
        """The feeds the channel added, in the order added."""
        ...

    def remove_channel_source(self, channel_id: int, source_id: int) -> bool:
        """Detach a feed from the channel; False when it was not attached."""
        ...

    def channels_of_source(self, source_id: int) -> list[Channel]:
        """The channels that added this feed."""
        ...

    def claim_due_sources(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[SourceState]:
        """Sources due for a poll, each leased until lease_until so no other worker takes it."""
        ...

    def mark_seen(self, source_id: int) -> None:
        """Mark every stored article of the source as already processed (no backlog flood)."""
        ...

    def record_poll(self, state: SourceState) -> None:
        """Save a source's fetch state and health after a poll."""
        ...

    def add_articles(self, articles: Sequence[Article], source_id: int | None) -> int:
        """Store the articles not seen before; return how many were new."""
        ...

    def unmatched_articles(self, limit: int) -> list[tuple[int, Article]]:
        """Stored articles the pipeline has not processed yet, oldest first."""
        ...

    def recent_stories(self, since: datetime) -> list[StoredStory]:
        """Stories first seen after since, to merge new articles into."""
        ...

    def record_analysis(self, analysed: AnalysedArticle) -> int:
        """Save matches, deal and story of an article; return the story id."""
        ...

    def queue_deliveries(self, story_id: int, entity_ids: Sequence[int], now: datetime) -> int:
        """Add an outbox row for each channel watching one of entity_ids, unless muted."""
        ...

    def pending_items(self, channel_id: int) -> list[StoryItem]:
        """Stories queued for the channel and not yet posted, oldest first."""
        ...

    def mark_sending(self, channel_id: int, story_ids: Sequence[int]) -> None:
        """Record that a post with these stories is about to be sent."""
        ...

    def mark_posted(self, channel_id: int, story_ids: Sequence[int], ts: str) -> None:
        """Record the Slack timestamp of the post that carried these stories."""
        ...

    def sending_items(self, channel_id: int) -> list[int]:
        """Story ids whose post was started but never confirmed (a crash in between)."""
        ...

    def requeue(self, channel_id: int, story_ids: Sequence[int]) -> None:
        """Put stories whose post never reached Slack back in the queue."""
        ...


class Poster(Protocol):
    """Where digests go: Slack in production, the terminal in the demo."""

    def post_digest_page(self, digest: Digest, page: int, pages: int) -> str:
        """Post one page of a digest; return its message timestamp."""
        ...

    def find_posted(self, channel: Channel, story_ids: Sequence[int]) -> dict[int, str]:
        """Which of these stories already reached the channel, with the message ts."""
        ...

    def post_notice(self, channel: Channel, text: str) -> str:
        """Post a short plain notice (feed broken, feed recovered); return its ts."""
        ...

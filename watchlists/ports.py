"""The ports the use cases need; db/ and handlers/ provide the adapters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from watchlists.deals import Amount
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
    # The key of the story this article materially updates, when it does.
    update_of: str = ""


@dataclass(frozen=True)
class StoredStory:
    """A story the store already knows, as the story index needs it: its first article,
    whose text may stop after the LEAD_READ_CHARS characters the index reads."""

    key: str
    article: Article
    deal_type: str
    deal_stage: str
    entity_ids: tuple[int, ...]
    amounts: tuple[Amount, ...] = ()
    parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceState:
    """A feed with its fetch state and health."""

    id: int
    # The URL may carry credentials: repr leaves it out, so logging a state never shows them.
    url: str = field(repr=False)
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
    fetch_full_text: bool = False


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

    def fetch(
        self, url: str, etag: str = "", last_modified: str = "", *, full_text: bool = False
    ) -> FetchOutcome:
        """The feed at url (with teasers replaced by the article page's main text when
        full_text is on); never raises for network or parse problems."""
        ...


class ChannelStore(Protocol):
    """Channels, their settings and the workspaces they belong to."""

    def ensure_channel(self, team_id: str, slack_id: str, name: str = "") -> Channel:
        """The channel, created with its own watchlist on first use."""
        ...

    def get_channel(self, channel_id: int) -> Channel:
        """The channel with that id, or NotFoundError."""
        ...

    def list_channels(self) -> list[Channel]:
        """Every channel."""
        ...

    def update_channel(
        self, channel_id: int, change: Callable[[Channel], tuple[Channel, datetime | None]]
    ) -> Channel:
        """Apply change to the channel's current settings atomically; it returns the new
        settings and the next digest time."""
        ...

    def team_channels(self, team_id: str) -> list[Channel]:
        """Every channel of the team the bot knows, by name."""
        ...

    def team_ids(self) -> list[str]:
        """The Slack team ids of every workspace, in the order they were first seen."""
        ...

    def installer_of(self, team_id: str) -> str:
        """The Slack user id of whoever installed the bot in the team, or ""."""
        ...

    def workspace_timezone(self, team_id: str) -> str | None:
        """The timezone new channels of the team get, or None when nobody set it yet."""
        ...

    def set_workspace_timezone(self, team_id: str, timezone: str, user_id: str) -> None:
        """Remember whose timezone new channels of the team get."""
        ...

    def forget_workspace(self, team_id: str) -> bool:
        """Delete the team's channels, lists and history; False when it was unknown."""
        ...

    def pause_channel(self, channel_id: int, reason: str) -> bool:
        """Stop deliveries to the channel; True the first time, when a human must be told."""
        ...


class EntityStore(Protocol):
    """Entities, the watchlists that name them (own and shared) and mutes."""

    def watch(self, channel_id: int, entity: Entity) -> Entity:
        """Add entity (merged with the workspace's entity of the same name) to the channel's
        own list."""
        ...

    def unwatch(self, channel_id: int, name: str) -> bool:
        """Remove the entity from the channel's own list; False when it was not there."""
        ...

    def channel_entities(self, channel_id: int) -> list[Entity]:
        """Every entity the channel receives stories for, own and subscribed lists."""
        ...

    def find_entity(self, team_id: str, name: str) -> Entity | None:
        """The team's entity whose name or alias is name (case-insensitive), if any."""
        ...

    def all_entities(self, team_id: str) -> list[Entity]:
        """Every entity the team's watchlists ever named, for "did you mean" suggestions."""
        ...

    def watched_entities(self) -> list[Entity]:
        """Every entity some channel receives: the global match index is built from these."""
        ...

    def get_entity(self, entity_id: int) -> Entity:
        """The entity with that id, or NotFoundError."""
        ...

    def add_exclusion(self, entity_id: int, phrase: str) -> Entity:
        """Add a phrase that vetoes the entity's mentions; return the entity."""
        ...

    def remove_names(
        self, entity_id: int, aliases: Sequence[str] = (), exclude: Sequence[str] = ()
    ) -> Entity:
        """Drop aliases (by name key) and exclusion phrases (ignoring case); return the
        entity, or NotFoundError."""
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

    def find_watchlist(self, team_id: str, name: str) -> WatchlistInfo | None:
        """The team's watchlist with that name (case-insensitive), if any."""
        ...

    def create_watchlist(self, team_id: str, name: str, created_in: str = "") -> WatchlistInfo:
        """A new shared watchlist of the team, or AlreadyExistsError."""
        ...

    def rename_watchlist(self, watchlist_id: int, name: str) -> WatchlistInfo:
        """The list under its new name, or AlreadyExistsError when the team has that name."""
        ...

    def delete_watchlist(self, watchlist_id: int) -> None:
        """Delete the list and its subscriptions (its entities stay known)."""
        ...

    def add_to_watchlist(self, watchlist_id: int, entity: Entity) -> tuple[Entity, bool]:
        """Add entity (merged with a known one of the same name); True when new to the list."""
        ...

    def remove_from_watchlist(self, watchlist_id: int, name: str) -> bool:
        """Take the entity named (or aliased) name off the list; False when it was not there."""
        ...

    def subscribe(self, channel_id: int, watchlist_id: int) -> bool:
        """Have the channel receive the list's stories; False when it already did."""
        ...

    def unsubscribe(self, channel_id: int, watchlist_id: int) -> bool:
        """Stop the channel receiving the list's stories; False when it did not."""
        ...

    def team_watchlists(self, team_id: str) -> list[WatchlistInfo]:
        """The team's shared watchlists by name, with their entities and subscribers."""
        ...

    def channel_watchlists(self, channel_id: int) -> list[WatchlistInfo]:
        """The channel's own list, then the shared lists it subscribes to, by name."""
        ...


class SourceStore(Protocol):
    """Feeds the channels added, with their fetch state and health."""

    def add_channel_source(self, channel_id: int, url: str, title: str) -> SourceState:
        """Attach a feed to the channel, creating its workspace's source when new: its
        articles are matched and shown in that workspace only."""
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

    def mark_seen(self, source_id: int, now: datetime) -> None:
        """Mark every stored article of the source as processed at now (no backlog flood)."""
        ...

    def record_poll(self, state: SourceState) -> None:
        """Save a source's fetch state and health after a poll."""
        ...

    def set_full_text(self, source_id: int, on: bool) -> None:
        """Turn fetching the article page for a feed's teaser items on or off, or NotFoundError."""
        ...


class ArticleStore(Protocol):
    """Articles and the stories they are filed under."""

    def add_articles(
        self, articles: Sequence[Article], source_id: int | None, now: datetime
    ) -> int:
        """Store the articles not seen before; return how many were new."""
        ...

    def unmatched_articles(self, limit: int) -> list[tuple[int, Article]]:
        """Stored articles the pipeline has not processed yet, oldest first."""
        ...

    def quarantine_article(self, article_id: int, reason: str, now: datetime) -> None:
        """Set an article aside for good: processing it failed; it is never picked up again."""
        ...

    def recent_stories(self, since: datetime) -> list[StoredStory]:
        """Stories first seen after since, to merge new articles into."""
        ...

    def file_articles(self, analysed: Sequence[AnalysedArticle], now: datetime) -> int:
        """Save matches, deals and stories of a batch and queue deliveries; return how many."""
        ...

    def stories_for_entity(self, entity_id: int, since: datetime, limit: int) -> list[StoryItem]:
        """The latest stories that mention the entity, newest first."""
        ...

    def unscanned_articles(
        self, entity_ids: Sequence[int], since: datetime, before_id: int | None, limit: int
    ) -> list[tuple[int, Article]]:
        """Processed articles ingested since then, newest first, below before_id, that lack a
        recorded mention of at least one of the entities."""
        ...

    def add_matches(self, found: Sequence[tuple[int, Sequence[Match]]]) -> int:
        """Record mentions found in stored articles (each (article, entity) pair once);
        return how many pairs were new."""
        ...

    def queue_recent_stories(
        self, channel_id: int, entity_ids: Sequence[int], since: datetime, limit: int, now: datetime
    ) -> int:
        """Queue for the channel the newest stories since then that mention the entities
        (unless muted there or already queued or sent); return how many."""
        ...

    def story_details(self, story_id: int, team_id: str | None = None) -> StoryDetails:
        """Everything known about a story: deal, every article and every match; with a
        team, only the articles (its own feeds' and operator sources') and the matches of
        its own entities that the team may see."""
        ...


class OutboxStore(Protocol):
    """The delivery outbox: what is queued, being sent and posted per channel."""

    def pending_items(self, channel_id: int) -> list[StoryItem]:
        """Stories queued for the channel and not yet posted, oldest first."""
        ...

    def mark_sending(self, channel_id: int, story_ids: Sequence[int]) -> list[int]:
        """Move these stories from pending to sending; return those this call moved."""
        ...

    def mark_posted(
        self, channel_id: int, story_ids: Sequence[int], ts: str, now: datetime
    ) -> None:
        """Record the Slack timestamp of the post that carried these stories, posted at now."""
        ...

    def sending_items(self, channel_id: int) -> list[int]:
        """Story ids whose post was started but never confirmed (a crash in between)."""
        ...

    def requeue(self, channel_id: int, story_ids: Sequence[int]) -> None:
        """Put stories whose post never reached Slack back in the queue."""
        ...

    def claim_deliverable_channels(
        self, now: datetime, owner: str, lease_until: datetime, limit: int
    ) -> list[Channel]:
        """Channels with a due digest or pending instant alerts, leased to owner."""
        ...

    def pending_items_of(self, channel_ids: Sequence[int]) -> dict[int, list[StoryItem]]:
        """pending_items of each channel with any, read at once."""
        ...

    def sending_items_of(self, channel_ids: Sequence[int]) -> dict[int, list[int]]:
        """sending_items of each channel with any, read at once."""
        ...

    def mark_sending_pages(
        self, pages: Sequence[tuple[int, Sequence[int]]]
    ) -> dict[int, list[int]]:
        """mark_sending for several (channel id, story ids) pages at once: channel id -> the
        story ids this call moved (channels with none left out)."""
        ...

    def record_posts(self, posts: Sequence[tuple[int, Sequence[int], str]], now: datetime) -> None:
        """mark_posted for several (channel id, story ids, ts) posts at once."""
        ...

    def release_channels(self, releases: Sequence[tuple[int, datetime | None]], owner: str) -> None:
        """release_channel for several (channel id, next digest time) at once."""
        ...

    def release_channel(self, channel_id: int, owner: str, next_digest_at: datetime | None) -> None:
        """End owner's lease on the channel, clear its backoff and set its next digest time."""
        ...

    def back_off_channel(
        self, channel_id: int, owner: str, not_before: datetime, reason: str
    ) -> None:
        """End owner's lease; the channel waits until not_before, one more failure recorded."""
        ...

    def renew_leases(self, owner: str, lease_until: datetime) -> int:
        """Extend every channel lease owner holds, and the feed leases of this process."""
        ...

    def delivered_items(self, channel_id: int, since: datetime) -> list[StoryItem]:
        """Stories delivered or queued to the channel since then, oldest first."""
        ...

    def recent_posts(self, channel_id: int, limit: int) -> list[PostedStory]:
        """The stories most recently posted to the channel, newest first."""
        ...

    def exclusive(self, name: str) -> AbstractContextManager[bool]:
        """Hold a named lock across processes while inside; yields False when it is taken."""
        ...


class FeedbackStore(Protocol):
    """ "Not relevant" feedback on matches."""

    def add_feedback(self, feedback: NotRelevant) -> int:
        """Record a "not relevant" (once per person and story); return how many the team
        gave on the same entity and matched text."""
        ...


class HousekeepingStore(Protocol):
    """Pruning old rows and recording request keys."""

    def prune_articles(self, before: datetime) -> int:
        """Delete articles ingested before a time unless their story reached a channel."""
        ...

    def prune_processed(self, before: datetime) -> int:
        """Forget request keys recorded before a time; return how many."""
        ...

    def first_time(self, key: str, now: datetime) -> bool:
        """Record a request key; False when it was recorded before (a Slack retry)."""
        ...


class Store(
    ChannelStore,
    EntityStore,
    SourceStore,
    ArticleStore,
    OutboxStore,
    FeedbackStore,
    HousekeepingStore,
    Protocol,
):
    """Every port at once: what the composition root wires; use cases ask for less."""


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


@dataclass(frozen=True)
class WatchlistInfo:
    """A watchlist with its entities and the Slack ids of the channels subscribed to it."""

    id: int
    name: str
    team_id: str
    owner_channel_id: int | None = None
    entities: tuple[Entity, ...] = ()
    subscribers: tuple[str, ...] = ()
    # The Slack id of the channel that created a shared list; "" when unknown.
    created_in: str = ""

    @property
    def is_shared(self) -> bool:
        """True for a workspace's shared list, False for a channel's own one."""
        return self.owner_channel_id is None


@dataclass(frozen=True)
class ArticleEvidence:
    """One article of a story and the matches found in it."""

    title: str
    url: str
    source: str
    published: datetime | None
    matches: tuple[Match, ...] = ()


@dataclass(frozen=True)
class StoryDetails:
    """A story in full: the deal as analysed and every article with its evidence."""

    story_id: int
    title: str
    deal_type: str = "none"
    deal_stage: str = ""
    confidence: float = 0.0
    trigger: str = ""
    amounts: tuple[str, ...] = ()
    stakes: tuple[str, ...] = ()
    undisclosed: bool = False
    parties: tuple[str, ...] = ()
    summary: str = ""
    articles: tuple[ArticleEvidence, ...] = ()

    @property
    def matches(self) -> tuple[Match, ...]:
        """Every match of every article, in article order."""
        return tuple(match for article in self.articles for match in article.matches)


@dataclass(frozen=True)
class NotRelevant:
    """Someone saying a story's match on an entity was not relevant."""

    channel_id: int
    story_id: int
    entity_id: int
    alias: str
    matched_text: str
    user_id: str
    at: datetime


@dataclass(frozen=True)
class PostedStory:
    """A story as it was posted to a channel."""

    story_id: int
    title: str
    url: str
    posted_at: datetime | None

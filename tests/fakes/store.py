"""FakeStore: the Store port on dicts and lists, with its state open for tests to read.

One mixin per port family (channels, entities and watchlists, sources, articles and
stories, outbox, feedback, housekeeping), all sharing one `_State`. The contract suite in
tests/contract runs the same tests against this fake and SqlStore, so the two agree.
Times the SQL store takes from the wall clock come from `clock` here (a FakeClock in unit
tests, the real clock in the contract suite).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from watchlists.deals import Amount
from watchlists.entity_rules import answers_to, has_phrase, name_key, new_aliases, new_phrases
from watchlists.errors import AlreadyExistsError, NotFoundError
from watchlists.model import Article, Channel, Entity, Match, StoryItem
from watchlists.ports import (
    AnalysedArticle,
    ArticleEvidence,
    ArticleStore,
    ChannelStore,
    EntityStore,
    FeedbackStore,
    HousekeepingStore,
    NotRelevant,
    OutboxStore,
    PostedStory,
    SourceState,
    SourceStore,
    Store,
    StoredStory,
    StoryDetails,
    WatchlistInfo,
)
from watchlists.story_rules import (
    also_reported_by,
    recipients,
    shown_amount,
    shown_summary,
    times_flagged,
)

OWN_LIST_PREFIX = "#"
# Column widths of db/tables.py the SQL store cuts values to.
TITLE_WIDTH = 300
ETAG_WIDTH = 300
LAST_MODIFIED_WIDTH = 100
REASON_WIDTH = 64
TIMEZONE_WIDTH = 64
USER_WIDTH = 32
ALIAS_WIDTH = 200
MATCHED_TEXT_WIDTH = 400
PHRASE_WIDTH = 200
REQUEST_KEY_WIDTH = 255
NEVER = datetime.min.replace(tzinfo=UTC)


def real_now() -> datetime:
    """The wall clock, timezone-aware."""
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """A naive time read as UTC, as the SQL store reads its naive columns back."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def content_hash(article: Article) -> str:
    """A hash of what an article says, to spot the same item twice."""
    return hashlib.sha256(f"{article.title.strip()}\n{article.text.strip()}".encode()).hexdigest()


@dataclass
class WorkspaceRow:
    """A Slack workspace."""

    team_id: str
    installer_user_id: str = ""
    installer_timezone: str = "UTC"


@dataclass
class ChannelRow:
    """A channel with the delivery state the domain Channel does not carry."""

    channel: Channel
    paused_reason: str = ""
    pause_notified: bool = False
    lease_until: datetime | None = None
    lease_owner: str = ""


@dataclass
class WatchlistRow:
    """A watchlist: entity ids in the order they were added."""

    id: int
    team_id: str
    name: str
    owner_channel_id: int | None = None
    entity_ids: list[int] = field(default_factory=list)


@dataclass
class ArticleRow:
    """A stored article with what the pipeline filed for it."""

    id: int
    source_id: int | None
    guid: str
    content_hash: str
    article: Article
    ingested_at: datetime
    story_id: int | None = None
    deal_json: str = ""
    matched_at: datetime | None = None


@dataclass
class MatchRow:
    """One stored match, numbered in the order it was filed."""

    id: int
    article_id: int
    match: Match


@dataclass
class StoryRow:
    """A story: the articles filed under one key."""

    id: int
    key: str
    title: str
    deal_type: str
    deal_stage: str
    update_of: str
    created_at: datetime
    updated_at: datetime


@dataclass
class Delivery:
    """One outbox row: a story queued, being sent or posted to a channel."""

    id: int
    channel_id: int
    story_id: int
    created_at: datetime
    status: str = "pending"
    slack_ts: str = ""
    attempts: int = 0
    posted_at: datetime | None = None


class _State:
    """Every table of the fake, and the helpers more than one family needs."""

    def __init__(self, clock: Callable[[], datetime] = real_now) -> None:
        self.clock = clock
        self.workspaces: dict[str, WorkspaceRow] = {}
        self.channels: dict[int, ChannelRow] = {}
        self.entities: dict[int, Entity] = {}
        self.watchlists: dict[int, WatchlistRow] = {}
        # (channel id, watchlist id), in the order subscribed.
        self.subscriptions: dict[tuple[int, int], None] = {}
        self.muted_until: dict[tuple[int, int], datetime] = {}
        self.sources: dict[int, SourceState] = {}
        # (channel id, source id), in the order attached.
        self.channel_source_links: dict[tuple[int, int], None] = {}
        self.articles: dict[int, ArticleRow] = {}
        self.matches: list[MatchRow] = []
        self.stories: dict[int, StoryRow] = {}
        self.deliveries: dict[tuple[int, int], Delivery] = {}
        self.feedback: list[NotRelevant] = []
        self.processed: dict[str, datetime] = {}
        self.held_locks: set[str] = set()
        self._next_id = 0

    def new_id(self) -> int:
        """A fresh row id (one sequence for every table keeps ids distinct in failures)."""
        self._next_id += 1
        return self._next_id

    # read helpers shared by the families ------------------------------------

    @property
    def posted(self) -> list[Delivery]:
        """Deliveries that reached Slack, in the order queued."""
        return [d for d in self._deliveries_in_order() if d.status == "posted"]

    def statuses(self, channel_id: int) -> dict[int, str]:
        """Story id -> delivery status for the channel."""
        return {
            d.story_id: d.status for d in self._deliveries_in_order() if d.channel_id == channel_id
        }

    def _deliveries_in_order(self) -> list[Delivery]:
        return sorted(self.deliveries.values(), key=lambda d: d.id)

    def _channel_row(self, channel_id: int) -> ChannelRow:
        row = self.channels.get(channel_id)
        if row is None:
            raise NotFoundError(f"no channel with id {channel_id}")
        return row

    def _entity_by_key(self, key: str) -> Entity | None:
        return next((e for e in self.entities.values() if name_key(e.name) == key), None)

    def _own_watchlist(self, channel_id: int) -> WatchlistRow:
        for watchlist in self.watchlists.values():
            if watchlist.owner_channel_id == channel_id:
                return watchlist
        raise NotFoundError(f"channel {channel_id} has no watchlist")

    def _subscribed_entity_ids(self, channel_id: int) -> set[int]:
        return {
            entity_id
            for (subscriber, watchlist_id) in self.subscriptions
            if subscriber == channel_id
            for entity_id in self.watchlists[watchlist_id].entity_ids
        }

    def _watchers(self, entity_id: int) -> set[int]:
        return {
            channel_id
            for (channel_id, watchlist_id) in self.subscriptions
            if entity_id in self.watchlists[watchlist_id].entity_ids
        }

    def _story_articles(self, story_id: int) -> list[ArticleRow]:
        return [row for row in self.articles.values() if row.story_id == story_id]

    def _story_items(self, stories: Sequence[StoryRow], watched: set[int]) -> list[StoryItem]:
        items = []
        for story in stories:
            rows = self._story_articles(story.id)
            first = rows[0]
            article_ids = {row.id for row in rows}
            matches = tuple(
                replace(row.match, entity=self._entity_name(row.match.entity_id))
                for row in self.matches
                if row.article_id in article_ids and row.match.entity_id in watched
            )
            deal = json.loads(first.deal_json or "{}")
            items.append(
                StoryItem(
                    story_id=story.id,
                    title=story.title or first.article.title,
                    url=first.article.url,
                    summary=shown_summary(deal.get("summary") or "", first.article.text),
                    published=first.article.published,
                    source=first.article.source,
                    matches=matches,
                    deal_type=story.deal_type,
                    deal_stage=story.deal_stage,
                    amount=shown_amount(
                        [a["text"] for a in deal.get("amounts") or []],
                        bool(deal.get("undisclosed")),
                    ),
                    also_reported_by=also_reported_by([row.article.source for row in rows]),
                )
            )
        return items

    def _entity_name(self, entity_id: int) -> str:
        entity = self.entities.get(entity_id)
        return entity.name if entity else "?"

    def _watchlist_info(self, row: WatchlistRow) -> WatchlistInfo:
        subscribers = sorted(
            self.channels[channel_id].channel.slack_id
            for (channel_id, watchlist_id) in self.subscriptions
            if watchlist_id == row.id
        )
        return WatchlistInfo(
            id=row.id,
            name=row.name,
            team_id=row.team_id,
            owner_channel_id=row.owner_channel_id,
            entities=tuple(
                sorted((self.entities[i] for i in row.entity_ids), key=lambda e: e.name)
            ),
            subscribers=tuple(subscribers),
        )


class ChannelStoreMixin(_State):
    """Channels and workspaces."""

    def _ensure_workspace(self, team_id: str) -> WorkspaceRow:
        return self.workspaces.setdefault(team_id, WorkspaceRow(team_id=team_id))

    def ensure_channel(self, team_id: str, slack_id: str, name: str = "") -> Channel:
        """The channel, created with its own watchlist on first use; a paused one resumes."""
        workspace = self._ensure_workspace(team_id)
        for row in self.channels.values():
            if row.channel.team_id == team_id and row.channel.slack_id == slack_id:
                if name and row.channel.name != name:
                    row.channel = replace(row.channel, name=name)
                row.paused_reason, row.pause_notified = "", False
                return row.channel
        channel = Channel(
            id=self.new_id(),
            team_id=team_id,
            slack_id=slack_id,
            name=name,
            timezone=workspace.installer_timezone,
        )
        self.channels[channel.id] = ChannelRow(channel=channel)
        own = WatchlistRow(
            id=self.new_id(),
            team_id=team_id,
            name=OWN_LIST_PREFIX + slack_id,
            owner_channel_id=channel.id,
        )
        self.watchlists[own.id] = own
        self.subscriptions[(channel.id, own.id)] = None
        return channel

    def get_channel(self, channel_id: int) -> Channel:
        """The channel with that id, or NotFoundError."""
        return self._channel_row(channel_id).channel

    def list_channels(self) -> list[Channel]:
        """Every channel, by id."""
        return [self.channels[i].channel for i in sorted(self.channels)]

    def update_channel(
        self, channel_id: int, change: Callable[[Channel], tuple[Channel, datetime | None]]
    ) -> Channel:
        """Apply change to the channel's delivery, schedule and timezone."""
        row = self._channel_row(channel_id)
        updated, next_digest_at = change(row.channel)
        row.channel = replace(
            row.channel,
            delivery=updated.delivery,
            digest_schedule=updated.digest_schedule,
            timezone=updated.timezone,
            next_digest_at=next_digest_at,
        )
        return row.channel

    def team_channels(self, team_id: str) -> list[Channel]:
        """Every channel of the team, by name."""
        rows = [row.channel for row in self.channels.values() if row.channel.team_id == team_id]
        return sorted(rows, key=lambda channel: (channel.name, channel.id))

    def team_ids(self) -> list[str]:
        """Team ids in the order first seen."""
        return list(self.workspaces)

    def installer_of(self, team_id: str) -> str:
        """Who installed the bot in the team, or ""."""
        workspace = self.workspaces.get(team_id)
        return workspace.installer_user_id if workspace else ""

    def workspace_timezone(self, team_id: str) -> str | None:
        """The timezone new channels of the team get, or None when nobody set it yet."""
        workspace = self.workspaces.get(team_id)
        if workspace is None or not workspace.installer_user_id:
            return None
        return workspace.installer_timezone

    def set_workspace_timezone(self, team_id: str, timezone: str, user_id: str) -> None:
        """Remember the timezone; the first user to set it counts as the installer."""
        workspace = self._ensure_workspace(team_id)
        workspace.installer_timezone = timezone[:TIMEZONE_WIDTH]
        if not workspace.installer_user_id:
            workspace.installer_user_id = user_id[:USER_WIDTH]

    def forget_workspace(self, team_id: str) -> bool:
        """Delete the team's channels, lists and history; False when it was unknown."""
        if self.workspaces.pop(team_id, None) is None:
            return False
        gone = {i for i, row in self.channels.items() if row.channel.team_id == team_id}
        lists = {i for i, row in self.watchlists.items() if row.team_id == team_id}
        for channel_id in gone:
            del self.channels[channel_id]
        for watchlist_id in lists:
            del self.watchlists[watchlist_id]
        self.subscriptions = {
            k: None for k in self.subscriptions if k[0] not in gone and k[1] not in lists
        }
        self.muted_until = {k: v for k, v in self.muted_until.items() if k[0] not in gone}
        self.channel_source_links = {k: None for k in self.channel_source_links if k[0] not in gone}
        self.deliveries = {k: v for k, v in self.deliveries.items() if k[0] not in gone}
        self.feedback = [f for f in self.feedback if f.channel_id not in gone]
        return True

    def pause_channel(self, channel_id: int, reason: str) -> bool:
        """Stop deliveries to the channel; True the first time."""
        row = self.channels.get(channel_id)
        if row is None:
            return False
        first = not row.pause_notified
        row.paused_reason, row.pause_notified = reason[:REASON_WIDTH], True
        row.lease_until, row.lease_owner = None, ""
        return first


class EntityStoreMixin(_State):
    """Entities, mutes and watchlists."""

    def _ensure_entity(self, entity: Entity) -> Entity:
        known = self._entity_by_key(name_key(entity.name))
        known = known or Entity(name=entity.name, id=self.new_id())
        stored = replace(
            known,
            aliases=(*known.aliases, *new_aliases(known.name, known.aliases, entity.aliases)),
            exclude=(*known.exclude, *new_phrases(known.exclude, entity.exclude)),
        )
        self.entities[stored.id] = stored
        return stored

    def watch(self, channel_id: int, entity: Entity) -> Entity:
        """Add entity (merged with a known one of the same name) to the channel's own list."""
        own = self._own_watchlist(channel_id)
        stored = self._ensure_entity(entity)
        if stored.id not in own.entity_ids:
            own.entity_ids.append(stored.id)
        return stored

    def unwatch(self, channel_id: int, name: str) -> bool:
        """Remove the entity from the channel's own list; False when it was not there."""
        own = self._own_watchlist(channel_id)
        entity = self._entity_by_key(name_key(name))
        if entity is None or entity.id not in own.entity_ids:
            return False
        own.entity_ids.remove(entity.id)
        return True

    def channel_entities(self, channel_id: int) -> list[Entity]:
        """Entities of the channel's own and subscribed lists, by name."""
        ids = self._subscribed_entity_ids(channel_id)
        return sorted((self.entities[i] for i in ids), key=lambda e: e.name)

    def find_entity(self, name: str) -> Entity | None:
        """The entity whose name or alias is name (case-insensitive), if any."""
        found = self._entity_by_key(name_key(name))
        if found is not None:
            return found
        wanted = name.strip().lower()
        return next(
            (e for e in self.entities.values() if any(a.lower() == wanted for a in e.aliases)),
            None,
        )

    def all_entities(self) -> list[Entity]:
        """Every entity, by id."""
        return [self.entities[i] for i in sorted(self.entities)]

    def watched_entities(self) -> list[Entity]:
        """Every entity some channel receives, by id."""
        ids = {
            entity_id
            for (_channel, watchlist_id) in self.subscriptions
            for entity_id in self.watchlists[watchlist_id].entity_ids
        }
        return [self.entities[i] for i in sorted(ids)]

    def get_entity(self, entity_id: int) -> Entity:
        """The entity with that id, or NotFoundError."""
        entity = self.entities.get(entity_id)
        if entity is None:
            raise NotFoundError(f"no entity with id {entity_id}")
        return entity

    def add_exclusion(self, entity_id: int, phrase: str) -> Entity:
        """Add a phrase that vetoes the entity's mentions (once, whatever its case)."""
        entity = self.get_entity(entity_id)
        if not has_phrase(entity.exclude, phrase):
            entity = replace(entity, exclude=(*entity.exclude, phrase[:PHRASE_WIDTH]))
            self.entities[entity_id] = entity
        return entity

    def mute(self, channel_id: int, entity_id: int, until: datetime) -> None:
        """Silence an entity in the channel until a time (replacing an earlier mute)."""
        self.muted_until[(channel_id, entity_id)] = until

    def unmute(self, channel_id: int, entity_id: int) -> bool:
        """Lift a mute; False when there was none."""
        return self.muted_until.pop((channel_id, entity_id), None) is not None

    def mutes(self, channel_id: int, now: datetime) -> list[tuple[Entity, datetime]]:
        """The channel's active mutes, by entity name."""
        active = [
            (self.entities[entity_id], until)
            for (channel, entity_id), until in self.muted_until.items()
            if channel == channel_id and until > now
        ]
        return sorted(active, key=lambda pair: pair[0].name)

    def find_watchlist(self, team_id: str, name: str) -> WatchlistInfo | None:
        """The team's watchlist with that name (case-insensitive), if any."""
        row = self._watchlist_row(team_id, name)
        return self._watchlist_info(row) if row else None

    def _watchlist_row(self, team_id: str, name: str) -> WatchlistRow | None:
        return next(
            (
                row
                for row in self.watchlists.values()
                if row.team_id == team_id and row.name.lower() == name.lower()
            ),
            None,
        )

    def create_watchlist(self, team_id: str, name: str) -> WatchlistInfo:
        """A new shared watchlist of the team, or AlreadyExistsError."""
        self.workspaces.setdefault(team_id, WorkspaceRow(team_id=team_id))
        if self._watchlist_row(team_id, name) is not None:
            raise AlreadyExistsError(f"A watchlist called `{name}` already exists.")
        row = WatchlistRow(id=self.new_id(), team_id=team_id, name=name)
        self.watchlists[row.id] = row
        return self._watchlist_info(row)

    def add_to_watchlist(self, watchlist_id: int, entity: Entity) -> tuple[Entity, bool]:
        """Add entity (merged with a known one); True when new to the list."""
        row = self.watchlists.get(watchlist_id)
        if row is None:
            raise NotFoundError(f"no watchlist with id {watchlist_id}")
        stored = self._ensure_entity(entity)
        added = stored.id not in row.entity_ids
        if added:
            row.entity_ids.append(stored.id)
        return stored, added

    def remove_from_watchlist(self, watchlist_id: int, name: str) -> bool:
        """Take the entity named or aliased name off the list; False when it was not there."""
        row = self.watchlists.get(watchlist_id)
        if row is None:
            return False
        for entity_id in row.entity_ids:
            entity = self.entities[entity_id]
            if answers_to(name, (entity.name, *entity.aliases)):
                row.entity_ids.remove(entity_id)
                return True
        return False

    def subscribe(self, channel_id: int, watchlist_id: int) -> bool:
        """Have the channel receive the list's stories; False when it already did."""
        if (channel_id, watchlist_id) in self.subscriptions:
            return False
        self.subscriptions[(channel_id, watchlist_id)] = None
        return True

    def unsubscribe(self, channel_id: int, watchlist_id: int) -> bool:
        """Stop the channel receiving the list's stories; False when it did not."""
        return self.subscriptions.pop((channel_id, watchlist_id), "absent") is None

    def team_watchlists(self, team_id: str) -> list[WatchlistInfo]:
        """The team's shared watchlists by name."""
        rows = [
            row
            for row in self.watchlists.values()
            if row.team_id == team_id and row.owner_channel_id is None
        ]
        return [self._watchlist_info(row) for row in sorted(rows, key=lambda r: r.name.lower())]

    def channel_watchlists(self, channel_id: int) -> list[WatchlistInfo]:
        """The channel's own list, then the shared lists it subscribes to, by name."""
        self._channel_row(channel_id)
        rows = [self.watchlists[w] for (c, w) in self.subscriptions if c == channel_id]
        rows.sort(key=lambda row: (row.owner_channel_id != channel_id, row.name.lower()))
        return [self._watchlist_info(row) for row in rows]


class SourceStoreMixin(_State):
    """Feeds and their fetch state."""

    def add_channel_source(self, channel_id: int, url: str, title: str) -> SourceState:
        """Attach a feed to the channel, creating the source when new."""
        source = next((s for s in self.sources.values() if s.url == url), None)
        if source is None:
            source = SourceState(id=self.new_id(), url=url, title=title)
            self.sources[source.id] = source
        self.channel_source_links.setdefault((channel_id, source.id), None)
        return source

    def channel_sources(self, channel_id: int) -> list[SourceState]:
        """The channel's feeds in the order added."""
        return [self.sources[s] for (c, s) in self.channel_source_links if c == channel_id]

    def remove_channel_source(self, channel_id: int, source_id: int) -> bool:
        """Detach a feed from the channel; False when it was not attached."""
        return self.channel_source_links.pop((channel_id, source_id), "absent") is None

    def channels_of_source(self, source_id: int) -> list[Channel]:
        """The channels that added this feed, by id."""
        ids = sorted(c for (c, s) in self.channel_source_links if s == source_id)
        return [self.channels[c].channel for c in ids]

    def claim_due_sources(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[SourceState]:
        """Due http(s) sources (never polled first), each leased until lease_until."""
        due = [
            s
            for s in self.sources.values()
            if s.url.startswith("http") and (s.next_poll_at is None or s.next_poll_at <= now)
        ]
        due.sort(key=lambda s: (s.next_poll_at is not None, s.next_poll_at or now, s.id))
        claimed = [replace(source, next_poll_at=lease_until) for source in due[:limit]]
        self.sources.update((source.id, source) for source in claimed)
        return claimed

    def mark_seen(self, source_id: int, now: datetime) -> None:
        """Mark every unprocessed article of the source as processed at now."""
        for row in self.articles.values():
            if row.source_id == source_id and row.matched_at is None:
                row.matched_at = now

    def record_poll(self, state: SourceState) -> None:
        """Save a source's fetch state and health; its full-text toggle is left alone."""
        known = self.sources.get(state.id)
        if known is None:
            raise NotFoundError(f"no source with id {state.id}")
        self.sources[state.id] = replace(
            state,
            url=known.url,
            poll_interval_s=known.poll_interval_s,
            fetch_full_text=known.fetch_full_text,
            title=state.title[:TITLE_WIDTH],
            etag=state.etag[:ETAG_WIDTH],
            last_modified=state.last_modified[:LAST_MODIFIED_WIDTH],
        )

    def set_full_text(self, source_id: int, on: bool) -> None:
        """Turn full-text fetching on or off, or NotFoundError."""
        source = self.sources.get(source_id)
        if source is None:
            raise NotFoundError(f"no source with id {source_id}")
        self.sources[source_id] = replace(source, fetch_full_text=on)


class ArticleStoreMixin(_State):
    """Articles, matches and stories."""

    def add_articles(self, articles: Sequence[Article], source_id: int | None) -> int:
        """Store the articles this source has not given before (same guid or same text)."""
        seen = {
            key
            for row in self.articles.values()
            if row.source_id == source_id
            for key in (row.guid, row.content_hash)
        }
        added = 0
        for article in articles:
            digest = content_hash(article)
            guid = article.id or article.url or digest
            if guid in seen or digest in seen:
                continue
            seen.update((guid, digest))
            row = ArticleRow(
                id=self.new_id(),
                source_id=source_id,
                guid=guid,
                content_hash=digest,
                article=replace(article, id=guid, published=aware(article.published)),
                ingested_at=self.clock(),
            )
            self.articles[row.id] = row
            added += 1
        return added

    def unmatched_articles(self, limit: int) -> list[tuple[int, Article]]:
        """Articles not processed yet, oldest first."""
        rows = [row for row in self.articles.values() if row.matched_at is None]
        return [(row.id, row.article) for row in sorted(rows, key=lambda r: r.id)[:limit]]

    def recent_stories(self, since: datetime) -> list[StoredStory]:
        """Stories first seen since then, each with its first article, amounts and parties."""
        result = []
        for story in sorted(self.stories.values(), key=lambda s: s.id):
            rows = self._story_articles(story.id)
            if story.created_at < since or not rows:
                continue
            amounts, parties = _deal_facts(rows)
            result.append(
                StoredStory(
                    key=story.key,
                    article=rows[0].article,
                    deal_type=story.deal_type,
                    deal_stage=story.deal_stage,
                    entity_ids=tuple(
                        sorted(
                            {m.match.entity_id for m in self.matches if m.article_id == rows[0].id}
                        )
                    ),
                    amounts=amounts,
                    parties=parties,
                )
            )
        return result

    def file_articles(self, analysed: Sequence[AnalysedArticle], now: datetime) -> int:
        """File a batch under its stories and queue a delivery per watching, unmuted channel."""
        for item in analysed:
            if item.article_id not in self.articles:
                raise NotFoundError(f"no article with id {item.article_id}")
        filed_at = now
        queued = 0
        mentioned = {match.entity_id for item in analysed for match in item.matches}
        watchers = {entity_id: self._watchers(entity_id) for entity_id in mentioned}
        muted: dict[int, set[int]] = {}
        for (channel_id, entity_id), until in self.muted_until.items():
            if until > now:
                muted.setdefault(channel_id, set()).add(entity_id)
        for item in analysed:
            story = self._file_story(item, filed_at)
            for match in item.matches:
                self.matches.append(MatchRow(self.new_id(), item.article_id, match))
            row = self.articles[item.article_id]
            row.story_id, row.deal_json, row.matched_at = story.id, item.deal_json, filed_at
            entity_ids = {match.entity_id for match in item.matches}
            for channel_id in recipients(entity_ids, watchers, muted):
                if (channel_id, story.id) in self.deliveries:
                    continue
                self.deliveries[(channel_id, story.id)] = Delivery(
                    id=self.new_id(), channel_id=channel_id, story_id=story.id, created_at=filed_at
                )
                queued += 1
        return queued

    def _file_story(self, item: AnalysedArticle, at: datetime) -> StoryRow:
        story = next((s for s in self.stories.values() if s.key == item.story_key), None)
        if story is None:
            story = StoryRow(
                id=self.new_id(),
                key=item.story_key,
                title=item.story_title,
                deal_type=item.deal_type,
                deal_stage=item.deal_stage,
                update_of=item.update_of,
                created_at=at,
                updated_at=at,
            )
            self.stories[story.id] = story
        else:
            story.deal_stage = item.deal_stage or story.deal_stage
            story.updated_at = at
        return story

    def stories_for_entity(self, entity_id: int, since: datetime, limit: int) -> list[StoryItem]:
        """The latest stories that mention the entity, newest first."""
        mentioned = {
            self.articles[m.article_id].story_id
            for m in self.matches
            if m.match.entity_id == entity_id
        }
        stories = [s for s in self.stories.values() if s.id in mentioned and s.updated_at >= since]
        stories.sort(key=lambda s: (s.updated_at, s.id), reverse=True)
        return self._story_items(stories[:limit], {entity_id})

    def story_details(self, story_id: int) -> StoryDetails:
        """Everything known about a story: deal, every article and every match."""
        story = self.stories.get(story_id)
        if story is None:
            raise NotFoundError(f"no story with id {story_id}")
        rows = self._story_articles(story_id)
        deal = json.loads(rows[0].deal_json or "{}") if rows else {}
        return StoryDetails(
            story_id=story_id,
            title=story.title or (rows[0].article.title if rows else ""),
            deal_type=story.deal_type,
            deal_stage=story.deal_stage,
            confidence=float(deal.get("confidence") or 0.0),
            trigger=str(deal.get("trigger") or ""),
            amounts=tuple(str(a.get("text", "")) for a in deal.get("amounts") or []),
            stakes=tuple(str(s.get("text", "")) for s in deal.get("stakes") or []),
            undisclosed=bool(deal.get("undisclosed")),
            parties=tuple(str(p) for p in deal.get("parties") or []),
            summary=str(deal.get("summary") or ""),
            articles=tuple(
                ArticleEvidence(
                    title=row.article.title,
                    url=row.article.url,
                    source=row.article.source,
                    published=row.article.published,
                    matches=tuple(
                        replace(m.match, entity=self._entity_name(m.match.entity_id))
                        for m in self.matches
                        if m.article_id == row.id
                    ),
                )
                for row in rows
            ),
        )


class OutboxStoreMixin(_State):
    """The delivery outbox, channel leases and named locks."""

    def pending_items(self, channel_id: int) -> list[StoryItem]:
        """Stories queued for the channel, oldest first; updates carry their thread's ts."""
        pending = [
            self.stories[d.story_id]
            for d in self._deliveries_in_order()
            if d.channel_id == channel_id and d.status == "pending"
        ]
        items = self._story_items(pending, self._subscribed_entity_ids(channel_id))
        root_ts = {
            self.stories[d.story_id].key: d.slack_ts
            for d in self.deliveries.values()
            if d.channel_id == channel_id and d.status == "posted" and d.slack_ts
        }
        return [
            replace(item, thread_ts=root_ts.get(story.update_of, "")) if story.update_of else item
            for item, story in zip(items, pending, strict=True)
        ]

    def mark_sending(self, channel_id: int, story_ids: Sequence[int]) -> list[int]:
        """Move these stories from pending to sending; return those this call moved."""
        moved = []
        for story_id in dict.fromkeys(story_ids):
            delivery = self.deliveries.get((channel_id, story_id))
            if delivery is not None and delivery.status == "pending":
                delivery.status, delivery.attempts = "sending", delivery.attempts + 1
                moved.append(story_id)
        return moved

    def mark_posted(
        self, channel_id: int, story_ids: Sequence[int], ts: str, now: datetime
    ) -> None:
        """Record the Slack timestamp of the post that carried these stories, posted at now."""
        for story_id in story_ids:
            delivery = self.deliveries.get((channel_id, story_id))
            if delivery is not None:
                delivery.status, delivery.slack_ts, delivery.posted_at = "posted", ts, now

    def sending_items(self, channel_id: int) -> list[int]:
        """Story ids whose post was started but never confirmed."""
        return [
            d.story_id
            for d in self._deliveries_in_order()
            if d.channel_id == channel_id and d.status == "sending"
        ]

    def requeue(self, channel_id: int, story_ids: Sequence[int]) -> None:
        """Put these stories back in the queue."""
        for story_id in story_ids:
            delivery = self.deliveries.get((channel_id, story_id))
            if delivery is not None:
                delivery.status = "pending"

    def claim_deliverable_channels(
        self, now: datetime, owner: str, lease_until: datetime, limit: int
    ) -> list[Channel]:
        """Unpaused, unleased channels with a due digest or queued instant alerts, leased."""
        waiting = {
            d.channel_id for d in self.deliveries.values() if d.status in ("pending", "sending")
        }
        claimed: list[Channel] = []
        for channel_id in sorted(self.channels):
            row = self.channels[channel_id]
            channel = row.channel
            if row.paused_reason or (row.lease_until is not None and row.lease_until >= now):
                continue
            digest_due = (
                channel.delivery == "digest"
                and channel.next_digest_at is not None
                and channel.next_digest_at <= now
            )
            instant_due = channel.delivery == "instant" and channel_id in waiting
            if not (digest_due or instant_due) or len(claimed) >= limit:
                continue
            row.lease_until, row.lease_owner = lease_until, owner
            claimed.append(channel)
        return claimed

    def release_channel(self, channel_id: int, owner: str, next_digest_at: datetime | None) -> None:
        """End owner's lease and set the next digest time (another owner's lease stays)."""
        row = self.channels.get(channel_id)
        if row is None or row.lease_owner != owner:
            return
        row.lease_until, row.lease_owner = None, ""
        if row.channel.delivery == "digest":
            row.channel = replace(row.channel, next_digest_at=next_digest_at)

    def delivered_items(self, channel_id: int, since: datetime) -> list[StoryItem]:
        """Stories delivered or queued to the channel since then, oldest first."""
        stories = [
            self.stories[d.story_id]
            for d in self._deliveries_in_order()
            if d.channel_id == channel_id and d.created_at >= since
        ]
        return self._story_items(stories, self._subscribed_entity_ids(channel_id))

    def recent_posts(self, channel_id: int, limit: int) -> list[PostedStory]:
        """The stories most recently posted to the channel, newest first."""
        posted = [d for d in self.posted if d.channel_id == channel_id]
        posted.sort(key=lambda d: (d.posted_at or NEVER, d.id), reverse=True)
        posts = []
        for delivery in posted[:limit]:
            story = self.stories[delivery.story_id]
            rows = self._story_articles(story.id)
            posts.append(
                PostedStory(
                    story_id=story.id,
                    title=story.title or (rows[0].article.title if rows else ""),
                    url=rows[0].article.url if rows else "",
                    posted_at=delivery.posted_at,
                )
            )
        return posts

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """A named lock: yields False while someone else holds it."""
        if name in self.held_locks:
            yield False
            return
        self.held_locks.add(name)
        try:
            yield True
        finally:
            self.held_locks.discard(name)


class FeedbackStoreMixin(_State):
    """ "Not relevant" feedback."""

    def add_feedback(self, feedback: NotRelevant) -> int:
        """Record feedback once per person, story and entity; count the team's on that text."""
        team = self._channel_row(feedback.channel_id).channel.team_id
        feedback = replace(
            feedback,
            alias=feedback.alias[:ALIAS_WIDTH],
            matched_text=feedback.matched_text[:MATCHED_TEXT_WIDTH],
            user_id=feedback.user_id[:USER_WIDTH],
        )
        if not any(
            (f.story_id, f.entity_id, f.user_id)
            == (feedback.story_id, feedback.entity_id, feedback.user_id)
            for f in self.feedback
        ):
            self.feedback.append(feedback)
        return times_flagged(
            (
                (f.matched_text, f.story_id, f.user_id)
                for f in self.feedback
                if f.entity_id == feedback.entity_id
                and f.channel_id in self.channels
                and self.channels[f.channel_id].channel.team_id == team
            ),
            feedback.matched_text,
        )


class HousekeepingStoreMixin(_State):
    """Pruning and Slack retry detection."""

    def first_time(self, key: str) -> bool:
        """Record a request key; False when it was recorded before."""
        key = key[:REQUEST_KEY_WIDTH]
        if key in self.processed:
            return False
        self.processed[key] = self.clock()
        return True

    def prune_processed(self, before: datetime) -> int:
        """Forget request keys recorded before a time; return how many."""
        old = [key for key, at in self.processed.items() if at < before]
        for key in old:
            del self.processed[key]
        return len(old)

    def prune_articles(self, before: datetime) -> int:
        """Delete processed articles ingested before a time unless their story was queued."""
        delivered = {d.story_id for d in self.deliveries.values()}
        old = [
            row.id
            for row in self.articles.values()
            if row.ingested_at < before
            and row.matched_at is not None
            and (row.story_id is None or row.story_id not in delivered)
        ]
        for article_id in old:
            del self.articles[article_id]
        self.matches = [m for m in self.matches if m.article_id not in set(old)]
        return len(old)


class FakeStore(
    ChannelStoreMixin,
    EntityStoreMixin,
    SourceStoreMixin,
    ArticleStoreMixin,
    OutboxStoreMixin,
    FeedbackStoreMixin,
    HousekeepingStoreMixin,
):
    """The whole Store port in memory; read its attributes to see what a use case did."""

    def seed_story(
        self,
        *entities: Entity,
        key: str,
        title: str = "",
        source: str = "Wire",
        deal_json: str = "{}",
        update_of: str = "",
        said: str = "",
        at: datetime | None = None,
    ) -> int:
        """Test setup: ingest an article mentioning entities (as said, else by name) and file
        it under key; return its story id."""
        headline = title or f"Story {key}"
        self.add_articles(
            [Article(id=f"{key}/{source}", title=headline, text=f"{headline}.", source=source)],
            None,
        )
        article_id = max(self.articles)
        matches = tuple(
            Match(
                e.id,
                e.name,
                e.name,
                "title",
                0,
                len(said or e.name),
                said or e.name,
                100.0,
                "exact",
            )
            for e in entities
        )
        analysed = AnalysedArticle(
            article_id, matches, key, headline, "acquisition", "", deal_json, update_of
        )
        self.file_articles([analysed], at or self.clock())
        return next(story.id for story in self.stories.values() if story.key == key)


def _deal_facts(rows: Sequence[ArticleRow]) -> tuple[tuple[Amount, ...], tuple[str, ...]]:
    """The first amounts and the parties any of a story's articles reported."""
    amounts: tuple[Amount, ...] = ()
    parties: dict[str, None] = {}
    for row in rows:
        deal = json.loads(row.deal_json or "{}")
        if not amounts and deal.get("amounts"):
            amounts = tuple(
                Amount(currency=a["currency"], value=float(a["value"]), text=a["text"])
                for a in deal["amounts"]
            )
        parties.update(dict.fromkeys(deal.get("parties") or ()))
    return amounts, tuple(parties)


def _implements_the_port(store: FakeStore) -> Store:
    """Never called: mypy checks here that FakeStore provides every method of the Store port."""
    return store


def _mixins_mirror_the_families(
    channels: ChannelStoreMixin,
    entities: EntityStoreMixin,
    sources: SourceStoreMixin,
    articles: ArticleStoreMixin,
    outbox: OutboxStoreMixin,
    feedback: FeedbackStoreMixin,
    housekeeping: HousekeepingStoreMixin,
) -> tuple[
    ChannelStore,
    EntityStore,
    SourceStore,
    ArticleStore,
    OutboxStore,
    FeedbackStore,
    HousekeepingStore,
]:
    """Never called: mypy checks here that each mixin alone implements its port family."""
    return channels, entities, sources, articles, outbox, feedback, housekeeping

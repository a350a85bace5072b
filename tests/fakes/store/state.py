"""The fake's tables (dicts and lists of rows) and the reads more than one family needs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from watchlists.entity_rules import name_key
from watchlists.errors import NotFoundError
from watchlists.model import Article, Channel, Entity, Match, StoryItem
from watchlists.ports import (
    NotRelevant,
    SourceState,
    WatchlistInfo,
)
from watchlists.story_rules import (
    also_reported_by,
    shown_amount,
    shown_summary,
)

OWN_LIST_PREFIX = "#"
# Column widths of db/tables.py the SQL store cuts values to.
TITLE_WIDTH = 300
ETAG_WIDTH = 300
LAST_MODIFIED_WIDTH = 100
REASON_WIDTH = 64
BACKOFF_REASON_WIDTH = 200
QUARANTINE_REASON_WIDTH = 300
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
    created_in: str = ""


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
    quarantine_reason: str = ""


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
    recent: bool = False


class State:
    """Every table of the fake, and the helpers more than one family needs."""

    def __init__(self, clock: Callable[[], datetime] = real_now) -> None:
        self.clock = clock
        self.workspaces: dict[str, WorkspaceRow] = {}
        self.channels: dict[int, ChannelRow] = {}
        self.entities: dict[int, Entity] = {}
        # The team each entity belongs to.
        self.entity_team: dict[int, str] = {}
        self.watchlists: dict[int, WatchlistRow] = {}
        # (channel id, watchlist id), in the order subscribed.
        self.subscriptions: dict[tuple[int, int], None] = {}
        self.muted_until: dict[tuple[int, int], datetime] = {}
        self.sources: dict[int, SourceState] = {}
        # The team whose channel added each feed; None for an operator's source.
        self.source_team: dict[int, str | None] = {}
        # (channel id, source id), in the order attached.
        self.channel_source_links: dict[tuple[int, int], None] = {}
        self.articles: dict[int, ArticleRow] = {}
        self.matches: list[MatchRow] = []
        self.stories: dict[int, StoryRow] = {}
        self.deliveries: dict[tuple[int, int], Delivery] = {}
        self.feedback: list[NotRelevant] = []
        self.processed: dict[str, datetime] = {}
        self.held_locks: set[str] = set()
        # Feed leases this store's process holds: renewed by renew_leases, ended by a poll.
        self.held_sources: set[int] = set()
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

    def _entity_by_key(self, team_id: str, key: str) -> Entity | None:
        return next(
            (
                e
                for e in self.entities.values()
                if self.entity_team.get(e.id) == team_id and name_key(e.name) == key
            ),
            None,
        )

    def _visible_to(self, row: ArticleRow, team_id: str | None) -> bool:
        """True when the team may see the article: its own feed's or an operator source's."""
        if team_id is None or row.source_id is None:
            return True
        return self.source_team.get(row.source_id) in (None, team_id)

    def _may_match(self, row: ArticleRow, entity_id: int) -> bool:
        """True when the article may mention the entity: an operator source's article may
        mention any, a workspace's feed's article only that workspace's entities."""
        if row.source_id is None:
            return True
        team_id = self.source_team.get(row.source_id)
        return team_id is None or self.entity_team.get(entity_id) == team_id

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

    def _story_items(
        self, stories: Sequence[StoryRow], watched: set[int], team_id: str | None = None
    ) -> list[StoryItem]:
        items = []
        for story in stories:
            every = self._story_articles(story.id)
            rows = [row for row in every if self._visible_to(row, team_id)]
            if not rows:
                continue
            first = rows[0]
            title = story.title
            if every[0] is not first:
                title = ("Update: " if story.update_of else "") + first.article.title
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
                    title=title or first.article.title,
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
            created_in=row.created_in,
        )

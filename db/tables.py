"""SQLModel tables: the only place the ORM schema lives."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Dialect, Index, Text, UniqueConstraint, text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware: only for rows' own creation stamps."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that goes in as UTC and always comes back timezone-aware in UTC.

    SQLite keeps no offset and PostgreSQL answers in the session's zone; a naive value
    handed in is taken as UTC. The column DDL is DateTime(timezone=True), as migrated.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        """value in UTC (naive values are UTC already)."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """The stored value as aware UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


class Workspace(SQLModel, table=True):
    """A Slack team that installed the bot."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, unique=True)
    name: str = Field(default="", max_length=200)
    installer_user_id: str = Field(default="", max_length=32)
    installer_timezone: str = Field(default="UTC", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Channel(SQLModel, table=True):
    """A Slack channel with its delivery settings."""

    __table_args__ = (UniqueConstraint("workspace_id", "slack_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    slack_id: str = Field(max_length=32)
    name: str = Field(default="", max_length=200)
    timezone: str = Field(default="UTC", max_length=64)
    delivery: str = Field(default="digest", max_length=16)
    digest_schedule: str = Field(default="daily 09:00", max_length=64)
    next_digest_at: datetime | None = Field(default=None, index=True, sa_type=UtcDateTime)
    last_digest_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    paused_reason: str = Field(default="", max_length=64)
    pause_notified: bool = Field(default=False)
    lease_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    lease_owner: str = Field(default="", max_length=64)
    last_post_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    not_before: datetime | None = Field(default=None, sa_type=UtcDateTime)
    delivery_failures: int = Field(default=0)
    backoff_reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Entity(SQLModel, table=True):
    """A company, fund or person of one workspace; shared by that workspace's watchlists."""

    __table_args__ = (
        UniqueConstraint("workspace_id", "name_key", name="uq_entity_workspace_name_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # None only for an entity no workspace used when entities became per workspace.
    workspace_id: int | None = Field(
        default=None, foreign_key="workspace.id", index=True, ondelete="CASCADE"
    )
    name: str = Field(max_length=200)
    name_key: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Alias(SQLModel, table=True):
    """Another name of an entity (VKontakte for VK)."""

    __table_args__ = (UniqueConstraint("entity_id", "text"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True, ondelete="CASCADE")
    text: str = Field(max_length=200)


class EntityExclusion(SQLModel, table=True):
    """A phrase that vetoes the mention it covers ("Amazon rainforest")."""

    __table_args__ = (UniqueConstraint("entity_id", "phrase"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True, ondelete="CASCADE")
    phrase: str = Field(max_length=200)


class Watchlist(SQLModel, table=True):
    """A named set of entities: a channel's own, or a workspace's shared list."""

    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    owner_channel_id: int | None = Field(
        default=None, foreign_key="channel.id", index=True, ondelete="CASCADE"
    )
    # The Slack id of the channel that created a shared list ("" when unknown).
    created_in: str = Field(default="", max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class WatchlistEntity(SQLModel, table=True):
    """Membership of an entity in a watchlist."""

    watchlist_id: int = Field(foreign_key="watchlist.id", primary_key=True, ondelete="CASCADE")
    entity_id: int = Field(foreign_key="entity.id", primary_key=True, ondelete="CASCADE")


class Subscription(SQLModel, table=True):
    """A channel receiving the stories of a watchlist."""

    __table_args__ = (UniqueConstraint("channel_id", "watchlist_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", index=True, ondelete="CASCADE")
    watchlist_id: int = Field(foreign_key="watchlist.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Mute(SQLModel, table=True):
    """An entity a channel does not want to hear about until a date."""

    __table_args__ = (UniqueConstraint("channel_id", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", index=True, ondelete="CASCADE")
    entity_id: int = Field(foreign_key="entity.id", ondelete="CASCADE")
    until: datetime = Field(sa_type=UtcDateTime)


class ChannelExclusion(SQLModel, table=True):
    """A phrase one channel does not want matched, for one entity or all."""

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", index=True, ondelete="CASCADE")
    entity_id: int | None = Field(default=None, foreign_key="entity.id", ondelete="CASCADE")
    phrase: str = Field(max_length=200)


class Source(SQLModel, table=True):
    """A feed or other origin of articles, with its fetch state.

    A feed a channel added belongs to its workspace, and its articles are seen there only;
    an operator's source (`/ingest`, `dealwatch ingest`) has no workspace and is seen by all.
    """

    __table_args__ = (
        UniqueConstraint("workspace_id", "url", name="uq_source_workspace_url"),
        # NULLs differ in a unique constraint: operator sources need their own index.
        Index(
            "uq_source_operator_url",
            "url",
            unique=True,
            sqlite_where=text("workspace_id IS NULL"),
            postgresql_where=text("workspace_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int | None = Field(
        default=None, foreign_key="workspace.id", index=True, ondelete="CASCADE"
    )
    url: str = Field(max_length=2000)
    title: str = Field(default="", max_length=300)
    etag: str = Field(default="", max_length=300)
    last_modified: str = Field(default="", max_length=100)
    poll_interval_s: int = Field(default=900)
    next_poll_at: datetime | None = Field(default=None, index=True, sa_type=UtcDateTime)
    last_success_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    consecutive_failures: int = Field(default=0)
    first_failure_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    warned_broken: bool = Field(default=False)
    fetch_full_text: bool = Field(default=False)
    # The user name and password of the feed URL, Fernet-encrypted (db/secrets.py); url
    # keeps them as *** so that it never holds a credential.
    credentials: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class ChannelSource(SQLModel, table=True):
    """A feed a channel added; its health warnings go to these channels."""

    channel_id: int = Field(foreign_key="channel.id", primary_key=True, ondelete="CASCADE")
    source_id: int = Field(foreign_key="source.id", primary_key=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Story(SQLModel, table=True):
    """One deal or event, however many sources report it."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    title: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    deal_type: str = Field(default="none", max_length=32)
    deal_stage: str = Field(default="", max_length=32)
    # The key of the story this one is a material update of ("" for a first report).
    update_of: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Article(SQLModel, table=True):
    """One ingested news item."""

    __table_args__ = (
        UniqueConstraint("source_id", "guid"),
        Index("ix_article_unmatched", "matched_at"),
        # Retroactive matching and lookups read the articles of a recent window.
        Index("ix_article_ingested_at", "ingested_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int | None = Field(default=None, foreign_key="source.id", ondelete="SET NULL")
    guid: str = Field(max_length=2000)
    url: str = Field(default="", max_length=2000)
    canonical_url: str = Field(default="", max_length=2000, index=True)
    source_name: str = Field(default="", max_length=200)
    title: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    published_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    content_hash: str = Field(max_length=64, index=True)
    ingested_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    matched_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    story_id: int | None = Field(default=None, foreign_key="story.id", index=True)
    deal_json: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    quarantine_reason: str = Field(default="", max_length=300)


class Match(SQLModel, table=True):
    """One mention of an entity in an article, with the evidence."""

    # An entity's articles, read from the index alone (lookup, retroactive matching).
    __table_args__ = (Index("ix_match_entity_article", "entity_id", "article_id"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    entity_id: int = Field(foreign_key="entity.id", index=True, ondelete="CASCADE")
    alias: str = Field(max_length=200)
    field: str = Field(max_length=8)
    span_start: int
    span_end: int
    matched_text: str = Field(max_length=400)
    score: float
    kind: str = Field(max_length=8)


class Delivery(SQLModel, table=True):
    """The outbox: one row per (channel, story), written before posting."""

    __table_args__ = (
        UniqueConstraint("channel_id", "story_id"),
        Index("ix_delivery_channel_status", "channel_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", ondelete="CASCADE")
    story_id: int = Field(foreign_key="story.id", ondelete="CASCADE")
    status: str = Field(default="pending", max_length=16)
    slack_ts: str = Field(default="", max_length=32)
    attempts: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    posted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Queued as recent coverage for a channel that started watching: posted on its own page.
    recent: bool = Field(default=False)


class Feedback(SQLModel, table=True):
    """A person saying a story was not relevant, with the match evidence it was about."""

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", index=True, ondelete="CASCADE")
    story_id: int = Field(foreign_key="story.id", index=True, ondelete="CASCADE")
    entity_id: int | None = Field(default=None, foreign_key="entity.id", ondelete="CASCADE")
    alias: str = Field(default="", max_length=200)
    matched_text: str = Field(default="", max_length=400)
    user_id: str = Field(default="", max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class ProcessedRequest(SQLModel, table=True):
    """A Slack request already handled (event_id or command key): retries change nothing."""

    key: str = Field(max_length=255, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True, sa_type=UtcDateTime)

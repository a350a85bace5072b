"""SqlStore: the core's Store port over SQLModel, on SQLite or PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, or_, text, update
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import object_session
from sqlmodel import Session, SQLModel, col, select

from db import tables as t
from watchlists import model as m
from watchlists.deals import Amount, shorten
from watchlists.errors import AlreadyExistsError, NotFoundError
from watchlists.ports import (
    AnalysedArticle,
    ArticleEvidence,
    NotRelevant,
    PostedStory,
    SourceState,
    Store,
    StoredStory,
    StoryDetails,
    WatchlistInfo,
)
from watchlists.stories import canonical_url

OWN_LIST_PREFIX = "#"
# SQLite has no row locks: every store on the same file shares these process-wide locks.
_WRITE_LOCKS: dict[str, threading.Lock] = {}
_NAMED_LOCKS: dict[str, dict[str, threading.Lock]] = {}


def name_key(name: str) -> str:
    """The key under which entity names are unique: case and spacing folded."""
    return " ".join(name.casefold().split())


def content_hash(article: m.Article) -> str:
    """A hash of what an article says, to spot the same item twice."""
    basis = f"{article.title.strip()}\n{article.text.strip()}".encode()
    return hashlib.sha256(basis).hexdigest()


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class SqlStore:
    """Store implemented with SQLModel sessions; one short transaction per call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._named_locks = _NAMED_LOCKS.setdefault(str(engine.url), {})
        self._team_ids: dict[int, str] = {}
        self._write_lock: AbstractContextManager[object] = (
            _WRITE_LOCKS.setdefault(str(engine.url), threading.Lock())
            if engine.dialect.name == "sqlite"
            else nullcontext()
        )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except Exception:
                session.rollback()
                raise

    # channels -----------------------------------------------------------------

    def ensure_workspace(self, session: Session, team_id: str) -> t.Workspace:
        """The workspace row for team_id, created when new."""
        workspace = session.exec(select(t.Workspace).where(t.Workspace.team_id == team_id)).first()
        if workspace is None:
            workspace = t.Workspace(team_id=team_id)
            session.add(workspace)
            session.flush()
        return workspace

    def ensure_channel(self, team_id: str, slack_id: str, name: str = "") -> m.Channel:
        """The channel, created with its own watchlist on first use; a paused one resumes."""
        for _attempt in range(2):
            try:
                with self.session() as session:
                    return self._to_channel(
                        self._ensure_channel_row(session, team_id, slack_id, name)
                    )
            except IntegrityError:
                continue  # another process created it first: read it back
        raise NotFoundError(f"channel {slack_id} could not be created")

    def _ensure_channel_row(
        self, session: Session, team_id: str, slack_id: str, name: str
    ) -> t.Channel:
        workspace = self.ensure_workspace(session, team_id)
        row = session.exec(
            select(t.Channel).where(
                t.Channel.workspace_id == workspace.id, t.Channel.slack_id == slack_id
            )
        ).first()
        if row is None:
            assert workspace.id is not None
            row = t.Channel(
                workspace_id=workspace.id,
                slack_id=slack_id,
                name=name,
                timezone=workspace.installer_timezone,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            own = t.Watchlist(
                workspace_id=workspace.id, name=OWN_LIST_PREFIX + slack_id, owner_channel_id=row.id
            )
            session.add(own)
            session.flush()
            assert own.id is not None
            session.add(t.Subscription(channel_id=row.id, watchlist_id=own.id))
        else:
            if name and row.name != name:
                row.name = name
            # Someone is using the channel again: give a paused channel another try.
            row.paused_reason, row.pause_notified = "", False
        return row

    def get_channel(self, channel_id: int) -> m.Channel:
        """The channel with that id, or NotFoundError."""
        with self.session() as session:
            row = session.get(t.Channel, channel_id)
            if row is None:
                raise NotFoundError(f"no channel with id {channel_id}")
            return self._to_channel(row)

    def list_channels(self) -> list[m.Channel]:
        """Every channel."""
        with self.session() as session:
            rows = session.exec(select(t.Channel).order_by(col(t.Channel.id))).all()
            return [self._to_channel(row) for row in rows]

    def _to_channel(self, row: t.Channel) -> m.Channel:
        assert row.id is not None
        workspace_team = self._team_ids.get(row.workspace_id)
        if workspace_team is None:
            # The row's own session sees a workspace created in the same transaction.
            session = object_session(row)
            if session is not None:
                workspace = session.get(t.Workspace, row.workspace_id)
            else:
                with Session(self.engine) as fresh:
                    workspace = fresh.get(t.Workspace, row.workspace_id)
            workspace_team = workspace.team_id if workspace else ""
            if workspace_team:
                self._team_ids[row.workspace_id] = workspace_team
        delivery = row.delivery if row.delivery in ("digest", "instant", "off") else "digest"
        return m.Channel(
            id=row.id,
            team_id=workspace_team,
            slack_id=row.slack_id,
            name=row.name,
            timezone=row.timezone,
            delivery=delivery,  # type: ignore[arg-type]
            digest_schedule=row.digest_schedule,
            next_digest_at=_aware(row.next_digest_at),
        )

    def update_channel(
        self, channel_id: int, change: Callable[[m.Channel], tuple[m.Channel, datetime | None]]
    ) -> m.Channel:
        """Apply change to the channel's current settings in one locked read-modify-write."""
        with self._write_lock, self.session() as session:
            row = session.exec(
                select(t.Channel).where(t.Channel.id == channel_id).with_for_update()
            ).first()
            if row is None:
                raise NotFoundError(f"no channel with id {channel_id}")
            updated, next_digest_at = change(self._to_channel(row))
            row.delivery, row.digest_schedule = updated.delivery, updated.digest_schedule
            row.timezone, row.next_digest_at = updated.timezone, next_digest_at
            session.add(row)
        return self.get_channel(channel_id)

    # entities -----------------------------------------------------------------

    def watch(self, channel_id: int, entity: m.Entity) -> m.Entity:
        """Add entity (merged with a known one of the same name) to the channel's own list."""
        try:
            return self._watch(channel_id, entity)
        except IntegrityError:
            # A concurrent request created the same entity or link first: merge into it.
            return self._watch(channel_id, entity)

    def _watch(self, channel_id: int, entity: m.Entity) -> m.Entity:
        with self.session() as session:
            row = self._ensure_entity(session, entity)
            own = self._own_watchlist(session, channel_id)
            assert row.id is not None and own.id is not None
            if session.get(t.WatchlistEntity, (own.id, row.id)) is None:
                session.add(t.WatchlistEntity(watchlist_id=own.id, entity_id=row.id))
            session.flush()
            return self._to_entity(session, row)

    def _ensure_entity(self, session: Session, entity: m.Entity) -> t.Entity:
        key = name_key(entity.name)
        row = session.exec(select(t.Entity).where(t.Entity.name_key == key)).first()
        if row is None:
            row = t.Entity(name=entity.name, name_key=key)
            session.add(row)
            session.flush()
        assert row.id is not None
        known = {a.text for a in session.exec(select(t.Alias).where(t.Alias.entity_id == row.id))}
        for alias in entity.aliases:
            if alias not in known and name_key(alias) != key:
                session.add(t.Alias(entity_id=row.id, text=alias))
                known.add(alias)
        phrases = {
            e.phrase
            for e in session.exec(
                select(t.EntityExclusion).where(t.EntityExclusion.entity_id == row.id)
            )
        }
        for phrase in entity.exclude:
            if phrase not in phrases:
                session.add(t.EntityExclusion(entity_id=row.id, phrase=phrase))
                phrases.add(phrase)
        return row

    def _own_watchlist(self, session: Session, channel_id: int) -> t.Watchlist:
        own = session.exec(
            select(t.Watchlist).where(t.Watchlist.owner_channel_id == channel_id)
        ).first()
        if own is None:
            raise NotFoundError(f"channel {channel_id} has no watchlist")
        return own

    def unwatch(self, channel_id: int, name: str) -> bool:
        """Remove the entity from the channel's own list; False when it was not there."""
        with self.session() as session:
            own = self._own_watchlist(session, channel_id)
            entity = session.exec(
                select(t.Entity).where(t.Entity.name_key == name_key(name))
            ).first()
            if entity is None or own.id is None or entity.id is None:
                return False
            link = session.get(t.WatchlistEntity, (own.id, entity.id))
            if link is None:
                return False
            session.delete(link)
            return True

    def channel_entities(self, channel_id: int) -> list[m.Entity]:
        """Every entity the channel receives stories for, own and subscribed lists."""
        with self.session() as session:
            rows = session.exec(
                select(t.Entity)
                .join(t.WatchlistEntity, col(t.WatchlistEntity.entity_id) == t.Entity.id)
                .join(
                    t.Subscription,
                    col(t.Subscription.watchlist_id) == t.WatchlistEntity.watchlist_id,
                )
                .where(t.Subscription.channel_id == channel_id)
                .distinct()
                .order_by(col(t.Entity.name))
            ).all()
            return self._to_entities(session, rows)

    def find_entity(self, name: str) -> m.Entity | None:
        """The entity whose name or alias is name (case-insensitive), if any."""
        key = name_key(name)
        with self.session() as session:
            row = session.exec(select(t.Entity).where(t.Entity.name_key == key)).first()
            if row is None:
                alias = session.exec(
                    select(t.Alias).where(func.lower(t.Alias.text) == name.strip().lower())
                ).first()
                row = session.get(t.Entity, alias.entity_id) if alias else None
            return self._to_entity(session, row) if row else None

    def all_entities(self) -> list[m.Entity]:
        """Every entity any watchlist ever named."""
        with self.session() as session:
            rows = session.exec(select(t.Entity).order_by(col(t.Entity.id))).all()
            return self._to_entities(session, rows)

    def mute(self, channel_id: int, entity_id: int, until: datetime) -> None:
        """Silence an entity in the channel until a time (replacing an earlier mute)."""
        with self._write_lock, self.session() as session:
            row = session.exec(
                select(t.Mute).where(t.Mute.channel_id == channel_id, t.Mute.entity_id == entity_id)
            ).first()
            if row is None:
                row = t.Mute(channel_id=channel_id, entity_id=entity_id, until=until)
            row.until = until
            session.add(row)

    def unmute(self, channel_id: int, entity_id: int) -> bool:
        """Lift a mute; False when there was none."""
        with self.session() as session:
            row = session.exec(
                select(t.Mute).where(t.Mute.channel_id == channel_id, t.Mute.entity_id == entity_id)
            ).first()
            if row is None:
                return False
            session.delete(row)
            return True

    def mutes(self, channel_id: int, now: datetime) -> list[tuple[m.Entity, datetime]]:
        """The channel's active mutes with their end times."""
        with self.session() as session:
            rows = session.exec(
                select(t.Mute, t.Entity)
                .join(t.Entity, col(t.Entity.id) == t.Mute.entity_id)
                .where(t.Mute.channel_id == channel_id, t.Mute.until > now)
                .order_by(col(t.Entity.name))
            ).all()
            return [
                (self._to_entity(session, entity), _aware(mute.until) or now)
                for mute, entity in rows
            ]

    def stories_for_entity(self, entity_id: int, since: datetime, limit: int) -> list[m.StoryItem]:
        """The latest stories that mention the entity, newest first."""
        with self.session() as session:
            stories = session.exec(
                select(t.Story)
                .join(t.Article, col(t.Article.story_id) == t.Story.id)
                .join(t.Match, col(t.Match.article_id) == t.Article.id)
                .where(t.Match.entity_id == entity_id, t.Story.updated_at >= since)
                .distinct()
                .order_by(col(t.Story.updated_at).desc(), col(t.Story.id).desc())
                .limit(limit)
            ).all()
            return self._story_items(session, stories, {entity_id})

    def watched_entities(self) -> list[m.Entity]:
        """Every entity some channel receives: the global match index is built from these."""
        with self.session() as session:
            rows = session.exec(
                select(t.Entity)
                .join(t.WatchlistEntity, col(t.WatchlistEntity.entity_id) == t.Entity.id)
                .join(
                    t.Subscription,
                    col(t.Subscription.watchlist_id) == t.WatchlistEntity.watchlist_id,
                )
                .distinct()
                .order_by(col(t.Entity.id))
            ).all()
            return self._to_entities(session, rows)

    def _to_entity(self, session: Session, row: t.Entity) -> m.Entity:
        return self._to_entities(session, [row])[0]

    def _to_entities(self, session: Session, rows: Sequence[t.Entity]) -> list[m.Entity]:
        """Domain entities for rows, with aliases and exclusions, in three queries."""
        ids = [row.id for row in rows]
        aliases: dict[int, list[str]] = {}
        exclude: dict[int, list[str]] = {}
        # Chunks keep the IN lists under SQLite's limit on bound parameters.
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            for entity_id, alias in session.exec(
                select(t.Alias.entity_id, t.Alias.text)
                .where(col(t.Alias.entity_id).in_(chunk))
                .order_by(col(t.Alias.id))
            ):
                aliases.setdefault(entity_id, []).append(alias)
            for entity_id, phrase in session.exec(
                select(t.EntityExclusion.entity_id, t.EntityExclusion.phrase)
                .where(col(t.EntityExclusion.entity_id).in_(chunk))
                .order_by(col(t.EntityExclusion.id))
            ):
                exclude.setdefault(entity_id, []).append(phrase)
        entities = []
        for row in rows:
            assert row.id is not None
            entities.append(
                m.Entity(
                    name=row.name,
                    aliases=tuple(aliases.get(row.id, ())),
                    exclude=tuple(exclude.get(row.id, ())),
                    id=row.id,
                )
            )
        return entities

    # sources and articles ---------------------------------------------------

    def ensure_source(self, url: str, title: str = "") -> int:
        """The id of the source with that URL, created when new."""
        with self.session() as session:
            row = session.exec(select(t.Source).where(t.Source.url == url)).first()
            if row is None:
                row = t.Source(url=url, title=title)
                session.add(row)
                session.flush()
            assert row.id is not None
            return row.id

    def add_channel_source(self, channel_id: int, url: str, title: str) -> SourceState:
        """Attach a feed to the channel, creating the source when new."""
        source_id = self.ensure_source(url, title)
        with self.session() as session:
            if session.get(t.ChannelSource, (channel_id, source_id)) is None:
                session.add(t.ChannelSource(channel_id=channel_id, source_id=source_id))
            row = session.get(t.Source, source_id)
            assert row is not None
            return _to_source(row)

    def channel_sources(self, channel_id: int) -> list[SourceState]:
        """The feeds the channel added, in the order added."""
        with self.session() as session:
            rows = session.exec(
                select(t.Source)
                .join(t.ChannelSource, col(t.ChannelSource.source_id) == t.Source.id)
                .where(t.ChannelSource.channel_id == channel_id)
                .order_by(col(t.ChannelSource.created_at), col(t.Source.id))
            ).all()
            return [_to_source(row) for row in rows]

    def remove_channel_source(self, channel_id: int, source_id: int) -> bool:
        """Detach a feed from the channel; False when it was not attached."""
        with self.session() as session:
            link = session.get(t.ChannelSource, (channel_id, source_id))
            if link is None:
                return False
            session.delete(link)
            return True

    def channels_of_source(self, source_id: int) -> list[m.Channel]:
        """The channels that added this feed."""
        with self.session() as session:
            rows = session.exec(
                select(t.Channel)
                .join(t.ChannelSource, col(t.ChannelSource.channel_id) == t.Channel.id)
                .where(t.ChannelSource.source_id == source_id)
                .order_by(col(t.Channel.id))
            ).all()
            return [self._to_channel(row) for row in rows]

    def claim_due_sources(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[SourceState]:
        """Due http(s) sources, leased until lease_until; SKIP LOCKED lets workers share."""
        with self._write_lock, self.session() as session:
            rows = session.exec(
                select(t.Source)
                .where(
                    col(t.Source.url).startswith("http"),
                    or_(col(t.Source.next_poll_at).is_(None), col(t.Source.next_poll_at) <= now),
                )
                .order_by(col(t.Source.next_poll_at).nulls_first(), col(t.Source.id))
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            claimed: list[SourceState] = []
            for row in rows:
                # Compare-and-set on the due time: only one worker polls each source.
                due = or_(col(t.Source.next_poll_at).is_(None), col(t.Source.next_poll_at) <= now)
                taken = session.execute(
                    update(t.Source)
                    .where(col(t.Source.id) == row.id, due)
                    .values(next_poll_at=lease_until)
                )
                if cast(CursorResult[Any], taken).rowcount == 1:
                    claimed.append(_to_source(row))
            return claimed

    def mark_seen(self, source_id: int) -> None:
        """Mark every stored article of the source as processed without matching it."""
        with self.session() as session:
            for row in session.exec(
                select(t.Article).where(
                    t.Article.source_id == source_id, col(t.Article.matched_at).is_(None)
                )
            ):
                row.matched_at = t.utcnow()
                session.add(row)

    def record_poll(self, state: SourceState) -> None:
        """Save a source's fetch state and health after a poll."""
        with self.session() as session:
            row = session.get(t.Source, state.id)
            if row is None:
                raise NotFoundError(f"no source with id {state.id}")
            row.title = state.title[:300]
            row.etag, row.last_modified = state.etag[:300], state.last_modified[:100]
            row.consecutive_failures = state.consecutive_failures
            row.first_failure_at = state.first_failure_at
            row.last_success_at = state.last_success_at
            row.last_error = state.last_error
            row.warned_broken = state.warned_broken
            row.next_poll_at = state.next_poll_at
            # fetch_full_text is left to set_full_text: a poll must not undo a toggle made
            # while it ran.
            session.add(row)

    def add_articles(self, articles: Sequence[m.Article], source_id: int | None) -> int:
        """Store articles this source has not given before (same guid or same text); count them."""
        added = 0
        for start in range(0, len(articles), 500):
            chunk = articles[start : start + 500]
            try:
                added += self._add_article_chunk(chunk, source_id)
            except IntegrityError:
                # Another worker stored some of them meanwhile: the retry skips those.
                added += self._add_article_chunk(chunk, source_id)
        return added

    def _add_article_chunk(self, articles: Sequence[m.Article], source_id: int | None) -> int:
        keyed = [
            (article.id or article.url or content_hash(article), content_hash(article), article)
            for article in articles
        ]
        same_source = (
            col(t.Article.source_id) == source_id
            if source_id is not None
            else col(t.Article.source_id).is_(None)
        )
        with self.session() as session:
            seen: set[str] = set()
            for guid, digest in session.exec(
                select(t.Article.guid, t.Article.content_hash).where(
                    same_source,
                    or_(
                        col(t.Article.guid).in_([guid for guid, _, _ in keyed]),
                        col(t.Article.content_hash).in_([digest for _, digest, _ in keyed]),
                    ),
                )
            ):
                seen.update((guid, digest))
            added = 0
            for guid, digest, article in keyed:
                if guid in seen or digest in seen:
                    continue
                seen.update((guid, digest))
                session.add(
                    t.Article(
                        source_id=source_id,
                        guid=guid,
                        url=article.url,
                        canonical_url=canonical_url(article.url) if article.url else "",
                        source_name=article.source,
                        title=article.title,
                        text=article.text,
                        published_at=_aware(article.published),
                        content_hash=digest,
                    )
                )
                added += 1
            return added

    def unmatched_articles(self, limit: int) -> list[tuple[int, m.Article]]:
        """Stored articles the pipeline has not processed yet, oldest first."""
        with self.session() as session:
            rows = session.exec(
                select(t.Article)
                .where(col(t.Article.matched_at).is_(None))
                .order_by(col(t.Article.id))
                .limit(limit)
            ).all()
            return [(row.id, self._to_article(row)) for row in rows if row.id is not None]

    def _to_article(self, row: t.Article) -> m.Article:
        return m.Article(
            id=row.guid,
            title=row.title,
            text=row.text,
            url=row.url,
            published=_aware(row.published_at),
            source=row.source_name,
        )

    def recent_stories(self, since: datetime) -> list[StoredStory]:
        """Stories first seen after since, each with its first article, amounts and parties."""
        with self.session() as session:
            stories = session.exec(
                select(t.Story).where(t.Story.created_at >= since).order_by(col(t.Story.id))
            ).all()
            articles: dict[int, list[t.Article]] = {}
            for article in session.exec(
                select(t.Article)
                .where(col(t.Article.story_id).in_([story.id for story in stories]))
                .order_by(col(t.Article.id))
            ):
                assert article.story_id is not None
                articles.setdefault(article.story_id, []).append(article)
            firsts = {rows[0].id: story_id for story_id, rows in articles.items()}
            entities: dict[int, set[int]] = {}
            for article_id, entity_id in session.exec(
                select(t.Match.article_id, t.Match.entity_id).where(
                    col(t.Match.article_id).in_(list(firsts))
                )
            ):
                entities.setdefault(firsts[article_id], set()).add(entity_id)
            result: list[StoredStory] = []
            for story in stories:
                assert story.id is not None
                rows = articles.get(story.id)
                if not rows:
                    continue
                amounts, parties = _deal_facts(rows)
                result.append(
                    StoredStory(
                        key=story.key,
                        article=self._to_article(rows[0]),
                        deal_type=story.deal_type,
                        deal_stage=story.deal_stage,
                        entity_ids=tuple(sorted(entities.get(story.id, ()))),
                        amounts=amounts,
                        parties=parties,
                    )
                )
            return result

    def file_articles(self, analysed: Sequence[AnalysedArticle], now: datetime) -> int:
        """Save matches, deals and stories of a batch and queue its deliveries, atomically.

        A channel gets a story when it watches an entity the story's article mentions and
        not every such entity is muted there; each (channel, story) is queued once.
        """
        if not analysed:
            return 0
        with self._write_lock, self.session() as session:
            known = set(
                session.exec(
                    select(t.Article.id).where(
                        col(t.Article.id).in_([item.article_id for item in analysed])
                    )
                ).all()
            )
            stories = self._stories_by_key(session, analysed)
            entity_ids = {match.entity_id for item in analysed for match in item.matches}
            watchers = self._watchers(session, entity_ids)
            muted = self._muted(session, {c for cs in watchers.values() for c in cs}, now)
            existing = set(
                session.exec(
                    select(t.Delivery.channel_id, t.Delivery.story_id).where(
                        col(t.Delivery.story_id).in_([s.id for s in stories.values()])
                    )
                ).all()
            )
            # Plain executemany inserts and updates: ORM objects cost more than the SQL here.
            match_rows: list[dict[str, object]] = []
            article_rows: list[dict[str, object]] = []
            delivery_rows: list[dict[str, object]] = []
            filed_at = t.utcnow()
            for item in analysed:
                if item.article_id not in known:
                    raise NotFoundError(f"no article with id {item.article_id}")
                story_id = stories[item.story_key].id
                assert story_id is not None
                match_rows.extend(
                    {
                        "article_id": item.article_id,
                        "entity_id": match.entity_id,
                        "alias": match.alias[:200],
                        "field": match.field,
                        "span_start": match.start,
                        "span_end": match.end,
                        "matched_text": match.text[:400],
                        "score": match.score,
                        "kind": match.kind,
                    }
                    for match in item.matches
                )
                article_rows.append(
                    {
                        "b_id": item.article_id,
                        "story_id": story_id,
                        "deal_json": item.deal_json,
                        "matched_at": filed_at,
                    }
                )
                channels: dict[int, set[int]] = {}
                for entity_id in {match.entity_id for match in item.matches}:
                    for channel_id in watchers.get(entity_id, ()):
                        channels.setdefault(channel_id, set()).add(entity_id)
                for channel_id, relevant in sorted(channels.items()):
                    if relevant <= muted.get(channel_id, set()):
                        continue
                    if (channel_id, story_id) in existing:
                        continue
                    existing.add((channel_id, story_id))
                    delivery_rows.append(
                        {
                            "channel_id": channel_id,
                            "story_id": story_id,
                            "status": "pending",
                            "slack_ts": "",
                            "attempts": 0,
                            "created_at": filed_at,
                        }
                    )
            connection = session.connection()
            if match_rows:
                connection.execute(insert(_table(t.Match)), match_rows)
            articles = _table(t.Article)
            connection.execute(
                update(articles)
                .where(articles.c.id == bindparam("b_id"))
                .values(
                    story_id=bindparam("story_id"),
                    deal_json=bindparam("deal_json"),
                    matched_at=bindparam("matched_at"),
                ),
                article_rows,
            )
            if delivery_rows:
                connection.execute(insert(_table(t.Delivery)), delivery_rows)
            return len(delivery_rows)

    def _stories_by_key(
        self, session: Session, analysed: Sequence[AnalysedArticle]
    ) -> dict[str, t.Story]:
        keys = list(dict.fromkeys(item.story_key for item in analysed))
        stories = {
            story.key: story
            for story in session.exec(select(t.Story).where(col(t.Story.key).in_(keys)))
        }
        for item in analysed:
            story = stories.get(item.story_key)
            if story is None:
                story = t.Story(
                    key=item.story_key,
                    title=item.story_title,
                    deal_type=item.deal_type,
                    deal_stage=item.deal_stage,
                    update_of=item.update_of,
                )
                stories[item.story_key] = story
            else:
                story.deal_stage = item.deal_stage or story.deal_stage
                story.updated_at = t.utcnow()
            session.add(story)
        session.flush()
        return stories

    def _watchers(self, session: Session, entity_ids: set[int]) -> dict[int, set[int]]:
        watchers: dict[int, set[int]] = {}
        if not entity_ids:
            return watchers
        for entity_id, channel_id in session.exec(
            select(t.WatchlistEntity.entity_id, t.Subscription.channel_id)
            .join(
                t.Subscription,
                col(t.Subscription.watchlist_id) == t.WatchlistEntity.watchlist_id,
            )
            .where(col(t.WatchlistEntity.entity_id).in_(list(entity_ids)))
        ):
            watchers.setdefault(entity_id, set()).add(channel_id)
        return watchers

    def _muted(self, session: Session, channel_ids: set[int], now: datetime) -> dict[int, set[int]]:
        muted: dict[int, set[int]] = {}
        if not channel_ids:
            return muted
        for mute in session.exec(
            select(t.Mute).where(col(t.Mute.channel_id).in_(list(channel_ids)), t.Mute.until > now)
        ):
            muted.setdefault(mute.channel_id, set()).add(mute.entity_id)
        return muted

    def pending_items(self, channel_id: int) -> list[m.StoryItem]:
        """Stories queued for the channel and not yet posted, oldest first."""
        with self.session() as session:
            rows = session.exec(
                select(t.Delivery, t.Story)
                .join(t.Story, col(t.Story.id) == t.Delivery.story_id)
                .where(t.Delivery.channel_id == channel_id, t.Delivery.status == "pending")
                .order_by(col(t.Delivery.id))
            ).all()
            watched = {e.id for e in self.channel_entities(channel_id)}
            stories = [story for _delivery, story in rows]
            items = self._story_items(session, stories, watched)
            roots = {story.update_of for story in stories if story.update_of}
            if not roots:
                return items
            # Where the channel got the first report, its updates go in that post's thread.
            root_ts = dict(
                session.exec(
                    select(t.Story.key, t.Delivery.slack_ts)
                    .join(t.Delivery, col(t.Delivery.story_id) == t.Story.id)
                    .where(
                        col(t.Story.key).in_(roots),
                        t.Delivery.channel_id == channel_id,
                        t.Delivery.status == "posted",
                        t.Delivery.slack_ts != "",
                    )
                ).all()
            )
            return [
                replace(item, thread_ts=root_ts.get(story.update_of, ""))
                for item, story in zip(items, stories, strict=True)
            ]

    def _story_item(self, session: Session, story: t.Story, watched: set[int]) -> m.StoryItem:
        return self._story_items(session, [story], watched)[0]

    def _story_items(
        self, session: Session, stories: Sequence[t.Story], watched: set[int]
    ) -> list[m.StoryItem]:
        """StoryItems for stories in three queries, whatever their number."""
        story_ids = [story.id for story in stories]
        articles: dict[int, list[t.Article]] = {}
        for article in session.exec(
            select(t.Article)
            .where(col(t.Article.story_id).in_(story_ids))
            .order_by(col(t.Article.id))
        ):
            assert article.story_id is not None
            articles.setdefault(article.story_id, []).append(article)
        story_of = {a.id: story_id for story_id, rows in articles.items() for a in rows}
        match_rows = session.exec(
            select(t.Match)
            .where(
                col(t.Match.article_id).in_(list(story_of)),
                col(t.Match.entity_id).in_(list(watched)),
            )
            .order_by(col(t.Match.id))
        ).all()
        names = dict(
            session.exec(
                select(t.Entity.id, t.Entity.name).where(
                    col(t.Entity.id).in_({row.entity_id for row in match_rows})
                )
            ).all()
        )
        matches: dict[int, list[m.Match]] = {}
        for row in match_rows:
            matches.setdefault(story_of[row.article_id], []).append(
                m.Match(
                    entity_id=row.entity_id,
                    entity=names.get(row.entity_id, "?"),
                    alias=row.alias,
                    field="title" if row.field == "title" else "text",
                    start=row.span_start,
                    end=row.span_end,
                    text=row.matched_text,
                    score=row.score,
                    kind="fuzzy"
                    if row.kind == "fuzzy"
                    else "partial"
                    if row.kind == "partial"
                    else "exact",
                )
            )
        items = []
        for story in stories:
            assert story.id is not None
            rows = articles[story.id]
            first = rows[0]
            deal = json.loads(first.deal_json or "{}")
            amounts = deal.get("amounts") or []
            items.append(
                m.StoryItem(
                    story_id=story.id,
                    title=story.title or first.title,
                    url=first.url,
                    summary=deal.get("summary") or shorten(first.text),
                    published=_aware(first.published_at),
                    source=first.source_name,
                    matches=tuple(matches.get(story.id, ())),
                    deal_type=story.deal_type,
                    deal_stage=story.deal_stage,
                    amount=amounts[0]["text"]
                    if amounts
                    else ("undisclosed" if deal.get("undisclosed") else ""),
                    also_reported_by=tuple(
                        dict.fromkeys(
                            a.source_name for a in rows[1:] if a.source_name != first.source_name
                        )
                    ),
                )
            )
        return items

    def _set_status(
        self, channel_id: int, story_ids: Sequence[int], status: str, ts: str = ""
    ) -> None:
        deliveries = _table(t.Delivery)
        values: dict[str, object] = {"status": status}
        if status == "posted":
            values.update(slack_ts=ts, posted_at=t.utcnow())
        with self.session() as session:
            session.connection().execute(
                update(deliveries)
                .where(
                    deliveries.c.channel_id == channel_id,
                    deliveries.c.story_id.in_(list(story_ids)),
                )
                .values(**values)
            )

    def mark_sending(self, channel_id: int, story_ids: Sequence[int]) -> list[int]:
        """Move these stories from pending to sending; return those this call moved."""
        if not story_ids:
            return []
        deliveries = _table(t.Delivery)
        with self.session() as session:
            # One compare-and-set for the page: rows another worker took are not taken.
            taken = session.connection().execute(
                update(deliveries)
                .where(
                    deliveries.c.channel_id == channel_id,
                    deliveries.c.story_id.in_(list(story_ids)),
                    deliveries.c.status == "pending",
                )
                .values(status="sending", attempts=deliveries.c.attempts + 1)
                .returning(deliveries.c.story_id)
            )
            moved = set(taken.scalars().all())
        return [story_id for story_id in story_ids if story_id in moved]

    def clear_stale_leases(self, is_dead: Callable[[str], bool]) -> int:
        """Release channel leases whose owner is_dead says is gone; return how many."""
        with self.session() as session:
            leased = session.exec(
                select(t.Channel.id, t.Channel.lease_owner).where(t.Channel.lease_owner != "")
            ).all()
            released = 0
            for channel_id, owner in leased:
                if is_dead(owner):
                    result = session.execute(
                        update(t.Channel)
                        .where(col(t.Channel.id) == channel_id, col(t.Channel.lease_owner) == owner)
                        .values(lease_until=None, lease_owner="")
                    )
                    released += cast(CursorResult[Any], result).rowcount
            return released

    def mark_posted(self, channel_id: int, story_ids: Sequence[int], ts: str) -> None:
        """Record the Slack timestamp of the post that carried these stories."""
        self._set_status(channel_id, story_ids, "posted", ts)

    def requeue(self, channel_id: int, story_ids: Sequence[int]) -> None:
        """Put stories whose post never reached Slack back in the queue."""
        self._set_status(channel_id, story_ids, "pending")

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """A named cross-process lock: a PostgreSQL advisory lock, a process lock on SQLite."""
        if self.engine.dialect.name != "postgresql":
            lock = self._named_locks.setdefault(name, threading.Lock())
            acquired = lock.acquire(blocking=False)
            try:
                yield acquired
            finally:
                if acquired:
                    lock.release()
            return
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        with self.engine.connect() as connection:
            acquired = bool(
                connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
            )
            try:
                yield acquired
            finally:
                if acquired:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                connection.commit()

    def claim_deliverable_channels(
        self, now: datetime, owner: str, lease_until: datetime, limit: int
    ) -> list[m.Channel]:
        """Unpaused channels with a due digest or pending instant alerts, leased to owner."""
        pending = (
            select(t.Delivery.id)
            .where(
                t.Delivery.channel_id == t.Channel.id,
                col(t.Delivery.status).in_(["pending", "sending"]),
            )
            .exists()
        )
        with self._write_lock, self.session() as session:
            rows = session.exec(
                select(t.Channel)
                .where(
                    t.Channel.paused_reason == "",
                    or_(col(t.Channel.lease_until).is_(None), col(t.Channel.lease_until) < now),
                    or_(
                        (col(t.Channel.delivery) == "digest")
                        & col(t.Channel.next_digest_at).is_not(None)
                        & (col(t.Channel.next_digest_at) <= now),
                        (col(t.Channel.delivery) == "instant") & pending,
                    ),
                )
                .order_by(col(t.Channel.id))
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            claimed: list[m.Channel] = []
            for row in rows:
                # Compare-and-set: only one worker's update can take an expired lease.
                taken = session.execute(
                    update(t.Channel)
                    .where(
                        col(t.Channel.id) == row.id,
                        or_(col(t.Channel.lease_until).is_(None), col(t.Channel.lease_until) < now),
                    )
                    .values(lease_until=lease_until, lease_owner=owner)
                )
                if cast(CursorResult[Any], taken).rowcount == 1:
                    claimed.append(self._to_channel(row))
            return claimed

    def release_channel(self, channel_id: int, owner: str, next_digest_at: datetime | None) -> None:
        """End owner's lease on the channel and set its next digest time."""
        with self.session() as session:
            row = session.get(t.Channel, channel_id)
            if row is None or row.lease_owner != owner:
                return
            row.lease_until, row.lease_owner = None, ""
            if row.delivery == "digest":
                row.next_digest_at = next_digest_at
            session.add(row)

    def pause_channel(self, channel_id: int, reason: str) -> bool:
        """Stop deliveries to the channel; True the first time, when a human must be told."""
        with self._write_lock, self.session() as session:
            row = session.exec(
                select(t.Channel).where(t.Channel.id == channel_id).with_for_update()
            ).first()
            if row is None:
                return False
            first = not row.pause_notified
            row.paused_reason, row.pause_notified = reason[:64], True
            row.lease_until, row.lease_owner = None, ""
            session.add(row)
            return first

    def installer_of(self, team_id: str) -> str:
        """The Slack user id of whoever installed the bot in the team, or ""."""
        with self.session() as session:
            workspace = session.exec(
                select(t.Workspace).where(t.Workspace.team_id == team_id)
            ).first()
            return workspace.installer_user_id if workspace else ""

    def sending_items(self, channel_id: int) -> list[int]:
        """Story ids whose post was started but never confirmed."""
        with self.session() as session:
            return list(
                session.exec(
                    select(t.Delivery.story_id).where(
                        t.Delivery.channel_id == channel_id, t.Delivery.status == "sending"
                    )
                ).all()
            )

    def count_deliveries(self, status: str | None = None) -> int:
        """How many outbox rows there are (with that status)."""
        with self.session() as session:
            query = select(func.count()).select_from(t.Delivery)
            if status is not None:
                query = query.where(t.Delivery.status == status)
            return int(session.exec(query).one())

    # status (read-only) ---------------------------------------------------------

    def channel_states(self) -> list[tuple[m.Channel, str, datetime | None]]:
        """Every channel with its pause reason ("" when active) and next digest time."""
        with self.session() as session:
            rows = session.exec(select(t.Channel).order_by(col(t.Channel.id))).all()
            return [
                (self._to_channel(row), row.paused_reason, _aware(row.next_digest_at))
                for row in rows
            ]

    def watched_entity_count(self) -> int:
        """How many distinct entities at least one channel receives stories for."""
        with self.session() as session:
            watched = (
                select(t.WatchlistEntity.entity_id)
                .join(
                    t.Subscription,
                    col(t.Subscription.watchlist_id) == t.WatchlistEntity.watchlist_id,
                )
                .distinct()
                .subquery()
            )
            return int(session.exec(select(func.count()).select_from(watched)).one())

    def all_sources(self) -> list[SourceState]:
        """Every source with its fetch state, in the order added."""
        with self.session() as session:
            rows = session.exec(select(t.Source).order_by(col(t.Source.id))).all()
            return [_to_source(row) for row in rows]

    def article_counts(self) -> tuple[int, int]:
        """How many articles are stored, and how many the pipeline has not processed."""
        with self.session() as session:
            total = session.exec(select(func.count()).select_from(t.Article)).one()
            unprocessed = session.exec(
                select(func.count())
                .select_from(t.Article)
                .where(col(t.Article.matched_at).is_(None))
            ).one()
            return int(total), int(unprocessed)

    def delivery_counts(self) -> dict[str, int]:
        """Outbox rows by status."""
        with self.session() as session:
            rows = session.exec(
                select(t.Delivery.status, func.count()).group_by(col(t.Delivery.status))
            ).all()
            return {status: int(count) for status, count in rows}

    # shared watchlists ------------------------------------------------------

    def team_ids(self) -> list[str]:
        """The Slack team ids of every workspace, in the order they were first seen."""
        with self.session() as session:
            return list(
                session.exec(select(t.Workspace.team_id).order_by(col(t.Workspace.id))).all()
            )

    def find_watchlist(self, team_id: str, name: str) -> WatchlistInfo | None:
        """The team's watchlist with that name (case-insensitive), if any."""
        with self.session() as session:
            row = self._watchlist_row(session, team_id, name)
            return self._to_watchlist(session, row, team_id) if row else None

    def _watchlist_row(self, session: Session, team_id: str, name: str) -> t.Watchlist | None:
        return session.exec(
            select(t.Watchlist)
            .join(t.Workspace, col(t.Workspace.id) == t.Watchlist.workspace_id)
            .where(t.Workspace.team_id == team_id, func.lower(t.Watchlist.name) == name.lower())
            .order_by(col(t.Watchlist.id))
        ).first()

    def create_watchlist(self, team_id: str, name: str) -> WatchlistInfo:
        """A new shared watchlist of the team, or AlreadyExistsError."""
        exists = AlreadyExistsError(f"A watchlist called `{name}` already exists.")
        try:
            with self._write_lock, self.session() as session:
                workspace = self.ensure_workspace(session, team_id)
                if self._watchlist_row(session, team_id, name) is not None:
                    raise exists
                assert workspace.id is not None
                row = t.Watchlist(workspace_id=workspace.id, name=name)
                session.add(row)
                session.flush()
                return self._to_watchlist(session, row, team_id)
        except IntegrityError:
            raise exists from None

    def add_to_watchlist(self, watchlist_id: int, entity: m.Entity) -> tuple[m.Entity, bool]:
        """Add entity (merged with a known one of the same name); True when new to the list."""
        with self.session() as session:
            if session.get(t.Watchlist, watchlist_id) is None:
                raise NotFoundError(f"no watchlist with id {watchlist_id}")
            row = self._ensure_entity(session, entity)
            assert row.id is not None
            added = session.get(t.WatchlistEntity, (watchlist_id, row.id)) is None
            if added:
                session.add(t.WatchlistEntity(watchlist_id=watchlist_id, entity_id=row.id))
            session.flush()
            return self._to_entity(session, row), added

    def remove_from_watchlist(self, watchlist_id: int, name: str) -> bool:
        """Take the entity named (or aliased) name off the list; False when it was not there."""
        wanted = name_key(name)
        with self.session() as session:
            # Compared in Python: SQLite's lower() folds ASCII only, and lists are short.
            links = session.exec(
                select(t.WatchlistEntity).where(t.WatchlistEntity.watchlist_id == watchlist_id)
            ).all()
            for link in links:
                entity = session.get(t.Entity, link.entity_id)
                if entity is None:
                    continue
                aliases = session.exec(
                    select(t.Alias.text).where(t.Alias.entity_id == link.entity_id)
                ).all()
                if wanted in {entity.name_key, *(name_key(alias) for alias in aliases)}:
                    session.delete(link)
                    return True
            return False

    def subscribe(self, channel_id: int, watchlist_id: int) -> bool:
        """Have the channel receive the list's stories; False when it already did."""
        try:
            with self.session() as session:
                known = session.exec(
                    select(t.Subscription).where(
                        t.Subscription.channel_id == channel_id,
                        t.Subscription.watchlist_id == watchlist_id,
                    )
                ).first()
                if known is not None:
                    return False
                session.add(t.Subscription(channel_id=channel_id, watchlist_id=watchlist_id))
                return True
        except IntegrityError:
            return False  # a concurrent subscribe won the race: the outcome is the same

    def unsubscribe(self, channel_id: int, watchlist_id: int) -> bool:
        """Stop the channel receiving the list's stories; False when it did not."""
        with self.session() as session:
            row = session.exec(
                select(t.Subscription).where(
                    t.Subscription.channel_id == channel_id,
                    t.Subscription.watchlist_id == watchlist_id,
                )
            ).first()
            if row is None:
                return False
            session.delete(row)
            return True

    def team_watchlists(self, team_id: str) -> list[WatchlistInfo]:
        """The team's shared watchlists by name, with their entities and subscribers."""
        with self.session() as session:
            rows = session.exec(
                select(t.Watchlist)
                .join(t.Workspace, col(t.Workspace.id) == t.Watchlist.workspace_id)
                .where(t.Workspace.team_id == team_id, col(t.Watchlist.owner_channel_id).is_(None))
                .order_by(func.lower(t.Watchlist.name))
            ).all()
            return [self._to_watchlist(session, row, team_id) for row in rows]

    def channel_watchlists(self, channel_id: int) -> list[WatchlistInfo]:
        """The channel's own list, then the shared lists it subscribes to, by name."""
        with self.session() as session:
            channel = session.get(t.Channel, channel_id)
            if channel is None:
                raise NotFoundError(f"no channel with id {channel_id}")
            workspace = session.get(t.Workspace, channel.workspace_id)
            team_id = workspace.team_id if workspace else ""
            rows = session.exec(
                select(t.Watchlist)
                .join(t.Subscription, col(t.Subscription.watchlist_id) == t.Watchlist.id)
                .where(t.Subscription.channel_id == channel_id)
            ).all()
            ordered = sorted(
                rows, key=lambda row: (row.owner_channel_id != channel_id, row.name.lower())
            )
            return [self._to_watchlist(session, row, team_id) for row in ordered]

    def _to_watchlist(self, session: Session, row: t.Watchlist, team_id: str) -> WatchlistInfo:
        assert row.id is not None
        entities = session.exec(
            select(t.Entity)
            .join(t.WatchlistEntity, col(t.WatchlistEntity.entity_id) == t.Entity.id)
            .where(t.WatchlistEntity.watchlist_id == row.id)
            .order_by(col(t.Entity.name))
        ).all()
        subscribers = session.exec(
            select(t.Channel.slack_id)
            .join(t.Subscription, col(t.Subscription.channel_id) == t.Channel.id)
            .where(t.Subscription.watchlist_id == row.id)
            .order_by(col(t.Channel.slack_id))
        ).all()
        return WatchlistInfo(
            id=row.id,
            name=row.name,
            team_id=team_id,
            owner_channel_id=row.owner_channel_id,
            entities=tuple(self._to_entity(session, entity) for entity in entities),
            subscribers=tuple(subscribers),
        )

    def delivered_items(self, channel_id: int, since: datetime) -> list[m.StoryItem]:
        """Stories delivered or queued to the channel since then, oldest first."""
        watched = {entity.id for entity in self.channel_entities(channel_id)}
        with self.session() as session:
            stories = session.exec(
                select(t.Story)
                .join(t.Delivery, col(t.Delivery.story_id) == t.Story.id)
                .where(t.Delivery.channel_id == channel_id, t.Delivery.created_at >= since)
                .order_by(col(t.Delivery.id))
            ).all()
            return self._story_items(session, stories, watched)

    # interactive surfaces: request dedupe, feedback, details, App Home, uninstall -----

    def first_time(self, key: str) -> bool:
        """Record a request key; False when it was recorded before (a Slack retry)."""
        try:
            with self.session() as session:
                session.add(t.ProcessedRequest(key=key[:255]))
        except IntegrityError:
            return False
        return True

    def prune_processed(self, before: datetime) -> int:
        """Forget request keys recorded before a time; return how many."""
        with self.session() as session:
            rows = session.exec(
                select(t.ProcessedRequest).where(t.ProcessedRequest.created_at < before)
            ).all()
            for row in rows:
                session.delete(row)
            return len(rows)

    def prune_articles(self, before: datetime) -> int:
        """Delete articles ingested before a time unless their story reached a channel."""
        delivered = select(t.Delivery.story_id).where(col(t.Delivery.story_id).is_not(None))
        with self._write_lock, self.session() as session:
            result = session.execute(
                delete(t.Article).where(
                    col(t.Article.ingested_at) < before,
                    col(t.Article.matched_at).is_not(None),
                    or_(
                        col(t.Article.story_id).is_(None),
                        col(t.Article.story_id).not_in(delivered),
                    ),
                )
            )
            return cast(CursorResult[Any], result).rowcount

    def story_details(self, story_id: int) -> StoryDetails:
        """Everything known about a story: deal, every article and every match."""
        with self.session() as session:
            story = session.get(t.Story, story_id)
            if story is None:
                raise NotFoundError(f"no story with id {story_id}")
            articles = session.exec(
                select(t.Article).where(t.Article.story_id == story_id).order_by(col(t.Article.id))
            ).all()
            match_rows = session.exec(
                select(t.Match)
                .where(col(t.Match.article_id).in_([a.id for a in articles]))
                .order_by(col(t.Match.id))
            ).all()
            names = dict(
                session.exec(
                    select(t.Entity.id, t.Entity.name).where(
                        col(t.Entity.id).in_({row.entity_id for row in match_rows})
                    )
                ).all()
            )
            by_article: dict[int, list[m.Match]] = {}
            for row in match_rows:
                by_article.setdefault(row.article_id, []).append(
                    m.Match(
                        entity_id=row.entity_id,
                        entity=names.get(row.entity_id, "?"),
                        alias=row.alias,
                        field="title" if row.field == "title" else "text",
                        start=row.span_start,
                        end=row.span_end,
                        text=row.matched_text,
                        score=row.score,
                        kind="fuzzy"
                        if row.kind == "fuzzy"
                        else "partial"
                        if row.kind == "partial"
                        else "exact",
                    )
                )
            deal = json.loads(articles[0].deal_json or "{}") if articles else {}
            return StoryDetails(
                story_id=story_id,
                title=story.title or (articles[0].title if articles else ""),
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
                        title=a.title,
                        url=a.url,
                        source=a.source_name,
                        published=_aware(a.published_at),
                        matches=tuple(by_article.get(a.id or 0, ())),
                    )
                    for a in articles
                ),
            )

    def get_entity(self, entity_id: int) -> m.Entity:
        """The entity with that id, or NotFoundError."""
        with self.session() as session:
            row = session.get(t.Entity, entity_id)
            if row is None:
                raise NotFoundError(f"no entity with id {entity_id}")
            return self._to_entity(session, row)

    def add_feedback(self, feedback: NotRelevant) -> int:
        """Record a "not relevant" (once per person and story); return how many the team
        gave on the same entity and matched text."""
        with self._write_lock, self.session() as session:
            channel = session.get(t.Channel, feedback.channel_id)
            if channel is None:
                raise NotFoundError(f"no channel with id {feedback.channel_id}")
            already = session.exec(
                select(t.Feedback.id).where(
                    t.Feedback.story_id == feedback.story_id,
                    t.Feedback.entity_id == feedback.entity_id,
                    t.Feedback.user_id == feedback.user_id,
                )
            ).first()
            if already is None:
                session.add(
                    t.Feedback(
                        channel_id=feedback.channel_id,
                        story_id=feedback.story_id,
                        entity_id=feedback.entity_id,
                        alias=feedback.alias[:200],
                        matched_text=feedback.matched_text[:400],
                        user_id=feedback.user_id[:32],
                        created_at=feedback.at,
                    )
                )
                session.flush()
            rows = session.exec(
                select(t.Feedback.matched_text, t.Feedback.story_id, t.Feedback.user_id)
                .join(t.Channel, col(t.Channel.id) == t.Feedback.channel_id)
                .where(
                    t.Channel.workspace_id == channel.workspace_id,
                    t.Feedback.entity_id == feedback.entity_id,
                )
            ).all()
            wanted = feedback.matched_text[:400].casefold()
            return len({(story, user) for text, story, user in rows if text.casefold() == wanted})

    def add_exclusion(self, entity_id: int, phrase: str) -> m.Entity:
        """Add a phrase that vetoes the entity's mentions; return the entity."""
        try:
            with self.session() as session:
                row = session.get(t.Entity, entity_id)
                if row is None:
                    raise NotFoundError(f"no entity with id {entity_id}")
                known = session.exec(
                    select(t.EntityExclusion.phrase).where(t.EntityExclusion.entity_id == entity_id)
                ).all()
                if phrase.casefold() not in {k.casefold() for k in known}:
                    session.add(t.EntityExclusion(entity_id=entity_id, phrase=phrase[:200]))
        except IntegrityError:
            pass  # the same phrase was added at the same moment: it is there either way
        return self.get_entity(entity_id)

    def team_channels(self, team_id: str) -> list[m.Channel]:
        """Every channel of the team the bot knows, by name."""
        with self.session() as session:
            rows = session.exec(
                select(t.Channel)
                .join(t.Workspace, col(t.Workspace.id) == t.Channel.workspace_id)
                .where(t.Workspace.team_id == team_id)
                .order_by(col(t.Channel.name), col(t.Channel.id))
            ).all()
            return [self._to_channel(row) for row in rows]

    def recent_posts(self, channel_id: int, limit: int) -> list[PostedStory]:
        """The stories most recently posted to the channel, newest first."""
        with self.session() as session:
            rows = session.exec(
                select(t.Delivery, t.Story)
                .join(t.Story, col(t.Story.id) == t.Delivery.story_id)
                .where(t.Delivery.channel_id == channel_id, t.Delivery.status == "posted")
                .order_by(col(t.Delivery.posted_at).desc(), col(t.Delivery.id).desc())
                .limit(limit)
            ).all()
            posts: list[PostedStory] = []
            for delivery, story in rows:
                assert story.id is not None
                first = session.exec(
                    select(t.Article)
                    .where(t.Article.story_id == story.id)
                    .order_by(col(t.Article.id))
                    .limit(1)
                ).first()
                posts.append(
                    PostedStory(
                        story_id=story.id,
                        title=story.title or (first.title if first else ""),
                        url=first.url if first else "",
                        posted_at=_aware(delivery.posted_at),
                    )
                )
            return posts

    def workspace_timezone(self, team_id: str) -> str | None:
        """The timezone new channels of the team get, or None when nobody set it yet."""
        with self.session() as session:
            workspace = session.exec(
                select(t.Workspace).where(t.Workspace.team_id == team_id)
            ).first()
            if workspace is None or not workspace.installer_user_id:
                return None
            return workspace.installer_timezone

    def set_workspace_timezone(self, team_id: str, timezone: str, user_id: str) -> None:
        """Remember whose timezone new channels of the team get (the first one sticks as
        the installer when none is known)."""
        for _attempt in range(2):
            try:
                with self._write_lock, self.session() as session:
                    workspace = self.ensure_workspace(session, team_id)
                    workspace.installer_timezone = timezone[:64]
                    if not workspace.installer_user_id:
                        workspace.installer_user_id = user_id[:32]
                    session.add(workspace)
                return
            except IntegrityError:
                continue  # another request created the workspace first: update it

    def forget_workspace(self, team_id: str) -> bool:
        """Delete the team's channels, lists and history; False when it was unknown."""
        with self._write_lock, self.session() as session:
            workspace = session.exec(
                select(t.Workspace).where(t.Workspace.team_id == team_id)
            ).first()
            if workspace is None:
                return False
            # The foreign keys cascade from the workspace to everything the team owns.
            session.delete(workspace)
            self._team_ids.clear()
            return True

    def set_full_text(self, source_id: int, on: bool) -> None:
        """Turn fetching the article page for a feed's teaser items on or off, or NotFoundError."""
        with self.session() as session:
            changed = session.execute(
                update(t.Source).where(col(t.Source.id) == source_id).values(fetch_full_text=on)
            )
            if cast(CursorResult[Any], changed).rowcount == 0:
                raise NotFoundError(f"no source with id {source_id}")


def _table(model: type[SQLModel]) -> Table:
    """The Core table behind a SQLModel class, for executemany statements."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def _deal_facts(articles: Sequence[t.Article]) -> tuple[tuple[Amount, ...], tuple[str, ...]]:
    """The first amounts and the parties any of a story's articles reported."""
    amounts: tuple[Amount, ...] = ()
    parties: dict[str, None] = {}
    for article in articles:
        deal = json.loads(article.deal_json or "{}")
        if not amounts and deal.get("amounts"):
            amounts = tuple(
                Amount(currency=a["currency"], value=float(a["value"]), text=a["text"])
                for a in deal["amounts"]
            )
        parties.update(dict.fromkeys(deal.get("parties") or ()))
    return amounts, tuple(parties)


def _to_source(row: t.Source) -> SourceState:
    assert row.id is not None
    return SourceState(
        id=row.id,
        url=row.url,
        title=row.title,
        etag=row.etag,
        last_modified=row.last_modified,
        poll_interval_s=row.poll_interval_s,
        consecutive_failures=row.consecutive_failures,
        first_failure_at=_aware(row.first_failure_at),
        last_success_at=_aware(row.last_success_at),
        last_error=row.last_error,
        warned_broken=row.warned_broken,
        next_poll_at=_aware(row.next_poll_at),
        fetch_full_text=row.fetch_full_text,
    )


def _implements_the_port(store: SqlStore) -> Store:
    """Never called: mypy checks here that SqlStore provides every method of the Store port."""
    return store

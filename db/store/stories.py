"""Stories: filing a processed batch, the fan-out to channels, and reading stories back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import and_, bindparam, func, insert, or_, update
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from db import tables as t
from db.notify import DELIVERIES_QUEUED
from db.store.base import StoreBase, table_of
from db.store.convert import (
    deal_facts,
    load_matches,
    load_story_items,
    match_values,
    text_starts,
    to_article,
    to_story_details,
    visible_articles,
    visible_title,
)
from db.store.entities import team_workspace_id
from watchlists import model as m
from watchlists.errors import NotFoundError
from watchlists.ports import AnalysedArticle, StoredStory, StoryDetails
from watchlists.stories import LEAD_READ_CHARS
from watchlists.story_rules import recipients


class StoriesMixin(StoreBase):
    """Stories filed from analysed articles, and what is known about them."""

    def recent_stories(self, since: datetime) -> list[StoredStory]:
        """Stories first seen after since, each with its first article, amounts and parties."""
        with self.session() as session:
            stories = session.exec(
                select(t.Story).where(t.Story.created_at >= since).order_by(col(t.Story.id))
            ).all()
            articles: dict[int, list[t.Article]] = {}
            # A deal's life of stories: without their texts, but the start of each first
            # article's, as far as the story index reads it.
            for article in session.exec(
                select(t.Article)
                .options(defer(t.Article.text, raiseload=True))  # type: ignore[arg-type]
                .where(col(t.Article.story_id).in_([story.id for story in stories]))
                .order_by(col(t.Article.id))
            ):
                assert article.story_id is not None
                articles.setdefault(article.story_id, []).append(article)
            firsts = {rows[0].id: story_id for story_id, rows in articles.items()}
            leads = text_starts(session, [i for i in firsts if i is not None], LEAD_READ_CHARS)
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
                amounts, parties = deal_facts(rows)
                first = rows[0]
                assert first.id is not None
                result.append(
                    StoredStory(
                        key=story.key,
                        article=to_article(first, leads.get(first.id, "")),
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

        Who gets a story is story_rules.recipients; each (channel, story) is queued once.
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
            stories = self._stories_by_key(session, analysed, now)
            analysed = self._visible_matches(session, analysed)
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
            for item in analysed:
                if item.article_id not in known:
                    raise NotFoundError(f"no article with id {item.article_id}")
                story_id = stories[item.story_key].id
                assert story_id is not None
                match_rows.extend(match_values(item.article_id, match) for match in item.matches)
                article_rows.append(
                    {
                        "b_id": item.article_id,
                        "story_id": story_id,
                        "deal_json": item.deal_json,
                        "matched_at": now,
                    }
                )
                mentioned = [match.entity_id for match in item.matches]
                for channel_id in recipients(mentioned, watchers, muted):
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
                            "created_at": now,
                        }
                    )
            connection = session.connection()
            if match_rows:
                connection.execute(insert(table_of(t.Match)), match_rows)
            articles = table_of(t.Article)
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
                connection.execute(insert(table_of(t.Delivery)), delivery_rows)
                self.notifier.notify(session, DELIVERIES_QUEUED)
            return len(delivery_rows)

    def _stories_by_key(
        self, session: Session, analysed: Sequence[AnalysedArticle], now: datetime
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
                    created_at=now,
                    updated_at=now,
                )
                stories[item.story_key] = story
            else:
                story.deal_stage = item.deal_stage or story.deal_stage
                story.updated_at = now
            session.add(story)
        session.flush()
        return stories

    def _visible_matches(
        self, session: Session, analysed: Sequence[AnalysedArticle]
    ) -> list[AnalysedArticle]:
        """The items with only the matches their article's workspace may see."""
        allowed = _allowed_pairs(
            session,
            {(item.article_id, match.entity_id) for item in analysed for match in item.matches},
        )
        return [
            replace(
                item,
                matches=tuple(
                    match for match in item.matches if (item.article_id, match.entity_id) in allowed
                ),
            )
            for item in analysed
        ]

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

    def unscanned_articles(
        self, entity_ids: Sequence[int], since: datetime, before_id: int | None, limit: int
    ) -> list[tuple[int, m.Article]]:
        """Processed articles ingested since then, newest first, below before_id, that lack a
        recorded mention of at least one of the entities that may mention them (an article
        of a workspace's feed may mention that workspace's entities only)."""
        if not entity_ids:
            return []
        with self.session() as session:
            by_workspace: dict[int | None, set[int]] = {}
            for entity_id, workspace_id in session.exec(
                select(t.Entity.id, t.Entity.workspace_id).where(
                    col(t.Entity.id).in_(list(entity_ids))
                )
            ).all():
                if entity_id is not None:
                    by_workspace.setdefault(workspace_id, set()).add(entity_id)
            lacking = [
                and_(
                    or_(
                        col(t.Source.workspace_id).is_(None),
                        col(t.Source.workspace_id) == workspace_id,
                    ),
                    col(t.Article.id).not_in(_covered(ids)),
                )
                for workspace_id, ids in by_workspace.items()
            ]
            if not lacking:
                return []
            query = (
                select(t.Article)
                .outerjoin(t.Source, col(t.Source.id) == t.Article.source_id)
                .where(
                    col(t.Article.matched_at).is_not(None),
                    t.Article.ingested_at >= since,
                    or_(*lacking),
                )
            )
            if before_id is not None:
                query = query.where(col(t.Article.id) < before_id)
            rows = session.exec(query.order_by(col(t.Article.id).desc()).limit(limit)).all()
            return [(row.id, to_article(row)) for row in rows if row.id is not None]

    def add_matches(self, found: Sequence[tuple[int, Sequence[m.Match]]]) -> int:
        """Record mentions found in stored articles, skipping (article, entity) pairs already
        recorded and those the article's workspace may not see; return how many pairs were
        new."""
        if not found:
            return 0
        with self._write_lock, self.session() as session:
            known = set(
                session.exec(
                    select(t.Match.article_id, t.Match.entity_id).where(
                        col(t.Match.article_id).in_([article_id for article_id, _ in found])
                    )
                ).all()
            )
            allowed = _allowed_pairs(
                session,
                {
                    (article_id, match.entity_id)
                    for article_id, matches in found
                    for match in matches
                },
            )
            rows: list[dict[str, object]] = []
            new_pairs: set[tuple[int, int]] = set()
            for article_id, matches in found:
                for match in matches:
                    pair = (article_id, match.entity_id)
                    if pair in known or pair not in allowed:
                        continue
                    new_pairs.add(pair)
                    rows.append(match_values(article_id, match))
            if rows:
                session.connection().execute(insert(table_of(t.Match)), rows)
            return len(new_pairs)

    def queue_recent_stories(
        self, channel_id: int, entity_ids: Sequence[int], since: datetime, limit: int, now: datetime
    ) -> int:
        """Queue for the channel the newest stories since then that mention the entities
        (unless muted there or already queued or sent); return how many."""
        if not entity_ids:
            return 0
        with self._write_lock, self.session() as session:
            muted = self._muted(session, {channel_id}, now).get(channel_id, set())
            wanted = [entity_id for entity_id in entity_ids if entity_id not in muted]
            if not wanted:
                return 0
            channel = session.get(t.Channel, channel_id)
            if channel is None:
                raise NotFoundError(f"no channel with id {channel_id}")
            already = select(t.Delivery.story_id).where(t.Delivery.channel_id == channel_id)
            newest = func.max(t.Article.id)
            story_ids = session.exec(
                select(t.Article.story_id)
                .join(t.Match, col(t.Match.article_id) == t.Article.id)
                .join(t.Entity, col(t.Entity.id) == t.Match.entity_id)
                .outerjoin(t.Source, col(t.Source.id) == t.Article.source_id)
                .where(
                    col(t.Match.entity_id).in_(wanted),
                    # An operator source's article, or one of the channel's workspace's feeds
                    # that mentions that workspace's entity.
                    or_(
                        col(t.Source.workspace_id).is_(None),
                        and_(
                            col(t.Source.workspace_id) == channel.workspace_id,
                            col(t.Entity.workspace_id) == channel.workspace_id,
                        ),
                    ),
                    t.Article.ingested_at >= since,
                    col(t.Article.story_id).is_not(None),
                    col(t.Article.story_id).not_in(already),
                )
                .group_by(col(t.Article.story_id))
                .order_by(newest.desc())
                .limit(limit)
            ).all()
            rows = [
                {
                    "channel_id": channel_id,
                    "story_id": story_id,
                    "status": "pending",
                    "slack_ts": "",
                    "attempts": 0,
                    "created_at": now,
                    "recent": True,
                }
                for story_id in reversed(story_ids)
            ]
            if rows:
                session.connection().execute(insert(table_of(t.Delivery)), rows)
                self.notifier.notify(session, DELIVERIES_QUEUED)
            return len(rows)

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
            entity = session.get(t.Entity, entity_id)
            workspace_id = entity.workspace_id if entity else None
            return load_story_items(session, stories, {entity_id}, workspace_id)

    def story_details(self, story_id: int, team_id: str | None = None) -> StoryDetails:
        """Everything known about a story: deal, every article and every match; with a
        team, only the articles and matches that team may see."""
        with self.session() as session:
            story = session.get(t.Story, story_id)
            if story is None:
                raise NotFoundError(f"no story with id {story_id}")
            articles = session.exec(
                select(t.Article).where(t.Article.story_id == story_id).order_by(col(t.Article.id))
            ).all()
            entity_ids: set[int] | None = None
            if team_id is not None:
                workspace_id = team_workspace_id(session, team_id)
                if workspace_id is None:
                    raise NotFoundError(f"no story with id {story_id}")
                shown = visible_articles(session, articles, workspace_id)
                title = visible_title(story, articles, shown)
                articles = shown
                story = t.Story.model_validate(story.model_dump() | {"title": title})
                entity_ids = {
                    entity_id
                    for entity_id in session.exec(
                        select(t.Entity.id).where(t.Entity.workspace_id == workspace_id)
                    )
                    if entity_id is not None
                }
            matches = load_matches(
                session, [a.id for a in articles if a.id is not None], entity_ids
            )
            return to_story_details(story, articles, matches)


def _covered(entity_ids: set[int]) -> SelectOfScalar[int]:
    """The ids of the articles with a recorded mention of every one of the entities."""
    return (
        select(t.Match.article_id)
        .where(col(t.Match.entity_id).in_(list(entity_ids)))
        .group_by(col(t.Match.article_id))
        .having(func.count(func.distinct(t.Match.entity_id)) == len(entity_ids))
    )


def _allowed_pairs(session: Session, pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (article, entity) pairs that may be a match: an article of a workspace's feed
    mentions that workspace's entities only, never another's; an operator source's any."""
    if not pairs:
        return set()
    owner = dict(
        session.exec(
            select(t.Article.id, t.Source.workspace_id)
            .join(t.Source, col(t.Source.id) == t.Article.source_id)
            .where(col(t.Article.id).in_({article_id for article_id, _ in pairs}))
        ).all()
    )
    entity_owner = dict(
        session.exec(
            select(t.Entity.id, t.Entity.workspace_id).where(
                col(t.Entity.id).in_({entity_id for _, entity_id in pairs})
            )
        ).all()
    )
    return {
        (article_id, entity_id)
        for article_id, entity_id in pairs
        if owner.get(article_id) is None or entity_owner.get(entity_id) == owner[article_id]
    }

"""Read-only status counts, request dedupe, feedback and pruning."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, func, or_
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from db import tables as t
from db.store.base import StoreBase
from db.store.convert import to_source
from watchlists import model as m
from watchlists.errors import NotFoundError
from watchlists.ports import NotRelevant, SourceState
from watchlists.story_rules import times_flagged


class StatusMixin(StoreBase):
    """Status counts, request keys, feedback and housekeeping."""

    def channel_states(self) -> list[tuple[m.Channel, str, datetime | None]]:
        """Every channel with its pause reason ("" when active) and next digest time."""
        with self.session() as session:
            rows = session.exec(select(t.Channel).order_by(col(t.Channel.id))).all()
            return [(self._to_channel(row), row.paused_reason, row.next_digest_at) for row in rows]

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
            return [to_source(row) for row in rows]

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

    def work_marker(self) -> tuple[int, int]:
        """The newest article id and delivery id: a change means another process added work."""
        with self.session() as session:
            article = session.exec(select(func.max(t.Article.id))).one()
            delivery = session.exec(select(func.max(t.Delivery.id))).one()
            return int(article or 0), int(delivery or 0)

    def delivery_counts(self) -> dict[str, int]:
        """Outbox rows by status."""
        with self.session() as session:
            rows = session.exec(
                select(t.Delivery.status, func.count()).group_by(col(t.Delivery.status))
            ).all()
            return {status: int(count) for status, count in rows}

    def first_time(self, key: str, now: datetime) -> bool:
        """Record a request key at now; False when it was recorded before (a Slack retry)."""
        try:
            with self.session() as session:
                session.add(t.ProcessedRequest(key=key[:255], created_at=now))
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
            return times_flagged(rows, feedback.matched_text[:400])

"""The delivery outbox and channel leases: pending, sending, posted."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import bindparam, case, func, or_, text, tuple_, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import defer
from sqlmodel import col, select

from db import tables as t
from db.store.base import StoreBase, table_of
from db.store.convert import (
    StoryItemLoader,
    load_story_items,
    to_posted_story,
    visible_articles,
    visible_title,
)
from db.store.entities import channel_workspace_id, watched_ids, watched_ids_of
from db.tables import utcnow
from watchlists import model as m
from watchlists.ports import PostedStory


class OutboxMixin(StoreBase):
    """The outbox and the leases that let several workers deliver."""

    def pending_items(self, channel_id: int) -> list[m.StoryItem]:
        """Stories queued for the channel and not yet posted, oldest first."""
        return self.pending_items_of([channel_id]).get(channel_id, [])

    def pending_items_of(self, channel_ids: Sequence[int]) -> dict[int, list[m.StoryItem]]:
        """pending_items of each channel with any, read together: a story many channels
        await is loaded once."""
        if not channel_ids:
            return {}
        wanted = sorted(set(channel_ids))
        with self.session() as session:
            rows = session.exec(
                select(t.Delivery.channel_id, t.Story, t.Delivery.recent)
                .join(t.Story, col(t.Story.id) == t.Delivery.story_id)
                .where(col(t.Delivery.channel_id).in_(wanted), t.Delivery.status == "pending")
                .order_by(col(t.Delivery.id))
            ).all()
            if not rows:
                return {}
            stories_of: dict[int, list[t.Story]] = {}
            recent = set()
            for channel_id, story, is_recent in rows:
                stories_of.setdefault(channel_id, []).append(story)
                if is_recent:
                    recent.add((channel_id, story.id))
            waiting = sorted(stories_of)
            workspace_of = dict(
                session.exec(
                    select(t.Channel.id, t.Channel.workspace_id).where(
                        col(t.Channel.id).in_(waiting)
                    )
                ).all()
            )
            watched = watched_ids_of(session, waiting)
            unique = {story.id: story for _channel_id, story, _recent in rows}
            loader = StoryItemLoader(session, list(unique.values()), set().union(*watched.values()))
            # Where a channel got the first report, its updates go in that post's thread.
            roots = {story.update_of for story in unique.values() if story.update_of}
            root_ts: dict[tuple[int, str], str] = {}
            if roots:
                for channel_id, key, ts in session.exec(
                    select(t.Delivery.channel_id, t.Story.key, t.Delivery.slack_ts)
                    .join(t.Delivery, col(t.Delivery.story_id) == t.Story.id)
                    .where(
                        col(t.Story.key).in_(roots),
                        col(t.Delivery.channel_id).in_(waiting),
                        t.Delivery.status == "posted",
                        t.Delivery.slack_ts != "",
                    )
                ).all():
                    root_ts[(channel_id, key)] = ts
            update_of = {story.id: story.update_of for story in unique.values()}
            pending: dict[int, list[m.StoryItem]] = {}
            for channel_id, stories in stories_of.items():
                items = loader.items(stories, watched[channel_id], workspace_of[channel_id])
                pending[channel_id] = [
                    replace(
                        item,
                        thread_ts=root_ts.get((channel_id, update_of[item.story_id]), ""),
                        recent=(channel_id, item.story_id) in recent,
                    )
                    for item in items
                ]
            return pending

    def mark_sending(self, channel_id: int, story_ids: Sequence[int]) -> list[int]:
        """Move these stories from pending to sending; return those this call moved."""
        return self.mark_sending_pages([(channel_id, story_ids)]).get(channel_id, [])

    def mark_sending_pages(
        self, pages: Sequence[tuple[int, Sequence[int]]]
    ) -> dict[int, list[int]]:
        """mark_sending for several channels' pages at once: channel id -> the story ids this
        call moved, in the page's order (channels with none left out)."""
        pairs = [(channel_id, story_id) for channel_id, ids in pages for story_id in ids]
        if not pairs:
            return {}
        deliveries = table_of(t.Delivery)
        with self.session() as session:
            # One compare-and-set for every page: rows another worker took are not taken.
            taken = session.connection().execute(
                update(deliveries)
                .where(
                    tuple_(deliveries.c.channel_id, deliveries.c.story_id).in_(pairs),
                    deliveries.c.status == "pending",
                )
                .values(status="sending", attempts=deliveries.c.attempts + 1)
                .returning(deliveries.c.channel_id, deliveries.c.story_id)
            )
            moved = {(channel_id, story_id) for channel_id, story_id in taken.all()}
        result: dict[int, list[int]] = {}
        for channel_id, ids in pages:
            mine = [story_id for story_id in dict.fromkeys(ids) if (channel_id, story_id) in moved]
            if mine:
                result[channel_id] = mine
        return result

    def mark_posted(
        self, channel_id: int, story_ids: Sequence[int], ts: str, now: datetime
    ) -> None:
        """Record the Slack timestamp of the post that carried these stories, posted at now."""
        self.record_posts([(channel_id, story_ids, ts)], now)

    def record_posts(self, posts: Sequence[tuple[int, Sequence[int], str]], now: datetime) -> None:
        """mark_posted for several (channel id, story ids, ts) posts in one transaction."""
        rows = [
            {"c": channel_id, "s": story_id, "ts": ts}
            for channel_id, story_ids, ts in posts
            for story_id in story_ids
        ]
        if not rows:
            return
        deliveries, channels = table_of(t.Delivery), table_of(t.Channel)
        with self.session() as session:
            session.connection().execute(
                update(deliveries)
                .where(
                    deliveries.c.channel_id == bindparam("c"),
                    deliveries.c.story_id == bindparam("s"),
                )
                .values(status="posted", slack_ts=bindparam("ts"), posted_at=now),
                rows,
            )
            # Pacing across replicas reads this: the time the post really landed, not the
            # (possibly older) time the pass started.
            session.connection().execute(
                update(channels)
                .where(channels.c.id.in_({channel_id for channel_id, _ids, _ts in posts}))
                .values(last_post_at=utcnow())
            )

    def requeue(self, channel_id: int, story_ids: Sequence[int]) -> None:
        """Put stories whose post never reached Slack back in the queue."""
        deliveries = table_of(t.Delivery)
        with self.session() as session:
            session.connection().execute(
                update(deliveries)
                .where(
                    deliveries.c.channel_id == channel_id,
                    deliveries.c.story_id.in_(list(story_ids)),
                )
                .values(status="pending")
            )

    def sending_items(self, channel_id: int) -> list[int]:
        """Story ids whose post was started but never confirmed."""
        return self.sending_items_of([channel_id]).get(channel_id, [])

    def sending_items_of(self, channel_ids: Sequence[int]) -> dict[int, list[int]]:
        """sending_items of each channel with any, read together."""
        if not channel_ids:
            return {}
        with self.session() as session:
            rows = session.exec(
                select(t.Delivery.channel_id, t.Delivery.story_id)
                .where(
                    col(t.Delivery.channel_id).in_(sorted(set(channel_ids))),
                    t.Delivery.status == "sending",
                )
                .order_by(col(t.Delivery.id))
            ).all()
        sending: dict[int, list[int]] = {}
        for channel_id, story_id in rows:
            sending.setdefault(channel_id, []).append(story_id)
        return sending

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
        free = or_(col(t.Channel.lease_until).is_(None), col(t.Channel.lease_until) < now)
        due = (
            select(t.Channel.id)
            .where(
                t.Channel.paused_reason == "",
                free,
                or_(col(t.Channel.not_before).is_(None), col(t.Channel.not_before) <= now),
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
        )
        with self._write_lock, self.session() as session:
            # One statement: the lease is a compare-and-set (only one worker's update can take
            # an expired lease), and PostgreSQL skips rows another worker is claiming.
            rows = session.scalars(
                update(t.Channel)
                .where(col(t.Channel.id).in_(due.scalar_subquery()), free)
                .values(lease_until=lease_until, lease_owner=owner)
                .returning(t.Channel),
                execution_options={"synchronize_session": False},
            ).all()
            return [self._to_channel(row) for row in sorted(rows, key=lambda row: row.id or 0)]

    def release_channel(self, channel_id: int, owner: str, next_digest_at: datetime | None) -> None:
        """End owner's lease on the channel, clear its backoff and set its next digest time."""
        self.release_channels([(channel_id, next_digest_at)], owner)

    def release_channels(self, releases: Sequence[tuple[int, datetime | None]], owner: str) -> None:
        """release_channel for several (channel id, next digest time) in one transaction."""
        if not releases:
            return
        channels = table_of(t.Channel)
        with self.session() as session:
            session.connection().execute(
                update(channels)
                .where(channels.c.id == bindparam("c"), channels.c.lease_owner == owner)
                .values(
                    lease_until=None,
                    lease_owner="",
                    not_before=None,
                    delivery_failures=0,
                    backoff_reason="",
                    next_digest_at=case(
                        (
                            channels.c.delivery == "digest",
                            bindparam("next_at", type_=channels.c.next_digest_at.type),
                        ),
                        else_=channels.c.next_digest_at,
                    ),
                ),
                [{"c": channel_id, "next_at": next_at} for channel_id, next_at in releases],
            )

    def back_off_channel(
        self, channel_id: int, owner: str, not_before: datetime, reason: str
    ) -> None:
        """End owner's lease; the channel waits until not_before, one more failure recorded."""
        with self.session() as session:
            session.execute(
                update(t.Channel)
                .where(col(t.Channel.id) == channel_id, col(t.Channel.lease_owner) == owner)
                .values(
                    lease_until=None,
                    lease_owner="",
                    not_before=not_before,
                    delivery_failures=col(t.Channel.delivery_failures) + 1,
                    backoff_reason=reason[:200],
                )
            )

    def renew_leases(self, owner: str, lease_until: datetime) -> int:
        """Extend every channel lease owner holds, and the feed leases of this process."""
        with self.session() as session:
            renewed = session.execute(
                update(t.Channel)
                .where(col(t.Channel.lease_owner) == owner, col(t.Channel.lease_until).is_not(None))
                .values(lease_until=lease_until)
            )
            count = cast(CursorResult[Any], renewed).rowcount
        # A held feed's lease is its next poll time, pushed on while the poll runs; the lock
        # keeps a poll being recorded meanwhile from having its next poll time overwritten.
        with self._held_lock, self.session() as session:
            if self._held_sources:
                sources = session.execute(
                    update(t.Source)
                    .where(col(t.Source.id).in_(sorted(self._held_sources)))
                    .values(next_poll_at=lease_until)
                )
                count += cast(CursorResult[Any], sources).rowcount
        return count

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

    def delivered_items(self, channel_id: int, since: datetime) -> list[m.StoryItem]:
        """Stories delivered or queued to the channel since then, oldest first."""
        with self.session() as session:
            watched = watched_ids(session, channel_id)
            stories = session.exec(
                select(t.Story)
                .join(t.Delivery, col(t.Delivery.story_id) == t.Story.id)
                .where(t.Delivery.channel_id == channel_id, t.Delivery.created_at >= since)
                .order_by(col(t.Delivery.id))
            ).all()
            return load_story_items(
                session, stories, watched, channel_workspace_id(session, channel_id)
            )

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
            workspace_id = channel_workspace_id(session, channel_id)
            for delivery, story in rows:
                assert story.id is not None
                articles = session.exec(
                    select(t.Article)
                    .options(defer(t.Article.text, raiseload=True))  # type: ignore[arg-type]
                    .where(t.Article.story_id == story.id)
                    .order_by(col(t.Article.id))
                ).all()
                shown = visible_articles(session, articles, workspace_id)
                post = to_posted_story(delivery, story, shown[0] if shown else None)
                title = visible_title(story, articles, shown)
                posts.append(replace(post, title=title) if title else post)
            return posts

    def count_deliveries(self, status: str | None = None) -> int:
        """How many outbox rows there are (with that status)."""
        with self.session() as session:
            query = select(func.count()).select_from(t.Delivery)
            if status is not None:
                query = query.where(t.Delivery.status == status)
            return int(session.exec(query).one())

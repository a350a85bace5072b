"""OutboxStore on the fake's tables: the delivery outbox, leases and named locks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

from tests.fakes.store.state import (
    BACKOFF_REASON_WIDTH,
    NEVER,
    State,
)
from watchlists.model import Channel, StoryItem
from watchlists.ports import (
    PostedStory,
)


class OutboxStoreMixin(State):
    """The delivery outbox, channel leases and named locks."""

    def pending_items(self, channel_id: int) -> list[StoryItem]:
        """Stories queued for the channel, oldest first; updates carry their thread's ts."""
        queued = [
            d
            for d in self._deliveries_in_order()
            if d.channel_id == channel_id and d.status == "pending"
        ]
        pending = [self.stories[d.story_id] for d in queued]
        recent = {d.story_id for d in queued if d.recent}
        items = self._story_items(
            pending,
            self._subscribed_entity_ids(channel_id),
            self._channel_row(channel_id).channel.team_id,
        )
        root_ts = {
            self.stories[d.story_id].key: d.slack_ts
            for d in self.deliveries.values()
            if d.channel_id == channel_id and d.status == "posted" and d.slack_ts
        }
        update_of = {story.id: story.update_of for story in pending}
        return [
            replace(
                item,
                thread_ts=root_ts.get(update_of[item.story_id], ""),
                recent=item.story_id in recent,
            )
            for item in items
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
        row = self.channels.get(channel_id)
        if row is not None:
            row.channel = replace(row.channel, last_post_at=now)

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
            if channel.not_before is not None and channel.not_before > now:
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
        row.channel = replace(row.channel, not_before=None, failures=0, backoff_reason="")
        if row.channel.delivery == "digest":
            row.channel = replace(row.channel, next_digest_at=next_digest_at)

    def pending_items_of(self, channel_ids: Sequence[int]) -> dict[int, list[StoryItem]]:
        """pending_items of each channel with any."""
        found = {channel_id: self.pending_items(channel_id) for channel_id in channel_ids}
        return {channel_id: items for channel_id, items in found.items() if items}

    def sending_items_of(self, channel_ids: Sequence[int]) -> dict[int, list[int]]:
        """sending_items of each channel with any."""
        found = {channel_id: self.sending_items(channel_id) for channel_id in channel_ids}
        return {channel_id: ids for channel_id, ids in found.items() if ids}

    def mark_sending_pages(
        self, pages: Sequence[tuple[int, Sequence[int]]]
    ) -> dict[int, list[int]]:
        """mark_sending for each page; channels with nothing moved left out."""
        moved = {channel_id: self.mark_sending(channel_id, ids) for channel_id, ids in pages}
        return {channel_id: ids for channel_id, ids in moved.items() if ids}

    def record_posts(self, posts: Sequence[tuple[int, Sequence[int], str]], now: datetime) -> None:
        """mark_posted for each post."""
        for channel_id, story_ids, ts in posts:
            self.mark_posted(channel_id, story_ids, ts, now)

    def release_channels(self, releases: Sequence[tuple[int, datetime | None]], owner: str) -> None:
        """release_channel for each channel."""
        for channel_id, next_digest_at in releases:
            self.release_channel(channel_id, owner, next_digest_at)

    def back_off_channel(
        self, channel_id: int, owner: str, not_before: datetime, reason: str
    ) -> None:
        """End owner's lease; the channel waits until not_before, one more failure recorded."""
        row = self.channels.get(channel_id)
        if row is None or row.lease_owner != owner:
            return
        row.lease_until, row.lease_owner = None, ""
        row.channel = replace(
            row.channel,
            not_before=not_before,
            failures=row.channel.failures + 1,
            backoff_reason=reason[:BACKOFF_REASON_WIDTH],
        )

    def renew_leases(self, owner: str, lease_until: datetime) -> int:
        """Extend every channel lease owner holds, and the feed leases this store holds."""
        renewed = 0
        for row in self.channels.values():
            if row.lease_owner == owner and row.lease_until is not None:
                row.lease_until = lease_until
                renewed += 1
        for source_id in self.held_sources:
            source = self.sources.get(source_id)
            if source is not None:
                self.sources[source_id] = replace(source, next_poll_at=lease_until)
                renewed += 1
        return renewed

    def delivered_items(self, channel_id: int, since: datetime) -> list[StoryItem]:
        """Stories delivered or queued to the channel since then, oldest first."""
        stories = [
            self.stories[d.story_id]
            for d in self._deliveries_in_order()
            if d.channel_id == channel_id and d.created_at >= since
        ]
        return self._story_items(
            stories,
            self._subscribed_entity_ids(channel_id),
            self._channel_row(channel_id).channel.team_id,
        )

    def recent_posts(self, channel_id: int, limit: int) -> list[PostedStory]:
        """The stories most recently posted to the channel, newest first."""
        posted = [d for d in self.posted if d.channel_id == channel_id]
        posted.sort(key=lambda d: (d.posted_at or NEVER, d.id), reverse=True)
        posts = []
        for delivery in posted[:limit]:
            story = self.stories[delivery.story_id]
            every = self._story_articles(story.id)
            team_id = self._channel_row(channel_id).channel.team_id
            rows = [row for row in every if self._visible_to(row, team_id)]
            title = story.title
            if every and rows and every[0] is not rows[0]:
                title = ("Update: " if story.update_of else "") + rows[0].article.title
            posts.append(
                PostedStory(
                    story_id=story.id,
                    title=title or (rows[0].article.title if rows else ""),
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

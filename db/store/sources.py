"""Feeds, the channels that added them, and their fetch state."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, cast

from sqlalchemy import or_, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from db import tables as t
from db.secrets import KEY_VARIABLE, SecretKeyError
from db.store.base import StoreBase
from db.store.convert import to_source, update_source_row
from watchlists import model as m
from watchlists.errors import NotFoundError
from watchlists.ports import SourceState
from watchlists.urls import join_credentials, split_credentials

log = logging.getLogger("dealwatch.store")
# A URL whose redacted form another source already has stays distinct by this fragment,
# which an HTTP client never sends (the same rule as migration 0009).
DUPLICATE_FRAGMENT = "#dealwatch-source-{id}"


class SourcesMixin(StoreBase):
    """Sources with their leases, fetch state and health."""

    def ensure_source(self, url: str, title: str = "", workspace_id: int | None = None) -> int:
        """The id of the source with that URL, created when new: the workspace's own, or with
        no workspace an operator's source (`/ingest`, `dealwatch ingest`) every workspace sees;
        credentials stored encrypted."""
        stored_url, userinfo = split_credentials(url)
        if userinfo and self.secrets is None:
            raise SecretKeyError(
                "This feed URL carries a user name and password, which dealwatch keeps only "
                f"encrypted: the operator must set {KEY_VARIABLE} first."
            )
        try:
            return self._ensure_source(stored_url, userinfo, title, workspace_id)
        except IntegrityError:
            # A concurrent request created it first: it is there now.
            return self._ensure_source(stored_url, userinfo, title, workspace_id)

    def _ensure_source(
        self, stored_url: str, userinfo: str, title: str, workspace_id: int | None
    ) -> int:
        same_owner = (
            col(t.Source.workspace_id).is_(None)
            if workspace_id is None
            else col(t.Source.workspace_id) == workspace_id
        )
        with self.session() as session:
            row = session.exec(
                select(t.Source)
                .where(t.Source.url == stored_url, same_owner)
                .order_by(col(t.Source.id))
            ).first()
            if row is None:
                row = t.Source(url=stored_url, title=title, workspace_id=workspace_id)
            if userinfo and self.secrets is not None:
                # Adding the feed again with credentials replaces them (a changed password).
                row.credentials = self.secrets.encrypt(userinfo)
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def _to_source(self, row: t.Source) -> SourceState:
        """The source of a row, its URL with the decrypted credentials back in place."""
        if not row.credentials:
            return to_source(row)
        if self.secrets is None:
            log.warning("feed %s: credentials stored but %s is not set", row.id, KEY_VARIABLE)
            return to_source(row)
        try:
            userinfo = self.secrets.decrypt(row.credentials)
        except SecretKeyError as error:
            log.warning("feed %s: %s", row.id, error)
            return to_source(row)
        return to_source(row, url=join_credentials(row.url, userinfo))

    def reencrypt_feed_credentials(self) -> int:
        """Re-encrypt every feed's credentials with the first key, moving clear ones out of
        URLs stored before encryption existed; how many feeds have credentials."""
        if self.secrets is None:
            raise SecretKeyError(f"{KEY_VARIABLE} is not set")
        with self._write_lock, self.session() as session:
            rows = session.exec(select(t.Source).order_by(col(t.Source.id))).all()
            taken = {row.url for row in rows}
            count = 0
            for row in rows:
                stored_url, userinfo = split_credentials(row.url)
                if userinfo and stored_url != row.url:
                    if stored_url in taken:
                        stored_url += DUPLICATE_FRAGMENT.format(id=row.id)
                    taken.add(stored_url)
                    row.url, row.credentials = stored_url, self.secrets.encrypt(userinfo)
                elif row.credentials:
                    row.credentials = self.secrets.rotate(row.credentials)
                else:
                    continue
                session.add(row)
                count += 1
            return count

    def add_channel_source(self, channel_id: int, url: str, title: str) -> SourceState:
        """Attach a feed to the channel, creating its workspace's source when new."""
        with self.session() as session:
            channel = session.get(t.Channel, channel_id)
            if channel is None:
                raise NotFoundError(f"no channel with id {channel_id}")
            workspace_id = channel.workspace_id
        source_id = self.ensure_source(url, title, workspace_id)
        with self.session() as session:
            if session.get(t.ChannelSource, (channel_id, source_id)) is None:
                session.add(t.ChannelSource(channel_id=channel_id, source_id=source_id))
            row = session.get(t.Source, source_id)
            assert row is not None
            return self._to_source(row)

    def channel_sources(self, channel_id: int) -> list[SourceState]:
        """The feeds the channel added, in the order added."""
        with self.session() as session:
            rows = session.exec(
                select(t.Source)
                .join(t.ChannelSource, col(t.ChannelSource.source_id) == t.Source.id)
                .where(t.ChannelSource.channel_id == channel_id)
                .order_by(col(t.ChannelSource.created_at), col(t.Source.id))
            ).all()
            return [self._to_source(row) for row in rows]

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
                    claimed.append(self._to_source(row))
        with self._held_lock:
            self._held_sources.update(source.id for source in claimed)
        return claimed

    def mark_seen(self, source_id: int, now: datetime) -> None:
        """Mark every stored article of the source as processed without matching it."""
        with self.session() as session:
            for row in session.exec(
                select(t.Article).where(
                    t.Article.source_id == source_id, col(t.Article.matched_at).is_(None)
                )
            ):
                row.matched_at = now
                session.add(row)

    def record_poll(self, state: SourceState) -> None:
        """Save a source's fetch state and health after a poll (which ends its lease)."""
        with self._held_lock:
            self._held_sources.discard(state.id)
        with self.session() as session:
            row = session.get(t.Source, state.id)
            if row is None:
                raise NotFoundError(f"no source with id {state.id}")
            update_source_row(row, state)
            # fetch_full_text is left to set_full_text: a poll must not undo a toggle made
            # while it ran.
            session.add(row)

    def set_full_text(self, source_id: int, on: bool) -> None:
        """Turn fetching the article page for a feed's teaser items on or off, or NotFoundError."""
        with self.session() as session:
            changed = session.execute(
                update(t.Source).where(col(t.Source.id) == source_id).values(fetch_full_text=on)
            )
            if cast(CursorResult[Any], changed).rowcount == 0:
                raise NotFoundError(f"no source with id {source_id}")

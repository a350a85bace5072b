"""Channels, their settings and the workspaces they belong to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import tables as t
from db.store.base import OWN_LIST_PREFIX, StoreBase
from watchlists import model as m
from watchlists.errors import NotFoundError


class ChannelsMixin(StoreBase):
    """Channels and workspaces: settings, pauses, installer and timezone."""

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

    def team_ids(self) -> list[str]:
        """The Slack team ids of every workspace, in the order they were first seen."""
        with self.session() as session:
            return list(
                session.exec(select(t.Workspace.team_id).order_by(col(t.Workspace.id))).all()
            )

    def installer_of(self, team_id: str) -> str:
        """The Slack user id of whoever installed the bot in the team, or ""."""
        with self.session() as session:
            workspace = session.exec(
                select(t.Workspace).where(t.Workspace.team_id == team_id)
            ).first()
            return workspace.installer_user_id if workspace else ""

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

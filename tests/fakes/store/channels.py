"""ChannelStore on the fake's tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from tests.fakes.store.state import (
    OWN_LIST_PREFIX,
    REASON_WIDTH,
    TIMEZONE_WIDTH,
    USER_WIDTH,
    ChannelRow,
    State,
    WatchlistRow,
    WorkspaceRow,
)
from watchlists.model import Channel


class ChannelStoreMixin(State):
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
        # The team's entities and feeds go with it (with their matches and articles).
        entities = {i for i, team in self.entity_team.items() if team == team_id}
        sources = {i for i, team in self.source_team.items() if team == team_id}
        for entity_id in entities:
            del self.entities[entity_id], self.entity_team[entity_id]
        for source_id in sources:
            del self.sources[source_id], self.source_team[source_id]
        self.matches = [m for m in self.matches if m.match.entity_id not in entities]
        self.articles = {k: a for k, a in self.articles.items() if a.source_id not in sources}
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

"""SourceStore on the fake's tables."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tests.fakes.store.state import (
    ETAG_WIDTH,
    LAST_MODIFIED_WIDTH,
    TITLE_WIDTH,
    State,
)
from watchlists.errors import NotFoundError
from watchlists.model import Channel
from watchlists.ports import (
    SourceState,
)


class SourceStoreMixin(State):
    """Feeds and their fetch state."""

    def add_channel_source(self, channel_id: int, url: str, title: str) -> SourceState:
        """Attach a feed to the channel, creating its team's source when new."""
        team_id = self._channel_row(channel_id).channel.team_id
        source = next(
            (
                s
                for s in self.sources.values()
                if s.url == url and self.source_team.get(s.id) == team_id
            ),
            None,
        )
        if source is None:
            source = SourceState(id=self.new_id(), url=url, title=title)
            self.sources[source.id] = source
            self.source_team[source.id] = team_id
        self.channel_source_links.setdefault((channel_id, source.id), None)
        return source

    def channel_sources(self, channel_id: int) -> list[SourceState]:
        """The channel's feeds in the order added."""
        return [self.sources[s] for (c, s) in self.channel_source_links if c == channel_id]

    def remove_channel_source(self, channel_id: int, source_id: int) -> bool:
        """Detach a feed from the channel; False when it was not attached."""
        return self.channel_source_links.pop((channel_id, source_id), "absent") is None

    def channels_of_source(self, source_id: int) -> list[Channel]:
        """The channels that added this feed, by id."""
        ids = sorted(c for (c, s) in self.channel_source_links if s == source_id)
        return [self.channels[c].channel for c in ids]

    def claim_due_sources(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[SourceState]:
        """Due http(s) sources (never polled first), each leased until lease_until."""
        due = [
            s
            for s in self.sources.values()
            if s.url.startswith("http") and (s.next_poll_at is None or s.next_poll_at <= now)
        ]
        due.sort(key=lambda s: (s.next_poll_at is not None, s.next_poll_at or now, s.id))
        claimed = [replace(source, next_poll_at=lease_until) for source in due[:limit]]
        self.sources.update((source.id, source) for source in claimed)
        self.held_sources.update(source.id for source in claimed)
        return claimed

    def mark_seen(self, source_id: int, now: datetime) -> None:
        """Mark every unprocessed article of the source as processed at now."""
        for row in self.articles.values():
            if row.source_id == source_id and row.matched_at is None:
                row.matched_at = now

    def record_poll(self, state: SourceState) -> None:
        """Save a source's fetch state and health; its full-text toggle is left alone."""
        known = self.sources.get(state.id)
        if known is None:
            raise NotFoundError(f"no source with id {state.id}")
        self.held_sources.discard(state.id)
        self.sources[state.id] = replace(
            state,
            url=known.url,
            poll_interval_s=known.poll_interval_s,
            fetch_full_text=known.fetch_full_text,
            title=state.title[:TITLE_WIDTH],
            etag=state.etag[:ETAG_WIDTH],
            last_modified=state.last_modified[:LAST_MODIFIED_WIDTH],
        )

    def set_full_text(self, source_id: int, on: bool) -> None:
        """Turn full-text fetching on or off, or NotFoundError."""
        source = self.sources.get(source_id)
        if source is None:
            raise NotFoundError(f"no source with id {source_id}")
        self.sources[source_id] = replace(source, fetch_full_text=on)

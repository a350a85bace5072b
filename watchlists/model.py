"""Domain objects of dealwatch: plain frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

MatchKind = Literal["exact", "partial", "fuzzy"]
Field = Literal["title", "text"]


@dataclass(frozen=True)
class Entity:
    """Something a channel watches: a company, fund or person, with its other names."""

    name: str
    aliases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    id: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every alias, without duplicates."""
        seen: dict[str, None] = {}
        for value in (self.name, *self.aliases):
            if value.strip():
                seen.setdefault(value.strip(), None)
        return tuple(seen)


@dataclass(frozen=True)
class Article:
    """One news item as ingested from a feed, a file or the HTTP endpoint."""

    id: str
    title: str
    text: str
    url: str = ""
    published: datetime | None = None
    source: str = ""


@dataclass(frozen=True)
class Match:
    """One mention of a watched entity in an article, with the evidence for it."""

    entity_id: int
    entity: str
    alias: str
    field: Field
    start: int
    end: int
    text: str
    score: float
    kind: MatchKind

    def to_json(self) -> dict[str, object]:
        """The match as it appears in `dealwatch match` output."""
        return {
            "entity": self.entity,
            "alias": self.alias,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": round(self.score, 1),
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Channel:
    """A Slack channel that receives stories."""

    id: int
    team_id: str
    slack_id: str
    name: str = ""
    timezone: str = "UTC"
    delivery: Literal["digest", "instant", "off"] = "digest"
    digest_schedule: str = "daily 09:00"
    next_digest_at: datetime | None = None
    # When a post last reached the channel, from any process: pacing holds across replicas.
    last_post_at: datetime | None = None
    # A channel backed off after failed posts waits until not_before; failures count them.
    not_before: datetime | None = None
    failures: int = 0
    backoff_reason: str = ""


@dataclass(frozen=True)
class StoryItem:
    """A story ready to show in a digest: the article, what matched and why."""

    story_id: int
    title: str
    url: str
    summary: str
    published: datetime | None
    source: str
    matches: tuple[Match, ...]
    deal_type: str = "none"
    deal_stage: str = ""
    amount: str = ""
    also_reported_by: tuple[str, ...] = ()
    # The ts of this channel's message that carried the story this one updates, if posted.
    thread_ts: str = ""
    # Queued as recent coverage when the channel started watching, not as news.
    recent: bool = False


@dataclass(frozen=True)
class Digest:
    """What one channel gets at one time: a list of stories."""

    channel: Channel
    generated_at: datetime
    items: tuple[StoryItem, ...] = field(default_factory=tuple)
    # Set when the page is one update posted in the thread of the story it updates.
    thread_ts: str = ""
    # Set when the page is the recent coverage a channel gets as it starts watching.
    recent_coverage: bool = False

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to post."""
        return not self.items

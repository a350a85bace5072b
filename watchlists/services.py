"""Use cases: what the scheduler, the slash commands and the CLI all call.

The pipeline: ingest_articles stores new items; process_new_articles matches each one
once against the global index, analyses the deal, files it under a story and queues a
delivery for every channel watching a matched entity; run_digest posts a channel's queue.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from rapidfuzz import fuzz, process

from watchlists.deals import analyse_deal
from watchlists.entity_rules import merge_entity
from watchlists.errors import DealwatchError, DeliveryError, NotFoundError
from watchlists.matching import MatchIndex
from watchlists.model import Article, Channel, Digest, Entity, StoryItem
from watchlists.ports import (
    AnalysedArticle,
    ArticleStore,
    ChannelStore,
    EntityStore,
    OutboxStore,
    Poster,
)
from watchlists.schedule import next_run, parse_schedule, parse_timezone
from watchlists.stories import DEFAULT_DEAL_LIFE, StoryIndex


class LookupPorts(EntityStore, ArticleStore, Protocol):
    """What looking up an entity's stories needs."""


MAX_STORIES_PER_MESSAGE = 8
# Stories filed since the last cycle are re-read with this margin, for clocks that differ
# between replicas and transactions that commit late.
STORY_REFRESH_OVERLAP = timedelta(minutes=10)


class StoryMemory:
    """The story index a long-lived process keeps between cycles, topped up from the store.

    The first use loads the stories of a deal's life (180 days); later uses prune the
    index and add only the stories filed since, by this process or another one.
    """

    def __init__(self, deal_life: timedelta = DEFAULT_DEAL_LIFE) -> None:
        self.deal_life = deal_life
        self._index: StoryIndex | None = None
        self._loaded_at: datetime | None = None

    def index(self, store: ArticleStore, now: datetime) -> StoryIndex:
        """The index, with every story filed up to now."""
        if self._index is None or self._loaded_at is None:
            self._index = StoryIndex(deal_life=self.deal_life)
            since = now - self.deal_life
        else:
            since = self._loaded_at - STORY_REFRESH_OVERLAP
        for story in store.recent_stories(since):
            if story.key not in self._index:
                self._index.seed_story(story)
        self._index.prune(now)
        self._loaded_at = now
        return self._index

    def forget(self) -> None:
        """Drop the index: the next use reloads it from the store."""
        self._index = self._loaded_at = None


# Joins a first report's key and the stage of a material update to it.
UPDATE_MARK = "~"


@dataclass(frozen=True)
class ProcessResult:
    """What one pass of the pipeline did."""

    articles: int
    matched: int
    deliveries_queued: int


@dataclass(frozen=True)
class DigestResult:
    """What one digest run posted."""

    channel: Channel
    stories_posted: int
    messages: tuple[str, ...]
    recovered: int = 0


@dataclass(frozen=True)
class WatchResult:
    """The entity now watched, and a near-miss known entity the person may have meant."""

    entity: Entity
    reused: bool
    did_you_mean: Entity | None = None


def watch_entity(store: EntityStore, channel: Channel, entity: Entity) -> WatchResult:
    """Subscribe the channel to an entity, reusing a known one named or aliased the same."""
    known = store.find_entity(channel.team_id, entity.name)
    if known is not None:
        merged = merge_entity(known, entity)
        return WatchResult(store.watch(channel.id, merged), reused=True)
    suggestion = suggest_entity(store.all_entities(channel.team_id), entity.name)
    return WatchResult(store.watch(channel.id, entity), reused=False, did_you_mean=suggestion)


def ingest_articles(store: ArticleStore, articles: Sequence[Article], source_id: int | None) -> int:
    """Store the articles that are new; return how many were."""
    return store.add_articles(articles, source_id)


def process_new_articles(
    store: ArticleStore,
    index: MatchIndex,
    now: datetime,
    batch_size: int = 500,
    memory: StoryMemory | None = None,
) -> ProcessResult:
    """Match, analyse and file every unprocessed article; queue deliveries.

    Each article is matched once against the global index. A story is delivered once per
    channel: re-publications and other sources join it ("also reported by") without a new
    post; a material development (the deal moves to a later stage, or a first amount) is
    filed as an update story of its own, so every watching channel hears about it, in the
    thread of the first report where the channel got one.
    """
    memory = memory or StoryMemory()
    try:
        return _process_batches(store, index, now, batch_size, memory.index(store, now))
    except BaseException:
        # The index may hold assignments of a batch that was never filed.
        memory.forget()
        raise


def _process_batches(
    store: ArticleStore, index: MatchIndex, now: datetime, batch_size: int, stories: StoryIndex
) -> ProcessResult:
    processed = matched = queued = 0
    while batch := store.unmatched_articles(batch_size):
        analysed: list[AnalysedArticle] = []
        for article_id, article in batch:
            matches = tuple(index.match(article))
            deal = analyse_deal(article, matches)
            assignment = stories.assign(article, deal, matches)
            key, title, update_of = assignment.key, article.title, ""
            if assignment.is_material_update:
                # Updates hang off the first report, even when this one joined an update.
                update_of = assignment.key.partition(UPDATE_MARK)[0]
                key = f"{update_of}{UPDATE_MARK}{deal.stage or 'update'}"
                title = f"Update: {article.title}"
            analysed.append(
                AnalysedArticle(
                    article_id=article_id,
                    matches=matches,
                    story_key=key,
                    story_title=title,
                    deal_type=deal.type,
                    deal_stage=deal.stage,
                    deal_json=json.dumps(deal.to_json(), ensure_ascii=False),
                    update_of=update_of,
                )
            )
            matched += bool(matches)
        # One transaction per batch: a crash leaves the whole batch unprocessed, never half.
        queued += store.file_articles(analysed, now)
        processed += len(batch)
    return ProcessResult(articles=processed, matched=matched, deliveries_queued=queued)


def build_digest(store: OutboxStore, channel: Channel, now: datetime) -> Digest:
    """The channel's queued stories as one digest."""
    return Digest(channel=channel, generated_at=now, items=tuple(store.pending_items(channel.id)))


def run_digest(store: OutboxStore, poster: Poster, channel: Channel, now: datetime) -> DigestResult:
    """Post the channel's queued stories, page by page, each recorded before and after.

    An update of a story the channel already got goes, alone, into that post's thread.
    """
    recovered = recover_unconfirmed(store, poster, channel, now)
    digest = build_digest(store, channel, now)
    if digest.is_empty:
        return DigestResult(channel=channel, stories_posted=0, messages=(), recovered=recovered)
    fresh = [item for item in digest.items if not item.thread_ts]
    pages = [
        replace(digest, items=tuple(fresh[start : start + MAX_STORIES_PER_MESSAGE]))
        for start in range(0, len(fresh), MAX_STORIES_PER_MESSAGE)
    ]
    numbered = [(page, number, len(pages)) for number, page in enumerate(pages, start=1)]
    numbered += [
        (replace(digest, items=(item,), thread_ts=item.thread_ts), 1, 1)
        for item in digest.items
        if item.thread_ts
    ]
    timestamps: list[str] = []
    posted = 0
    for page, number, count in numbered:
        story_ids = store.mark_sending(channel.id, [item.story_id for item in page.items])
        # Only what this call moved to "sending" is posted: another worker has the rest.
        items = tuple(item for item in page.items if item.story_id in story_ids)
        if not items:
            continue
        try:
            ts = poster.post_digest_page(replace(page, items=items), number, count)
        except DeliveryError:
            # Slack refused the post outright: nothing was posted, so queue it again.
            store.requeue(channel.id, story_ids)
            raise
        store.mark_posted(channel.id, story_ids, ts, now)
        timestamps.append(ts)
        posted += len(items)
    return DigestResult(
        channel=channel, stories_posted=posted, messages=tuple(timestamps), recovered=recovered
    )


def recover_unconfirmed(store: OutboxStore, poster: Poster, channel: Channel, now: datetime) -> int:
    """Settle posts a crash left unconfirmed: confirm those Slack has, requeue the rest."""
    story_ids = store.sending_items(channel.id)
    if not story_ids:
        return 0
    found = poster.find_posted(channel, story_ids)
    by_ts: dict[str, list[int]] = {}
    for story_id, ts in found.items():
        by_ts.setdefault(ts, []).append(story_id)
    for ts, ids in by_ts.items():
        store.mark_posted(channel.id, ids, ts, now)
    missing = [story_id for story_id in story_ids if story_id not in found]
    if missing:
        store.requeue(channel.id, missing)
    return len(story_ids)


def unwatch_entity(store: EntityStore, channel: Channel, name: str) -> bool:
    """Stop watching an entity in the channel's own watchlist."""
    return store.unwatch(channel.id, name)


def set_digest(store: ChannelStore, channel: Channel, spec: str, now: datetime) -> Channel:
    """Set `instant`, `off`, or a digest schedule such as `daily 09:00`."""
    mode = spec.strip().lower()
    schedule = None if mode in ("instant", "off") else parse_schedule(spec)

    def change(current: Channel) -> tuple[Channel, datetime | None]:
        if schedule is None:
            return replace(current, delivery=mode), None  # type: ignore[arg-type]
        updated = replace(current, delivery="digest", digest_schedule=str(schedule))
        return updated, next_run(schedule, updated.timezone, now)

    return store.update_channel(channel.id, change)


def set_timezone(store: ChannelStore, channel: Channel, timezone: str, now: datetime) -> Channel:
    """Change the channel's timezone; its next digest moves with it."""
    parse_timezone(timezone)

    def change(current: Channel) -> tuple[Channel, datetime | None]:
        updated = replace(current, timezone=timezone)
        return updated, next_digest_time(updated, now)

    return store.update_channel(channel.id, change)


def next_digest_time(channel: Channel, now: datetime) -> datetime | None:
    """When the channel's next scheduled digest goes out; None unless on a schedule."""
    if channel.delivery != "digest":
        return None
    return next_run(parse_schedule(channel.digest_schedule), channel.timezone, now)


_DURATION = re.compile(r"^(\d{1,4})\s*(h|d|w)$")
_UNIT_HOURS = {"h": 1, "d": 24, "w": 24 * 7}


def parse_duration(text: str) -> timedelta:
    """`12h`, `7d` or `2w` as a timedelta, or DealwatchError."""
    found = _DURATION.match(text.strip().lower())
    if not found or int(found.group(1)) == 0:
        raise DealwatchError(f"`{text[:20]}` is not a duration: use e.g. 12h, 7d or 2w")
    return timedelta(hours=int(found.group(1)) * _UNIT_HOURS[found.group(2)])


def resolve_entity(store: EntityStore, team_id: str, name: str) -> Entity:
    """The team's entity called name (or with that alias), else NotFoundError with a
    suggestion from the team's entities."""
    entity = store.find_entity(team_id, name)
    if entity is not None:
        return entity
    suggestion = suggest_entity(store.all_entities(team_id), name)
    hint = f" Did you mean {suggestion.name}?" if suggestion else ""
    raise NotFoundError(f"No entity called `{name[:80]}` is known.{hint}")


def suggest_entity(entities: Sequence[Entity], name: str) -> Entity | None:
    """The entity whose name or alias is closest to name, when it is close enough."""
    choices = {alias: entity for entity in entities for alias in entity.names}
    best = process.extractOne(
        name, list(choices), scorer=fuzz.WRatio, processor=str.casefold, score_cutoff=85
    )
    return choices[best[0]] if best else None


def mute_entity(
    store: EntityStore, channel: Channel, name: str, duration: str, now: datetime
) -> tuple[Entity, datetime]:
    """Silence an entity in the channel for a duration; return it and the end time."""
    entity = resolve_entity(store, channel.team_id, name)
    until = now + parse_duration(duration)
    store.mute(channel.id, entity.id, until)
    return entity, until


def unmute_entity(store: EntityStore, channel: Channel, name: str) -> tuple[Entity, bool]:
    """Lift a mute; the bool says whether there was one."""
    entity = resolve_entity(store, channel.team_id, name)
    return entity, store.unmute(channel.id, entity.id)


def lookup(
    store: LookupPorts, team_id: str, name: str, period: str, now: datetime, limit: int = 10
) -> tuple[Entity, list[StoryItem]]:
    """The latest stories about one of the team's entities, whether or not the channel
    watches it, from the articles the team may see."""
    entity = resolve_entity(store, team_id, name)
    return entity, store.stories_for_entity(entity.id, now - parse_duration(period), limit)

"""Use cases: what the scheduler, the slash commands and the CLI all call.

The pipeline: ingest_articles stores new items; process_new_articles matches each one
once against the global index, analyses the deal, files it under a story and queues a
delivery for every channel watching a matched entity; run_digest posts a channel's queue.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from rapidfuzz import fuzz, process

from watchlists.deals import analyse_deal
from watchlists.entity_rules import answers_to, has_phrase, merge_entity
from watchlists.errors import DealwatchError, DeliveryError, NotFoundError, RetryLaterError
from watchlists.matching import MatchIndex
from watchlists.model import Article, Channel, Digest, Entity
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
# What is matched and analysed of an article: its first 200 KB (UTF-8) of text, so the cost
# of any article is bounded and linear in its size; the stored text stays whole.
MAX_ANALYSED_BYTES = 200_000
# An article whose matching and analysis take longer than this is quarantined.
ARTICLE_BUDGET_S = 20.0
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


# A channel that starts watching gets the stories of this past window, in one message.
RECENT_COVERAGE = timedelta(days=7)
# Stored articles are re-matched for one entity this many at a time...
SCAN_BATCH = 500
# ...and `lookup` looks at no more than this many not yet matched for it (newest first).
LOOKUP_SCAN_LIMIT = 5000
# Joins a first report's key and the stage of a material update to it.
UPDATE_MARK = "~"


@dataclass(frozen=True)
class ProcessResult:
    """What one pass of the pipeline did."""

    articles: int
    matched: int
    deliveries_queued: int
    quarantined: int = 0


def analysed_part(article: Article) -> Article:
    """The article as matched and analysed: its text cut to the first MAX_ANALYSED_BYTES."""
    if len(article.text) <= MAX_ANALYSED_BYTES // 4:
        return article  # no UTF-8 character takes more than 4 bytes
    head = article.text.encode()[:MAX_ANALYSED_BYTES].decode(errors="ignore")
    return article if len(head) == len(article.text) else replace(article, text=head)


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


def ingest_articles(
    store: ArticleStore, articles: Sequence[Article], source_id: int | None, now: datetime
) -> int:
    """Store the articles that are new, ingested now; return how many were."""
    return store.add_articles(articles, source_id, now)


def process_new_articles(
    store: ArticleStore,
    index: MatchIndex,
    now: datetime,
    batch_size: int = 500,
    memory: StoryMemory | None = None,
    clock: Callable[[], float] = time.monotonic,
    budget_s: float = ARTICLE_BUDGET_S,
) -> ProcessResult:
    """Match, analyse and file every unprocessed article; queue deliveries.

    Each article is matched once against the global index. A story is delivered once per
    channel: re-publications and other sources join it ("also reported by") without a new
    post; a material development (the deal moves to a later stage, or a first amount) is
    filed as an update story of its own, so every watching channel hears about it, in the
    thread of the first report where the channel got one. An article whose processing
    raises or takes longer than budget_s (by clock) is quarantined with the reason; the
    others go on.
    """
    memory = memory or StoryMemory()
    try:
        result = _process_batches(
            store, index, now, batch_size, memory.index(store, now), clock, budget_s
        )
    except BaseException:
        # The index may hold assignments of a batch that was never filed.
        memory.forget()
        raise
    if result.quarantined:
        # A quarantined article may have left an assignment in the index.
        memory.forget()
    return result


def _analyse(
    article_id: int, whole: Article, stories: StoryIndex, index: MatchIndex
) -> AnalysedArticle:
    article = analysed_part(whole)
    matches = tuple(index.match(article))
    deal = analyse_deal(article, matches)
    assignment = stories.assign(article, deal, matches)
    key, title, update_of = assignment.key, article.title, ""
    if assignment.is_material_update:
        # Updates hang off the first report, even when this one joined an update.
        update_of = assignment.key.partition(UPDATE_MARK)[0]
        key = f"{update_of}{UPDATE_MARK}{deal.stage or 'update'}"
        title = f"Update: {article.title}"
    return AnalysedArticle(
        article_id=article_id,
        matches=matches,
        story_key=key,
        story_title=title,
        deal_type=deal.type,
        deal_stage=deal.stage,
        deal_json=json.dumps(deal.to_json(), ensure_ascii=False),
        update_of=update_of,
    )


def _process_batches(
    store: ArticleStore,
    index: MatchIndex,
    now: datetime,
    batch_size: int,
    stories: StoryIndex,
    clock: Callable[[], float],
    budget_s: float,
) -> ProcessResult:
    processed = matched = queued = quarantined = 0
    while batch := store.unmatched_articles(batch_size):
        analysed: list[AnalysedArticle] = []
        for article_id, article in batch:
            started = clock()
            try:
                item = _analyse(article_id, article, stories, index)
            except Exception as error:
                store.quarantine_article(article_id, _failure(error), now)
                quarantined += 1
                continue
            took = clock() - started
            if took > budget_s:
                store.quarantine_article(
                    article_id, f"took {took:.1f} s, over the {budget_s:g} s budget", now
                )
                quarantined += 1
                continue
            analysed.append(item)
            matched += bool(item.matches)
        # One transaction per batch: a crash leaves the whole batch unprocessed, never half.
        try:
            queued += store.file_articles(analysed, now)
        except Exception:
            filed, refused = _file_one_by_one(store, analysed, now)
            queued += filed
            quarantined += refused
        processed += len(batch)
    return ProcessResult(
        articles=processed, matched=matched, deliveries_queued=queued, quarantined=quarantined
    )


def _file_one_by_one(
    store: ArticleStore, analysed: Sequence[AnalysedArticle], now: datetime
) -> tuple[int, int]:
    """File a batch that failed whole article by article; quarantine those that fail."""
    # When none can be filed the trouble is not the articles (the database is down, say):
    # the error is raised and the batch stays unprocessed.
    queued, failures = 0, []
    for item in analysed:
        try:
            queued += store.file_articles([item], now)
        except Exception as error:
            failures.append((item.article_id, error))
    if failures and len(failures) == len(analysed):
        raise failures[0][1]
    for article_id, failure in failures:
        store.quarantine_article(article_id, f"filing failed: {_failure(failure)}", now)
    return queued, len(failures)


def _failure(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


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
    timestamps: list[str] = []
    posted = 0
    for page, number, count in digest_pages(digest):
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
        except RetryLaterError as error:
            # Not posted (the poster read the history after an outage), unless it could not
            # tell: then the stories stay "sending" for recover_unconfirmed to settle.
            if not error.posted_unknown:
                store.requeue(channel.id, story_ids)
            raise
        store.mark_posted(channel.id, story_ids, ts, now)
        timestamps.append(ts)
        posted += len(items)
    return DigestResult(
        channel=channel, stories_posted=posted, messages=tuple(timestamps), recovered=recovered
    )


def digest_pages(digest: Digest) -> list[tuple[Digest, int, int]]:
    """The digest as (page, number, of) posts: MAX_STORIES_PER_MESSAGE stories a page, the
    recent coverage of a new watch on pages of its own, then each update of a story the
    channel already got, alone in that post's thread."""
    numbered: list[tuple[Digest, int, int]] = []
    for recent in (False, True):
        fresh = [item for item in digest.items if not item.thread_ts and item.recent == recent]
        pages = [
            replace(
                digest,
                items=tuple(fresh[start : start + MAX_STORIES_PER_MESSAGE]),
                recent_coverage=recent,
            )
            for start in range(0, len(fresh), MAX_STORIES_PER_MESSAGE)
        ]
        numbered += [(page, number, len(pages)) for number, page in enumerate(pages, start=1)]
    numbered += [
        (replace(digest, items=(item,), thread_ts=item.thread_ts), 1, 1)
        for item in digest.items
        if item.thread_ts
    ]
    return numbered


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


def remove_entity_names(
    store: EntityStore,
    channel: Channel,
    name: str,
    aliases: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Entity:
    """Drop aliases and exclusions of an entity the channel watches; all or none.

    The entity is the workspace's, so every channel watching it stops matching those
    aliases (and its exclusions stop vetoing). A name the entity lacks is a NotFoundError.
    """
    entity = next(
        (e for e in store.channel_entities(channel.id) if answers_to(name, (e.name,))), None
    )
    if entity is None:
        raise NotFoundError(f"This channel does not watch `{name[:80]}`.")
    return remove_names_of(store, entity, aliases, exclude)


def remove_names_of(
    store: EntityStore, entity: Entity, aliases: Sequence[str], exclude: Sequence[str]
) -> Entity:
    """Drop aliases and exclusions of entity, all or none; a name it lacks is a NotFoundError."""
    missing = [a for a in aliases if not answers_to(a, entity.aliases)]
    missing += [p for p in exclude if not has_phrase(entity.exclude, p)]
    if missing:
        raise NotFoundError(
            f"{entity.name[:80]} has no alias or exclusion "
            + ", ".join(f"`{m[:40]}`" for m in missing[:5])
            + "."
        )
    return store.remove_names(entity.id, aliases, exclude)


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


def match_stored_articles(
    store: ArticleStore, entities: Sequence[Entity], since: datetime, limit: int | None = None
) -> int:
    """Match processed articles ingested since then against these entities alone and record
    the mentions not known yet; return how many (article, entity) pairs were new.

    The pipeline matches an article once, against the entities watched at that time: an
    entity watched later needs this to find what was already stored.
    """
    index = MatchIndex(entities)
    ids = [entity.id for entity in entities]
    found = scanned = 0
    before: int | None = None
    while batch := store.unscanned_articles(ids, since, before, SCAN_BATCH):
        hits = [(article_id, tuple(index.match(article))) for article_id, article in batch]
        found += store.add_matches(
            [(article_id, matches) for article_id, matches in hits if matches]
        )
        before = batch[-1][0]
        scanned += len(batch)
        if limit is not None and scanned >= limit:
            break
    return found


def cover_recent(
    store: ArticleStore, channel: Channel, entities: Sequence[Entity], now: datetime
) -> int:
    """For a channel that starts watching entities: match the stored articles of the last
    RECENT_COVERAGE for them and queue their newest stories, at most one message's worth;
    return how many stories were queued."""
    since = now - RECENT_COVERAGE
    match_stored_articles(store, entities, since)
    return store.queue_recent_stories(
        channel.id, [entity.id for entity in entities], since, MAX_STORIES_PER_MESSAGE, now
    )

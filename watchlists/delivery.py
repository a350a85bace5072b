"""Delivering queued stories: which channel gets what, when, exactly once.

A pass claims channels that are due (a scheduled digest whose time has come, or an
instant channel with queued stories) with a lease, so several processes can share the
work; each claimed channel goes through `run_digest` (outbox: recorded before and after
every post, reconciled with Slack after a crash), then the lease is released and the next
digest time set. Leases are short (LEASE, 15 s) and renewed by a heartbeat while the
process lives, so a crashed process's channels are taken over within seconds. Slack
refusing a channel for good (not_in_channel, channel_not_found, is_archived, ...) pauses
it and tells the installer once. A channel whose post fails otherwise (a refusal Slack
does not call final, a rate limit, an outage after the retries) is backed off on its own,
with the reason recorded; the rest of the pass goes on. A digest whose time passed while no worker ran is sent once when one
comes back within DIGEST_GRACE (6 h); later than that it waits for its next time.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Executor, as_completed
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import count
from typing import Protocol

from watchlists.errors import DeliveryError, RetryLaterError
from watchlists.model import Channel, Digest
from watchlists.ports import ChannelStore, OutboxStore, Poster
from watchlists.services import (
    DigestResult,
    digest_pages,
    next_digest_time,
    recover_unconfirmed,
)


class DeliveryPorts(OutboxStore, ChannelStore, Protocol):
    """What a delivery pass needs: the outbox, and channels to pause."""


# Short leases a heartbeat renews while the work runs (bot/scheduler.py): a crashed
# process's channels are free again LEASE after its last renewal.
LEASE = timedelta(seconds=15)
LEASE_RENEWAL = timedelta(seconds=5)
CHANNEL_BACKOFF_BASE = timedelta(seconds=30)
CHANNEL_BACKOFF_MAX = timedelta(hours=1)
BACKOFF_DOUBLINGS = 10
DIGEST_GRACE = timedelta(hours=6)

PAUSE_HINTS = {
    "not_in_channel": "invite the bot to the channel (/invite @dealwatch)",
    "channel_not_found": "the channel was deleted or the bot cannot see it",
    "is_archived": "the channel is archived",
}


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery pass did."""

    channels: int = 0
    stories: int = 0
    paused: tuple[str, ...] = ()
    results: tuple[DigestResult, ...] = ()
    # (channel, reason) of channels backed off after a failure the pass did not let stop it.
    backed_off: tuple[tuple[str, str], ...] = ()
    # How many channels the pass leased: a full batch means more may be waiting.
    claimed: int = 0

    def plus(self, other: DeliveryReport) -> DeliveryReport:
        """Both passes' work as one report."""
        return DeliveryReport(
            channels=self.channels + other.channels,
            stories=self.stories + other.stories,
            paused=(*self.paused, *other.paused),
            results=(*self.results, *other.results),
            backed_off=(*self.backed_off, *other.backed_off),
            claimed=self.claimed + other.claimed,
        )


# Channels whose pages of one round go to the database together: one statement marks
# their pages sending, one records the posts as they land.
ROUND_CHUNK = 100


@dataclass
class _ChannelRun:
    """One claimed channel's pages and what became of them in this pass."""

    channel: Channel
    pages: list[tuple[Digest, int, int]] = field(default_factory=list)
    recovered: int = 0
    posted: int = 0
    timestamps: list[str] = field(default_factory=list)
    failed: bool = False

    def result(self) -> DigestResult:
        """What the channel got, as run_digest reports it."""
        return DigestResult(
            channel=self.channel,
            stories_posted=self.posted,
            messages=tuple(self.timestamps),
            recovered=self.recovered,
        )


def deliver_due(
    store: DeliveryPorts,
    poster: Poster,
    now: datetime,
    owner: str,
    limit: int = 100,
    pool: Executor | None = None,
) -> DeliveryReport:
    """Post every due digest and instant alert this worker can claim.

    Every claimed channel gets its first page before any gets its second, and so on; the
    pages of one round are posted concurrently with a pool (the poster keeps each channel's
    own pace), one after another without one. The outbox is read for all the channels at
    once and written once per ROUND_CHUNK channels and round: recorded as sending before
    the round's posts, as posted when they land, so a crash in between is settled by
    recover_unconfirmed (the channel's history) as in run_digest.
    """
    channels = store.claim_deliverable_channels(now, owner, now + LEASE, limit)
    report = DeliveryReport(claimed=len(channels))
    runs: list[_ChannelRun] = []
    for channel in channels:
        if _missed_for_too_long(channel, now):
            # The bot was down past the grace period: skip to the next digest time; the
            # queued stories wait for it, so nothing is lost and nothing arrives stale.
            store.release_channel(channel.id, owner, next_digest_time(channel, now))
        else:
            runs.append(_ChannelRun(channel))
    try:
        report = report.plus(_load_pages(store, poster, runs, now, owner))
        for number in count():
            due = [run for run in runs if not run.failed and number < len(run.pages)]
            if not due:
                break
            report = report.plus(_post_pages(store, poster, due, number, now, owner, pool))
    except Exception as error:
        # The store failed for the whole batch: every channel not done backs off (or keeps
        # its lease until it lapses, when the store is down), so none stays held.
        for run in runs:
            if not run.failed:
                with suppress(Exception):
                    report = report.plus(_fail(store, poster, run, error, now, owner))
        return report
    served = [run for run in runs if not run.failed]
    store.release_channels(
        [(run.channel.id, next_digest_time(run.channel, now)) for run in served], owner
    )
    for run in served:
        report = report.plus(
            DeliveryReport(channels=1, stories=run.posted, results=(run.result(),))
        )
    return report


def _load_pages(
    store: DeliveryPorts, poster: Poster, runs: list[_ChannelRun], now: datetime, owner: str
) -> DeliveryReport:
    """Settle the channels' unconfirmed posts, then read every channel's pages at once."""
    report = DeliveryReport()
    unconfirmed = store.sending_items_of([run.channel.id for run in runs])
    for run in runs:
        if run.channel.id in unconfirmed:
            try:
                run.recovered = recover_unconfirmed(store, poster, run.channel, now)
            except Exception as error:
                report = report.plus(_fail(store, poster, run, error, now, owner))
    live = [run for run in runs if not run.failed]
    pending = store.pending_items_of([run.channel.id for run in live])
    for run in live:
        items = tuple(pending.get(run.channel.id, ()))
        run.pages = digest_pages(Digest(channel=run.channel, generated_at=now, items=items))
    return report


def _post_pages(
    store: DeliveryPorts,
    poster: Poster,
    runs: list[_ChannelRun],
    number: int,
    now: datetime,
    owner: str,
    pool: Executor | None,
) -> DeliveryReport:
    """Post page `number` of each run: marked sending ROUND_CHUNK channels a statement, all
    posted at once (no channel waits for a slower one), recorded as ROUND_CHUNK land."""
    pages = {run.channel.id: run.pages[number] for run in runs}
    moved: dict[int, list[int]] = {}
    for start in range(0, len(runs), ROUND_CHUNK):
        moved |= store.mark_sending_pages(
            [
                (run.channel.id, [item.story_id for item in pages[run.channel.id][0].items])
                for run in runs[start : start + ROUND_CHUNK]
            ]
        )

    def post(run: _ChannelRun) -> str | Exception:
        page, page_number, page_count = pages[run.channel.id]
        # Only what this pass moved to "sending" is posted: another worker has the rest.
        mine = set(moved[run.channel.id])
        items = tuple(item for item in page.items if item.story_id in mine)
        try:
            return poster.post_digest_page(replace(page, items=items), page_number, page_count)
        except Exception as error:
            return error

    sent = [run for run in runs if run.channel.id in moved]
    if pool is None:
        landed: Iterable[tuple[_ChannelRun, str | Exception]] = ((run, post(run)) for run in sent)
    else:
        futures = {pool.submit(post, run): run for run in sent}
        landed = ((futures[future], future.result()) for future in as_completed(futures))
    report = DeliveryReport()
    done: list[tuple[_ChannelRun, str | Exception]] = []
    for outcome in landed:
        done.append(outcome)
        if len(done) == ROUND_CHUNK:
            report = report.plus(_record(store, poster, done, moved, now, owner))
            done = []
    return report.plus(_record(store, poster, done, moved, now, owner))


def _record(
    store: DeliveryPorts,
    poster: Poster,
    outcomes: list[tuple[_ChannelRun, str | Exception]],
    moved: dict[int, list[int]],
    now: datetime,
    owner: str,
) -> DeliveryReport:
    """Record the posts that landed in one statement; back off the channels that failed."""
    store.record_posts(
        [
            (run.channel.id, moved[run.channel.id], outcome)
            for run, outcome in outcomes
            if isinstance(outcome, str)
        ],
        now,
    )
    report = DeliveryReport()
    for run, outcome in outcomes:
        story_ids = moved[run.channel.id]
        if isinstance(outcome, str):
            run.timestamps.append(outcome)
            run.posted += len(story_ids)
            continue
        # Slack refused the post outright, or the poster read the history after an outage
        # and found it not posted: queue it again. When it could not tell (or the error was
        # unexpected), the stories stay "sending" for recover_unconfirmed to settle.
        refused = isinstance(outcome, DeliveryError) or (
            isinstance(outcome, RetryLaterError) and not outcome.posted_unknown
        )
        if refused:
            store.requeue(run.channel.id, story_ids)
        report = report.plus(_fail(store, poster, run, outcome, now, owner))
    return report


def _fail(
    store: DeliveryPorts,
    poster: Poster,
    run: _ChannelRun,
    error: Exception,
    now: datetime,
    owner: str,
) -> DeliveryReport:
    """Pause the channel on a final refusal, else back it off on its own; its lease ends."""
    run.failed = True
    channel = run.channel
    if isinstance(error, DeliveryError):
        _pause(store, poster, channel, error.code)
        return DeliveryReport(paused=(channel.slack_id,))
    if isinstance(error, RetryLaterError):
        reason = error.code
        not_before = now + backoff_delay(channel.failures, error.retry_after)
    else:
        # Unexpected: the channel backs off like any failing one; the others go on, and
        # what was not posted stays in the outbox.
        reason = f"error: {type(error).__name__}: {error}"
        not_before = now + backoff_delay(channel.failures, None)
    store.back_off_channel(channel.id, owner, not_before, reason)
    return DeliveryReport(backed_off=((channel.slack_id, reason),))


def backoff_delay(failures: int, retry_after: float | None) -> timedelta:
    """Slack's Retry-After, else CHANNEL_BACKOFF_BASE doubled per earlier failure, capped."""
    if retry_after is not None:
        return timedelta(seconds=max(retry_after, 0.0))
    doubled: timedelta = CHANNEL_BACKOFF_BASE * 2 ** min(failures, BACKOFF_DOUBLINGS)
    return min(doubled, CHANNEL_BACKOFF_MAX)


def _missed_for_too_long(channel: Channel, now: datetime) -> bool:
    due = channel.next_digest_at
    return channel.delivery == "digest" and due is not None and now - due > DIGEST_GRACE


def _pause(store: ChannelStore, poster: Poster, channel: Channel, code: str) -> None:
    if not store.pause_channel(channel.id, code):
        return
    installer = store.installer_of(channel.team_id)
    if not installer:
        return
    hint = PAUSE_HINTS.get(code, "check the app's installation")
    name = f"#{channel.name}" if channel.name else channel.slack_id
    notice = (
        f"dealwatch paused deliveries to {name}: Slack said {code} ({hint}). "
        "Run any /deals command there to resume."
    )
    # If the installer cannot be reached either, the pause is still recorded.
    with suppress(DeliveryError):
        poster.post_notice(replace(channel, slack_id=installer), notice)

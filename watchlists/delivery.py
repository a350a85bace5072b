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

from concurrent.futures import Executor, wait
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from watchlists.errors import DeliveryError, RetryLaterError
from watchlists.model import Channel
from watchlists.ports import ChannelStore, OutboxStore, Poster
from watchlists.services import DigestResult, next_digest_time, run_digest


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


def deliver_due(
    store: DeliveryPorts,
    poster: Poster,
    now: datetime,
    owner: str,
    limit: int = 100,
    pool: Executor | None = None,
) -> DeliveryReport:
    """Post every due digest and instant alert this worker can claim.

    With a pool the claimed channels are served concurrently (the poster keeps each
    channel's own pace); without one, one after another.
    """
    channels = store.claim_deliverable_channels(now, owner, now + LEASE, limit)

    def serve(channel: Channel) -> DeliveryReport:
        return _deliver_channel(store, poster, channel, now, owner)

    if pool is None:
        outcomes = [serve(channel) for channel in channels]
    else:
        futures = [pool.submit(serve, channel) for channel in channels]
        wait(futures)
        # Every channel had its turn; a failure of one is raised after the others ran.
        outcomes = [future.result() for future in futures]
    report = DeliveryReport(claimed=len(channels))
    for outcome in outcomes:
        report = report.plus(outcome)
    return report


def _deliver_channel(
    store: DeliveryPorts, poster: Poster, channel: Channel, now: datetime, owner: str
) -> DeliveryReport:
    """Serve one claimed channel; whatever happens, its lease ends here."""
    if _missed_for_too_long(channel, now):
        # The bot was down past the grace period: skip to the next digest time; the
        # queued stories wait for it, so nothing is lost and nothing arrives stale.
        store.release_channel(channel.id, owner, next_digest_time(channel, now))
        return DeliveryReport()
    try:
        result = run_digest(store, poster, channel, now)
    except DeliveryError as error:
        _pause(store, poster, channel, error.code)
        return DeliveryReport(paused=(channel.slack_id,))
    except RetryLaterError as error:
        reason = error.code
        not_before = now + backoff_delay(channel.failures, error.retry_after)
    except Exception as error:
        # Unexpected: the channel backs off like any failing one; the others go on, and
        # what was not posted stays in the outbox.
        reason = f"error: {type(error).__name__}: {error}"
        not_before = now + backoff_delay(channel.failures, None)
    else:
        store.release_channel(channel.id, owner, next_digest_time(channel, now))
        return DeliveryReport(channels=1, stories=result.stories_posted, results=(result,))
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

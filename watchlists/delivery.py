"""Delivering queued stories: which channel gets what, when, exactly once.

A pass claims channels that are due (a scheduled digest whose time has come, or an
instant channel with queued stories) with a lease, so several processes can share the
work; each claimed channel goes through `run_digest` (outbox: recorded before and after
every post, reconciled with Slack after a crash), then the lease is released and the next
digest time set. A lease that outlives a crashed process simply expires. Slack refusing a
channel for good (not_in_channel, channel_not_found, is_archived, ...) pauses it and tells
the installer once. A digest whose time passed while no worker ran is sent once when one
comes back within DIGEST_GRACE (6 h); later than that it waits for its next time.
"""

from __future__ import annotations

from concurrent.futures import Executor, wait
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from watchlists.errors import DeliveryError
from watchlists.model import Channel
from watchlists.ports import ChannelStore, OutboxStore, Poster
from watchlists.services import DigestResult, next_digest_time, run_digest


class DeliveryPorts(OutboxStore, ChannelStore, Protocol):
    """What a delivery pass needs: the outbox, and channels to pause."""


LEASE = timedelta(minutes=10)
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
    # How many channels the pass leased: a full batch means more may be waiting.
    claimed: int = 0


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
        report = replace(
            report,
            channels=report.channels + outcome.channels,
            stories=report.stories + outcome.stories,
            paused=(*report.paused, *outcome.paused),
            results=(*report.results, *outcome.results),
        )
    return report


def _deliver_channel(
    store: DeliveryPorts, poster: Poster, channel: Channel, now: datetime, owner: str
) -> DeliveryReport:
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
    except Exception:
        # Release so another pass retries soon; the outbox keeps what was not posted.
        store.release_channel(channel.id, owner, _retry_time(channel, now))
        raise
    store.release_channel(channel.id, owner, next_digest_time(channel, now))
    return DeliveryReport(channels=1, stories=result.stories_posted, results=(result,))


def _missed_for_too_long(channel: Channel, now: datetime) -> bool:
    due = channel.next_digest_at
    return channel.delivery == "digest" and due is not None and now - due > DIGEST_GRACE


def _retry_time(channel: Channel, now: datetime) -> datetime | None:
    return now + timedelta(minutes=1) if channel.delivery == "digest" else None


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

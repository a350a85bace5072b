"""SlackPoster: the core's Poster port over slack_sdk's WebClient."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from handlers.blocks import digest_message, escape
from watchlists.errors import DeliveryError, RetryLaterError
from watchlists.model import Channel, Digest

METADATA_EVENT = "dealwatch_digest"
# Errors that retrying will not fix: the channel's deliveries pause until a human acts.
PERMANENT_ERRORS = frozenset(
    {
        "not_in_channel",
        "channel_not_found",
        "is_archived",
        "token_revoked",
        "tokens_revoked",
        "invalid_auth",
        "account_inactive",
        "app_uninstalled",
        "missing_scope",
    }
)


# A post is tried this many times when Slack answers 5xx or the connection fails, the
# channel's history checked before each new try: the first post may have landed.
POST_ATTEMPTS = 3
# Retry handlers that repeat a request blindly or sleep out a Retry-After: posts do without.
BLIND_RETRIES = (ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, ServerErrorRetryHandler)
SERVER_ERROR = 500
RATE_LIMITED = 429


def make_web_client(token: str, base_url: str) -> WebClient:
    """A WebClient that retries 429s (honouring Retry-After), connection errors and 5xx."""
    return WebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


class ChannelPacer:
    """Keeps posts to one channel at least interval seconds apart."""

    def __init__(
        self,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.interval, self.clock, self.sleep, self.wall = interval, clock, sleep, wall
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str, last_post_at: datetime | None = None) -> None:
        """Block until channel may receive another post, since its last post from any process."""
        # last_post_at is the database's: a channel taken over from another replica keeps
        # its pace.
        with self._lock:
            now = self.clock()
            ready = self._last.get(channel, now - self.interval) + self.interval
            if last_post_at is not None:
                # A clock ahead of ours cannot make a channel wait more than one interval.
                age = max((self.wall() - last_post_at).total_seconds(), 0.0)
                ready = max(ready, now + self.interval - age)
            self._last[channel] = max(now, ready)
        if ready > now:
            self.sleep(ready - now)

    def sent(self, channel: str) -> None:
        """Note that a post just landed: retries after a 429 may have taken a while."""
        with self._lock:
            self._last[channel] = max(self._last.get(channel, 0.0), self.clock())


# Slack allows "several hundred messages per minute" per workspace above the 1/s per
# channel: 10/s (600 a minute) with bursts of 30, and 429s are retried anyway.
WORKSPACE_POSTS_PER_S = 10.0
WORKSPACE_BURST = 30


class WorkspaceLimiter:
    """A token bucket per workspace: posts to all its channels stay under one rate."""

    def __init__(
        self,
        rate: float = WORKSPACE_POSTS_PER_S,
        burst: int = WORKSPACE_BURST,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate, self.burst, self.clock, self.sleep = rate, burst, clock, sleep
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait(self, team: str) -> None:
        """Block until the workspace may receive another post (no limit when rate <= 0)."""
        if self.rate <= 0:
            return
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(team, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate) - 1.0
            self._buckets[team] = (tokens, now)
        # A negative balance is this post's place in the queue: wait until it is repaid.
        if tokens < 0:
            self.sleep(-tokens / self.rate)


class SlackPoster:
    """Posts digests with chat.postMessage; tags each with the stories it carries."""

    def __init__(
        self,
        client: WebClient,
        pacer: ChannelPacer | None = None,
        worker: str = "",
        workspace: WorkspaceLimiter | None = None,
    ) -> None:
        self.client = client
        self.pacer = pacer or ChannelPacer()
        self.worker = worker
        # Posts are not retried blindly: a 5xx may hide a post that landed, and a Retry-After
        # is the channel's to wait out (the core records it), not this thread's to sleep.
        self._post_client = copy.copy(client)
        self._post_client.retry_handlers = [
            handler for handler in client.retry_handlers if not isinstance(handler, BLIND_RETRIES)
        ]
        self.workspace = workspace or WorkspaceLimiter(rate=0)

    def post_digest_page(self, digest: Digest, page: int, pages: int) -> str:
        """Post one digest page; return its ts, else DeliveryError (final) or RetryLaterError."""
        # RetryLaterError: a refusal Slack does not call final, a 429 (with its Retry-After)
        # or an outage that outlasted the tries. After a 5xx or a lost connection the
        # channel's history is read before posting again, so a post Slack took despite the
        # error is not made twice.
        channel = digest.channel
        story_ids = [item.story_id for item in digest.items]
        message = digest_message(digest, page, pages)
        message["metadata"] = {
            "event_type": METADATA_EVENT,
            "event_payload": {"story_ids": story_ids, "worker": self.worker},
        }
        outcome = ""
        for _attempt in range(POST_ATTEMPTS):
            self.pacer.wait(channel.slack_id, channel.last_post_at)
            self.workspace.wait(channel.team_id)
            try:
                return str(self._post_client.chat_postMessage(**message)["ts"])
            except SlackApiError as error:
                outcome = self._refusal(error, channel.slack_id)
            except OSError as error:  # connection refused, reset or timed out
                outcome = f"connection: {type(error).__name__}"
            finally:
                self.pacer.sent(channel.slack_id)
            found = self._landed(channel, story_ids, outcome)
            if found:
                return found
        raise RetryLaterError(f"{outcome} after {POST_ATTEMPTS} tries", channel.slack_id)

    def _refusal(self, error: SlackApiError, target: str) -> str:
        """The outcome of a post Slack answered with an error, when it may have landed."""
        status = int(error.response.status_code or 0)
        code = str(error.response.get("error", "") or f"http_{status}")
        if code in PERMANENT_ERRORS:
            raise DeliveryError(code, target) from None
        if status == RATE_LIMITED:
            retry_after = error.response.headers.get("Retry-After", "")
            wait = float(retry_after) if str(retry_after).isdigit() else None
            raise RetryLaterError("ratelimited", target, wait) from None
        if status < SERVER_ERROR:
            raise RetryLaterError(code, target) from None  # e.g. msg_too_long, invalid_blocks
        return f"http_{status}"

    def _landed(self, channel: Channel, story_ids: Sequence[int], outcome: str) -> str:
        """The ts of a message already carrying these stories, "" when there is none."""
        try:
            found = self.find_posted(channel, story_ids)
        except (SlackApiError, OSError):
            raise RetryLaterError(
                f"{outcome}; history unreadable", channel.slack_id, posted_unknown=True
            ) from None
        return next(iter(found.values()), "")

    def post_notice(self, channel: Channel, text: str) -> str:
        """Post a short plain notice; return its ts."""
        self.pacer.wait(channel.slack_id)
        self.workspace.wait(channel.team_id)
        try:
            response = self._call(
                "chat_postMessage", channel.slack_id, channel=channel.slack_id, text=escape(text)
            )
        finally:
            self.pacer.sent(channel.slack_id)
        return str(response["ts"])

    def find_posted(self, channel: Channel, story_ids: Sequence[int]) -> dict[int, str]:
        """Stories among story_ids that recent messages in the channel already carry."""
        wanted = set(story_ids)
        found: dict[int, str] = {}
        response = self._call(
            "conversations_history",
            channel.slack_id,
            channel=channel.slack_id,
            limit=200,
            include_all_metadata=True,
        )
        for message in response.get("messages", []):
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") != METADATA_EVENT:
                continue
            for story_id in metadata.get("event_payload", {}).get("story_ids", []):
                if story_id in wanted:
                    found.setdefault(int(story_id), str(message["ts"]))
        return found

    def _call(self, method: str, target: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, method)(**kwargs)
        except SlackApiError as error:
            code = str(error.response.get("error", "unknown_error"))
            if code in PERMANENT_ERRORS:
                raise DeliveryError(code, target) from None
            raise

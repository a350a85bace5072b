"""Request-level rules every Slack request passes through, and the workspace lifecycle events.

- A request is applied at most once. Slack redelivers an event it thinks we missed (with
  X-Slack-Retry-Num); the key is its event_id. A button click is keyed by team, user,
  action_ts and action_id; a slash command by its timestamp and signature, which are the
  same only when the very same request arrives twice. A repeat gets an empty 200 (the ack
  Slack waited for) and changes nothing.
- When the app is uninstalled or its bot token revoked, the team's channels, lists and
  history are deleted. With OAuth, Bolt's token revocation listeners delete the
  installation; in single-workspace mode the events are just acknowledged.
- The first /deals command of a workspace whose timezone is unknown looks up the person's
  timezone once (users.info); new channels of the workspace start in it.
- When the database does not answer, these rules let the request through rather than
  fail it: the listener acks at once and its own failure becomes a "degraded" reply.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.deps import Deps
from watchlists.errors import DealwatchError
from watchlists.schedule import parse_timezone

log = logging.getLogger("dealwatch.events")

GONE_EVENTS = frozenset({"app_uninstalled", "tokens_revoked"})


def request_key(body: Mapping[str, Any], headers: Mapping[str, Sequence[str]]) -> str | None:
    """The key under which a request counts as handled; None for requests never deduplicated."""
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    if body.get("type") == "block_actions" and body.get("actions"):
        action = body["actions"][0]
        team = (body.get("team") or {}).get("id", "")
        user = (body.get("user") or {}).get("id", "")
        return f"action:{team}:{user}:{action.get('action_ts', '')}:{action.get('action_id', '')}"
    if body.get("command"):
        stamp = (headers.get("x-slack-request-timestamp") or [""])[0]
        signature = (headers.get("x-slack-signature") or [""])[0]
        if stamp and signature:
            return f"command:{stamp}:{signature}"
    return None


def workspace_gone(body: Mapping[str, Any]) -> bool:
    """True for an uninstall, or a revocation of the bot's tokens."""
    event = body.get("event") or {}
    if body.get("type") != "event_callback" or event.get("type") not in GONE_EVENTS:
        return False
    return event["type"] == "app_uninstalled" or bool((event.get("tokens") or {}).get("bot"))


def make_dedupe(deps: Deps) -> Callable[..., BoltResponse | None]:
    """Middleware that answers a repeated request with an empty 200 and stops it there."""

    def dedupe_requests(req: BoltRequest, next: Callable[[], None]) -> BoltResponse | None:
        key = request_key(req.body, req.headers)
        if key is not None and not _first_time(deps, key):
            retry = (req.headers.get("x-slack-retry-num") or ["0"])[0]
            log.info("ignoring a repeated Slack request %s (retry %s)", key, retry)
            return BoltResponse(status=200, body="")
        next()
        return None

    return dedupe_requests


def _first_time(deps: Deps, key: str) -> bool:
    # The store's failure is not this rule's to report: the listener acks, then tells the user.
    try:
        return deps.store.first_time(key, deps.now())
    except Exception:
        log.warning("could not check %s for a repeat: the store failed", key, exc_info=True)
        return True


def make_forget_workspace(deps: Deps) -> Callable[..., None]:
    """Middleware that deletes a team's own rows when the app leaves it."""

    def forget_workspace(body: dict[str, Any], next: Callable[[], None]) -> None:
        if workspace_gone(body):
            team_id = str(body.get("team_id", ""))
            if deps.store.forget_workspace(team_id):
                log.info("forgot workspace %s: %s", team_id, body["event"]["type"])
        next()

    return forget_workspace


def make_timezone_lookup(deps: Deps) -> Callable[..., None]:
    """Middleware that learns a workspace's timezone from the first /deals user."""
    settled: set[str] = set()

    def learn_timezone(body: dict[str, Any], client: WebClient, next: Callable[[], None]) -> None:
        team_id, user_id = str(body.get("team_id", "")), str(body.get("user_id", ""))
        if body.get("command") and team_id and user_id and team_id not in settled:
            # Once looked up (or failed), never again in this process: commands stay fast.
            settled.add(team_id)
            try:
                if deps.store.workspace_timezone(team_id) is None:
                    timezone = user_timezone(client, user_id)
                    if timezone:
                        deps.store.set_workspace_timezone(team_id, timezone, user_id)
            except Exception:
                settled.discard(team_id)  # try again once the store answers
                log.warning("could not learn the timezone of %s", team_id, exc_info=True)
        next()

    return learn_timezone


def user_timezone(client: WebClient, user_id: str) -> str:
    """The person's IANA timezone from users.info, or "" when unknown or unusable."""
    try:
        timezone = str((client.users_info(user=user_id).get("user") or {}).get("tz") or "")
        parse_timezone(timezone)
    except (SlackApiError, DealwatchError, ValueError):
        return ""
    return timezone


def handle_workspace_gone() -> None:
    """Acknowledge uninstall and revocation events (the rows went in the middleware)."""


def register(app: App, deps: Deps) -> None:
    """Attach the request middleware and, without OAuth, the lifecycle listeners."""
    app.middleware(make_dedupe(deps))
    app.middleware(make_forget_workspace(deps))
    app.middleware(make_timezone_lookup(deps))
    if app.installation_store is None:
        for event_type in sorted(GONE_EVENTS):
            app.event(event_type)(handle_workspace_gone)

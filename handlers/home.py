"""The App Home tab: the channels the viewer is in, their watchlists, schedules, feeds and news.

Each person sees only the channels they are a member of (users.conversations, which with
a bot token lists the channels the person shares with the bot). When Slack cannot say,
the Home shows no channel rather than every channel.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers import panel
from handlers.deps import Deps

log = logging.getLogger("dealwatch.home")

# Only the types the bot scopes (channels:read, groups:read) let it list.
CONVERSATION_TYPES = "public_channel,private_channel"
PAGE_SIZE = 200
# A bound on the pages read for one Home: 20 x 200 channels.
MAX_PAGES = 20


def member_channels(client: WebClient, user_id: str) -> set[str]:
    """The Slack ids of the conversations the person is in; empty when Slack refuses."""
    channels: set[str] = set()
    cursor = ""
    try:
        for _page in range(MAX_PAGES):
            answer = client.users_conversations(
                user=user_id,
                types=CONVERSATION_TYPES,
                exclude_archived=True,
                limit=PAGE_SIZE,
                cursor=cursor or None,
            )
            channels.update(str(c.get("id", "")) for c in answer.get("channels") or [])
            cursor = str((answer.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                break
    except SlackApiError as error:
        log.warning("users.conversations failed for %s: %s", user_id, error.response.get("error"))
        return set()
    return channels


def handle_app_home_opened(
    event: dict[str, Any], context: BoltContext, client: WebClient, deps: Deps
) -> None:
    """Publish the Home tab for the person who opened it (events are acked by Bolt first)."""
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    panel.publish_home(client, deps, context.team_id or "", str(event["user"]))


def register(app: App, deps: Deps) -> None:
    """Attach the App Home listener to the app."""
    app.event("app_home_opened")(partial(handle_app_home_opened, deps=deps))

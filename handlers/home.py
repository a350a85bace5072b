"""The App Home tab: the workspace's channels, their watchlists, schedules, feeds and news."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from handlers.blocks import home_view
from handlers.deps import Deps
from watchlists import feedback


def handle_app_home_opened(
    event: dict[str, Any], context: BoltContext, client: WebClient, deps: Deps
) -> None:
    """Publish the Home tab for the person who opened it (events are acked by Bolt first)."""
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    overview = feedback.home_overview(deps.store, context.team_id or "", deps.now())
    client.views_publish(user_id=event["user"], view=home_view(overview))


def register(app: App, deps: Deps) -> None:
    """Attach the App Home listener to the app."""
    app.event("app_home_opened")(partial(handle_app_home_opened, deps=deps))

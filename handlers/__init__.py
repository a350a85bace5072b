"""Slack surfaces: each module registers its listeners on a Bolt app."""

from __future__ import annotations

from slack_bolt import App

from handlers import actions, commands, events, home, list_panel, lookup, panel
from handlers.deps import Deps


def register_all(app: App, deps: Deps) -> None:
    """Register every Slack surface on app."""
    events.register(app, deps)
    # Before commands: the panel answers `/deals` with no arguments (the settings modal).
    panel.register(app, deps)
    list_panel.register(app, deps)
    commands.register(app, deps)
    actions.register(app, deps)
    lookup.register(app, deps)
    home.register(app, deps)

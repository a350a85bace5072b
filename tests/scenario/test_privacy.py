"""Within one workspace: who sees which channel, and who may change a shared list (issue 14.10)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
from sqlalchemy import text

from handlers.blocks import validate_view
from tests.fakes.signing import signed_headers, slash_command_body
from tests.fakes.slack_api import event_body
from tests.scenario.conftest import SECRET, RunningBot
from watchlists.model import Entity


def _responses(bot: RunningBot) -> list[dict[str, Any]]:
    return [call.body for call in bot.slack.calls if call.path == "/hooks/response"]


def ask(bot: RunningBot, command: str, channel_id: str = "C0ONE", user_id: str = "U0USER") -> str:
    """Send a signed /deals command as user_id in channel_id; return its ephemeral answer."""
    before = len(_responses(bot))
    body = (
        slash_command_body(command, bot.slack.response_url, channel_id)
        .replace("trigger_id=1.2.3", f"trigger_id={uuid.uuid4().hex}")
        .replace("user_id=U0USER", f"user_id={user_id}")
    )
    answer = httpx.post(
        f"{bot.url}/slack/events", content=body, headers=signed_headers(SECRET, body)
    )
    assert answer.status_code == 200
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        answers = _responses(bot)
        if len(answers) > before:
            return str(answers[before]["text"])
        time.sleep(0.02)
    raise AssertionError(f"no answer to {command!r}")


def list_entities(bot: RunningBot, name: str) -> list[str]:
    """The entity names on the team's shared list called name."""
    watchlist = bot.store.find_watchlist("T0TEST", name)
    assert watchlist is not None
    return [entity.name for entity in watchlist.entities]


def test_the_home_shows_only_the_channels_the_viewer_is_in(bot: RunningBot) -> None:
    mine = bot.store.ensure_channel("T0TEST", "C0MINE", "deal-desk")
    hidden = bot.store.ensure_channel("T0TEST", "C0SECRET", "board-private")
    bot.store.watch(mine.id, Entity(name="Kestrel Robotics"))
    bot.store.watch(hidden.id, Entity(name="Project Nightjar"))
    bot.slack.user_channels["U0USER"] = ["C0MINE", "C0UNKNOWN"]
    event = {"type": "app_home_opened", "user": "U0USER", "channel": "D0HOME", "tab": "home"}
    body = event_body(event, "Ev0PRIV1")
    answer = httpx.post(
        f"{bot.url}/slack/events", content=body, headers=signed_headers(SECRET, body)
    )
    assert answer.status_code == 200
    deadline = time.monotonic() + 5
    while not bot.slack.calls_to("views.publish") and time.monotonic() < deadline:
        time.sleep(0.02)
    [call] = bot.slack.calls_to("views.publish")
    [asked] = bot.slack.calls_to("users.conversations")
    assert asked.body["user"] == "U0USER"
    view = call.body["view"]
    assert validate_view(view) == []
    shown = str(view)
    assert "C0MINE" in shown and "Kestrel Robotics" in shown
    assert "C0SECRET" not in shown and "Nightjar" not in shown and "board-private" not in shown


def test_only_the_creating_channel_or_an_admin_may_change_a_shared_list(bot: RunningBot) -> None:
    ask(bot, "watchlist new fintech", "C0ONE")
    assert "Added *Kaspi*" in ask(bot, "watchlist add fintech Kaspi", "C0ONE")
    for attempt in (
        "watchlist add fintech Ozon",
        "watchlist remove fintech Kaspi",
        "watchlist rename fintech payments",
        "watchlist delete fintech",
    ):
        refused = ask(bot, attempt, "C0TWO")
        assert "Only the channel that created *fintech*, or a workspace admin" in refused
    assert list_entities(bot, "fintech") == ["Kaspi"]
    bot.slack.admins.add("U0ADMIN")
    assert "Added *Ozon*" in ask(bot, "watchlist add fintech Ozon", "C0TWO", user_id="U0ADMIN")
    assert list_entities(bot, "fintech") == ["Kaspi", "Ozon"]


def test_a_list_from_before_creators_were_kept_is_changed_by_admins_only(bot: RunningBot) -> None:
    bot.store.create_watchlist("T0TEST", "legacy")
    with bot.store.engine.begin() as connection:
        assert connection.execute(text("SELECT created_in FROM watchlist")).scalar_one() == ""
    assert "workspace admin" in ask(bot, "watchlist add legacy Kaspi", "C0ONE")
    bot.slack.admins.add("U0ADMIN")
    assert "Added *Kaspi*" in ask(bot, "watchlist add legacy Kaspi", "C0ONE", user_id="U0ADMIN")


def test_a_list_can_be_renamed_and_deleted_by_its_channel(bot: RunningBot) -> None:
    ask(bot, "watchlist new fintech", "C0ONE")
    ask(bot, "watchlist add fintech Kaspi", "C0ONE")
    ask(bot, "subscribe fintech", "C0TWO")
    renamed = ask(bot, "watchlist rename fintech payments", "C0ONE")
    assert renamed.startswith("Renamed *fintech* to *payments*")
    assert bot.store.find_watchlist("T0TEST", "fintech") is None
    assert "already subscribes to *payments*" in ask(bot, "subscribe payments", "C0TWO")
    ask(bot, "watchlist new other", "C0ONE")
    assert "already exists" in ask(bot, "watchlist rename payments other", "C0ONE")
    deleted = ask(bot, "watchlist delete payments", "C0ONE")
    assert deleted == (
        "Deleted the shared watchlist *payments*; 1 subscribed channel will no longer get "
        "its stories."
    )
    assert [w.name for w in bot.store.team_watchlists("T0TEST")] == ["other"]
    two = bot.store.ensure_channel("T0TEST", "C0TWO")
    assert bot.store.channel_entities(two.id) == []


def test_watchlist_show_counts_subscribers_without_naming_them(bot: RunningBot) -> None:
    ask(bot, "watchlist new fintech", "C0ONE")
    ask(bot, "subscribe fintech", "C0ONE")
    ask(bot, "subscribe fintech", "C0SECRET")
    shown = ask(bot, "watchlist show fintech", "C0THREE")
    assert shown.startswith("*Shared watchlist fintech* (0 entities; 2 subscribed channels)")
    assert "C0SECRET" not in shown and "C0ONE" not in shown

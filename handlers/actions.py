"""Story buttons: mute the entity, not relevant, details; and accepting a proposed exclusion.

Every listener acks first and works after, in Bolt's listener thread, so a slow database
never delays the ack. Answers to the person who clicked are ephemeral (response_url); a
change that affects everyone in the channel (a mute, an exclusion) is also said there.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from handlers.blocks import (
    ACTION_DETAILS,
    ACTION_EXCLUDE,
    ACTION_MUTE,
    ACTION_NOT_RELEVANT,
    ACTION_WATCH_CHOICE,
    details_message,
    escape,
    exclusion_proposal,
    read_action_value,
)
from handlers.commands import run_command
from handlers.deps import Deps
from watchlists import feedback
from watchlists.errors import DealwatchError
from watchlists.model import Channel

STALE_BUTTON = "This button is out of date: ask for a fresh digest with `/deals digest now`."


def _channel(body: dict[str, Any], deps: Deps) -> Channel:
    team_id = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id", "")
    channel = body.get("channel") or {}
    slack_id = channel.get("id") or (body.get("container") or {}).get("channel_id", "")
    return deps.store.ensure_channel(team_id, slack_id, channel.get("name", ""))


def _ids(action: dict[str, Any], *names: str) -> list[int] | None:
    fields = read_action_value(str(action.get("value", "")))
    try:
        return [int(fields[name]) for name in names]
    except (KeyError, TypeError, ValueError):
        return None


def _user(body: dict[str, Any]) -> str:
    user = str((body.get("user") or {}).get("id", ""))
    # It is shown as a <@mention>: anything but a Slack id must not become markup.
    return user if re.fullmatch(r"[A-Z0-9]{1,40}", user) else "unknown"


def _tell(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)


def handle_mute(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    deps: Deps,
) -> None:
    """Mute the story's entity in this channel for 7 days; tell the clicker and the channel."""
    ack()
    ids = _ids(action, "entity")
    if ids is None:
        _tell(respond, STALE_BUTTON)
        return
    channel = _channel(body, deps)
    try:
        entity, until = feedback.mute_story_entity(deps.store, channel, ids[0], deps.now())
    except DealwatchError as error:
        _tell(respond, escape(str(error)))
        return
    name = escape(entity.name)
    _tell(
        respond,
        f"Muted *{name}* in this channel until {until:%Y-%m-%d %H:%M} UTC. "
        f"`/deals unmute {name}` lifts it.",
    )
    client.chat_postMessage(
        channel=channel.slack_id,
        text=f"<@{_user(body)}> muted *{name}* here for {feedback.MUTE_DAYS} days.",
    )


def handle_not_relevant(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    deps: Deps,
) -> None:
    """Record the feedback; after repeated feedback, offer to exclude the matched text."""
    ack()
    ids = _ids(action, "story", "entity")
    if ids is None:
        _tell(respond, STALE_BUTTON)
        return
    channel = _channel(body, deps)
    try:
        outcome = feedback.mark_not_relevant(
            deps.store, channel, ids[0], ids[1], _user(body), deps.now()
        )
    except DealwatchError as error:
        _tell(respond, escape(str(error)))
        return
    match = outcome.match
    _tell(
        respond,
        f"Thanks, noted: “{escape(match.text)}” (alias “{escape(match.alias)}”) was not "
        f"relevant for *{escape(outcome.entity.name)}*.",
    )
    if outcome.proposal:
        proposal = exclusion_proposal(outcome.entity, outcome.proposal, outcome.times)
        respond(**proposal, response_type="ephemeral", replace_original=False)
    elif outcome.times >= feedback.EXCLUSION_THRESHOLD:
        _tell(
            respond,
            f"“{escape(match.text)}” is a name of *{escape(outcome.entity.name)}* itself, so "
            "it cannot be excluded; `/deals mute` or `/deals unwatch` may fit better.",
        )


def handle_details(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    deps: Deps,
) -> None:
    """Post the story's full explanation in the thread of the message, once per message."""
    ack()
    ids = _ids(action, "story")
    container = body.get("container") or {}
    thread_ts = container.get("message_ts") or (body.get("message") or {}).get("ts", "")
    if ids is None or not thread_ts:
        _tell(respond, STALE_BUTTON)
        return
    channel = _channel(body, deps)
    try:
        details = deps.store.story_details(ids[0], channel.team_id)
    except DealwatchError as error:
        _tell(respond, escape(str(error)))
        return
    key = f"details:{channel.slack_id}:{thread_ts}:{ids[0]}"
    if not deps.store.first_time(key, deps.now()):
        _tell(respond, "The details of this story are already in the thread.")
        return
    client.chat_postMessage(**details_message(details, channel.slack_id, thread_ts))


def handle_exclusion_accept(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    deps: Deps,
) -> None:
    """Add the proposed phrase to the entity's exclusions; replace the proposal with the result."""
    ack()
    ids = _ids(action, "entity")
    phrase = str(read_action_value(str(action.get("value", ""))).get("phrase", "")).strip()
    if ids is None or not phrase:
        _tell(respond, STALE_BUTTON)
        return
    try:
        channel = _channel(body, deps)
        entity = feedback.accept_exclusion(deps.store, channel.team_id, ids[0], phrase)
    except DealwatchError as error:
        _tell(respond, escape(str(error)))
        return
    name, quoted = escape(entity.name), escape(phrase)
    respond(
        text=f"Excluded “{quoted}” for *{name}*: mentions it covers no longer match.",
        response_type="ephemeral",
        replace_original=True,
    )
    slack_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    if slack_id:
        client.chat_postMessage(
            channel=slack_id,
            text=f"<@{_user(body)}> excluded “{quoted}” for *{name}*.",
        )


def handle_watch_choice(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    deps: Deps,
) -> None:
    """Answer "Did you mean": watch the known entity, or the name as typed (`watch!`)."""
    ack()
    fields = read_action_value(str(action.get("value", "")))
    args = str(fields.get("args", "")).strip()
    if not args:
        _tell(respond, STALE_BUTTON)
        return
    channel = _channel(body, deps)
    reply = run_command(("watch! " if fields.get("insist") else "watch ") + args, channel, deps)
    respond(text=reply.ephemeral_text, response_type="ephemeral", replace_original=True)
    if reply.broadcast_text:
        client.chat_postMessage(channel=channel.slack_id, text=reply.broadcast_text)


def register(app: App, deps: Deps) -> None:
    """Attach the story buttons to the app."""
    app.action(ACTION_MUTE)(partial(handle_mute, deps=deps))
    app.action(ACTION_NOT_RELEVANT)(partial(handle_not_relevant, deps=deps))
    app.action(ACTION_DETAILS)(partial(handle_details, deps=deps))
    app.action(ACTION_EXCLUDE)(partial(handle_exclusion_accept, deps=deps))
    app.action(ACTION_WATCH_CHOICE)(partial(handle_watch_choice, deps=deps))

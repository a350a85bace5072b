"""The /deals slash command: parse the text, call one service, answer.

Answers are ephemeral unless the command changes the channel for everyone, in which case
the channel also gets a short in-channel confirmation.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from handlers.blocks import escape, lookup_text, truncate
from handlers.deps import Deps
from watchlists import polling, services
from watchlists.errors import DealwatchError
from watchlists.model import Channel, Entity

USAGE = """*Usage:* `/deals <command>`
• `watch <name> [aka <alias>, <alias>...] [not <phrase>, ...]`: watch an entity here
• `unwatch <name>`: stop watching it
• `list`: what this channel watches, and when it gets digests
• `digest now | daily HH:MM | weekdays HH:MM | weekly <day> HH:MM | instant | off`
• `tz <IANA zone>`: e.g. `tz Europe/London`
• `lookup <name> [7d|30d]`: latest stories about anything, watched here or not
• `mute <name> <12h|7d|2w>` / `unmute <name>`
• `feeds add <url> | list | remove <n>`: the news feeds this channel follows
• `help`: this message"""

MAX_NAME = 200
VERBS = frozenset(
    {"help", "watch", "unwatch", "list", "digest", "tz", "mute", "unmute", "lookup", "feeds"}
)


class UsageError(DealwatchError):
    """The command text could not be understood."""


@dataclass(frozen=True)
class Command:
    """A parsed /deals command."""

    verb: str
    args: str = ""


def parse_command(text: str) -> Command:
    """Split the command text into a known verb and its arguments, or UsageError."""
    cleaned = " ".join(text.replace("\u00a0", " ").split())
    if not cleaned:
        return Command("help")
    verb, _, rest = cleaned.partition(" ")
    verb = verb.lower()
    if verb not in VERBS:
        raise UsageError(f"`{verb[:30]}` is not a /deals command.")
    if verb in {"watch", "unwatch", "digest", "tz", "mute", "unmute", "lookup"} and not rest:
        raise UsageError(f"`{verb}` needs an argument.")
    return Command(verb, rest)


def parse_watch(args: str) -> Entity:
    """`<name> [aka a, b] [not x, y]` as an Entity (quotes allowed around names)."""
    parts = re.split(r"\s+(aka|not)\s+", args, flags=re.IGNORECASE)
    name = _unquote(parts[0])
    if not name:
        raise UsageError("`watch` needs a name.")
    if len(name) > MAX_NAME:
        raise UsageError(f"A name can have at most {MAX_NAME} characters.")
    aliases: list[str] = []
    exclude: list[str] = []
    for keyword, values in zip(parts[1::2], parts[2::2], strict=False):
        target = aliases if keyword.lower() == "aka" else exclude
        target.extend(v for v in (_unquote(x) for x in values.split(",")) if v)
    return Entity(name=name, aliases=tuple(aliases), exclude=tuple(exclude))


def _unquote(text: str) -> str:
    text = text.strip().replace("“", '"').replace("”", '"')
    try:
        words = shlex.split(text)
    except ValueError:
        words = [text.strip("\"'")]
    return " ".join(words).strip()


def handle_deals_command(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, deps: Deps
) -> None:
    """Answer /deals: ack at once, then do the work and reply."""
    ack()
    try:
        parsed = parse_command(command.get("text", ""))
        channel = deps.store.ensure_channel(
            command["team_id"], command["channel_id"], command.get("channel_name", "")
        )
        reply, broadcast = _run(parsed, channel, client, deps)
    except UsageError as error:
        respond(text=f"{escape(str(error))}\n\n{USAGE}", response_type="ephemeral")
        return
    except DealwatchError as error:
        respond(text=escape(str(error)), response_type="ephemeral")
        return
    respond(text=reply, response_type="ephemeral")
    if broadcast:
        client.chat_postMessage(channel=command["channel_id"], text=broadcast)


def _run(parsed: Command, channel: Channel, client: WebClient, deps: Deps) -> tuple[str, str]:
    store = deps.store
    if parsed.verb == "help":
        return USAGE, ""
    if parsed.verb == "watch":
        result = services.watch_entity(store, channel, parse_watch(parsed.args))
        entity = result.entity
        aka = f" (aka {', '.join(entity.aliases)})" if entity.aliases else ""
        reply = f"Watching *{escape(entity.name)}*{escape(aka)} in this channel."
        if result.did_you_mean is not None:
            known = result.did_you_mean
            reply += (
                f"\nDid you mean *{escape(known.name)}*"
                f"{escape(' (' + ', '.join(known.aliases) + ')' if known.aliases else '')}? "
                f"`/deals unwatch {escape(entity.name)}` then `/deals watch {escape(known.name)}`."
            )
        return reply, f"This channel now watches *{escape(entity.name)}*."
    if parsed.verb == "mute":
        name, _, duration = parsed.args.rpartition(" ")
        if not name:
            raise UsageError("`mute` needs a name and a duration, e.g. `mute Shell 7d`.")
        entity, until = services.mute_entity(store, channel, _unquote(name), duration, deps.now())
        when = until.strftime("%Y-%m-%d %H:%M UTC")
        return f"Muted *{escape(entity.name)}* here until {when}.", (
            f"*{escape(entity.name)}* is muted in this channel until {when}."
        )
    if parsed.verb == "unmute":
        entity, existed = services.unmute_entity(store, channel, _unquote(parsed.args))
        if not existed:
            return f"*{escape(entity.name)}* was not muted here.", ""
        return (
            f"Unmuted *{escape(entity.name)}*.",
            f"*{escape(entity.name)}* is no longer muted here.",
        )
    if parsed.verb == "feeds":
        return _run_feeds_command(parsed.args, channel, deps)
    if parsed.verb == "lookup":
        words = parsed.args.split()
        period = words[-1] if len(words) > 1 and re.fullmatch(r"\d+[dhw]", words[-1]) else "30d"
        name = " ".join(words[:-1]) if period == words[-1] and len(words) > 1 else parsed.args
        entity, items = services.lookup(store, _unquote(name), period, deps.now())
        return lookup_text(entity.name, period, items), ""
    if parsed.verb == "unwatch":
        name = _unquote(parsed.args)
        if not services.unwatch_entity(store, channel, name):
            return f"This channel was not watching *{escape(name)}*.", ""
        return (
            f"Stopped watching *{escape(name)}*.",
            f"This channel no longer watches *{escape(name)}*.",
        )
    if parsed.verb == "list":
        mutes = store.mutes(channel.id, deps.now())
        return _render_list(store.channel_entities(channel.id), channel, mutes), ""
    if parsed.verb == "tz":
        updated = services.set_timezone(store, channel, parsed.args.strip(), deps.now())
        return f"Timezone set to {escape(updated.timezone)}.", ""
    return _run_digest_command(parsed.args, channel, client, deps)


FEEDS_USAGE = "Use `feeds add <url>`, `feeds list` or `feeds remove <n>`."


def _run_feeds_command(args: str, channel: Channel, deps: Deps) -> tuple[str, str]:
    action, _, rest = args.strip().partition(" ")
    action = action.lower()
    if action == "list" or not action:
        sources = deps.store.channel_sources(channel.id)
        if not sources:
            return "This channel has no feeds yet. Add one with `/deals feeds add <url>`.", ""
        lines = [f"*Feeds of this channel* ({len(sources)}):"]
        for number, source in enumerate(sources, start=1):
            health = polling.feed_health_line(source, deps.now())
            lines.append(
                f"{number}. {escape(source.title or source.url)} <{source.url}> · {escape(health)}"
            )
        return "\n".join(lines), ""
    if action == "add":
        url = rest.strip().strip("<>").split("|")[0]
        if not url.startswith(("http://", "https://")):
            raise UsageError("`feeds add` needs an http(s) URL.")
        if deps.fetcher is None:
            raise DealwatchError("Adding feeds is not available in this process.")
        added = polling.add_feed(deps.store, deps.fetcher, channel, url, deps.now())
        name = added.source.title or url
        preview = (
            f"\nLatest item: {escape(truncate(added.preview.title, 200))}" if added.preview else ""
        )
        return (
            f"Added feed *{escape(name)}*. Its {added.existing_items} current item(s) are marked "
            f"as seen; only new items will be matched.{preview}",
            f"This channel now follows the feed *{escape(name)}*.",
        )
    if action == "remove":
        sources = deps.store.channel_sources(channel.id)
        if not rest.strip().isdigit() or not 1 <= int(rest) <= len(sources):
            raise UsageError(f"`feeds remove` needs a number from `feeds list` (1-{len(sources)}).")
        source = sources[int(rest) - 1]
        deps.store.remove_channel_source(channel.id, source.id)
        name = escape(source.title or source.url)
        return f"Removed feed *{name}*.", f"This channel no longer follows the feed *{name}*."
    raise UsageError(f"`feeds {escape(action[:20])}` is not a feeds command. {FEEDS_USAGE}")


def _run_digest_command(
    args: str, channel: Channel, client: WebClient, deps: Deps
) -> tuple[str, str]:
    if args.strip().lower() == "now":
        result = services.run_digest(deps.store, deps.poster_for(client), channel, deps.now())
        if not result.stories_posted:
            return "No new stories since the last digest.", ""
        return f"Posted {result.stories_posted} stories.", ""
    updated = services.set_digest(deps.store, channel, args, deps.now())
    if updated.delivery == "digest":
        what = f"Digest: {updated.digest_schedule} ({updated.timezone})."
    else:
        what = (
            "Stories will be posted as they arrive."
            if updated.delivery == "instant"
            else ("Digests are off for this channel.")
        )
    return what, what


def _render_list(
    entities: list[Entity], channel: Channel, mutes: list[tuple[Entity, datetime]]
) -> str:
    schedule = (
        f"{channel.digest_schedule} ({channel.timezone})"
        if channel.delivery == "digest"
        else channel.delivery
    )
    if not entities:
        return (
            f"This channel watches nothing yet. Try `/deals watch Alibaba`.\nDelivery: {schedule}"
        )
    lines = [f"*This channel watches {len(entities)} entities* (delivery: {escape(schedule)})"]
    for entity in entities:
        aka = f" aka {', '.join(entity.aliases)}" if entity.aliases else ""
        lines.append(f"• *{escape(entity.name)}*{escape(aka)}")
    for entity, until in mutes:
        lines.append(f"Muted: {escape(entity.name)} until {until:%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines)


def register(app: App, deps: Deps) -> None:
    """Attach the /deals command to the app."""
    app.command("/deals")(partial(handle_deals_command, deps=deps))

"""The /deals slash command: parse the text, call one service, answer.

`run_command` is the whole command minus Slack: the Slack listener and `dealwatch shell`
both call it. Answers are ephemeral unless the command changes the channel for everyone,
in which case the channel also gets a short in-channel confirmation. Bad input of any kind
gets a one-line reason and the usage; only a failure of the bot itself raises.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.blocks import escape, lookup_text, truncate
from handlers.deps import Deps
from watchlists import polling, services, sharing
from watchlists.errors import DealwatchError
from watchlists.model import Channel, Entity
from watchlists.ports import Poster, WatchlistInfo

USAGE_LINES = {
    "watch": "• `watch <name> [aka <alias>, <alias>...] [not <phrase>, ...]`: watch an entity here",
    "unwatch": "• `unwatch <name>`: stop watching it",
    "list": "• `list`: what this channel watches, its mutes, schedule and feeds",
    "watchlists": "• `watchlists`: the shared watchlists of this workspace",
    "watchlist": (
        "• `watchlist new <list>` | `watchlist add <list> <name> [aka ...] [not ...]` | "
        "`watchlist remove <list> <name>` | `watchlist show <list>`: shared watchlists"
    ),
    "subscribe": "• `subscribe <list>` / `unsubscribe <list>`: get a shared list's stories here",
    "digest": "• `digest now | daily HH:MM | weekdays HH:MM | weekly <day> HH:MM | instant | off`",
    "tz": "• `tz <IANA zone>`: e.g. `tz Europe/London`",
    "lookup": "• `lookup <name> [7d|30d]`: latest stories about anything, watched here or not",
    "mute": "• `mute <name> <12h|7d|2w>` / `unmute <name>`",
    "feeds": "• `feeds add <url> | list | remove <n>`: the news feeds this channel follows",
    "export": "• `export [30d]`: the stories this channel got, as a CSV file",
    "help": "• `help`: this message",
}
USAGE = "*Usage:* `/deals <command>`\n" + "\n".join(USAGE_LINES.values())
USAGE_OF = {"unsubscribe": "subscribe", "unmute": "mute"}

MAX_NAME = 200
MAX_NAMES_PER_ENTITY = 50
MAX_LISTED_PER_LIST = 50
MAX_REPLY = 3900
VERBS = frozenset({*USAGE_LINES, "unsubscribe", "unmute"})
NEEDS_ARGUMENT = frozenset(
    {"watch", "unwatch", "digest", "tz", "mute", "unmute", "lookup", "watchlist"}
    | {"subscribe", "unsubscribe"}
)
WATCHLIST_ACTIONS = ("new", "add", "remove", "show")


class UsageError(DealwatchError):
    """The command text could not be understood."""


@dataclass(frozen=True)
class Command:
    """A parsed /deals command."""

    verb: str
    args: str = ""


@dataclass(frozen=True)
class Upload:
    """A file the command wants posted to the channel."""

    filename: str
    content: bytes
    title: str
    comment: str = ""


@dataclass(frozen=True)
class Reply:
    """What a command answers: to the person, to the whole channel, and a file to post."""

    ephemeral_text: str
    broadcast_text: str = ""
    upload: Upload | None = None


def parse_command(text: str) -> Command:
    """Split the command text into a known verb and its arguments, or UsageError."""
    visible = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    cleaned = " ".join(visible.replace("\u00a0", " ").split())
    if cleaned.lower().startswith("/deals"):
        cleaned = cleaned[len("/deals") :].strip()
    if not cleaned:
        return Command("help")
    verb, _, rest = cleaned.partition(" ")
    verb = verb.lower()
    if verb not in VERBS:
        raise UsageError(f"`{verb[:30]}` is not a /deals command.")
    if verb in NEEDS_ARGUMENT and not rest:
        raise UsageError(f"`{verb}` needs an argument.")
    return Command(verb, rest)


def parse_watch(args: str) -> Entity:
    """`<name> [aka a, b] [not x, y]` as an Entity (quotes allowed around names)."""
    parts = re.split(r"\s+(aka|not)\s+", args, flags=re.IGNORECASE)
    name = _unquote(parts[0])
    if not name:
        raise UsageError("`watch` needs a name.")
    aliases: list[str] = []
    exclude: list[str] = []
    for keyword, values in zip(parts[1::2], parts[2::2], strict=False):
        target = aliases if keyword.lower() == "aka" else exclude
        target.extend(v for v in (_unquote(x) for x in values.split(",")) if v)
    for text in (name, *aliases, *exclude):
        # casefold can lengthen a name (ß -> ss): the stored key must fit too.
        if len(text.casefold()) > MAX_NAME:
            raise UsageError(f"A name can have at most {MAX_NAME} characters.")
    if len(aliases) + len(exclude) > MAX_NAMES_PER_ENTITY:
        raise UsageError(f"At most {MAX_NAMES_PER_ENTITY} aliases and exclusions per entity.")
    return Entity(name=name, aliases=tuple(aliases), exclude=tuple(exclude))


def parse_watchlist_args(args: str) -> tuple[str, str, str]:
    """`<action> <list> [rest]` of the watchlist command, or UsageError."""
    action, _, rest = args.strip().partition(" ")
    action = action.lower()
    if action not in WATCHLIST_ACTIONS:
        raise UsageError(
            f"`watchlist {action[:20]}` is not a watchlist command: use "
            + ", ".join(f"`{a}`" for a in WATCHLIST_ACTIONS)
            + "."
        )
    list_name, _, rest = rest.strip().partition(" ")
    if not list_name:
        raise UsageError(f"`watchlist {action}` needs a list name.")
    if action in ("add", "remove") and not rest.strip():
        raise UsageError(f"`watchlist {action}` needs a list name and an entity name.")
    if action in ("new", "show") and rest.strip():
        raise UsageError(
            f"`{list_name[:30]} {rest.strip()[:30]}` is not a list name: "
            "use 1-64 letters, digits, - and _ without spaces."
        )
    return action, list_name, rest.strip()


def _unquote(text: str) -> str:
    text = text.strip().replace("“", '"').replace("”", '"')
    try:
        words = shlex.split(text)
    except ValueError:
        words = [text.strip("\"'")]
    return " ".join(words).strip()


def run_command(text: str, channel: Channel, deps: Deps, poster: Poster | None = None) -> Reply:
    """Run one /deals command for the channel; bad input becomes a reason and the usage."""
    verb = ""
    try:
        parsed = parse_command(text)
        verb = parsed.verb
        return _run(parsed, channel, deps, poster)
    except UsageError as error:
        return Reply(f"{escape(str(error))}\n\n{USAGE}")
    except DealwatchError as error:
        line = USAGE_LINES.get(USAGE_OF.get(verb, verb), "")
        return Reply(escape(str(error)) + (f"\n{line}" if line else ""))


def handle_deals_command(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, deps: Deps
) -> None:
    """Answer /deals: ack at once, then hand the work to the deferred pool."""
    ack()
    deps.defer(partial(answer_deals_command, command, respond, client, deps))


def answer_deals_command(
    command: dict[str, Any], respond: Respond, client: WebClient, deps: Deps
) -> None:
    """Do the work of one acked /deals command and reply."""
    channel = deps.store.ensure_channel(
        command["team_id"], command["channel_id"], command.get("channel_name", "")
    )
    # A channel created in this very call can come back without its team (store bug).
    channel = replace(channel, team_id=command["team_id"])
    reply = run_command(command.get("text", ""), channel, deps, deps.poster_for(client))
    if reply.upload is not None:
        try:
            client.files_upload_v2(
                channel=command["channel_id"],
                content=reply.upload.content,
                filename=reply.upload.filename,
                title=reply.upload.title,
                initial_comment=reply.upload.comment,
            )
        except SlackApiError as error:
            code = escape(str(error.response.get("error", "unknown_error")))
            respond(text=f"Slack refused the file upload: {code}.", response_type="ephemeral")
            return
    respond(text=reply.ephemeral_text, response_type="ephemeral")
    if reply.broadcast_text:
        client.chat_postMessage(channel=command["channel_id"], text=reply.broadcast_text)


def _run(parsed: Command, channel: Channel, deps: Deps, poster: Poster | None) -> Reply:
    store = deps.store
    if parsed.verb == "help":
        return Reply(USAGE)
    if parsed.verb == "watch":
        return _run_watch(parsed.args, channel, deps)
    if parsed.verb == "mute":
        name, _, duration = parsed.args.rpartition(" ")
        if not name:
            raise UsageError("`mute` needs a name and a duration, e.g. `mute Shell 7d`.")
        entity, until = services.mute_entity(store, channel, _unquote(name), duration, deps.now())
        when = until.strftime("%Y-%m-%d %H:%M UTC")
        return Reply(
            f"Muted *{escape(entity.name)}* here until {when}.",
            f"*{escape(entity.name)}* is muted in this channel until {when}.",
        )
    if parsed.verb == "unmute":
        entity, existed = services.unmute_entity(store, channel, _unquote(parsed.args))
        if not existed:
            return Reply(f"*{escape(entity.name)}* was not muted here.")
        return Reply(
            f"Unmuted *{escape(entity.name)}*.",
            f"*{escape(entity.name)}* is no longer muted here.",
        )
    if parsed.verb == "feeds":
        return _run_feeds_command(parsed.args, channel, deps)
    if parsed.verb == "lookup":
        words = parsed.args.split()
        period = words[-1] if len(words) > 1 and re.fullmatch(r"\d+[dhw]", words[-1]) else "30d"
        name = " ".join(words[:-1]) if period == words[-1] and len(words) > 1 else parsed.args
        with deps.matching():
            entity, items = services.lookup(store, _unquote(name), period, deps.now())
        return Reply(lookup_text(entity.name, period, items))
    if parsed.verb == "unwatch":
        name = _unquote(parsed.args)
        if not services.unwatch_entity(store, channel, name):
            return Reply(f"This channel was not watching *{escape(name)}*.")
        return Reply(
            f"Stopped watching *{escape(name)}*.",
            f"This channel no longer watches *{escape(name)}*.",
        )
    if parsed.verb == "list":
        return Reply(_render_list(channel, deps))
    if parsed.verb == "tz":
        updated = services.set_timezone(store, channel, parsed.args.strip(), deps.now())
        return Reply(f"Timezone set to {escape(updated.timezone)}.")
    if parsed.verb == "watchlists":
        return Reply(_render_watchlists(store.team_watchlists(channel.team_id)))
    if parsed.verb == "watchlist":
        return _run_watchlist_command(parsed.args, channel, deps)
    if parsed.verb in ("subscribe", "unsubscribe"):
        return _run_subscription(parsed.verb, parsed.args, channel, deps)
    if parsed.verb == "export":
        return _run_export(parsed.args, channel, deps)
    return _run_digest_command(parsed.args, channel, deps, poster)


def _run_watch(args: str, channel: Channel, deps: Deps) -> Reply:
    result = services.watch_entity(deps.store, channel, parse_watch(args))
    entity = result.entity
    _cover_recent(channel, [entity], deps)
    aka = f" (aka {', '.join(entity.aliases)})" if entity.aliases else ""
    reply = f"Watching *{escape(entity.name)}*{escape(aka)} in this channel."
    if result.did_you_mean is not None:
        known = result.did_you_mean
        reply += (
            f"\nDid you mean *{escape(known.name)}*"
            f"{escape(' (' + ', '.join(known.aliases) + ')' if known.aliases else '')}? "
            f"`/deals unwatch {escape(entity.name)}` then `/deals watch {escape(known.name)}`."
        )
    return Reply(reply, f"This channel now watches *{escape(entity.name)}*.")


def _cover_recent(channel: Channel, entities: list[Entity], deps: Deps) -> None:
    """Queue the last week's stories about newly watched entities, then ask for delivery."""
    if not entities:
        return
    with deps.matching():
        queued = services.cover_recent(deps.store, channel, entities, deps.now())
    if queued:
        deps.wake()


def _run_watchlist_command(args: str, channel: Channel, deps: Deps) -> Reply:
    store = deps.store
    action, list_name, rest = parse_watchlist_args(args)
    if action == "new":
        created = sharing.create_shared_watchlist(store, channel.team_id, list_name)
        name = escape(created.name)
        return Reply(
            f"Created the shared watchlist *{name}*. Add entities with "
            f"`/deals watchlist add {name} <name>`; channels follow it with "
            f"`/deals subscribe {name}`."
        )
    watchlist = sharing.shared_watchlist(store, channel.team_id, list_name)
    name = escape(watchlist.name)
    here = channel.slack_id in watchlist.subscribers
    if action == "show":
        return Reply(_render_watchlist(watchlist))
    if action == "add":
        result = sharing.add_entity(store, watchlist, parse_watch(rest))
        entity = escape(result.entity.name)
        if not result.changed:
            return Reply(f"*{entity}* is already on *{name}*.")
        aka = f" (aka {', '.join(result.entity.aliases)})" if result.entity.aliases else ""
        if result.added:
            subscribed = set(watchlist.subscribers)
            for subscriber in store.team_channels(channel.team_id):
                if subscriber.slack_id in subscribed:
                    _cover_recent(subscriber, [result.entity], deps)
        reach = _reach(watchlist)
        return Reply(
            f"Added *{entity}*{escape(aka)} to *{name}*; {reach}.",
            f"*{entity}* was added to the shared watchlist *{name}*." if here else "",
        )
    removed_name = _unquote(rest)
    if not sharing.remove_entity(store, watchlist, removed_name):
        return Reply(f"*{escape(removed_name)}* is not on *{name}*.")
    return Reply(
        f"Removed *{escape(removed_name)}* from *{name}*; {_reach(watchlist)}.",
        f"*{escape(removed_name)}* was removed from the shared watchlist *{name}*." if here else "",
    )


def _reach(watchlist: WatchlistInfo) -> str:
    count = len(watchlist.subscribers)
    if not count:
        return "no channel subscribes to it yet"
    return f"{count} subscribed channel{'s' if count != 1 else ''} will get its stories"


def _run_subscription(verb: str, args: str, channel: Channel, deps: Deps) -> Reply:
    list_name = args.strip()
    if verb == "subscribe":
        watchlist, changed = sharing.subscribe(deps.store, channel, list_name)
        name = escape(watchlist.name)
        if not changed:
            return Reply(f"This channel already subscribes to *{name}*.")
        _cover_recent(channel, list(watchlist.entities), deps)
        count = len(watchlist.entities)
        return Reply(
            f"Subscribed to *{name}* ({count} entit{'y' if count == 1 else 'ies'}).",
            f"This channel now gets the stories of the shared watchlist *{name}*.",
        )
    watchlist, changed = sharing.unsubscribe(deps.store, channel, list_name)
    name = escape(watchlist.name)
    if not changed:
        return Reply(f"This channel does not subscribe to *{name}*.")
    return Reply(
        f"Unsubscribed from *{name}*.",
        f"This channel no longer gets the stories of the shared watchlist *{name}*.",
    )


def _run_export(args: str, channel: Channel, deps: Deps) -> Reply:
    period = args.strip().lower() or "30d"
    items = sharing.exported_stories(deps.store, channel, period, deps.now())
    if not items:
        return Reply(f"No stories reached this channel in the last {escape(period)}.")
    day = deps.now().strftime("%Y-%m-%d")
    count = f"{len(items)} stor{'y' if len(items) == 1 else 'ies'}"
    return Reply(
        f"Exported {count} of the last {escape(period)} as a CSV file.",
        upload=Upload(
            filename=f"dealwatch-{channel.slack_id}-{period}-{day}.csv",
            content=sharing.stories_csv(items),
            title=f"dealwatch export: {count}, last {period}",
            comment=f"Deal stories of the last {period} ({count}).",
        ),
    )


FEEDS_USAGE = "Use `feeds add <url>`, `feeds list` or `feeds remove <n>`."


def _run_feeds_command(args: str, channel: Channel, deps: Deps) -> Reply:
    action, _, rest = args.strip().partition(" ")
    action = action.lower()
    if action == "list" or not action:
        sources = deps.store.channel_sources(channel.id)
        if not sources:
            return Reply("This channel has no feeds yet. Add one with `/deals feeds add <url>`.")
        return Reply("\n".join(_feed_lines(channel, deps)))
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
        return Reply(
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
        return Reply(
            f"Removed feed *{name}*.", f"This channel no longer follows the feed *{name}*."
        )
    raise UsageError(f"`feeds {escape(action[:20])}` is not a feeds command. {FEEDS_USAGE}")


def _feed_lines(channel: Channel, deps: Deps) -> list[str]:
    sources = deps.store.channel_sources(channel.id)
    lines = [f"*Feeds of this channel* ({len(sources)}):"]
    for number, source in enumerate(sources, start=1):
        health = polling.feed_health_line(source, deps.now())
        lines.append(
            f"{number}. {escape(source.title or source.url)} <{source.url}> · {escape(health)}"
        )
    return lines


def _run_digest_command(args: str, channel: Channel, deps: Deps, poster: Poster | None) -> Reply:
    if args.strip().lower() == "now":
        if poster is None:
            raise DealwatchError("Posting a digest is not available here.")
        with deps.matching():
            pass  # every article accepted before this command is filed first
        result = services.run_digest(deps.store, poster, channel, deps.now())
        if not result.stories_posted:
            return Reply("No new stories since the last digest.")
        return Reply(f"Posted {result.stories_posted} stories.")
    updated = services.set_digest(deps.store, channel, args, deps.now())
    if updated.delivery == "digest":
        what = f"Digest: {updated.digest_schedule} ({updated.timezone})."
    elif updated.delivery == "instant":
        what = "Stories will be posted as they arrive."
    else:
        what = "Digests are off for this channel."
    return Reply(what, what)


def _entity_lines(entities: tuple[Entity, ...] | list[Entity]) -> list[str]:
    lines = []
    for entity in entities[:MAX_LISTED_PER_LIST]:
        aka = f" aka {', '.join(entity.aliases)}" if entity.aliases else ""
        lines.append(f"• *{escape(entity.name)}*{escape(aka)}")
    if len(entities) > MAX_LISTED_PER_LIST:
        lines.append(f"• … and {len(entities) - MAX_LISTED_PER_LIST} more")
    return lines


def _render_list(channel: Channel, deps: Deps) -> str:
    store = deps.store
    current = store.get_channel(channel.id)
    schedule = current.digest_schedule if current.delivery == "digest" else current.delivery
    lines: list[str] = []
    watchlists = store.channel_watchlists(channel.id)
    if not any(watchlist.entities for watchlist in watchlists):
        lines.append(
            "This channel watches nothing yet. Try `/deals watch Alibaba` "
            "or `/deals subscribe <list>` (see `/deals watchlists`)."
        )
    for watchlist in watchlists:
        count = len(watchlist.entities)
        if not watchlist.is_shared:
            if count:
                lines.append(f"*This channel watches {count} entit{'y' if count == 1 else 'ies'}*:")
                lines.extend(_entity_lines(watchlist.entities))
            continue
        lines.append(
            f"*Shared watchlist {escape(watchlist.name)}* "
            f"({count} entit{'y' if count == 1 else 'ies'}):"
        )
        lines.extend(_entity_lines(watchlist.entities) or ["• (empty)"])
    for entity, until in store.mutes(channel.id, deps.now()):
        lines.append(f"Muted: {escape(entity.name)} until {until:%Y-%m-%d %H:%M} UTC")
    lines.append(f"Delivery: {escape(schedule)} · timezone {escape(current.timezone)}")
    if store.channel_sources(channel.id):
        lines.extend(_feed_lines(channel, deps))
    else:
        lines.append("Feeds: none added here (`/deals feeds add <url>`).")
    return truncate("\n".join(lines), MAX_REPLY)


def _render_watchlist(watchlist: WatchlistInfo) -> str:
    count = len(watchlist.entities)
    subscribers = ", ".join(f"<#{slack_id}>" for slack_id in watchlist.subscribers) or "none"
    lines = [
        f"*Shared watchlist {escape(watchlist.name)}* "
        f"({count} entit{'y' if count == 1 else 'ies'}; subscribed: {subscribers})"
    ]
    lines.extend(_entity_lines(watchlist.entities))
    return truncate("\n".join(lines), MAX_REPLY)


def _render_watchlists(watchlists: list[WatchlistInfo]) -> str:
    if not watchlists:
        return (
            "This workspace has no shared watchlists yet. "
            "Create one with `/deals watchlist new <list>`."
        )
    lines = [f"*Shared watchlists of this workspace* ({len(watchlists)}):"]
    for watchlist in watchlists:
        count = len(watchlist.entities)
        subscribers = ", ".join(f"<#{slack_id}>" for slack_id in watchlist.subscribers)
        lines.append(
            f"• *{escape(watchlist.name)}*: {count} entit{'y' if count == 1 else 'ies'} · "
            + (f"subscribed: {subscribers}" if subscribers else "no channel subscribes")
        )
    return truncate("\n".join(lines), MAX_REPLY)


def register(app: App, deps: Deps) -> None:
    """Attach the /deals command to the app."""
    app.command("/deals")(partial(handle_deals_command, deps=deps))

"""The /deals slash command: parse the text, call one service, answer.

`run_command` is the whole command minus Slack: the Slack listener and `dealwatch shell`
both call it. Answers are ephemeral unless the command changes the channel for everyone,
in which case the channel also gets a short in-channel confirmation. Bad input of any kind
gets a one-line reason and the usage; only a failure of the bot itself raises.
"""

from __future__ import annotations

import logging
import re
import shlex
import unicodedata
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from rapidfuzz import fuzz, process
from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.blocks import bare_link, escape, truncate, watch_choice_blocks
from handlers.deps import Deps
from handlers.lookup import lookup_answer
from watchlists import polling, services, sharing
from watchlists.errors import DealwatchError, NotFoundError
from watchlists.model import Channel, Entity
from watchlists.ports import Poster, WatchlistInfo
from watchlists.urls import redact_url

USAGE_LINES = {
    "watch": (
        "• `watch <name> [aka <alias>, <alias>...] [not <phrase>, ...]`: watch an entity here "
        "(`watch! <name>` when it is not the known name dealwatch suggests)"
    ),
    "unwatch": (
        "• `unwatch <name>`: stop watching it; `unwatch <name> aka <alias>, ... not <phrase>, "
        "...`: drop only those aliases and exclusions"
    ),
    "list": "• `list`: what this channel watches, its mutes, schedule and feeds",
    "watchlists": "• `watchlists`: the shared watchlists of this workspace",
    "watchlist": (
        "• `watchlist new <list>` | `watchlist add <list> <name> [aka ...] [not ...]` | "
        "`watchlist remove <list> <name>` | `watchlist show <list>` | "
        "`watchlist rename <list> <new name>` | `watchlist delete <list>`: shared watchlists"
    ),
    "subscribe": "• `subscribe <list>` / `unsubscribe <list>`: get a shared list's stories here",
    "digest": "• `digest now | daily HH:MM | weekdays HH:MM | weekly <day> HH:MM | instant | off`",
    "tz": "• `tz <IANA zone>`: e.g. `tz Europe/London`",
    "lookup": (
        "• `lookup <name> [type:acquisition|jv|...] [since:2026-01-01|30d] [min:$100m]`: "
        "stories about anything, watched here or not"
    ),
    "mute": "• `mute <name> <12h|7d|2w>` / `unmute <name>`",
    "feeds": "• `feeds add <url> | list | remove <n>`: the news feeds this channel follows",
    "export": "• `export [30d]`: the stories this channel got, as a CSV file",
    "help": "• `help`: this message",
}
# The lines hold <placeholders>: escaped once here, so Slack shows them instead of parsing them.
USAGE = "*Usage:* `/deals <command>`\n" + "\n".join(USAGE_LINES.values())
USAGE = escape(USAGE)
USAGE_OF = {"unsubscribe": "subscribe", "unmute": "mute", "watch!": "watch"}
GENERAL_USAGE = escape("*Usage:* `/deals <command>`; `/deals help` lists every command.")

MAX_NAME = 200
MAX_NAMES_PER_ENTITY = 50
MAX_LISTED_PER_LIST = 50
MAX_REPLY = 3900
# Input echoed back in a reply (a URL, a name, a service's reason) is cut to this.
MAX_ECHO = 200
MAX_REASON = 400
VERBS = frozenset({*USAGE_LINES, "unsubscribe", "unmute", "watch!"})
NEEDS_ARGUMENT = frozenset(
    {"watch", "watch!", "unwatch", "digest", "tz", "mute", "unmute", "lookup", "watchlist"}
    | {"subscribe", "unsubscribe"}
)
WATCHLIST_ACTIONS = ("new", "add", "remove", "show", "rename", "delete")
WATCH_KEYWORDS = ("aka", "not")
# Text-direction controls make a name read differently from what it is (U+202E flips it).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

log = logging.getLogger("dealwatch.commands")


def plural(count: int, singular: str, many: str = "") -> str:
    """`1 story`, `2 stories`: the count and the noun that goes with it."""
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def echo(text: str) -> str:
    """Input shown back to the person: cut to MAX_ECHO characters and escaped."""
    return escape(truncate(text, MAX_ECHO))


def usage_of(verb: str) -> str:
    """The usage line of one verb (escaped), or the general one for an unknown verb."""
    line = USAGE_LINES.get(USAGE_OF.get(verb, verb))
    return escape("*Usage:* " + line.removeprefix("• ")) if line else GENERAL_USAGE


class UsageError(DealwatchError):
    """The command text could not be understood."""

    def __init__(self, reason: str, verb: str = "") -> None:
        super().__init__(reason)
        self.verb = verb


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
    # Block Kit for the ephemeral answer where buttons help; ephemeral_text stays its fallback.
    blocks: tuple[dict[str, Any], ...] = ()


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
        raise UsageError(f"`{verb}` needs an argument.", verb)
    return Command(verb, rest)


def parse_watch(args: str) -> Entity:
    """`<name> [aka a, b] [not x, y]` as an Entity (quotes allowed around names).

    `aka` and `not` are keywords wherever they stand unquoted: a name that starts with one
    goes in quotes (`watch "Not Inc"`); a keyword with nothing after it is a usage error.
    """
    name_part, sections = _watch_sections(args)
    name = _unquote(name_part)
    if not name:
        keyword = sections[0][0] if sections else ""
        raise UsageError(
            f"`watch` needs a name before `{keyword}`; quote a name that starts with it."
            if keyword
            else "`watch` needs a name."
        )
    aliases: list[str] = []
    exclude: list[str] = []
    for keyword, values in sections:
        target = aliases if keyword == "aka" else exclude
        found = [v for v in (_unquote(x) for x in values.split(",")) if v]
        if not found:
            what = "an alias" if keyword == "aka" else "a phrase to exclude"
            raise UsageError(f"`{keyword}` needs {what} after it.")
        target.extend(found)
    for text in (name, *aliases, *exclude):
        # casefold can lengthen a name (ß -> ss): the stored key must fit too.
        if len(text.casefold()) > MAX_NAME:
            raise UsageError(f"A name can have at most {MAX_NAME} characters.")
        if BIDI_CONTROLS.intersection(text):
            raise UsageError(
                "Names cannot hold text-direction controls (such as the right-to-left override)."
            )
    if len(aliases) + len(exclude) > MAX_NAMES_PER_ENTITY:
        raise UsageError(f"At most {MAX_NAMES_PER_ENTITY} aliases and exclusions per entity.")
    return Entity(name=name, aliases=tuple(aliases), exclude=tuple(exclude))


def _watch_sections(args: str) -> tuple[str, list[tuple[str, str]]]:
    """The name part and each (keyword, text after it) of watch arguments, quotes respected."""
    text = args.replace("“", '"').replace("”", '"')
    tokens = re.findall(r'"[^"]*"?|\S+|\s+', text)
    name: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for token in tokens:
        if token.lower() in WATCH_KEYWORDS:
            sections.append((token.lower(), []))
        elif sections:
            sections[-1][1].append(token)
        else:
            name.append(token)
    return "".join(name), [(keyword, "".join(rest)) for keyword, rest in sections]


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
    if action == "rename" and not rest.strip():
        raise UsageError("`watchlist rename` needs the list name and its new name.")
    if action in ("new", "show", "delete") and rest.strip():
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


def _nobody_is_admin() -> bool:
    return False


def run_command(
    text: str,
    channel: Channel,
    deps: Deps,
    poster: Poster | None = None,
    is_admin: Callable[[], bool] = _nobody_is_admin,
) -> Reply:
    """Run one /deals command for the channel; bad input becomes a reason and the usage.

    is_admin says whether the person is a workspace admin; it is asked only when a
    shared list created in another channel is to be changed.
    """
    verb = ""
    try:
        parsed = parse_command(text)
        verb = parsed.verb
        return _run(parsed, channel, deps, poster, is_admin)
    except UsageError as error:
        verb = verb or error.verb
        return Reply(f"{escape(truncate(str(error), MAX_REASON))}\n{usage_of(verb)}")
    except DealwatchError as error:
        reason = escape(truncate(str(error), MAX_REASON))
        return Reply(
            reason + (f"\n{usage_of(verb)}" if verb in USAGE_OF or verb in USAGE_LINES else "")
        )


def handle_deals_command(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, deps: Deps
) -> None:
    """Answer /deals: ack at once, then hand the work to the deferred pool."""
    ack()
    deps.defer(partial(_answer_or_apologise, command, respond, client, deps))


def _answer_or_apologise(
    command: dict[str, Any], respond: Respond, client: WebClient, deps: Deps
) -> None:
    """Run the acked command; on failure tell the person, who would otherwise hear nothing."""
    try:
        answer_deals_command(command, respond, client, deps)
    except Exception as error:
        log.exception("unhandled error in /deals %s", ascii(command.get("text", ""))[:100])
        try:
            respond(text=deps.failure_reply(error), response_type="ephemeral")
        except Exception:
            log.warning("could not tell the user about the failure", exc_info=True)


def answer_deals_command(
    command: dict[str, Any], respond: Respond, client: WebClient, deps: Deps
) -> None:
    """Do the work of one acked /deals command and reply."""
    channel = deps.store.ensure_channel(
        command["team_id"], command["channel_id"], command.get("channel_name", "")
    )
    user_id = str(command.get("user_id", ""))
    reply = run_command(
        command.get("text", ""),
        channel,
        deps,
        deps.poster_for(client),
        is_admin=lambda: workspace_admin(client, user_id),
    )
    if reply.upload is not None:
        refusal = upload_file(client, command["channel_id"], reply.upload)
        if refusal:
            respond(text=refusal, response_type="ephemeral")
            return
    if reply.blocks:
        respond(text=reply.ephemeral_text, blocks=list(reply.blocks), response_type="ephemeral")
    else:
        respond(text=reply.ephemeral_text, response_type="ephemeral")
    if reply.broadcast_text:
        client.chat_postMessage(channel=command["channel_id"], text=reply.broadcast_text)


def upload_file(client: WebClient, slack_id: str, upload: Upload) -> str:
    """Post a command's file to the channel; "" when done, else Slack's refusal in words."""
    try:
        client.files_upload_v2(
            channel=slack_id,
            content=upload.content,
            filename=upload.filename,
            title=upload.title,
            initial_comment=upload.comment,
        )
    except SlackApiError as error:
        code = escape(str(error.response.get("error", "unknown_error")))
        return f"Slack refused the file upload: {code}."
    return ""


def workspace_admin(client: WebClient, user_id: str) -> bool:
    """True when users.info says the person is an admin or owner of the workspace."""
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SlackApiError:
        return False
    return any(bool(user.get(flag)) for flag in ("is_admin", "is_owner", "is_primary_owner"))


def _run(
    parsed: Command,
    channel: Channel,
    deps: Deps,
    poster: Poster | None,
    is_admin: Callable[[], bool],
) -> Reply:
    store = deps.store
    if parsed.verb == "help":
        return Reply(USAGE)
    if parsed.verb in ("watch", "watch!"):
        return _run_watch(parsed.args, channel, deps, insist=parsed.verb == "watch!")
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
        with deps.matching():
            text, blocks = lookup_answer(parsed.args, store, channel.team_id, deps.now())
        return Reply(text, blocks=tuple(blocks))
    if parsed.verb == "unwatch":
        name = _unquote(parsed.args)
        unwanted = _names_to_remove(parsed.args)
        if unwanted is not None and store.find_entity(channel.team_id, name) is None:
            return _run_remove_names(unwanted, channel, deps)
        if not services.unwatch_entity(store, channel, name):
            return Reply(f"This channel was not watching *{echo(name)}*.")
        return Reply(
            f"Stopped watching *{echo(name)}*.",
            f"This channel no longer watches *{echo(name)}*.",
        )
    if parsed.verb == "list":
        return Reply(_render_list(channel, deps))
    if parsed.verb == "tz":
        zone = canonical_timezone(parsed.args.strip())
        updated = services.set_timezone(store, channel, zone, deps.now())
        return Reply(f"Timezone set to {escape(updated.timezone)}.")
    if parsed.verb == "watchlists":
        return Reply(_render_watchlists(store.team_watchlists(channel.team_id)))
    if parsed.verb == "watchlist":
        return _run_watchlist_command(parsed.args, channel, deps, is_admin)
    if parsed.verb in ("subscribe", "unsubscribe"):
        return _run_subscription(parsed.verb, parsed.args, channel, deps)
    if parsed.verb == "export":
        return export_reply(parsed.args, channel, deps)
    return _run_digest_command(parsed.args, channel, deps, poster)


@cache
def _timezones() -> dict[str, str]:
    return {zone.casefold(): zone for zone in zoneinfo.available_timezones()}


def canonical_timezone(text: str) -> str:
    """The IANA zone spelled as the database spells it (`europe/london` -> `Europe/London`).

    A name matching no zone in any case is returned as typed; the service explains the
    refusal, and a close zone is suggested here.
    """
    zones = _timezones()
    found = zones.get(text.casefold())
    if found:
        return found
    best = process.extractOne(text.casefold(), list(zones), scorer=fuzz.ratio, score_cutoff=80)
    if best is not None:
        raise UsageError(f"`{text[:60]}` is not a timezone. Did you mean `{zones[best[0]]}`?")
    return text


def _describe(entity: Entity) -> str:
    """Name, aliases and exclusions, as people typed them (escaped)."""
    parts = []
    if entity.aliases:
        parts.append("aka " + ", ".join(entity.aliases))
    if entity.exclude:
        parts.append("not " + ", ".join(entity.exclude))
    return f"*{echo(entity.name)}*" + (f" ({echo('; '.join(parts))})" if parts else "")


def _run_watch(args: str, channel: Channel, deps: Deps, insist: bool = False) -> Reply:
    store = deps.store
    wanted = parse_watch(args)
    if not insist and store.find_entity(channel.team_id, wanted.name) is None:
        # Ask before creating: a typo would otherwise become an entity and be announced.
        known = services.suggest_entity(store.all_entities(channel.team_id), wanted.name)
        if known is not None:
            question = (
                f"No entity called *{echo(wanted.name)}* is known yet. Did you mean "
                f"{_describe(known)}?\n`/deals watch {echo(known.name)}` watches it; "
                f"`/deals watch! {echo(wanted.name)}` watches *{echo(wanted.name)}* as typed."
            )
            blocks = watch_choice_blocks(question, known.name, wanted.name, args)
            return Reply(question, blocks=tuple(blocks))
    before = {entity.id: entity for entity in _own_entities(channel, deps)}
    result = services.watch_entity(store, channel, wanted)
    entity = result.entity
    earlier = before.get(entity.id)
    if earlier == entity:
        return Reply(f"This channel already watches {_describe(entity)}.")
    if earlier is not None:
        return Reply(f"Updated {_describe(entity)} in this channel.")
    _cover_recent(channel, [entity], deps)
    return Reply(
        f"Watching {_describe(entity)} in this channel.",
        f"This channel now watches *{echo(entity.name)}*.",
    )


def _own_entities(channel: Channel, deps: Deps) -> tuple[Entity, ...]:
    try:
        return sharing.own_watchlist(deps.store, channel).entities
    except NotFoundError:
        return ()


def _cover_recent(channel: Channel, entities: list[Entity], deps: Deps) -> None:
    """Queue the last week's stories about newly watched entities, then ask for delivery."""
    if not entities:
        return
    with deps.matching():
        queued = services.cover_recent(deps.store, channel, entities, deps.now())
    if queued:
        deps.wake()


def _run_watchlist_command(
    args: str, channel: Channel, deps: Deps, is_admin: Callable[[], bool]
) -> Reply:
    store = deps.store
    action, list_name, rest = parse_watchlist_args(args)
    if action == "new":
        created = sharing.create_shared_watchlist(
            store, channel.team_id, list_name, channel.slack_id
        )
        name = escape(created.name)
        return Reply(
            f"Created the shared watchlist *{name}*. Add entities with "
            f"`/deals watchlist add {name} &lt;name&gt;`; channels follow it with "
            f"`/deals subscribe {name}`."
        )
    watchlist = sharing.shared_watchlist(store, channel.team_id, list_name)
    name = escape(watchlist.name)
    here = channel.slack_id in watchlist.subscribers
    if action == "show":
        return Reply(_render_watchlist(watchlist))
    if not sharing.may_edit(watchlist, channel.slack_id, is_admin()):
        return Reply(
            f"Only the channel that created *{name}*, or a workspace admin, can change it. "
            f"`/deals subscribe {name}` gets its stories here."
        )
    if action == "rename":
        renamed = sharing.rename_shared_watchlist(store, watchlist, _unquote(rest))
        new_name = escape(renamed.name)
        return Reply(
            f"Renamed *{name}* to *{new_name}*; its subscribers keep getting its stories.",
            f"The shared watchlist *{name}* is now called *{new_name}*." if here else "",
        )
    if action == "delete":
        sharing.delete_shared_watchlist(store, watchlist)
        count = len(watchlist.subscribers)
        return Reply(
            f"Deleted the shared watchlist *{name}*"
            + (
                f"; {plural(count, 'subscribed channel')} will no longer get its stories."
                if count
                else "."
            )
        )
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
    if deps.store.find_watchlist(channel.team_id, sharing.validate_list_name(list_name)) is None:
        return Reply(
            f"There is no shared watchlist called *{echo(list_name)}* to unsubscribe from."
        )
    watchlist, changed = sharing.unsubscribe(deps.store, channel, list_name)
    name = escape(watchlist.name)
    if not changed:
        return Reply(f"This channel does not subscribe to *{name}*.")
    return Reply(
        f"Unsubscribed from *{name}*.",
        f"This channel no longer gets the stories of the shared watchlist *{name}*.",
    )


def _names_to_remove(args: str) -> Entity | None:
    """The aliases (`aka`) and exclusions (`not`) named after unwatch; None when there are none."""
    try:
        unwanted = parse_watch(args)
    except UsageError:
        return None
    return unwanted if unwanted.aliases or unwanted.exclude else None


def _run_remove_names(unwanted: Entity, channel: Channel, deps: Deps) -> Reply:
    """`unwatch <name> aka <alias> not <phrase>`: drop those names, keep watching the entity."""
    entity = services.remove_entity_names(
        deps.store, channel, unwanted.name, unwanted.aliases, unwanted.exclude
    )
    return Reply(
        f"Removed {echo(', '.join((*unwanted.aliases, *unwanted.exclude)))} from "
        f"*{echo(entity.name)}*; now {_describe(entity)}.",
        f"*{echo(entity.name)}* no longer answers to {echo(', '.join(unwanted.aliases))}."
        if unwanted.aliases
        else "",
    )


def export_reply(args: str, channel: Channel, deps: Deps) -> Reply:
    """The `export` command: the channel's stories of a period as a CSV file to post."""
    period = args.strip().lower() or "30d"
    items = sharing.exported_stories(deps.store, channel, period, deps.now())
    if not items:
        return Reply(f"No stories reached this channel in the last {escape(period)}.")
    day = deps.now().strftime("%Y-%m-%d")
    count = plural(len(items), "story", "stories")
    return Reply(
        f"Exported {count} of the last {escape(period)} as a CSV file.",
        upload=Upload(
            filename=f"dealwatch-{channel.slack_id}-{period}-{day}.csv",
            content=sharing.stories_csv(items),
            title=escape(f"dealwatch export: {count}, last {period}"),
            comment=escape(f"Deal stories of the last {period} ({count})."),
        ),
    )


FEEDS_USAGE = "Use `feeds add <url>`, `feeds list` or `feeds remove <n>`."


def _run_feeds_command(args: str, channel: Channel, deps: Deps) -> Reply:
    action, _, rest = args.strip().partition(" ")
    action = action.lower()
    if action == "list" or not action:
        sources = deps.store.channel_sources(channel.id)
        if not sources:
            return Reply(
                "This channel has no feeds yet. Add one with `/deals feeds add &lt;url&gt;`."
            )
        return Reply("\n".join(_feed_lines(channel, deps)))
    if action == "add":
        url = rest.strip().strip("<>").split("|")[0]
        if not url.startswith(("http://", "https://")):
            raise UsageError("`feeds add` needs an http(s) URL.")
        if deps.fetcher is None:
            raise DealwatchError("Adding feeds is not available in this process.")
        added = polling.add_feed(deps.store, deps.fetcher, channel, url, deps.now(), deps.jitter)
        name = echo(added.source.title or url)
        preview = (
            f"\nLatest item: {escape(truncate(added.preview.title, 200))}" if added.preview else ""
        )
        items = plural(added.existing_items, "current item")
        return Reply(
            f"Added feed *{name}*. Its {items} {'is' if added.existing_items == 1 else 'are'} "
            f"marked as seen; only new items will be matched.{preview}",
            f"This channel now follows the feed *{name}*.",
        )
    if action == "remove":
        sources = deps.store.channel_sources(channel.id)
        if not sources:
            return Reply("This channel has no feeds to remove.")
        number = rest.strip()
        if not number.isdecimal() or len(number) > 6 or not 1 <= int(number) <= len(sources):
            span = "1" if len(sources) == 1 else f"1-{len(sources)}"
            raise UsageError(f"`feeds remove` needs a number from `feeds list` ({span}).")
        source = sources[int(number) - 1]
        deps.store.remove_channel_source(channel.id, source.id)
        name = echo(source.title or redact_url(source.url))
        return Reply(
            f"Removed feed *{name}*.", f"This channel no longer follows the feed *{name}*."
        )
    raise UsageError(f"`feeds {action[:20]}` is not a feeds command. {FEEDS_USAGE}")


def _feed_lines(channel: Channel, deps: Deps) -> list[str]:
    sources = deps.store.channel_sources(channel.id)
    lines = [f"*Feeds of this channel* ({len(sources)}):"]
    for number, source in enumerate(sources, start=1):
        health = polling.feed_health_line(source, deps.now())
        lines.append(
            f"{number}. {echo(source.title or redact_url(source.url))} {bare_link(redact_url(source.url))} · {escape(health)}"
        )
    return lines


def post_digest_now(channel: Channel, deps: Deps, poster: Poster | None) -> Reply:
    """`digest now`: post the channel's queued stories at once."""
    if poster is None:
        raise DealwatchError("Posting a digest is not available here.")
    with deps.matching():
        pass  # every article accepted before this command is filed first
    result = services.run_digest(deps.store, poster, channel, deps.now())
    if not result.stories_posted:
        return Reply("No new stories since the last digest.")
    return Reply(f"Posted {plural(result.stories_posted, 'story', 'stories')}.")


def _run_digest_command(args: str, channel: Channel, deps: Deps, poster: Poster | None) -> Reply:
    if args.strip().lower() == "now":
        return post_digest_now(channel, deps, poster)
    updated = services.set_digest(deps.store, channel, args, deps.now())
    if updated.delivery == "digest":
        what = escape(f"Digest: {updated.digest_schedule} ({updated.timezone}).")
    elif updated.delivery == "instant":
        what = "Stories will be posted as they arrive."
    else:
        what = "Digests are off for this channel."
    return Reply(what, what)


def _entity_lines(entities: tuple[Entity, ...] | list[Entity]) -> list[str]:
    lines = []
    for entity in entities[:MAX_LISTED_PER_LIST]:
        names = [f"aka {', '.join(entity.aliases)}"] if entity.aliases else []
        names += [f"not {', '.join(entity.exclude)}"] if entity.exclude else []
        lines.append(f"• *{echo(entity.name)}*" + (f" {echo('; '.join(names))}" if names else ""))
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
            "or `/deals subscribe &lt;list&gt;` (see `/deals watchlists`)."
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
        lines.append("Feeds: none added here (`/deals feeds add &lt;url&gt;`).")
    return truncate("\n".join(lines), MAX_REPLY)


def _subscribers(watchlist: WatchlistInfo) -> str:
    # A count only: naming the channels would show private ones to anybody.
    count = len(watchlist.subscribers)
    return plural(count, "subscribed channel") if count else "no channel subscribes"


def _render_watchlist(watchlist: WatchlistInfo) -> str:
    count = len(watchlist.entities)
    lines = [
        f"*Shared watchlist {escape(watchlist.name)}* "
        f"({plural(count, 'entity', 'entities')}; {_subscribers(watchlist)})"
    ]
    lines.extend(_entity_lines(watchlist.entities))
    return truncate("\n".join(lines), MAX_REPLY)


def _render_watchlists(watchlists: list[WatchlistInfo]) -> str:
    if not watchlists:
        return (
            "This workspace has no shared watchlists yet. "
            "Create one with `/deals watchlist new &lt;list&gt;`."
        )
    lines = [f"*Shared watchlists of this workspace* ({len(watchlists)}):"]
    for watchlist in watchlists:
        count = len(watchlist.entities)
        lines.append(
            f"• *{escape(watchlist.name)}*: {plural(count, 'entity', 'entities')} · "
            + _subscribers(watchlist)
        )
    return truncate("\n".join(lines), MAX_REPLY)


def register(app: App, deps: Deps) -> None:
    """Attach the /deals command to the app."""
    app.command("/deals")(partial(handle_deals_command, deps=deps))

"""Block Kit for the control panel: the App Home of one channel and the modals it opens.

Pure builders: data in, views out. Every mrkdwn text goes through `escape`, every plain
text through `plain`, and `view_limits.view_problems` checks a view against Slack's limits.
"""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from handlers.blocks import channel_mention, escape, link, plain, truncate
from handlers.view_limits import (
    MAX_INPUT_VALUE,
    MAX_LABEL,
    MAX_OPTION_TEXT,
    MAX_OPTION_VALUE,
    MAX_OPTIONS,
    MAX_SECTION,
    MAX_TITLE,
    MAX_VIEW_BLOCKS,
)
from watchlists.model import Channel, Entity
from watchlists.ports import PostedStory, SourceState, WatchlistInfo

Block = dict[str, Any]

# What one page of each part of the panel shows.
ENTITIES_PER_PAGE = 12
SUBSCRIPTIONS_PER_PAGE = 6
MUTES_PER_PAGE = 6
FEEDS_PER_PAGE = 6
# Slack sends the whole view back with every click: these caps keep a click on the largest
# panel under the bot's request size limit (bot/app.py MAX_SLACK_BODY) even in Cyrillic.
MAX_ENTITY_NAME = 80
MAX_ENTITY_NAMES = 60
MAX_FEED_NAME = 60
MAX_HEALTH = 80
MAX_MUTED_NAME = 60
MAX_STORY_TITLE = 100
# A longer link (a URL of Chinese text, say) is left off: a URL cannot be cut.
MAX_STORY_URL = 400
MAX_NOTICE = 300
MAX_PICKER_CHANNELS = 20
MAX_CHANNEL_LABEL = 30
MAX_ENTITY_INPUT = 200

# action_ids of the panel and callback_ids of its modals.
ACTION_CHANNEL = "panel_channel"
ACTION_ADD_ENTITY = "panel_add_entity"
ACTION_ENTITY_MENU = "panel_entity_menu"
ACTION_SUBSCRIBE = "panel_subscribe"
ACTION_UNSUBSCRIBE = "panel_unsubscribe"
ACTION_SCHEDULE = "panel_schedule"
ACTION_ADD_FEED = "panel_add_feed"
ACTION_REMOVE_FEED = "panel_remove_feed"
ACTION_PAGE = "panel_page"
ACTION_MUTE_OPEN = "panel_mute_open"
ACTION_UNMUTE = "panel_unmute"
ACTION_DIGEST_NOW = "panel_digest_now"
ACTION_EXPORT = "panel_export"
CALLBACK_MUTE = "panel_mute"
CALLBACK_UNWATCH = "panel_unwatch"
CALLBACK_EXPORT = "panel_export"
CALLBACK_ENTITY = "panel_entity"
CALLBACK_LIST_ENTITY = "panel_list_entity"
CALLBACK_SUBSCRIBE = "panel_subscribe"
CALLBACK_SCHEDULE = "panel_schedule"
CALLBACK_FEED = "panel_feed"
CALLBACK_SETTINGS = "panel_settings"
# Handled in handlers/lookup.py, which owns the lookup modal.
ACTION_LISTS = "panel_lists"
ACTION_LOOKUP_OPEN = "lookup_open"

# Input block and element ids; a field error is keyed by the block id.
FIELD_NAME = "name"
FIELD_ALIASES = "aliases"
FIELD_EXCLUDE = "exclude"
FIELD_LIST = "list"
FIELD_MODE = "mode"
FIELD_DAY = "day"
FIELD_TIME = "time"
FIELD_TIMEZONE = "timezone"
FIELD_URL = "url"
FIELD_MUTE_FOR = "mute_for"
FIELD_MUTE_CUSTOM = "mute_custom"
FIELD_PERIOD = "period"
FIELD_PERIOD_CUSTOM = "period_custom"

MODES = (
    ("instant", "Instant: as stories arrive"),
    ("daily", "Daily digest"),
    ("weekdays", "Weekday digest (Mon-Fri)"),
    ("weekly", "Weekly digest"),
    ("off", "Off"),
)
DAYS = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)
ENTITY_MENU = (
    ("edit", "Edit names"),
    ("mute", "Mute…"),
    ("unmute", "Unmute"),
    ("remove", "Remove…"),
)
# The mute modal's choices: durations the `mute` command takes.
MUTE_PERIODS = (("1d", "1 day"), ("7d", "7 days"), ("30d", "30 days"), ("custom", "Other…"))
# The export modal's choices: periods the `export` command takes.
EXPORT_PERIODS = (
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("90d", "Last 90 days"),
    ("custom", "Other…"),
)
# The parts of the panel that page, by the key their page has in private_metadata.
PAGED_PARTS = ("p", "sp", "mp", "fp")


@dataclass(frozen=True)
class Panel:
    """Everything the control panel shows of one channel."""

    channel: Channel
    entities: tuple[Entity, ...]
    subscriptions: tuple[WatchlistInfo, ...]
    mutes: tuple[tuple[Entity, datetime], ...]
    feeds: tuple[tuple[SourceState, str], ...]
    page: int = 0
    notice: str = ""
    recent: tuple[PostedStory, ...] = field(default_factory=tuple)
    sub_page: int = 0
    mute_page: int = 0
    feed_page: int = 0

    def pages(self) -> dict[str, int]:
        """The page of each part, keyed as in PAGED_PARTS."""
        return {"p": self.page, "sp": self.sub_page, "mp": self.mute_page, "fp": self.feed_page}


def pages_of(fields: dict[str, Any]) -> dict[str, int]:
    """The page of each part of the panel held in private_metadata (0 when absent)."""
    pages = {}
    for key in PAGED_PARTS:
        try:
            pages[key] = max(0, int(fields.get(key) or 0))
        except (TypeError, ValueError):
            pages[key] = 0
    return pages


def panel_metadata(panel: Panel) -> str:
    """The private_metadata of a view showing the panel: the channel and its pages."""
    return pack(c=panel.channel.slack_id, **panel.pages())


def pack(**fields: int | str) -> str:
    """A compact JSON value for a button, an option or private_metadata."""
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def unpack(value: str) -> dict[str, Any]:
    """The fields written by pack; {} when the value is not one."""
    try:
        fields = json.loads(value or "{}")
    except ValueError:
        return {}
    return fields if isinstance(fields, dict) else {}


def text(value: str, limit: int = MAX_OPTION_TEXT) -> Block:
    """A plain_text object cut to limit characters."""
    return {"type": "plain_text", "text": plain(value, limit) or " "}


def clip(text: str, limit: int) -> str:
    """Text cut (as truncate does) to limit characters and to 2 * limit UTF-8 bytes.

    Slack sends the view back URL-encoded with every click, 3 bytes of a Chinese character
    becoming 9: wide scripts keep fewer characters, Latin and Cyrillic text keeps limit.
    """
    budget = 2 * limit
    for count, character in enumerate(text[:limit]):
        budget -= len(character.encode())
        if budget < 0:
            return truncate(text, count)
    return truncate(text, limit)


def option(label: str, value: str) -> Block:
    """A select or overflow option within Slack's sizes."""
    return {"text": text(label), "value": value[:MAX_OPTION_VALUE]}


def section(mrkdwn: str, accessory: Block | None = None) -> Block:
    """A mrkdwn section (text already escaped), with an optional accessory."""
    block: Block = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate(mrkdwn, MAX_SECTION)},
    }
    if accessory is not None:
        block["accessory"] = accessory
    return block


def context(mrkdwn: str) -> Block:
    """A one-line context block (text already escaped)."""
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": truncate(mrkdwn, MAX_SECTION)}],
    }


def button(label: str, action_id: str, value: str, style: str = "", confirm: str = "") -> Block:
    """A button; with confirm, Slack asks before sending the click."""
    element: Block = {"type": "button", "text": text(label), "action_id": action_id, "value": value}
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = _confirm(confirm)
    return element


def _confirm(question: str) -> Block:
    return {
        "title": text("Are you sure?", 100),
        "text": {"type": "plain_text", "text": plain(question, 300)},
        "confirm": text("Yes", 30),
        "deny": text("Cancel", 30),
    }


def entity_names(entity: Entity) -> str:
    """The entity's name in bold, then its aliases and exclusions, each cut on its own."""
    lines = [f"*{escape(clip(entity.name, MAX_ENTITY_NAME))}*"]
    if entity.aliases:
        lines.append(escape(clip("aka " + ", ".join(entity.aliases), MAX_ENTITY_NAMES)))
    if entity.exclude:
        lines.append(escape(clip("not " + ", ".join(entity.exclude), MAX_ENTITY_NAMES)))
    return "\n".join(lines)


def _entity_menu(channel: str, entity: Entity, muted: bool) -> Block:
    options = [
        option(label, pack(o=op, c=channel, e=entity.id or 0))
        for op, label in ENTITY_MENU
        if not (op == "mute" and muted) and not (op == "unmute" and not muted)
    ]
    return {"type": "overflow", "action_id": ACTION_ENTITY_MENU, "options": options}


def delivery_line(channel: Channel) -> str:
    """How the channel gets its stories, in words."""
    if channel.delivery == "digest":
        return f"digest {channel.digest_schedule}"
    return "instant" if channel.delivery == "instant" else "off"


def page_of(count: int, page: int, per_page: int) -> tuple[int, int, slice]:
    """The page shown (clamped), the number of pages and the slice of items it holds."""
    pages = max(1, -(-count // per_page))
    page = min(max(page, 0), pages - 1)
    return page, pages, slice(page * per_page, (page + 1) * per_page)


def _pager(sid: str, key: str, page: int, pages: int) -> list[Block]:
    """Previous/More buttons and "Page x of y" for one part of the panel; none for one page."""
    if pages <= 1:
        return []
    elements = []
    if page > 0:
        elements.append(button("Previous", ACTION_PAGE, pack(c=sid, k=key, p=page - 1)))
    if page < pages - 1:
        elements.append(button("More", ACTION_PAGE, pack(c=sid, k=key, p=page + 1)))
    return [
        {"type": "actions", "block_id": f"panel-pages-{key}", "elements": elements},
        context(f"Page {page + 1} of {pages}"),
    ]


def panel_blocks(panel: Panel) -> list[Block]:
    """The controls of one channel: schedule, watchlist, subscriptions, mutes and feeds."""
    channel = panel.channel
    sid = channel.slack_id
    value = pack(c=sid)
    blocks: list[Block] = [
        section(
            f"*{channel_mention(sid)}*\nDelivery: {escape(delivery_line(channel))} · "
            f"timezone {escape(channel.timezone)}"
        ),
        {
            "type": "actions",
            "block_id": "panel-delivery",
            "elements": [
                button("Schedule", ACTION_SCHEDULE, value),
                button(
                    "Post digest now",
                    ACTION_DIGEST_NOW,
                    value,
                    confirm="Post this channel's queued stories to it now?",
                ),
                button("Export CSV", ACTION_EXPORT, value),
            ],
        },
    ]
    if panel.notice:
        blocks.append(context(clip(panel.notice, MAX_NOTICE)))
    blocks.append({"type": "divider"})
    count = len(panel.entities)
    blocks.append(
        section(
            f"*Watchlist* ({count} entit{'y' if count == 1 else 'ies'})",
            button("Add entity", ACTION_ADD_ENTITY, value, style="primary"),
        )
    )
    muted = {entity.id: until for entity, until in panel.mutes}
    page, pages, shown = page_of(count, panel.page, ENTITIES_PER_PAGE)
    for entity in panel.entities[shown]:
        blocks.append(section(entity_names(entity), _entity_menu(sid, entity, entity.id in muted)))
    if not panel.entities:
        blocks.append(context("Nothing watched here yet: *Add entity* or *Subscribe to a list*."))
    blocks.extend(_pager(sid, "p", page, pages))
    blocks.append(
        section(
            f"*Subscriptions* ({len(panel.subscriptions)})",
            button("Subscribe to a list", ACTION_SUBSCRIBE, value),
        )
    )
    page, pages, shown = page_of(len(panel.subscriptions), panel.sub_page, SUBSCRIPTIONS_PER_PAGE)
    for watchlist in panel.subscriptions[shown]:
        size = len(watchlist.entities)
        blocks.append(
            section(
                f"*{escape(watchlist.name)}* · {size} entit{'y' if size == 1 else 'ies'}",
                button(
                    "Unsubscribe",
                    ACTION_UNSUBSCRIBE,
                    pack(c=sid, w=watchlist.name),
                    confirm=f"Stop getting the stories of {watchlist.name} here?",
                ),
            )
        )
    blocks.extend(_pager(sid, "sp", page, pages))
    blocks.append(
        section(f"*Mutes* ({len(panel.mutes)})", button("Mute an entity", ACTION_MUTE_OPEN, value))
    )
    page, pages, shown = page_of(len(panel.mutes), panel.mute_page, MUTES_PER_PAGE)
    for entity, until in panel.mutes[shown]:
        blocks.append(
            section(
                f"{escape(clip(entity.name, MAX_MUTED_NAME))} until {until:%Y-%m-%d %H:%M} UTC",
                button("Unmute", ACTION_UNMUTE, pack(c=sid, e=entity.id or 0)),
            )
        )
    blocks.extend(_pager(sid, "mp", page, pages))
    blocks.append(
        {
            "type": "actions",
            "block_id": "panel-lists",
            "elements": [
                button("Shared lists of the workspace", ACTION_LISTS, value),
                button("Look up stories", ACTION_LOOKUP_OPEN, value),
            ],
        }
    )
    blocks.append(
        section(f"*Feeds* ({len(panel.feeds)})", button("Add feed", ACTION_ADD_FEED, value))
    )
    page, pages, shown = page_of(len(panel.feeds), panel.feed_page, FEEDS_PER_PAGE)
    first = shown.start + 1
    for number, (source, health) in enumerate(panel.feeds[shown], start=first):
        name = source.title or source.url
        blocks.append(
            section(
                f"{number}. {escape(clip(name, MAX_FEED_NAME))} · "
                f"{escape(clip(health, MAX_HEALTH))}",
                button(
                    "Remove",
                    ACTION_REMOVE_FEED,
                    pack(c=sid, f=source.id),
                    style="danger",
                    confirm=f"Stop following feed {number} here?",
                ),
            )
        )
    blocks.extend(_pager(sid, "fp", page, pages))
    if panel.recent:
        lines = [
            link(
                story.url if len(story.url) <= MAX_STORY_URL else "",
                clip(story.title, MAX_STORY_TITLE),
            )
            for story in panel.recent
        ]
        blocks.append(context("Latest: " + " · ".join(lines)))
    return blocks


def home_panel_view(panels: Sequence[Channel], panel: Panel | None) -> Block:
    """The App Home: a channel picker and the control panel of the chosen channel."""
    blocks: list[Block] = [
        {"type": "header", "text": text("dealwatch", 150)},
        context(
            "Manage the channels you share with dealwatch. `/deals help` lists the slash commands."
        ),
    ]
    if panel is None:
        blocks.append(
            section(
                "No channel of yours uses dealwatch yet. Invite it to a channel, then type "
                "`/deals watch &lt;name&gt;` there, or `/deals` alone for its settings."
            )
        )
        return {"type": "home", "blocks": blocks}
    if len(panels) > 1:
        blocks.append(
            {
                "type": "actions",
                "block_id": "panel-channel",
                "elements": [_channel_picker(panels, panel.channel)],
            }
        )
    blocks.extend(panel_blocks(panel))
    return {
        "type": "home",
        "callback_id": "panel_home",
        "private_metadata": panel_metadata(panel),
        "blocks": blocks[:MAX_VIEW_BLOCKS],
    }


def channel_option(channel: Channel) -> Block:
    """A channel of the picker: its name, and its Slack id as the value."""
    return option(
        "#" + truncate(channel.name or channel.slack_id, MAX_CHANNEL_LABEL),
        pack(c=channel.slack_id),
    )


def _channel_picker(channels: Sequence[Channel], current: Channel) -> Block:
    """A static select of the channels; past MAX_PICKER_CHANNELS, one whose options come
    from the options listener as the person types (every channel stays reachable)."""
    chosen = channel_option(current)
    if len(channels) > MAX_PICKER_CHANNELS:
        return {
            "type": "external_select",
            "action_id": ACTION_CHANNEL,
            "placeholder": text("Type a channel name"),
            "min_query_length": 0,
            "initial_option": chosen,
        }
    return {
        "type": "static_select",
        "action_id": ACTION_CHANNEL,
        "placeholder": text("Channel"),
        "options": [channel_option(channel) for channel in channels],
        "initial_option": chosen,
    }


def channel_options(channels: Sequence[Channel], query: str) -> list[Block]:
    """The picker's options for what the person typed: names containing it, 100 at most."""
    wanted = query.casefold().lstrip("#").strip()
    found = [c for c in channels if wanted in (c.name or c.slack_id).casefold()]
    return [channel_option(channel) for channel in found[:MAX_OPTIONS]]


def modal(title: str, callback_id: str, metadata: str, blocks: list[Block], submit: str) -> Block:
    view: Block = {
        "type": "modal",
        "callback_id": callback_id,
        "title": text(title, MAX_TITLE),
        "close": text("Cancel", MAX_TITLE),
        "private_metadata": metadata,
        "blocks": blocks,
    }
    if submit:
        view["submit"] = text(submit, MAX_TITLE)
    return view


def settings_modal(panel: Panel) -> Block:
    """The channel's settings as a modal (`/deals` with no arguments)."""
    blocks = panel_blocks(panel)[:MAX_VIEW_BLOCKS]
    return modal("Channel settings", CALLBACK_SETTINGS, panel_metadata(panel), blocks, "") | {
        "close": text("Done", MAX_TITLE)
    }


def text_input(
    block_id: str,
    label: str,
    initial: str = "",
    hint: str = "",
    multiline: bool = False,
    optional: bool = False,
    max_length: int = MAX_INPUT_VALUE,
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": block_id,
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": text(label, MAX_LABEL),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = text(hint, MAX_LABEL)
    return block


@dataclass(frozen=True)
class EntityForm:
    """What the entity modal holds: the entity edited (0 for a new one) and the typed fields."""

    entity_id: int = 0
    name: str = ""
    aliases: str = ""
    exclude: str = ""
    # A name the person was asked about ("did you mean ...?") and may now insist on.
    asked: str = ""

    @classmethod
    def of(cls, entity: Entity) -> EntityForm:
        """The form filled with an entity's names, one per line."""
        return cls(
            entity.id or 0, entity.name, "\n".join(entity.aliases), "\n".join(entity.exclude)
        )


def entity_modal(
    channel_slack_id: str, form: EntityForm, max_name: int, note: str = "", list_id: int = 0
) -> Block:
    """Add an entity to the channel's watchlist, or edit the names of one it watches (or, with
    list_id, of an entity on that shared list)."""
    editing = bool(form.entity_id)
    blocks = [
        text_input(FIELD_NAME, "Name", form.name, max_length=max_name),
        text_input(
            FIELD_ALIASES,
            "Aliases",
            form.aliases,
            "Other names it goes by: one per line (or separated by commas).",
            multiline=True,
            optional=True,
        ),
        text_input(
            FIELD_EXCLUDE,
            "Exclusions",
            form.exclude,
            "Phrases that mean something else, e.g. Shell Beach: one per line.",
            multiline=True,
            optional=True,
        ),
    ]
    if editing:
        blocks.append(
            context(
                "Aliases and exclusions are shared by every channel watching this entity: "
                "a line you add is added, a line you delete is removed for all of them."
            )
        )
    if note:
        blocks.append(section(note))
    asked = form.asked[: MAX_INPUT_VALUE // 2]
    if list_id:
        metadata = pack(c=channel_slack_id, e=form.entity_id, w=list_id, s=asked)
        return modal("Edit list entity", CALLBACK_LIST_ENTITY, metadata, blocks, "Save")
    metadata = pack(c=channel_slack_id, e=form.entity_id, s=asked)
    title = "Edit entity" if editing else "Add entity"
    return modal(title, CALLBACK_ENTITY, metadata, blocks, "Save" if editing else "Watch")


def subscribe_modal(channel_slack_id: str, lists: Sequence[WatchlistInfo]) -> Block:
    """Pick a shared list of the workspace to subscribe the channel to."""
    if not lists:
        blocks = [
            section(
                "This workspace has no shared watchlists yet. "
                "Create one with `/deals watchlist new &lt;list&gt;`."
            )
        ]
        return modal(
            "Subscribe to a list", CALLBACK_SUBSCRIBE, pack(c=channel_slack_id), blocks, ""
        )
    element: Block = {
        "type": "static_select",
        "action_id": FIELD_LIST,
        "placeholder": text("Choose a list"),
        "options": list_options(lists, ""),
    }
    if len(lists) > MAX_OPTIONS:
        # Every list stays reachable: the options listener filters them as the person types.
        element = {
            "type": "external_select",
            "action_id": FIELD_LIST,
            "placeholder": text("Type a list name"),
            "min_query_length": 0,
        }
    blocks: list[Block] = [
        {
            "type": "input",
            "block_id": FIELD_LIST,
            "label": text("Shared watchlist", MAX_LABEL),
            "element": element,
        }
    ]
    return modal(
        "Subscribe to a list", CALLBACK_SUBSCRIBE, pack(c=channel_slack_id), blocks, "Subscribe"
    )


def list_options(lists: Sequence[WatchlistInfo], query: str) -> list[Block]:
    """The shared lists whose names hold what the person typed, as options (100 at most)."""
    wanted = query.casefold().strip()
    return [
        option(
            f"{w.name} ({len(w.entities)} entit{'y' if len(w.entities) == 1 else 'ies'})",
            w.name,
        )
        for w in lists
        if wanted in w.name.casefold()
    ][:MAX_OPTIONS]


@cache
def timezone_names() -> tuple[str, ...]:
    """Every Region/City IANA zone and UTC, sorted."""
    skipped = ("Etc", "SystemV", "US", "posix", "right")
    zones = [
        zone
        for zone in zoneinfo.available_timezones()
        if "/" in zone and zone.partition("/")[0] not in skipped
    ]
    return (*sorted(zones), "UTC")


def timezone_options(query: str) -> list[Block]:
    """The zones matching what the person typed, as option groups by region (100 at most)."""
    words = query.casefold().replace("_", " ").split()
    found = [
        zone
        for zone in timezone_names()
        if all(word in zone.casefold().replace("_", " ") for word in words)
    ][:MAX_OPTIONS]
    groups: dict[str, list[Block]] = {}
    for zone in found:
        groups.setdefault(zone.partition("/")[0], []).append(_zone_option(zone))
    return [{"label": text(region), "options": options} for region, options in groups.items()]


def _zone_option(zone: str) -> Block:
    return option(zone.replace("_", " "), zone)


def _find_option(options: Sequence[Block], value: str) -> Block | None:
    return next((o for o in options if o["value"] == value), None)


def _select(
    block_id: str, label: str, options: list[Block], initial: str, optional: bool = False
) -> Block:
    element: Block = {
        "type": "static_select",
        "action_id": block_id,
        "placeholder": text(label),
        "options": options,
    }
    chosen = _find_option(options, initial)
    if chosen is not None:
        element["initial_option"] = chosen
    return {
        "type": "input",
        "block_id": block_id,
        "label": text(label, MAX_LABEL),
        "element": element,
        "optional": optional,
    }


def schedule_modal(channel: Channel) -> Block:
    """Delivery mode, day, time and timezone of the channel, filled with the current ones."""
    words = channel.digest_schedule.split() if channel.delivery == "digest" else []
    mode = words[0] if words else channel.delivery
    weekday = words[1] if len(words) == 3 else ""
    at = words[-1] if words else ""
    # Options come from the options listener as the person types: ~600 zones would make
    # the view (which Slack sends back on every submission) too big.
    zone_element: Block = {
        "type": "external_select",
        "action_id": FIELD_TIMEZONE,
        "placeholder": text("Type a city, e.g. London"),
        "min_query_length": 2,
        "initial_option": _zone_option(channel.timezone),
    }
    time_element: Block = {"type": "timepicker", "action_id": FIELD_TIME}
    if at:
        time_element["initial_time"] = at
    blocks = [
        _select(FIELD_MODE, "Delivery", [option(label, v) for v, label in MODES], mode),
        _select(
            FIELD_DAY,
            "Day (weekly digests)",
            [option(label, v) for v, label in DAYS],
            weekday,
            optional=True,
        ),
        {
            "type": "input",
            "block_id": FIELD_TIME,
            "label": text("Time (digests)", MAX_LABEL),
            "element": time_element,
            "optional": True,
        },
        {
            "type": "input",
            "block_id": FIELD_TIMEZONE,
            "label": text("Timezone", MAX_LABEL),
            "element": zone_element,
        },
    ]
    return modal("Schedule", CALLBACK_SCHEDULE, pack(c=channel.slack_id), blocks, "Save")


def feed_modal(channel_slack_id: str, url: str = "", problem: str = "") -> Block:
    """The URL of a news feed to follow; a fetch problem is shown under the field."""
    element: Block = {"type": "url_text_input", "action_id": FIELD_URL}
    if url:
        element["initial_value"] = url[:MAX_INPUT_VALUE]
    blocks: list[Block] = [
        {
            "type": "input",
            "block_id": FIELD_URL,
            "label": text("Feed URL (RSS or Atom)", MAX_LABEL),
            "element": element,
            "hint": text(
                "Its current items are marked as seen; only new ones are matched.", MAX_LABEL
            ),
        }
    ]
    if problem:
        blocks.append(context(":warning: " + escape(truncate(problem, 500))))
    return modal("Add feed", CALLBACK_FEED, pack(c=channel_slack_id), blocks, "Add feed")


def mute_modal(channel_slack_id: str, name: str = "", problem: str = "") -> Block:
    """Silence an entity in the channel: its name (filled from the entity menu) and for how long."""
    blocks: list[Block] = [
        text_input(
            FIELD_NAME,
            "Entity",
            name,
            "Its name or an alias, as watched in this workspace.",
            max_length=MAX_ENTITY_INPUT,
        ),
        _select(
            FIELD_MUTE_FOR,
            "Mute for",
            [option(label, value) for value, label in MUTE_PERIODS],
            "7d",
        ),
        text_input(
            FIELD_MUTE_CUSTOM,
            "Other duration",
            hint="With Other…: hours, days or weeks, e.g. 12h, 3d or 2w.",
            optional=True,
            max_length=20,
        ),
    ]
    if problem:
        blocks.append(context(":warning: " + escape(truncate(problem, 500))))
    return modal("Mute", CALLBACK_MUTE, pack(c=channel_slack_id), blocks, "Mute")


def unwatch_modal(channel_slack_id: str, entity: Entity) -> Block:
    """Ask before the channel stops watching an entity."""
    name = escape(clip(entity.name, MAX_ENTITY_NAME))
    blocks = [
        section(
            f"Stop watching *{name}* in {channel_mention(channel_slack_id)}? "
            "Its stories stop coming here; its names stay known to the workspace."
        )
    ]
    meta = pack(c=channel_slack_id, e=entity.id or 0)
    return modal("Remove entity", CALLBACK_UNWATCH, meta, blocks, "Remove")


def export_modal(channel_slack_id: str) -> Block:
    """Which stories to post to the channel as a CSV file (the `export` command)."""
    blocks = [
        _select(
            FIELD_PERIOD,
            "Stories this channel got in the",
            [option(label, value) for value, label in EXPORT_PERIODS],
            "30d",
        ),
        text_input(
            FIELD_PERIOD_CUSTOM,
            "Other period",
            hint="With Other…: hours, days or weeks back, e.g. 12h, 45d or 2w.",
            optional=True,
            max_length=20,
        ),
        context(
            f"The CSV file is posted to {channel_mention(channel_slack_id)}, "
            "where everybody in it can see it."
        ),
    ]
    return modal("Export CSV", CALLBACK_EXPORT, pack(c=channel_slack_id), blocks, "Post CSV")


def progress_modal(title: str, message: str) -> Block:
    """A modal that says what is happening while the bot works."""
    return modal(title, "panel_progress", "", [section(escape(message))], "")

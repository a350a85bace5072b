"""Block Kit for the control panel: the App Home of one channel and the modals it opens.

Pure builders: data in, views out. Every mrkdwn text goes through `escape`, every plain
text through `plain`, and `view_problems` checks a view against Slack's limits.
"""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from handlers.blocks import channel_mention, escape, link, plain, truncate, validate_view
from watchlists.model import Channel, Entity
from watchlists.ports import PostedStory, SourceState, WatchlistInfo

Block = dict[str, Any]

# Slack's limits for views and their elements.
MAX_VIEW_BLOCKS = 100
MAX_TITLE = 24
MAX_LABEL = 2000
MAX_PLACEHOLDER = 150
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_OPTIONS = 100
MAX_OPTION_GROUPS = 100
MAX_OVERFLOW_OPTIONS = 5
MAX_PRIVATE_METADATA = 3000
MAX_INPUT_VALUE = 3000
MAX_SECTION = 3000
# What one page of the panel shows.
ENTITIES_PER_PAGE = 12
MAX_SHOWN_SUBSCRIPTIONS = 6
MAX_SHOWN_FEEDS = 6
MAX_SHOWN_MUTES = 10
# Slack sends the whole view back with every click: these caps keep a click on the largest
# panel under the bot's request size limit (bot/app.py MAX_SLACK_BODY) even in Cyrillic.
MAX_ENTITY_NAME = 80
MAX_ENTITY_NAMES = 60
MAX_FEED_NAME = 60
MAX_HEALTH = 80
MAX_MUTED_NAME = 60
MAX_STORY_TITLE = 100
MAX_NOTICE = 300
MAX_PICKER_CHANNELS = 20
MAX_CHANNEL_LABEL = 30

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
CALLBACK_ENTITY = "panel_entity"
CALLBACK_SUBSCRIBE = "panel_subscribe"
CALLBACK_SCHEDULE = "panel_schedule"
CALLBACK_FEED = "panel_feed"
CALLBACK_SETTINGS = "panel_settings"
ACTION_LISTS = "panel_lists"
# Handled in handlers/lookup.py, which owns the lookup modal.
ACTION_LOOKUP_OPEN = "lookup_open"
ACTION_LIST_OPEN = "panel_list_open"
ACTION_LIST_REMOVE = "panel_list_remove"
ACTION_LIST_DELETE = "panel_list_delete"
CALLBACK_LIST_NEW = "panel_list_new"
CALLBACK_LIST_EDIT = "panel_list_edit"
FIELD_LIST_NAME = "list_name"
FIELD_RENAME = "rename"
MAX_SHOWN_LISTS = 40
MAX_LIST_ENTITIES = 20

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
    ("edit", "Edit"),
    ("mute", "Mute 7 days"),
    ("unmute", "Unmute"),
    ("remove", "Remove"),
)
MUTE_PERIOD = "7d"


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


def _names(entity: Entity) -> str:
    """The entity's name in bold, then its aliases and exclusions, each cut on its own."""
    lines = [f"*{escape(truncate(entity.name, MAX_ENTITY_NAME))}*"]
    if entity.aliases:
        lines.append(escape(truncate("aka " + ", ".join(entity.aliases), MAX_ENTITY_NAMES)))
    if entity.exclude:
        lines.append(escape(truncate("not " + ", ".join(entity.exclude), MAX_ENTITY_NAMES)))
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


def panel_blocks(panel: Panel) -> list[Block]:
    """The controls of one channel: schedule, watchlist, subscriptions, mutes and feeds."""
    channel = panel.channel
    sid = channel.slack_id
    value = pack(c=sid)
    blocks: list[Block] = [
        section(
            f"*{channel_mention(sid)}*\nDelivery: {escape(delivery_line(channel))} · "
            f"timezone {escape(channel.timezone)}",
            button("Schedule", ACTION_SCHEDULE, value),
        )
    ]
    if panel.notice:
        blocks.append(context(truncate(panel.notice, MAX_NOTICE)))
    blocks.append({"type": "divider"})
    count = len(panel.entities)
    blocks.append(
        section(
            f"*Watchlist* ({count} entit{'y' if count == 1 else 'ies'})",
            button("Add entity", ACTION_ADD_ENTITY, value, style="primary"),
        )
    )
    muted = {entity.id: until for entity, until in panel.mutes}
    pages = max(1, -(-count // ENTITIES_PER_PAGE))
    page = min(max(panel.page, 0), pages - 1)
    shown = panel.entities[page * ENTITIES_PER_PAGE : (page + 1) * ENTITIES_PER_PAGE]
    for entity in shown:
        blocks.append(section(_names(entity), _entity_menu(sid, entity, entity.id in muted)))
    if not panel.entities:
        blocks.append(context("Nothing watched here yet: *Add entity* or *Subscribe to a list*."))
    if pages > 1:
        elements = []
        if page > 0:
            elements.append(button("Previous", ACTION_PAGE, pack(c=sid, p=page - 1)))
        if page < pages - 1:
            elements.append(button("More", ACTION_PAGE, pack(c=sid, p=page + 1)))
        blocks.append({"type": "actions", "block_id": "panel-pages", "elements": elements})
        blocks.append(context(f"Page {page + 1} of {pages}"))
    blocks.append(
        section(
            f"*Subscriptions* ({len(panel.subscriptions)})",
            button("Subscribe to a list", ACTION_SUBSCRIBE, value),
        )
    )
    for watchlist in panel.subscriptions[:MAX_SHOWN_SUBSCRIPTIONS]:
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
    if len(panel.subscriptions) > MAX_SHOWN_SUBSCRIPTIONS:
        more = len(panel.subscriptions) - MAX_SHOWN_SUBSCRIPTIONS
        blocks.append(context(f"and {more} more: `/deals list`"))
    if panel.mutes:
        lines = [
            f"Muted: {escape(truncate(entity.name, MAX_MUTED_NAME))} until {until:%Y-%m-%d %H:%M} UTC"
            for entity, until in panel.mutes[:MAX_SHOWN_MUTES]
        ]
        if len(panel.mutes) > MAX_SHOWN_MUTES:
            lines.append(f"and {len(panel.mutes) - MAX_SHOWN_MUTES} more")
        blocks.append(context("\n".join(lines)))
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
    for number, (source, health) in enumerate(panel.feeds[:MAX_SHOWN_FEEDS], start=1):
        name = source.title or source.url
        blocks.append(
            section(
                f"{number}. {escape(truncate(name, MAX_FEED_NAME))} · "
                f"{escape(truncate(health, MAX_HEALTH))}",
                button(
                    "Remove",
                    ACTION_REMOVE_FEED,
                    pack(c=sid, f=source.id),
                    style="danger",
                    confirm=f"Stop following feed {number} here?",
                ),
            )
        )
    if len(panel.feeds) > MAX_SHOWN_FEEDS:
        blocks.append(
            context(f"and {len(panel.feeds) - MAX_SHOWN_FEEDS} more: `/deals feeds list`")
        )
    if panel.recent:
        lines = [link(story.url, truncate(story.title, MAX_STORY_TITLE)) for story in panel.recent]
        blocks.append(context("Latest: " + " · ".join(lines)))
    return blocks


def _picked(channels: Sequence[Channel], current: Channel) -> list[Channel]:
    """The channels of the picker: the first ones, always with the current one."""
    shown = list(channels[:MAX_PICKER_CHANNELS])
    if all(channel.slack_id != current.slack_id for channel in shown):
        shown[-1:] = [current]
    return shown


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
        options = [
            option(
                "#" + truncate(channel.name or channel.slack_id, MAX_CHANNEL_LABEL),
                pack(c=channel.slack_id),
            )
            for channel in _picked(panels, panel.channel)
        ]
        current = next(
            (o for o in options if unpack(o["value"]).get("c") == panel.channel.slack_id),
            options[0],
        )
        blocks.append(
            {
                "type": "actions",
                "block_id": "panel-channel",
                "elements": [
                    {
                        "type": "static_select",
                        "action_id": ACTION_CHANNEL,
                        "placeholder": text("Channel"),
                        "options": options,
                        "initial_option": current,
                    }
                ],
            }
        )
        if len(panels) > MAX_PICKER_CHANNELS:
            more = len(panels) - MAX_PICKER_CHANNELS
            blocks.append(context(f"and {more} more channels: type `/deals` in one of them"))
    blocks.extend(panel_blocks(panel))
    return {
        "type": "home",
        "callback_id": "panel_home",
        "private_metadata": pack(c=panel.channel.slack_id, p=panel.page),
        "blocks": blocks[:MAX_VIEW_BLOCKS],
    }


def _modal(title: str, callback_id: str, metadata: str, blocks: list[Block], submit: str) -> Block:
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
    return _modal(
        "Channel settings", CALLBACK_SETTINGS, pack(c=panel.channel.slack_id), blocks, ""
    ) | {"close": text("Done", MAX_TITLE)}


def _text_input(
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


def entity_modal(channel_slack_id: str, form: EntityForm, max_name: int, note: str = "") -> Block:
    """Add an entity to the channel's watchlist, or add names to one it watches."""
    editing = bool(form.entity_id)
    blocks = [
        _text_input(FIELD_NAME, "Name", form.name, max_length=max_name),
        _text_input(
            FIELD_ALIASES,
            "Aliases",
            form.aliases,
            "Other names it goes by: one per line (or separated by commas).",
            multiline=True,
            optional=True,
        ),
        _text_input(
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
                "Names and exclusions are shared by every channel watching this entity: "
                "new ones are added; removing one is not possible here."
            )
        )
    if note:
        blocks.append(section(note))
    metadata = pack(c=channel_slack_id, e=form.entity_id, s=form.asked[: MAX_INPUT_VALUE // 2])
    title = "Edit entity" if editing else "Add entity"
    return _modal(title, CALLBACK_ENTITY, metadata, blocks, "Save" if editing else "Watch")


def subscribe_modal(channel_slack_id: str, lists: Sequence[WatchlistInfo]) -> Block:
    """Pick a shared list of the workspace to subscribe the channel to."""
    if not lists:
        blocks = [
            section(
                "This workspace has no shared watchlists yet. "
                "Create one with `/deals watchlist new &lt;list&gt;`."
            )
        ]
        return _modal(
            "Subscribe to a list", CALLBACK_SUBSCRIBE, pack(c=channel_slack_id), blocks, ""
        )
    options = [
        option(
            f"{w.name} ({len(w.entities)} entit{'y' if len(w.entities) == 1 else 'ies'})",
            w.name,
        )
        for w in lists[:MAX_OPTIONS]
    ]
    blocks: list[Block] = [
        {
            "type": "input",
            "block_id": FIELD_LIST,
            "label": text("Shared watchlist", MAX_LABEL),
            "element": {
                "type": "static_select",
                "action_id": FIELD_LIST,
                "placeholder": text("Choose a list"),
                "options": options,
            },
        }
    ]
    if len(lists) > MAX_OPTIONS:
        blocks.append(context(f"{len(lists) - MAX_OPTIONS} more lists: `/deals subscribe <list>`"))
    return _modal(
        "Subscribe to a list", CALLBACK_SUBSCRIBE, pack(c=channel_slack_id), blocks, "Subscribe"
    )


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
    return _modal("Schedule", CALLBACK_SCHEDULE, pack(c=channel.slack_id), blocks, "Save")


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
    return _modal("Add feed", CALLBACK_FEED, pack(c=channel_slack_id), blocks, "Add feed")


def progress_modal(title: str, message: str) -> Block:
    """A modal that says what is happening while the bot works."""
    return _modal(title, "panel_progress", "", [section(escape(message))], "")


def _size(watchlist: WatchlistInfo) -> str:
    count, channels = len(watchlist.entities), len(watchlist.subscribers)
    return (
        f"{count} entit{'y' if count == 1 else 'ies'} · "
        f"{channels} subscribed channel{'' if channels == 1 else 's'}"
    )


def lists_modal(channel_slack_id: str, lists: Sequence[WatchlistInfo]) -> Block:
    """The workspace's shared lists, each with an Open button, and a field to create one."""
    blocks: list[Block] = []
    for watchlist in lists[:MAX_SHOWN_LISTS]:
        blocks.append(
            section(
                f"*{escape(watchlist.name)}* · {_size(watchlist)}",
                button("Open", ACTION_LIST_OPEN, pack(c=channel_slack_id, w=watchlist.id)),
            )
        )
    if len(lists) > MAX_SHOWN_LISTS:
        blocks.append(context(f"and {len(lists) - MAX_SHOWN_LISTS} more: `/deals watchlists`"))
    if not lists:
        blocks.append(context("This workspace has no shared watchlists yet."))
    blocks.append({"type": "divider"})
    blocks.append(
        _text_input(
            FIELD_LIST_NAME,
            "New shared list",
            hint="1-64 letters, digits, - and _, e.g. russia-ecommerce. This channel will "
            "be its creator: only it and workspace admins may change it.",
            max_length=64,
        )
    )
    return _modal("Shared lists", CALLBACK_LIST_NEW, pack(c=channel_slack_id), blocks, "Create")


def list_modal(
    channel_slack_id: str, watchlist: WatchlistInfo, editable: bool, notice: str = ""
) -> Block:
    """One shared list: its entities, and (for its editors) rename, add, remove and delete."""
    meta = pack(c=channel_slack_id, w=watchlist.id)
    blocks: list[Block] = [section(f"*{escape(watchlist.name)}* · {_size(watchlist)}")]
    if notice:
        blocks.append(context(notice))
    if not editable:
        blocks.append(
            context(
                f"Only the channel that created {escape(watchlist.name)}, or a workspace admin, "
                "can change it."
            )
        )
    for entity in watchlist.entities[:MAX_LIST_ENTITIES]:
        remove = None
        if editable:
            remove = button(
                "Remove",
                ACTION_LIST_REMOVE,
                pack(c=channel_slack_id, w=watchlist.id, e=entity.id or 0),
            )
        blocks.append(section(_names(entity), remove))
    if len(watchlist.entities) > MAX_LIST_ENTITIES:
        more = len(watchlist.entities) - MAX_LIST_ENTITIES
        blocks.append(context(f"and {more} more: `/deals watchlist show {escape(watchlist.name)}`"))
    if not editable:
        return _modal("Shared list", CALLBACK_LIST_EDIT, meta, blocks, "")
    blocks.append({"type": "divider"})
    blocks.append(_text_input(FIELD_RENAME, "Name", watchlist.name, max_length=64))
    blocks.append(_text_input(FIELD_NAME, "Add an entity", optional=True, max_length=200))
    blocks.append(
        _text_input(
            FIELD_ALIASES,
            "Its aliases",
            hint="One per line (or separated by commas).",
            multiline=True,
            optional=True,
        )
    )
    blocks.append(
        {
            "type": "actions",
            "block_id": "list-delete",
            "elements": [
                button(
                    "Delete this list",
                    ACTION_LIST_DELETE,
                    meta,
                    style="danger",
                    confirm=f"Delete {watchlist.name}? Its subscribed channels stop getting its "
                    "stories.",
                )
            ],
        }
    )
    return _modal("Shared list", CALLBACK_LIST_EDIT, meta, blocks, "Save")


def view_problems(view: Block) -> list[str]:
    """Every way a Home or modal breaks Slack's limits (view, inputs, selects); empty when fine."""
    problems = validate_view(view)
    if view.get("type") == "modal":
        for key in ("title", "submit", "close"):
            if key in view and not 0 < len(view[key]["text"]) <= MAX_TITLE:
                problems.append(f"{key} of {len(view[key]['text'])} characters")
    if len(view.get("private_metadata", "")) > MAX_PRIVATE_METADATA:
        problems.append("private_metadata too long")
    for number, block in enumerate(view.get("blocks", [])):
        problems.extend(f"block {number}: {p}" for p in _element_problems(block))
    return problems


def _element_problems(block: Block) -> list[str]:
    problems: list[str] = []
    if block["type"] == "input" and not 0 < len(block["label"]["text"]) <= MAX_LABEL:
        problems.append("input label size")
    if len(block.get("hint", {}).get("text", "")) > MAX_LABEL:
        problems.append("hint too long")
    elements = [*block.get("elements", []), block.get("accessory"), block.get("element")]
    for element in (e for e in elements if isinstance(e, dict)):
        if len(element.get("placeholder", {}).get("text", "")) > MAX_PLACEHOLDER:
            problems.append("placeholder too long")
        if len(element.get("initial_value", "")) > MAX_INPUT_VALUE:
            problems.append("initial value too long")
        groups = element.get("option_groups")
        if groups is not None and len(groups) > MAX_OPTION_GROUPS:
            problems.append(f"{len(groups)} option groups")
        option_lists = [g["options"] for g in groups or []] + [element.get("options", [])]
        for group in groups or []:
            if not 0 < len(group["label"]["text"]) <= MAX_OPTION_TEXT:
                problems.append("option group label size")
        for options in option_lists:
            limit = MAX_OVERFLOW_OPTIONS if element["type"] == "overflow" else MAX_OPTIONS
            if len(options) > limit:
                problems.append(f"{len(options)} options > {limit}")
            for item in options:
                if not 0 < len(item["text"]["text"]) <= MAX_OPTION_TEXT:
                    problems.append("option text size")
                if not 0 < len(item["value"]) <= MAX_OPTION_VALUE:
                    problems.append("option value size")
        if element["type"] == "overflow" and len(element.get("options", [])) < 2:
            problems.append("overflow with fewer than 2 options")
    return problems

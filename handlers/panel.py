"""The control panel: App Home buttons, the modals they open and what their submissions do.

Every change calls the same service as the slash command that does it (watch, unwatch,
mute, subscribe, digest, tz, feeds); nothing here decides a rule of its own. A person may
manage only channels they are a member of (users.conversations), and sees a field's
problem next to that field (`response_action: errors`). After a change the App Home (or
the settings modal it came from) is drawn again.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers import home
from handlers.blocks import ACTION_MANAGE, escape, truncate
from handlers.commands import (
    BIDI_CONTROLS,
    MAX_NAME,
    MAX_NAMES_PER_ENTITY,
    canonical_timezone,
    export_reply,
    post_digest_now,
    upload_file,
)
from handlers.deps import Deps
from handlers.modals import (
    ACTION_ADD_ENTITY,
    ACTION_ADD_FEED,
    ACTION_CHANNEL,
    ACTION_DIGEST_NOW,
    ACTION_ENTITY_MENU,
    ACTION_EXPORT,
    ACTION_MUTE_OPEN,
    ACTION_PAGE,
    ACTION_REMOVE_FEED,
    ACTION_SCHEDULE,
    ACTION_SUBSCRIBE,
    ACTION_UNMUTE,
    ACTION_UNSUBSCRIBE,
    CALLBACK_ENTITY,
    CALLBACK_EXPORT,
    CALLBACK_FEED,
    CALLBACK_MUTE,
    CALLBACK_SCHEDULE,
    CALLBACK_SETTINGS,
    CALLBACK_SUBSCRIBE,
    CALLBACK_UNWATCH,
    FIELD_ALIASES,
    FIELD_DAY,
    FIELD_EXCLUDE,
    FIELD_LIST,
    FIELD_MODE,
    FIELD_MUTE_CUSTOM,
    FIELD_MUTE_FOR,
    FIELD_NAME,
    FIELD_PERIOD,
    FIELD_PERIOD_CUSTOM,
    FIELD_TIME,
    FIELD_TIMEZONE,
    FIELD_URL,
    PAGED_PARTS,
    EntityForm,
    Panel,
    channel_options,
    entity_modal,
    export_modal,
    feed_modal,
    home_panel_view,
    list_options,
    mute_modal,
    pack,
    pages_of,
    progress_modal,
    schedule_modal,
    settings_modal,
    subscribe_modal,
    timezone_options,
    unpack,
    unwatch_modal,
)
from watchlists import polling, services, sharing
from watchlists.entity_rules import answers_to, has_phrase, name_key
from watchlists.errors import DealwatchError
from watchlists.feedback import RECENT_POSTS
from watchlists.model import Channel, Entity

log = logging.getLogger("dealwatch.panel")

NOT_A_MEMBER = "You can manage only channels you are a member of."
_SPLIT_NAMES = re.compile(r"[\n,]+")


class Refused(DealwatchError):
    """The person may not manage that channel, or the panel lost track of it."""


def build_panel(
    deps: Deps, channel: Channel, pages: dict[str, int] | None = None, notice: str = ""
) -> Panel:
    """What the panel shows of one channel (those pages of each part), read from the store."""
    shown = pages or {}
    store = deps.store
    now = deps.now()
    current = store.get_channel(channel.id)
    lists = store.channel_watchlists(channel.id)
    own = next((w for w in lists if not w.is_shared), None)
    return Panel(
        channel=current,
        entities=own.entities if own else (),
        subscriptions=tuple(w for w in lists if w.is_shared),
        mutes=tuple(store.mutes(channel.id, now)),
        feeds=tuple(
            (source, polling.feed_health_line(source, now))
            for source in store.channel_sources(channel.id)
        ),
        page=shown.get("p", 0),
        sub_page=shown.get("sp", 0),
        mute_page=shown.get("mp", 0),
        feed_page=shown.get("fp", 0),
        notice=notice,
        recent=tuple(store.recent_posts(channel.id, RECENT_POSTS)),
    )


def visible_channels(client: WebClient, deps: Deps, team_id: str, user_id: str) -> list[Channel]:
    """The workspace's dealwatch channels the person is a member of, by name."""
    member = home.member_channels(client, user_id)
    return [c for c in deps.store.team_channels(team_id) if c.slack_id in member]


def publish_home(
    client: WebClient,
    deps: Deps,
    team_id: str,
    user_id: str,
    slack_id: str = "",
    pages: dict[str, int] | None = None,
    notice: str = "",
) -> None:
    """Draw the person's App Home with the panel of one channel (the first when not given)."""
    channels = visible_channels(client, deps, team_id, user_id)
    chosen = next(
        (c for c in channels if c.slack_id == slack_id), channels[0] if channels else None
    )
    panel = build_panel(deps, chosen, pages, notice) if chosen else None
    client.views_publish(user_id=user_id, view=home_panel_view(channels, panel))


def team_of(body: dict[str, Any]) -> str:
    return str((body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id", ""))


def user_of(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id", ""))


def member_channel(client: WebClient, deps: Deps, body: dict[str, Any], slack_id: str) -> Channel:
    """The channel to manage, when the person is a member of it; else Refused."""
    if not slack_id or slack_id not in home.member_channels(client, user_of(body)):
        raise Refused(NOT_A_MEMBER)
    return deps.store.ensure_channel(team_of(body), slack_id)


def _from_modal(body: dict[str, Any]) -> bool:
    return (body.get("view") or {}).get("type") == "modal"


def _refresh(
    client: WebClient, deps: Deps, body: dict[str, Any], channel: Channel, notice: str = ""
) -> None:
    """Draw again the surface the click came from: the settings modal or the App Home."""
    view = body.get("view") or {}
    pages = pages_of(unpack(view.get("private_metadata", "")))
    if view.get("type") == "modal" and view.get("callback_id") == CALLBACK_SETTINGS:
        panel = build_panel(deps, channel, pages, notice)
        client.views_update(view_id=view["id"], view=settings_modal(panel))
        return
    publish_home(client, deps, team_of(body), user_of(body), channel.slack_id, pages, notice)


def open_modal(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    """Open a modal, on top of the settings modal when the click came from there."""
    if _from_modal(body):
        client.views_push(trigger_id=body["trigger_id"], view=_keeping_pages(body, view))
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def _keeping_pages(body: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    """The modal pushed over the settings modal, holding the pages that modal showed (key
    `b`), so that a submit draws it again on the same pages."""
    under = body.get("view") or {}
    if under.get("callback_id") != CALLBACK_SETTINGS:
        return view
    pages = pages_of(unpack(under.get("private_metadata", "")))
    fields = unpack(view.get("private_metadata", ""))
    fields["b"] = ".".join(str(pages[part]) for part in PAGED_PARTS)
    return view | {"private_metadata": pack(**fields)}


def _pages_below(view: dict[str, Any]) -> dict[str, int]:
    """The pages of the settings modal under a pushed modal (see _keeping_pages)."""
    kept = str(unpack(view.get("private_metadata", "")).get("b") or "").split(".")
    if len(kept) != len(PAGED_PARTS) or not all(page.isdigit() for page in kept):
        return {}
    return dict(zip(PAGED_PARTS, (int(page) for page in kept), strict=True))


def action_fields(action: dict[str, Any]) -> dict[str, Any]:
    selected = action.get("selected_option") or {}
    return unpack(str(selected.get("value") or action.get("value") or ""))


def _act(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps, work: Any) -> None:
    """Ack, then do the work; a refusal or a service's reason is shown in the panel."""
    ack()
    try:
        work()
    except DealwatchError as error:
        fields = action_fields((body.get("actions") or [{}])[0])
        try:
            channel = member_channel(client, deps, body, str(fields.get("c", "")))
        except Refused:
            publish_home(client, deps, team_of(body), user_of(body), notice=escape(str(error)))
            return
        _refresh(client, deps, body, channel, escape(truncate(str(error), 400)))


def handle_action(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """One click in the panel: open a modal, or change the channel and redraw."""

    def work() -> None:
        fields = action_fields(action)
        action_id = action.get("action_id")
        if action_id == ACTION_CHANNEL:
            channel = member_channel(client, deps, body, str(fields.get("c", "")))
            publish_home(client, deps, team_of(body), user_of(body), channel.slack_id)
            return
        channel = member_channel(client, deps, body, str(fields.get("c", "")))
        if action_id == ACTION_PAGE:
            view = body.get("view") or {}
            pages = pages_of(unpack(view.get("private_metadata", "")))
            part = str(fields.get("k") or "p")
            if part in PAGED_PARTS:
                pages[part] = pages_of(fields)["p"]
            if view.get("type") == "modal":
                panel = build_panel(deps, channel, pages)
                client.views_update(view_id=view["id"], view=settings_modal(panel))
            else:
                publish_home(client, deps, team_of(body), user_of(body), channel.slack_id, pages)
        elif action_id == ACTION_MUTE_OPEN:
            open_modal(client, body, mute_modal(channel.slack_id))
        elif action_id == ACTION_UNMUTE:
            muted = deps.store.get_entity(int(fields.get("e") or 0))
            entity, existed = services.unmute_entity(deps.store, channel, muted.name)
            name = escape(entity.name)
            notice = f"Unmuted *{name}*." if existed else f"*{name}* was not muted here."
            _refresh(client, deps, body, channel, notice)
        elif action_id == ACTION_DIGEST_NOW:
            # Posting pages may take longer than a listener should hold its thread.
            deps.defer(partial(_post_digest_now, client, deps, body, channel))
        elif action_id == ACTION_EXPORT:
            open_modal(client, body, export_modal(channel.slack_id))
        elif action_id == ACTION_ADD_ENTITY:
            open_modal(client, body, entity_modal(channel.slack_id, EntityForm(), MAX_NAME))
        elif action_id == ACTION_SUBSCRIBE:
            lists = deps.store.team_watchlists(channel.team_id)
            open_modal(client, body, subscribe_modal(channel.slack_id, lists))
        elif action_id == ACTION_SCHEDULE:
            open_modal(client, body, schedule_modal(deps.store.get_channel(channel.id)))
        elif action_id == ACTION_ADD_FEED:
            open_modal(client, body, feed_modal(channel.slack_id))
        elif action_id == ACTION_ENTITY_MENU:
            _entity_menu(client, deps, body, channel, fields)
        elif action_id == ACTION_UNSUBSCRIBE:
            watchlist, changed = sharing.unsubscribe(deps.store, channel, str(fields.get("w", "")))
            word = "Unsubscribed from" if changed else "Was not subscribed to"
            _refresh(client, deps, body, channel, f"{word} *{escape(watchlist.name)}*.")
        elif action_id == ACTION_REMOVE_FEED:
            source = next(
                (s for s in deps.store.channel_sources(channel.id) if s.id == fields.get("f")),
                None,
            )
            if source is None:
                raise DealwatchError("That feed was already removed.")
            deps.store.remove_channel_source(channel.id, source.id)
            name = escape(truncate(source.title or source.url, 200))
            _refresh(client, deps, body, channel, f"Removed feed *{name}*.")

    _act(ack, body, client, deps, work)


def _post_digest_now(client: WebClient, deps: Deps, body: dict[str, Any], channel: Channel) -> None:
    """Post the channel's queue (the `digest now` service), then say how it went."""
    try:
        notice = post_digest_now(channel, deps, deps.poster_for(client)).ephemeral_text
    except DealwatchError as error:
        notice = escape(truncate(str(error), 400))
    _refresh(client, deps, body, channel, notice)


def _entity_menu(
    client: WebClient, deps: Deps, body: dict[str, Any], channel: Channel, fields: dict[str, Any]
) -> None:
    entity = deps.store.get_entity(int(fields.get("e") or 0))
    op = fields.get("o")
    name = escape(entity.name)
    if op == "edit":
        open_modal(client, body, entity_modal(channel.slack_id, EntityForm.of(entity), MAX_NAME))
        return
    if op == "mute":
        open_modal(client, body, mute_modal(channel.slack_id, entity.name))
        return
    if op == "remove":
        open_modal(client, body, unwatch_modal(channel.slack_id, entity))
        return
    if op == "unmute":
        _entity, existed = services.unmute_entity(deps.store, channel, entity.name)
        notice = f"Unmuted *{name}*." if existed else f"*{name}* was not muted here."
    else:
        raise DealwatchError("That menu is out of date: open the App Home again.")
    _refresh(client, deps, body, channel, notice)


def _input(view: dict[str, Any], field: str) -> dict[str, Any]:
    return ((view.get("state") or {}).get("values") or {}).get(field, {}).get(field) or {}


def text_value(view: dict[str, Any], field: str) -> str:
    return str(_input(view, field).get("value") or "").strip()


def _selected(view: dict[str, Any], field: str) -> str:
    return str((_input(view, field).get("selected_option") or {}).get("value") or "")


def typed_names(text: str, shown: Sequence[str] = ()) -> list[str]:
    """The names typed, one per line or separated by commas; a line that is a name the form
    showed stays whole (an alias may hold a comma)."""
    names: list[str] = []
    for line in text.splitlines():
        if line.strip() in shown:
            names.append(line.strip())
        else:
            names.extend(name.strip() for name in _SPLIT_NAMES.split(line) if name.strip())
    return names


def _shown(view: dict[str, Any], field: str) -> list[str]:
    """The names the form showed in a field when it opened (its initial value, by line)."""
    for block in view.get("blocks") or []:
        if block.get("block_id") == field:
            initial = str((block.get("element") or {}).get("initial_value") or "")
            return [line.strip() for line in initial.splitlines() if line.strip()]
    return []


def name_problem(names: list[str]) -> str:
    for name in names:
        if len(name.casefold()) > MAX_NAME:
            return f"A name can have at most {MAX_NAME} characters."
        if BIDI_CONTROLS.intersection(name):
            return "Names cannot hold text-direction controls (such as the right-to-left override)."
    return ""


def submitted_channel(client: WebClient, deps: Deps, body: dict[str, Any]) -> Channel:
    view = body.get("view") or {}
    return member_channel(
        client, deps, body, str(unpack(view.get("private_metadata", "")).get("c", ""))
    )


def _after_submit(
    client: WebClient, deps: Deps, body: dict[str, Any], channel: Channel, notice: str
) -> None:
    """Show the change: the settings modal underneath, if any, and the App Home."""
    view = body.get("view") or {}
    previous = view.get("previous_view_id")
    if previous:
        try:
            panel = build_panel(deps, channel, _pages_below(view), notice)
            client.views_update(view_id=previous, view=settings_modal(panel))
        except SlackApiError as error:
            log.info("settings modal not updated: %s", error.response.get("error"))
    publish_home(client, deps, team_of(body), user_of(body), channel.slack_id, notice=notice)


def refuse_field(ack: Ack, field: str, error: Exception) -> None:
    ack(response_action="errors", errors={field: truncate(str(error), 150)})


@dataclass(frozen=True)
class TypedEntity:
    """What the entity modal was submitted with, the lines it showed, and its field errors."""

    name: str
    aliases: list[str]
    exclude: list[str]
    shown_aliases: list[str]
    shown_exclude: list[str]
    errors: dict[str, str]


def entity_form(view: dict[str, Any]) -> TypedEntity:
    """Read and check the entity modal's fields."""
    shown_aliases, shown_exclude = _shown(view, FIELD_ALIASES), _shown(view, FIELD_EXCLUDE)
    name, aliases, exclude = (
        text_value(view, FIELD_NAME),
        typed_names(text_value(view, FIELD_ALIASES), shown_aliases),
        typed_names(text_value(view, FIELD_EXCLUDE), shown_exclude),
    )
    errors = {}
    if not name:
        errors[FIELD_NAME] = "Type the name to watch."
    for field, names in ((FIELD_NAME, [name]), (FIELD_ALIASES, aliases), (FIELD_EXCLUDE, exclude)):
        problem = name_problem(names)
        if problem:
            errors[field] = problem
    if len(aliases) + len(exclude) > MAX_NAMES_PER_ENTITY:
        errors[FIELD_ALIASES] = f"At most {MAX_NAMES_PER_ENTITY} aliases and exclusions per entity."
    return TypedEntity(name, aliases, exclude, shown_aliases, shown_exclude, errors)


def deleted_lines(entity: Entity, form: TypedEntity) -> tuple[list[str], list[str]]:
    """The aliases and exclusions the edit form showed, the person deleted, and the entity
    still has (names others added meanwhile stay)."""
    gone_aliases = [
        a
        for a in form.shown_aliases
        if not answers_to(a, form.aliases) and answers_to(a, entity.aliases)
    ]
    gone_exclude = [
        p
        for p in form.shown_exclude
        if not has_phrase(form.exclude, p) and has_phrase(entity.exclude, p)
    ]
    return gone_aliases, gone_exclude


def handle_entity_submission(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Watch the entity typed in the modal (the `watch` command's service)."""
    view = body["view"]
    meta = unpack(view.get("private_metadata", ""))
    form = entity_form(view)
    name, aliases, exclude = form.name, form.aliases, form.exclude
    if form.errors:
        ack(response_action="errors", errors=form.errors)
        return
    try:
        channel = submitted_channel(client, deps, body)
    except Refused as error:
        refuse_field(ack, FIELD_NAME, error)
        return
    store = deps.store
    edited = int(meta.get("e") or 0)
    try:
        old = store.get_entity(edited) if edited else None
    except DealwatchError as error:
        refuse_field(ack, FIELD_NAME, error)
        return
    if store.find_entity(channel.team_id, name) is None and meta.get("s") != name:
        known = services.suggest_entity(store.all_entities(channel.team_id), name)
        if known is not None:
            # As `/deals watch` does: ask before a typo becomes an entity.
            again = EntityForm(edited, name, "\n".join(aliases), "\n".join(exclude), asked=name)
            note = (
                f":grey_question: No entity called *{escape(name)}* is known yet. Did you mean "
                f"*{escape(known.name)}*? Change the name, or press the button again to watch "
                f"*{escape(name)}* as typed."
            )
            ack(
                response_action="update", view=entity_modal(channel.slack_id, again, MAX_NAME, note)
            )
            return
    try:
        result = services.watch_entity(
            store, channel, Entity(name=name, aliases=tuple(aliases), exclude=tuple(exclude))
        )
        entity = result.entity
        if old is not None and name_key(old.name) != name_key(entity.name):
            services.unwatch_entity(store, channel, old.name)
        elif old is not None:
            gone_aliases, gone_exclude = deleted_lines(entity, form)
            if gone_aliases or gone_exclude:
                entity = services.remove_entity_names(
                    store, channel, entity.name, gone_aliases, gone_exclude
                )
    except DealwatchError as error:
        refuse_field(ack, FIELD_NAME, error)
        return
    ack()
    verb = "Updated" if old is not None else "Watching"
    _after_submit(client, deps, body, channel, f"{verb} *{escape(entity.name)}*.")


def handle_subscribe_submission(
    ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """Subscribe the channel to the chosen shared list (the `subscribe` command's service)."""
    view = body["view"]
    try:
        channel = submitted_channel(client, deps, body)
        watchlist, changed = sharing.subscribe(deps.store, channel, _selected(view, FIELD_LIST))
    except DealwatchError as error:
        refuse_field(ack, FIELD_LIST, error)
        return
    ack()
    name = escape(watchlist.name)
    notice = f"Subscribed to *{name}*." if changed else f"Already subscribed to *{name}*."
    _after_submit(client, deps, body, channel, notice)


def schedule_spec(mode: str, day: str, at: str) -> tuple[str, dict[str, str]]:
    """The `digest` command's argument for the modal's fields, or the errors by field."""
    if mode in ("instant", "off"):
        return mode, {}
    errors = {}
    if mode not in ("daily", "weekdays", "weekly"):
        errors[FIELD_MODE] = "Choose how this channel gets its stories."
    if not at:
        errors[FIELD_TIME] = "Choose the time of the digest."
    if mode == "weekly" and not day:
        errors[FIELD_DAY] = "Choose the day of the weekly digest."
    return (f"weekly {day} {at}" if mode == "weekly" else f"{mode} {at}"), errors


def handle_schedule_submission(
    ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """Set the timezone and the delivery (the `tz` and `digest` commands' services)."""
    view = body["view"]
    spec, errors = schedule_spec(
        _selected(view, FIELD_MODE),
        _selected(view, FIELD_DAY),
        _input(view, FIELD_TIME).get("selected_time") or "",
    )
    zone = _selected(view, FIELD_TIMEZONE)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    try:
        channel = submitted_channel(client, deps, body)
    except Refused as error:
        refuse_field(ack, FIELD_MODE, error)
        return
    try:
        channel = services.set_timezone(deps.store, channel, canonical_timezone(zone), deps.now())
    except DealwatchError as error:
        refuse_field(ack, FIELD_TIMEZONE, error)
        return
    try:
        channel = services.set_digest(deps.store, channel, spec, deps.now())
    except DealwatchError as error:
        refuse_field(ack, FIELD_TIME, error)
        return
    ack()
    notice = f"Delivery: {escape(spec)} · timezone {escape(channel.timezone)}."
    _after_submit(client, deps, body, channel, notice)


def handle_feed_submission(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Add the feed (the `feeds add` command's service); a slow fetch runs after the ack."""
    view = body["view"]
    url = text_value(view, FIELD_URL)
    if not url.startswith(("http://", "https://")):
        ack(
            response_action="errors",
            errors={FIELD_URL: "Type an http(s) URL of an RSS or Atom feed."},
        )
        return
    if deps.fetcher is None:
        ack(response_action="errors", errors={FIELD_URL: "Adding feeds is not available here."})
        return
    try:
        channel = submitted_channel(client, deps, body)
    except Refused as error:
        refuse_field(ack, FIELD_URL, error)
        return
    # The fetch may take longer than Slack waits for an answer: say so, then work.
    ack(response_action="update", view=progress_modal("Add feed", "Reading the feed…"))
    try:
        added = polling.add_feed(deps.store, deps.fetcher, channel, url, deps.now(), deps.jitter)
    except DealwatchError as error:
        failed = feed_modal(channel.slack_id, url, str(error))
        client.views_update(view_id=view["id"], view=failed)
        return
    name = escape(truncate(added.source.title or url, 200))
    _after_submit(client, deps, body, channel, f"Added feed *{name}*.")
    client.views_update(
        view_id=view["id"],
        view=progress_modal("Add feed", f"Added feed {added.source.title or url}."),
    )


def chosen_duration(
    choice: str, custom: str, fields: tuple[str, str], missing: str
) -> tuple[str, dict[str, str]]:
    """A duration the commands take (`7d`) from a menu and its "Other…" text field (ids in
    fields), or the errors by field."""
    menu, other = fields
    if choice == "custom" or (custom and not choice):
        if not custom:
            return "", {other: "Type how long, e.g. 12h, 3d or 2w."}
        try:
            services.parse_duration(custom)
        except DealwatchError as error:
            return "", {other: truncate(str(error), 150)}
        return custom.strip().lower(), {}
    if not choice:
        return "", {menu: missing}
    return choice, {}


def handle_mute_submission(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Mute the entity for the chosen time (the `mute` command's service)."""
    view = body["view"]
    name = text_value(view, FIELD_NAME)
    duration, errors = chosen_duration(
        _selected(view, FIELD_MUTE_FOR),
        text_value(view, FIELD_MUTE_CUSTOM),
        (FIELD_MUTE_FOR, FIELD_MUTE_CUSTOM),
        "Choose how long to mute it.",
    )
    if not name:
        errors[FIELD_NAME] = "Type the name of the entity to mute."
    if errors:
        ack(response_action="errors", errors=errors)
        return
    try:
        channel = submitted_channel(client, deps, body)
        entity, until = services.mute_entity(deps.store, channel, name, duration, deps.now())
    except DealwatchError as error:
        refuse_field(ack, FIELD_NAME, error)
        return
    ack()
    notice = f"Muted *{escape(entity.name)}* here until {until:%Y-%m-%d %H:%M} UTC."
    _after_submit(client, deps, body, channel, notice)


def handle_unwatch_submission(
    ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """Stop watching the entity the person confirmed (the `unwatch` command's service)."""
    view = body["view"]
    try:
        channel = submitted_channel(client, deps, body)
        entity = deps.store.get_entity(int(unpack(view.get("private_metadata", "")).get("e") or 0))
    except DealwatchError as error:
        # No field to show it next to: the modal says it instead.
        ack(response_action="update", view=progress_modal("Remove entity", str(error)))
        return
    ack()
    name = escape(entity.name)
    removed = services.unwatch_entity(deps.store, channel, entity.name)
    notice = f"Stopped watching *{name}*." if removed else f"*{name}* was not watched here."
    _after_submit(client, deps, body, channel, notice)


def handle_export_submission(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Post the channel's stories of the chosen period as a CSV file (the `export` command)."""
    view = body["view"]
    period, errors = chosen_duration(
        _selected(view, FIELD_PERIOD),
        text_value(view, FIELD_PERIOD_CUSTOM),
        (FIELD_PERIOD, FIELD_PERIOD_CUSTOM),
        "Choose the period to export.",
    )
    if errors:
        ack(response_action="errors", errors=errors)
        return
    try:
        channel = submitted_channel(client, deps, body)
    except Refused as error:
        refuse_field(ack, FIELD_PERIOD, error)
        return
    ack()
    deps.defer(partial(_export, client, deps, body, channel, period))


def _export(
    client: WebClient, deps: Deps, body: dict[str, Any], channel: Channel, period: str
) -> None:
    """Upload the CSV file (the `export` service), then say how it went."""
    reply = export_reply(period, channel, deps)
    notice = reply.ephemeral_text
    if reply.upload is not None:
        notice = upload_file(client, channel.slack_id, reply.upload) or notice
    _after_submit(client, deps, body, channel, notice)


def handle_channel_options(
    ack: Ack, body: dict[str, Any], payload: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """The person's dealwatch channels whose names hold what they typed in the picker."""
    channels = visible_channels(client, deps, team_of(body), user_of(body))
    ack(options=channel_options(channels, str(payload.get("value") or "")))


def handle_list_options(
    ack: Ack, body: dict[str, Any], payload: dict[str, Any], deps: Deps
) -> None:
    """The workspace's shared lists whose names hold what the person typed."""
    lists = deps.store.team_watchlists(team_of(body))
    ack(options=list_options(lists, str(payload.get("value") or "")))


def handle_settings_command(
    ack: Ack, command: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """`/deals` with no arguments: open the channel's settings modal."""
    ack()
    channel = deps.store.ensure_channel(
        command["team_id"], command["channel_id"], command.get("channel_name", "")
    )
    channel = replace(channel, team_id=command["team_id"])
    client.views_open(
        trigger_id=command["trigger_id"], view=settings_modal(build_panel(deps, channel))
    )


def handle_timezone_options(ack: Ack, payload: dict[str, Any]) -> None:
    """The zones matching what the person typed in the schedule modal."""
    ack(option_groups=timezone_options(str(payload.get("value") or "")))


def handle_manage(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    deps: Deps,
) -> None:
    """The "Manage" overflow under a story: open the channel's settings or one of its modals."""
    ack()
    slack_id = str((body.get("container") or {}).get("channel_id") or "")
    op = action_fields(action).get("o")
    try:
        channel = member_channel(client, deps, body, slack_id)
    except Refused as error:
        respond(text=escape(str(error)), response_type="ephemeral", replace_original=False)
        return
    if op == "entity":
        view = entity_modal(channel.slack_id, EntityForm(), MAX_NAME)
    elif op == "schedule":
        view = schedule_modal(deps.store.get_channel(channel.id))
    elif op == "mute":
        view = mute_modal(channel.slack_id)
    elif op == "export":
        view = export_modal(channel.slack_id)
    else:
        view = settings_modal(build_panel(deps, channel))
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _no_arguments(command: dict[str, Any]) -> bool:
    return not str(command.get("text") or "").strip()


def register(app: App, deps: Deps) -> None:
    """Attach the panel's listeners; register before the /deals command's own listener."""
    app.command("/deals", matchers=[_no_arguments])(partial(handle_settings_command, deps=deps))
    for action_id in (
        ACTION_CHANNEL,
        ACTION_PAGE,
        ACTION_ADD_ENTITY,
        ACTION_SUBSCRIBE,
        ACTION_SCHEDULE,
        ACTION_ADD_FEED,
        ACTION_ENTITY_MENU,
        ACTION_UNSUBSCRIBE,
        ACTION_REMOVE_FEED,
        ACTION_MUTE_OPEN,
        ACTION_UNMUTE,
        ACTION_DIGEST_NOW,
        ACTION_EXPORT,
    ):
        app.action(action_id)(partial(handle_action, deps=deps))
    app.action(ACTION_MANAGE)(partial(handle_manage, deps=deps))
    app.options(ACTION_CHANNEL)(partial(handle_channel_options, deps=deps))
    app.options(FIELD_LIST)(partial(handle_list_options, deps=deps))
    app.view(CALLBACK_MUTE)(partial(handle_mute_submission, deps=deps))
    app.view(CALLBACK_UNWATCH)(partial(handle_unwatch_submission, deps=deps))
    app.view(CALLBACK_EXPORT)(partial(handle_export_submission, deps=deps))
    app.options(FIELD_TIMEZONE)(handle_timezone_options)
    app.view(CALLBACK_ENTITY)(partial(handle_entity_submission, deps=deps))
    app.view(CALLBACK_SUBSCRIBE)(partial(handle_subscribe_submission, deps=deps))
    app.view(CALLBACK_SCHEDULE)(partial(handle_schedule_submission, deps=deps))
    app.view(CALLBACK_FEED)(partial(handle_feed_submission, deps=deps))

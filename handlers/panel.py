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
from dataclasses import replace
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
    workspace_admin,
)
from handlers.deps import Deps
from handlers.modals import (
    ACTION_ADD_ENTITY,
    ACTION_ADD_FEED,
    ACTION_CHANNEL,
    ACTION_ENTITY_MENU,
    ACTION_LIST_DELETE,
    ACTION_LIST_OPEN,
    ACTION_LIST_REMOVE,
    ACTION_LISTS,
    ACTION_PAGE,
    ACTION_REMOVE_FEED,
    ACTION_SCHEDULE,
    ACTION_SUBSCRIBE,
    ACTION_UNSUBSCRIBE,
    CALLBACK_ENTITY,
    CALLBACK_FEED,
    CALLBACK_LIST_EDIT,
    CALLBACK_LIST_NEW,
    CALLBACK_SCHEDULE,
    CALLBACK_SETTINGS,
    CALLBACK_SUBSCRIBE,
    FIELD_ALIASES,
    FIELD_DAY,
    FIELD_EXCLUDE,
    FIELD_LIST,
    FIELD_LIST_NAME,
    FIELD_MODE,
    FIELD_NAME,
    FIELD_RENAME,
    FIELD_TIME,
    FIELD_TIMEZONE,
    FIELD_URL,
    MUTE_PERIOD,
    EntityForm,
    Panel,
    entity_modal,
    feed_modal,
    home_panel_view,
    list_modal,
    lists_modal,
    pack,
    progress_modal,
    schedule_modal,
    settings_modal,
    subscribe_modal,
    timezone_options,
    unpack,
)
from watchlists import polling, services, sharing
from watchlists.entity_rules import name_key
from watchlists.errors import DealwatchError
from watchlists.feedback import RECENT_POSTS
from watchlists.model import Channel, Entity
from watchlists.ports import WatchlistInfo

log = logging.getLogger("dealwatch.panel")

NOT_A_MEMBER = "You can manage only channels you are a member of."
_SPLIT_NAMES = re.compile(r"[\n,]+")


class Refused(DealwatchError):
    """The person may not manage that channel, or the panel lost track of it."""


def build_panel(deps: Deps, channel: Channel, page: int = 0, notice: str = "") -> Panel:
    """What the panel shows of one channel, read from the store."""
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
        page=page,
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
    page: int = 0,
    notice: str = "",
) -> None:
    """Draw the person's App Home with the panel of one channel (the first when not given)."""
    channels = visible_channels(client, deps, team_id, user_id)
    chosen = next(
        (c for c in channels if c.slack_id == slack_id), channels[0] if channels else None
    )
    panel = build_panel(deps, chosen, page, notice) if chosen else None
    client.views_publish(user_id=user_id, view=home_panel_view(channels, panel))


def _team(body: dict[str, Any]) -> str:
    return str((body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id", ""))


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id", ""))


def _channel(client: WebClient, deps: Deps, body: dict[str, Any], slack_id: str) -> Channel:
    """The channel to manage, when the person is a member of it; else Refused."""
    if not slack_id or slack_id not in home.member_channels(client, _user(body)):
        raise Refused(NOT_A_MEMBER)
    return deps.store.ensure_channel(_team(body), slack_id)


def _from_modal(body: dict[str, Any]) -> bool:
    return (body.get("view") or {}).get("type") == "modal"


def _refresh(
    client: WebClient, deps: Deps, body: dict[str, Any], channel: Channel, notice: str = ""
) -> None:
    """Draw again the surface the click came from: the settings modal or the App Home."""
    view = body.get("view") or {}
    page = int(unpack(view.get("private_metadata", "")).get("p") or 0)
    if view.get("type") == "modal" and view.get("callback_id") == CALLBACK_SETTINGS:
        panel = build_panel(deps, channel, page, notice)
        client.views_update(view_id=view["id"], view=settings_modal(panel))
        return
    publish_home(client, deps, _team(body), _user(body), channel.slack_id, page, notice)


def _open(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    """Open a modal, on top of the settings modal when the click came from there."""
    if _from_modal(body):
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def _value(action: dict[str, Any]) -> dict[str, Any]:
    selected = action.get("selected_option") or {}
    return unpack(str(selected.get("value") or action.get("value") or ""))


def _act(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps, work: Any) -> None:
    """Ack, then do the work; a refusal or a service's reason is shown in the panel."""
    ack()
    try:
        work()
    except DealwatchError as error:
        fields = _value((body.get("actions") or [{}])[0])
        try:
            channel = _channel(client, deps, body, str(fields.get("c", "")))
        except Refused:
            publish_home(client, deps, _team(body), _user(body), notice=escape(str(error)))
            return
        _refresh(client, deps, body, channel, escape(truncate(str(error), 400)))


def handle_action(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """One click in the panel: open a modal, or change the channel and redraw."""

    def work() -> None:
        fields = _value(action)
        action_id = action.get("action_id")
        if action_id == ACTION_CHANNEL:
            channel = _channel(client, deps, body, str(fields.get("c", "")))
            publish_home(client, deps, _team(body), _user(body), channel.slack_id)
            return
        channel = _channel(client, deps, body, str(fields.get("c", "")))
        if action_id == ACTION_PAGE:
            page = int(fields.get("p") or 0)
            view = body.get("view") or {}
            if view.get("type") == "modal":
                panel = build_panel(deps, channel, page)
                shown = settings_modal(panel)
                shown["private_metadata"] = pack(c=channel.slack_id, p=page)
                client.views_update(view_id=view["id"], view=shown)
            else:
                publish_home(client, deps, _team(body), _user(body), channel.slack_id, page)
        elif action_id == ACTION_ADD_ENTITY:
            _open(client, body, entity_modal(channel.slack_id, EntityForm(), MAX_NAME))
        elif action_id == ACTION_SUBSCRIBE:
            lists = deps.store.team_watchlists(channel.team_id)
            _open(client, body, subscribe_modal(channel.slack_id, lists))
        elif action_id == ACTION_SCHEDULE:
            _open(client, body, schedule_modal(deps.store.get_channel(channel.id)))
        elif action_id == ACTION_ADD_FEED:
            _open(client, body, feed_modal(channel.slack_id))
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


def _entity_menu(
    client: WebClient, deps: Deps, body: dict[str, Any], channel: Channel, fields: dict[str, Any]
) -> None:
    entity = deps.store.get_entity(int(fields.get("e") or 0))
    op = fields.get("o")
    name = escape(entity.name)
    if op == "edit":
        _open(client, body, entity_modal(channel.slack_id, EntityForm.of(entity), MAX_NAME))
        return
    if op == "mute":
        _muted, until = services.mute_entity(
            deps.store, channel, entity.name, MUTE_PERIOD, deps.now()
        )
        notice = f"Muted *{name}* here until {until:%Y-%m-%d %H:%M} UTC."
    elif op == "unmute":
        _entity, existed = services.unmute_entity(deps.store, channel, entity.name)
        notice = f"Unmuted *{name}*." if existed else f"*{name}* was not muted here."
    elif op == "remove":
        removed = services.unwatch_entity(deps.store, channel, entity.name)
        notice = f"Stopped watching *{name}*." if removed else f"*{name}* was not watched here."
    else:
        raise DealwatchError("That menu is out of date: open the App Home again.")
    _refresh(client, deps, body, channel, notice)


def _input(view: dict[str, Any], field: str) -> dict[str, Any]:
    return ((view.get("state") or {}).get("values") or {}).get(field, {}).get(field) or {}


def _text(view: dict[str, Any], field: str) -> str:
    return str(_input(view, field).get("value") or "").strip()


def _selected(view: dict[str, Any], field: str) -> str:
    return str((_input(view, field).get("selected_option") or {}).get("value") or "")


def _names(text: str) -> list[str]:
    return [name.strip() for name in _SPLIT_NAMES.split(text) if name.strip()]


def _name_problem(names: list[str]) -> str:
    for name in names:
        if len(name.casefold()) > MAX_NAME:
            return f"A name can have at most {MAX_NAME} characters."
        if BIDI_CONTROLS.intersection(name):
            return "Names cannot hold text-direction controls (such as the right-to-left override)."
    return ""


def _submitted_channel(client: WebClient, deps: Deps, body: dict[str, Any]) -> Channel:
    view = body.get("view") or {}
    return _channel(client, deps, body, str(unpack(view.get("private_metadata", "")).get("c", "")))


def _after_submit(
    client: WebClient, deps: Deps, body: dict[str, Any], channel: Channel, notice: str
) -> None:
    """Show the change: the settings modal underneath, if any, and the App Home."""
    previous = (body.get("view") or {}).get("previous_view_id")
    if previous:
        try:
            client.views_update(
                view_id=previous, view=settings_modal(build_panel(deps, channel, notice=notice))
            )
        except SlackApiError as error:
            log.info("settings modal not updated: %s", error.response.get("error"))
    publish_home(client, deps, _team(body), _user(body), channel.slack_id, notice=notice)


def _refuse(ack: Ack, field: str, error: Exception) -> None:
    ack(response_action="errors", errors={field: truncate(str(error), 150)})


def handle_entity_submission(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Watch the entity typed in the modal (the `watch` command's service)."""
    view = body["view"]
    meta = unpack(view.get("private_metadata", ""))
    name, aliases, exclude = (
        _text(view, FIELD_NAME),
        _names(_text(view, FIELD_ALIASES)),
        _names(_text(view, FIELD_EXCLUDE)),
    )
    errors = {}
    if not name:
        errors[FIELD_NAME] = "Type the name to watch."
    for field, names in ((FIELD_NAME, [name]), (FIELD_ALIASES, aliases), (FIELD_EXCLUDE, exclude)):
        problem = _name_problem(names)
        if problem:
            errors[field] = problem
    if len(aliases) + len(exclude) > MAX_NAMES_PER_ENTITY:
        errors[FIELD_ALIASES] = f"At most {MAX_NAMES_PER_ENTITY} aliases and exclusions per entity."
    if errors:
        ack(response_action="errors", errors=errors)
        return
    try:
        channel = _submitted_channel(client, deps, body)
    except Refused as error:
        _refuse(ack, FIELD_NAME, error)
        return
    store = deps.store
    edited = int(meta.get("e") or 0)
    try:
        old = store.get_entity(edited) if edited else None
    except DealwatchError as error:
        _refuse(ack, FIELD_NAME, error)
        return
    if store.find_entity(channel.team_id, name) is None and meta.get("s") != name:
        known = services.suggest_entity(store.all_entities(channel.team_id), name)
        if known is not None:
            # As `/deals watch` does: ask before a typo becomes an entity.
            form = EntityForm(edited, name, "\n".join(aliases), "\n".join(exclude), asked=name)
            note = (
                f":grey_question: No entity called *{escape(name)}* is known yet. Did you mean "
                f"*{escape(known.name)}*? Change the name, or press the button again to watch "
                f"*{escape(name)}* as typed."
            )
            ack(response_action="update", view=entity_modal(channel.slack_id, form, MAX_NAME, note))
            return
    try:
        result = services.watch_entity(
            store, channel, Entity(name=name, aliases=tuple(aliases), exclude=tuple(exclude))
        )
        if old is not None and name_key(old.name) != name_key(result.entity.name):
            services.unwatch_entity(store, channel, old.name)
    except DealwatchError as error:
        _refuse(ack, FIELD_NAME, error)
        return
    ack()
    verb = "Updated" if old is not None else "Watching"
    _after_submit(client, deps, body, channel, f"{verb} *{escape(result.entity.name)}*.")


def handle_subscribe_submission(
    ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """Subscribe the channel to the chosen shared list (the `subscribe` command's service)."""
    view = body["view"]
    try:
        channel = _submitted_channel(client, deps, body)
        watchlist, changed = sharing.subscribe(deps.store, channel, _selected(view, FIELD_LIST))
    except DealwatchError as error:
        _refuse(ack, FIELD_LIST, error)
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
        channel = _submitted_channel(client, deps, body)
    except Refused as error:
        _refuse(ack, FIELD_MODE, error)
        return
    try:
        channel = services.set_timezone(deps.store, channel, canonical_timezone(zone), deps.now())
    except DealwatchError as error:
        _refuse(ack, FIELD_TIMEZONE, error)
        return
    try:
        channel = services.set_digest(deps.store, channel, spec, deps.now())
    except DealwatchError as error:
        _refuse(ack, FIELD_TIME, error)
        return
    ack()
    notice = f"Delivery: {escape(spec)} · timezone {escape(channel.timezone)}."
    _after_submit(client, deps, body, channel, notice)


def handle_feed_submission(ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps) -> None:
    """Add the feed (the `feeds add` command's service); a slow fetch runs after the ack."""
    view = body["view"]
    url = _text(view, FIELD_URL)
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
        channel = _submitted_channel(client, deps, body)
    except Refused as error:
        _refuse(ack, FIELD_URL, error)
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


def _shared_list(deps: Deps, channel: Channel, list_id: Any) -> WatchlistInfo:
    for watchlist in deps.store.team_watchlists(channel.team_id):
        if watchlist.id == list_id:
            return watchlist
    raise DealwatchError("That shared list no longer exists.")


def _may_edit(
    client: WebClient, body: dict[str, Any], channel: Channel, watchlist: WatchlistInfo
) -> bool:
    """The rule of `/deals watchlist`: the creator channel, or a workspace admin (users.info)."""
    return sharing.may_edit(
        watchlist, channel.slack_id, is_admin=workspace_admin(client, _user(body))
    )


def handle_list_action(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """Shared lists: open the list, or remove an entity from it, or delete it."""
    ack()
    fields = _value(action)
    view = body.get("view") or {}
    try:
        channel = _channel(client, deps, body, str(fields.get("c", "")))
        action_id = action.get("action_id")
        if action_id == ACTION_LISTS:
            _open(
                client,
                body,
                lists_modal(channel.slack_id, deps.store.team_watchlists(channel.team_id)),
            )
            return
        watchlist = _shared_list(deps, channel, fields.get("w"))
        editable = _may_edit(client, body, channel, watchlist)
        if action_id == ACTION_LIST_OPEN:
            _open(client, body, list_modal(channel.slack_id, watchlist, editable))
            return
        if not editable:
            raise Refused(
                f"Only the channel that created {watchlist.name}, or a workspace admin, can change it."
            )
        if action_id == ACTION_LIST_DELETE:
            sharing.delete_shared_watchlist(deps.store, watchlist)
            done = progress_modal("Shared list", f"Deleted the shared list {watchlist.name}.")
            client.views_update(view_id=view["id"], view=done)
            publish_home(client, deps, _team(body), _user(body), channel.slack_id)
            return
        entity = deps.store.get_entity(int(fields.get("e") or 0))
        removed = sharing.remove_entity(deps.store, watchlist, entity.name)
        word = "Removed" if removed else "Already not on the list:"
        notice = f"{word} *{escape(entity.name)}*."
        fresh = _shared_list(deps, channel, watchlist.id)
        client.views_update(
            view_id=view["id"], view=list_modal(channel.slack_id, fresh, True, notice)
        )
    except DealwatchError as error:
        if view.get("type") == "modal" and view.get("callback_id") == CALLBACK_LIST_EDIT:
            meta = unpack(view.get("private_metadata", ""))
            try:
                channel = _channel(client, deps, body, str(meta.get("c", "")))
                watchlist = _shared_list(deps, channel, meta.get("w"))
            except DealwatchError:
                client.views_update(
                    view_id=view["id"], view=progress_modal("Shared list", str(error))
                )
                return
            refused = list_modal(channel.slack_id, watchlist, False, escape(str(error)))
            client.views_update(view_id=view["id"], view=refused)
            return
        publish_home(client, deps, _team(body), _user(body), notice=escape(str(error)))


def handle_list_new_submission(
    ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """Create a shared list (the `watchlist new` command's service), then show it."""
    view = body["view"]
    try:
        channel = _submitted_channel(client, deps, body)
        created = sharing.create_shared_watchlist(
            deps.store, channel.team_id, _text(view, FIELD_LIST_NAME), channel.slack_id
        )
    except DealwatchError as error:
        _refuse(ack, FIELD_LIST_NAME, error)
        return
    notice = f"Created *{escape(created.name)}*: add its entities below."
    ack(response_action="update", view=list_modal(channel.slack_id, created, True, notice))


def handle_list_edit_submission(
    ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """Rename the list and add an entity to it (the `watchlist rename/add` services)."""
    view = body["view"]
    meta = unpack(view.get("private_metadata", ""))
    name, aliases = _text(view, FIELD_NAME), _names(_text(view, FIELD_ALIASES))
    problem = _name_problem([name]) or _name_problem(aliases)
    if problem:
        ack(
            response_action="errors",
            errors={FIELD_NAME if _name_problem([name]) else FIELD_ALIASES: problem},
        )
        return
    try:
        channel = _submitted_channel(client, deps, body)
        watchlist = _shared_list(deps, channel, meta.get("w"))
        if not _may_edit(client, body, channel, watchlist):
            raise Refused(
                f"Only the channel that created {watchlist.name}, or a workspace admin, can change it."
            )
    except DealwatchError as error:
        _refuse(ack, FIELD_RENAME, error)
        return
    new_name = _text(view, FIELD_RENAME)
    if new_name and new_name != watchlist.name:
        try:
            watchlist = sharing.rename_shared_watchlist(deps.store, watchlist, new_name)
        except DealwatchError as error:
            _refuse(ack, FIELD_RENAME, error)
            return
    if name:
        try:
            sharing.add_entity(deps.store, watchlist, Entity(name=name, aliases=tuple(aliases)))
        except DealwatchError as error:
            _refuse(ack, FIELD_NAME, error)
            return
    ack()
    publish_home(client, deps, _team(body), _user(body), channel.slack_id)


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
    op = _value(action).get("o")
    try:
        channel = _channel(client, deps, body, slack_id)
    except Refused as error:
        respond(text=escape(str(error)), response_type="ephemeral", replace_original=False)
        return
    if op == "entity":
        view = entity_modal(channel.slack_id, EntityForm(), MAX_NAME)
    elif op == "schedule":
        view = schedule_modal(deps.store.get_channel(channel.id))
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
    ):
        app.action(action_id)(partial(handle_action, deps=deps))
    app.action(ACTION_MANAGE)(partial(handle_manage, deps=deps))
    for action_id in (ACTION_LISTS, ACTION_LIST_OPEN, ACTION_LIST_REMOVE, ACTION_LIST_DELETE):
        app.action(action_id)(partial(handle_list_action, deps=deps))
    app.view(CALLBACK_LIST_NEW)(partial(handle_list_new_submission, deps=deps))
    app.view(CALLBACK_LIST_EDIT)(partial(handle_list_edit_submission, deps=deps))
    app.options(FIELD_TIMEZONE)(handle_timezone_options)
    app.view(CALLBACK_ENTITY)(partial(handle_entity_submission, deps=deps))
    app.view(CALLBACK_SUBSCRIBE)(partial(handle_subscribe_submission, deps=deps))
    app.view(CALLBACK_SCHEDULE)(partial(handle_schedule_submission, deps=deps))
    app.view(CALLBACK_FEED)(partial(handle_feed_submission, deps=deps))

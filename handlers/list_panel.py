"""The shared lists in the panel: open, page, create, rename, add to, remove from, delete.

Only the list's creator channel and workspace admins may change a list (`users.info`
`is_admin`), the rule of `/deals watchlist`; everyone else gets a clear refusal.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.blocks import escape
from handlers.commands import MAX_NAME, workspace_admin
from handlers.deps import Deps
from handlers.list_modals import (
    ACTION_LIST_DELETE,
    ACTION_LIST_EDIT_ENTITY,
    ACTION_LIST_OPEN,
    ACTION_LIST_PAGE,
    ACTION_LIST_REMOVE,
    CALLBACK_LIST_EDIT,
    CALLBACK_LIST_NEW,
    FIELD_LIST_NAME,
    FIELD_RENAME,
    list_modal,
    lists_modal,
)
from handlers.modals import (
    ACTION_LISTS,
    CALLBACK_LIST_ENTITY,
    FIELD_ALIASES,
    FIELD_NAME,
    EntityForm,
    entity_modal,
    progress_modal,
    unpack,
)
from handlers.panel import (
    Refused,
    action_fields,
    deleted_lines,
    entity_form,
    member_channel,
    name_problem,
    open_modal,
    publish_home,
    refuse_field,
    submitted_channel,
    team_of,
    text_value,
    typed_names,
    user_of,
)
from watchlists import services, sharing
from watchlists.entity_rules import name_key
from watchlists.errors import DealwatchError
from watchlists.model import Channel, Entity
from watchlists.ports import WatchlistInfo

log = logging.getLogger("dealwatch.panel")


def _shared_list(deps: Deps, channel: Channel, list_id: Any) -> WatchlistInfo:
    for watchlist in deps.store.team_watchlists(channel.team_id):
        if watchlist.id == list_id:
            return watchlist
    raise DealwatchError("That shared list no longer exists.")


def _on_list(watchlist: WatchlistInfo, entity_id: Any) -> Entity:
    for entity in watchlist.entities:
        if entity.id == entity_id:
            return entity
    raise DealwatchError(f"That entity is no longer on {watchlist.name}.")


def _may_edit(
    client: WebClient, body: dict[str, Any], channel: Channel, watchlist: WatchlistInfo
) -> bool:
    """The rule of `/deals watchlist`: the creator channel, or a workspace admin (users.info)."""
    return sharing.may_edit(
        watchlist, channel.slack_id, is_admin=workspace_admin(client, user_of(body))
    )


def _refusal(watchlist: WatchlistInfo) -> Refused:
    return Refused(
        f"Only the channel that created {watchlist.name}, or a workspace admin, can change it."
    )


def _list_to_edit(
    client: WebClient, deps: Deps, body: dict[str, Any]
) -> tuple[Channel, WatchlistInfo]:
    """The channel and the shared list of a submitted list modal, when the person may edit it."""
    channel = submitted_channel(client, deps, body)
    meta = unpack((body.get("view") or {}).get("private_metadata", ""))
    watchlist = _shared_list(deps, channel, meta.get("w"))
    if not _may_edit(client, body, channel, watchlist):
        raise _refusal(watchlist)
    return channel, watchlist


def handle_list_action(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """Shared lists: open the list, or remove an entity from it, or delete it."""
    ack()
    fields = action_fields(action)
    view = body.get("view") or {}
    try:
        channel = member_channel(client, deps, body, str(fields.get("c", "")))
        action_id = action.get("action_id")
        if action_id == ACTION_LISTS:
            lists = deps.store.team_watchlists(channel.team_id)
            if view.get("callback_id") == CALLBACK_LIST_NEW:
                page = int(fields.get("p") or 0)
                client.views_update(
                    view_id=view["id"], view=lists_modal(channel.slack_id, lists, page)
                )
            else:
                open_modal(client, body, lists_modal(channel.slack_id, lists))
            return
        watchlist = _shared_list(deps, channel, fields.get("w"))
        editable = _may_edit(client, body, channel, watchlist)
        if action_id == ACTION_LIST_OPEN:
            open_modal(client, body, list_modal(channel.slack_id, watchlist, editable))
            return
        if action_id == ACTION_LIST_PAGE:
            page = int(fields.get("p") or 0)
            shown = list_modal(channel.slack_id, watchlist, editable, page=page)
            client.views_update(view_id=view["id"], view=shown)
            return
        if not editable:
            raise _refusal(watchlist)
        if action_id == ACTION_LIST_EDIT_ENTITY:
            form = EntityForm.of(_on_list(watchlist, fields.get("e")))
            shown = entity_modal(channel.slack_id, form, MAX_NAME, list_id=watchlist.id)
            open_modal(client, body, shown)
            return
        if action_id == ACTION_LIST_DELETE:
            sharing.delete_shared_watchlist(deps.store, watchlist)
            done = progress_modal("Shared list", f"Deleted the shared list {watchlist.name}.")
            client.views_update(view_id=view["id"], view=done)
            publish_home(client, deps, team_of(body), user_of(body), channel.slack_id)
            return
        entity = deps.store.get_entity(int(fields.get("e") or 0))
        removed = sharing.remove_entity(deps.store, watchlist, entity.name)
        word = "Removed" if removed else "Already not on the list:"
        notice = f"{word} *{escape(entity.name)}*."
        fresh = _shared_list(deps, channel, watchlist.id)
        page = int(unpack(view.get("private_metadata", "")).get("p") or 0)
        client.views_update(
            view_id=view["id"], view=list_modal(channel.slack_id, fresh, True, notice, page)
        )
    except DealwatchError as error:
        if view.get("type") == "modal" and view.get("callback_id") == CALLBACK_LIST_EDIT:
            meta = unpack(view.get("private_metadata", ""))
            try:
                channel = member_channel(client, deps, body, str(meta.get("c", "")))
                watchlist = _shared_list(deps, channel, meta.get("w"))
            except DealwatchError:
                client.views_update(
                    view_id=view["id"], view=progress_modal("Shared list", str(error))
                )
                return
            refused = list_modal(channel.slack_id, watchlist, False, escape(str(error)))
            client.views_update(view_id=view["id"], view=refused)
            return
        publish_home(client, deps, team_of(body), user_of(body), notice=escape(str(error)))


def handle_list_new_submission(
    ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """Create a shared list (the `watchlist new` command's service), then show it."""
    view = body["view"]
    try:
        channel = submitted_channel(client, deps, body)
        created = sharing.create_shared_watchlist(
            deps.store, channel.team_id, text_value(view, FIELD_LIST_NAME), channel.slack_id
        )
    except DealwatchError as error:
        refuse_field(ack, FIELD_LIST_NAME, error)
        return
    notice = f"Created *{escape(created.name)}*: add its entities below."
    ack(response_action="update", view=list_modal(channel.slack_id, created, True, notice))


def handle_list_edit_submission(
    ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """Rename the list and add an entity to it (the `watchlist rename/add` services)."""
    view = body["view"]
    name, aliases = text_value(view, FIELD_NAME), typed_names(text_value(view, FIELD_ALIASES))
    problem = name_problem([name]) or name_problem(aliases)
    if problem:
        ack(
            response_action="errors",
            errors={FIELD_NAME if name_problem([name]) else FIELD_ALIASES: problem},
        )
        return
    try:
        channel, watchlist = _list_to_edit(client, deps, body)
    except DealwatchError as error:
        refuse_field(ack, FIELD_RENAME, error)
        return
    new_name = text_value(view, FIELD_RENAME)
    if new_name and new_name != watchlist.name:
        try:
            watchlist = sharing.rename_shared_watchlist(deps.store, watchlist, new_name)
        except DealwatchError as error:
            refuse_field(ack, FIELD_RENAME, error)
            return
    if name:
        try:
            sharing.add_entity(deps.store, watchlist, Entity(name=name, aliases=tuple(aliases)))
        except DealwatchError as error:
            refuse_field(ack, FIELD_NAME, error)
            return
    ack()
    publish_home(client, deps, team_of(body), user_of(body), channel.slack_id)


def handle_list_entity_submission(
    ack: Ack, body: dict[str, Any], client: WebClient, deps: Deps
) -> None:
    """Edit the names of an entity on a shared list: lines added are added (the `watchlist
    add` service), lines deleted are removed, a new name replaces the entity on the list."""
    view = body["view"]
    meta = unpack(view.get("private_metadata", ""))
    form = entity_form(view)
    if form.errors:
        ack(response_action="errors", errors=form.errors)
        return
    try:
        channel, watchlist = _list_to_edit(client, deps, body)
        old = _on_list(watchlist, meta.get("e"))
        typed = Entity(name=form.name, aliases=tuple(form.aliases), exclude=tuple(form.exclude))
        entity = sharing.add_entity(deps.store, watchlist, typed).entity
        if name_key(old.name) != name_key(entity.name):
            sharing.remove_entity(deps.store, watchlist, old.name)
        else:
            gone_aliases, gone_exclude = deleted_lines(entity, form)
            if gone_aliases or gone_exclude:
                entity = services.remove_names_of(deps.store, entity, gone_aliases, gone_exclude)
    except DealwatchError as error:
        refuse_field(ack, FIELD_NAME, error)
        return
    ack()
    notice = f"Updated *{escape(entity.name)}* on {escape(watchlist.name)}."
    previous = view.get("previous_view_id")
    if previous:
        fresh = _shared_list(deps, channel, watchlist.id)
        try:
            client.views_update(
                view_id=previous, view=list_modal(channel.slack_id, fresh, True, notice)
            )
        except SlackApiError as error:
            log.info("list modal not updated: %s", error.response.get("error"))
    publish_home(client, deps, team_of(body), user_of(body), channel.slack_id, notice=notice)


def register(app: App, deps: Deps) -> None:
    """Attach the shared lists' listeners."""
    for action_id in (
        ACTION_LISTS,
        ACTION_LIST_OPEN,
        ACTION_LIST_PAGE,
        ACTION_LIST_REMOVE,
        ACTION_LIST_DELETE,
        ACTION_LIST_EDIT_ENTITY,
    ):
        app.action(action_id)(partial(handle_list_action, deps=deps))
    app.view(CALLBACK_LIST_NEW)(partial(handle_list_new_submission, deps=deps))
    app.view(CALLBACK_LIST_EDIT)(partial(handle_list_edit_submission, deps=deps))
    app.view(CALLBACK_LIST_ENTITY)(partial(handle_list_entity_submission, deps=deps))

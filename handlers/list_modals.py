"""Block Kit for the shared lists: the workspace's lists, one list, and a list entity's names."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.blocks import escape, truncate
from handlers.modals import (
    ACTION_LISTS,
    FIELD_ALIASES,
    FIELD_NAME,
    Block,
    button,
    context,
    entity_names,
    modal,
    option,
    pack,
    page_of,
    section,
    text,
    text_input,
)
from watchlists.ports import WatchlistInfo

ACTION_LIST_PAGE = "panel_list_page"
ACTION_LIST_OPEN = "panel_list_open"
ACTION_LIST_REMOVE = "panel_list_remove"
ACTION_LIST_DELETE = "panel_list_delete"
ACTION_LIST_EDIT_ENTITY = "panel_list_edit_entity"
CALLBACK_LIST_NEW = "panel_list_new"
CALLBACK_LIST_EDIT = "panel_list_edit"
FIELD_LIST_NAME = "list_name"
FIELD_RENAME = "rename"
LISTS_PER_PAGE = 20
LIST_ENTITIES_PER_PAGE = 12


def _size(watchlist: WatchlistInfo) -> str:
    count, channels = len(watchlist.entities), len(watchlist.subscribers)
    return (
        f"{count} entit{'y' if count == 1 else 'ies'} · "
        f"{channels} subscribed channel{'' if channels == 1 else 's'}"
    )


def lists_modal(channel_slack_id: str, lists: Sequence[WatchlistInfo], page: int = 0) -> Block:
    """The workspace's shared lists, a page at a time, each with an Open button, and a field
    to create one."""
    blocks: list[Block] = []
    page, pages, shown = page_of(len(lists), page, LISTS_PER_PAGE)
    for watchlist in lists[shown]:
        blocks.append(
            section(
                f"*{escape(watchlist.name)}* · {_size(watchlist)}",
                button("Open", ACTION_LIST_OPEN, pack(c=channel_slack_id, w=watchlist.id)),
            )
        )
    if pages > 1:
        elements = []
        if page > 0:
            elements.append(button("Previous", ACTION_LISTS, pack(c=channel_slack_id, p=page - 1)))
        if page < pages - 1:
            elements.append(button("More", ACTION_LISTS, pack(c=channel_slack_id, p=page + 1)))
        blocks.append({"type": "actions", "block_id": "lists-pages", "elements": elements})
        blocks.append(context(f"Page {page + 1} of {pages}"))
    if not lists:
        blocks.append(context("This workspace has no shared watchlists yet."))
    blocks.append({"type": "divider"})
    blocks.append(
        text_input(
            FIELD_LIST_NAME,
            "New shared list",
            hint="1-64 letters, digits, - and _, e.g. russia-ecommerce. This channel will "
            "be its creator: only it and workspace admins may change it.",
            max_length=64,
        )
    )
    return modal("Shared lists", CALLBACK_LIST_NEW, pack(c=channel_slack_id), blocks, "Create")


def list_modal(
    channel_slack_id: str,
    watchlist: WatchlistInfo,
    editable: bool,
    notice: str = "",
    page: int = 0,
) -> Block:
    """One shared list, a page of its entities at a time, and (for its editors) rename, add,
    remove and delete."""
    count = len(watchlist.entities)
    page, pages, shown = page_of(count, page, LIST_ENTITIES_PER_PAGE)
    meta = pack(c=channel_slack_id, w=watchlist.id, p=page)
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
    for entity in watchlist.entities[shown]:
        remove = None
        if editable:
            remove = button(
                "Remove",
                ACTION_LIST_REMOVE,
                pack(c=channel_slack_id, w=watchlist.id, e=entity.id or 0),
                confirm=f"Take {truncate(entity.name, 100)} off {watchlist.name}?",
            )
        blocks.append(section(entity_names(entity), remove))
    if editable and watchlist.entities[shown]:
        blocks.append(_edit_names_picker(channel_slack_id, watchlist, shown))
    if pages > 1:
        elements = []
        if page > 0:
            elements.append(
                button(
                    "Previous",
                    ACTION_LIST_PAGE,
                    pack(c=channel_slack_id, w=watchlist.id, p=page - 1),
                )
            )
        if page < pages - 1:
            elements.append(
                button(
                    "More", ACTION_LIST_PAGE, pack(c=channel_slack_id, w=watchlist.id, p=page + 1)
                )
            )
        blocks.append({"type": "actions", "block_id": "list-pages", "elements": elements})
        blocks.append(context(f"Page {page + 1} of {pages}"))
    if not editable:
        return modal("Shared list", CALLBACK_LIST_EDIT, meta, blocks, "")
    blocks.append({"type": "divider"})
    blocks.append(text_input(FIELD_RENAME, "Name", watchlist.name, max_length=64))
    blocks.append(text_input(FIELD_NAME, "Add an entity", optional=True, max_length=200))
    blocks.append(
        text_input(
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
    return modal("Shared list", CALLBACK_LIST_EDIT, meta, blocks, "Save")


def _edit_names_picker(channel_slack_id: str, watchlist: WatchlistInfo, shown: slice) -> Block:
    """A select of the page's entities: picking one opens its names for editing."""
    options = [
        option(entity.name, pack(c=channel_slack_id, w=watchlist.id, e=entity.id or 0))
        for entity in watchlist.entities[shown]
    ]
    picker = {
        "type": "static_select",
        "action_id": ACTION_LIST_EDIT_ENTITY,
        "placeholder": text("Edit the aliases or exclusions of…"),
        "options": options,
    }
    return {"type": "actions", "block_id": "list-edit-names", "elements": [picker]}

"""Shared watchlists, watchlist import/export and the CSV export of a channel's stories.

Rules:
- Every channel has its own list, named `#<channel slack id>`; a workspace also has
  shared lists that any of its channels may subscribe to. Shared list names are 1-64
  letters, digits, `-` and `_`, unique in the workspace regardless of case; names that
  start with `#` are reserved for the channels' own lists.
- A change to a shared list reaches every subscribed channel at once: deliveries follow
  subscriptions when an article is processed, nothing is copied into the channels.
- Adding an entity reuses a known entity named or aliased the same and merges the new
  aliases and exclusions into it, so importing the same file twice changes nothing.
- The CSV export holds the stories delivered or queued to the channel in the period, one
  row each, oldest first. A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
  return gets a leading apostrophe so no spreadsheet runs it as a formula. The file is
  UTF-8 with a byte-order mark, which spreadsheets need to read Cyrillic and the like.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from watchlists.entity_rules import merge_entity
from watchlists.errors import DealwatchError, NotFoundError
from watchlists.model import Channel, Entity, StoryItem
from watchlists.ports import EntityStore, OutboxStore, WatchlistInfo
from watchlists.services import parse_duration
from watchlists.watchlist_file import render_watchlist

OWN_LIST_PREFIX = "#"
LIST_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
CSV_COLUMNS = (
    "published",
    "story title",
    "url",
    "source",
    "entities",
    "deal type",
    "stage",
    "amount",
    "summary",
    "also reported by",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ListNameError(DealwatchError):
    """A shared watchlist name breaks the naming rules."""


@dataclass(frozen=True)
class AddResult:
    """An entity put on a list: whether it is new there and what it gained."""

    entity: Entity
    added: bool
    new_aliases: tuple[str, ...] = ()
    new_exclusions: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """True when the list or the entity is different from before."""
        return self.added or bool(self.new_aliases or self.new_exclusions)


@dataclass(frozen=True)
class ImportResult:
    """What importing a watchlist file changed."""

    watchlist: WatchlistInfo
    added: tuple[str, ...]
    extended: tuple[str, ...]
    unchanged: int

    def summary(self) -> str:
        """One line for a person: what was added, extended and already there."""
        parts = [f"{len(self.added)} added" + (f" ({', '.join(self.added)})" if self.added else "")]
        if self.extended:
            parts.append(f"{len(self.extended)} got new aliases ({', '.join(self.extended)})")
        parts.append(f"{self.unchanged} already there")
        return f"{display_name(self.watchlist)}: " + "; ".join(parts)


def validate_list_name(name: str) -> str:
    """The name when it is a valid shared list name, else ListNameError saying why."""
    name = name.strip()
    if name.startswith(OWN_LIST_PREFIX):
        raise ListNameError(f"`{name[:64]}`: names starting with # are the channels' own lists.")
    if not LIST_NAME.fullmatch(name):
        raise ListNameError(
            f"`{name[:64]}` is not a list name: use 1-64 letters, digits, - and _, "
            "e.g. russia-ecommerce."
        )
    return name


def own_list_name(channel_slack_id: str) -> str:
    """The name of a channel's own list."""
    return OWN_LIST_PREFIX + channel_slack_id


def display_name(watchlist: WatchlistInfo) -> str:
    """How people see a list: its name, or "this channel's own list"."""
    return watchlist.name if watchlist.is_shared else f"own list of {watchlist.name[1:]}"


def create_shared_watchlist(
    store: EntityStore, team_id: str, name: str, created_in: str = ""
) -> WatchlistInfo:
    """A new, empty shared list of the workspace, remembering the channel that created it."""
    return store.create_watchlist(team_id, validate_list_name(name), created_in)


def may_edit(watchlist: WatchlistInfo, channel_slack_id: str, is_admin: bool) -> bool:
    """Only the channel that created a shared list, or a workspace admin, may change it."""
    return is_admin or (bool(watchlist.created_in) and watchlist.created_in == channel_slack_id)


def rename_shared_watchlist(
    store: EntityStore, watchlist: WatchlistInfo, name: str
) -> WatchlistInfo:
    """The list under a new valid name (subscriptions follow it)."""
    return store.rename_watchlist(watchlist.id, validate_list_name(name))


def delete_shared_watchlist(store: EntityStore, watchlist: WatchlistInfo) -> None:
    """Delete the list: its subscribed channels stop getting its stories."""
    store.delete_watchlist(watchlist.id)


def shared_watchlist(store: EntityStore, team_id: str, name: str) -> WatchlistInfo:
    """The workspace's shared list called name, or NotFoundError naming the lists there are."""
    watchlist = store.find_watchlist(team_id, validate_list_name(name))
    if watchlist is not None:
        return watchlist
    known = [w.name for w in store.team_watchlists(team_id)]
    hint = f" Lists here: {', '.join(known[:20])}." if known else " Create it first."
    raise NotFoundError(f"No shared watchlist called `{name}`.{hint}")


def ensure_shared_watchlist(store: EntityStore, team_id: str, name: str) -> WatchlistInfo:
    """The shared list called name, created when it does not exist yet."""
    return store.find_watchlist(team_id, validate_list_name(name)) or store.create_watchlist(
        team_id, name
    )


def own_watchlist(store: EntityStore, channel: Channel) -> WatchlistInfo:
    """The channel's own list."""
    for watchlist in store.channel_watchlists(channel.id):
        if watchlist.owner_channel_id == channel.id:
            return watchlist
    raise NotFoundError(f"channel {channel.slack_id} has no own watchlist")


def add_entity(store: EntityStore, watchlist: WatchlistInfo, entity: Entity) -> AddResult:
    """Put entity on the list, merged into a known entity named or aliased the same."""
    known = store.find_entity(watchlist.team_id, entity.name)
    merged = entity
    if known is not None:
        merged = merge_entity(known, entity)
    stored, added = store.add_to_watchlist(watchlist.id, merged)
    if known is None:
        return AddResult(entity=stored, added=added)
    return AddResult(
        entity=stored,
        added=added,
        new_aliases=tuple(a for a in stored.aliases if a not in known.aliases),
        new_exclusions=tuple(p for p in stored.exclude if p not in known.exclude),
    )


def remove_entity(store: EntityStore, watchlist: WatchlistInfo, name: str) -> bool:
    """Take an entity off the list; False when it was not on it."""
    return store.remove_from_watchlist(watchlist.id, name)


def subscribe(store: EntityStore, channel: Channel, name: str) -> tuple[WatchlistInfo, bool]:
    """Have the channel receive a shared list's stories; the bool is False if it already did."""
    watchlist = shared_watchlist(store, channel.team_id, name)
    return watchlist, store.subscribe(channel.id, watchlist.id)


def unsubscribe(store: EntityStore, channel: Channel, name: str) -> tuple[WatchlistInfo, bool]:
    """Stop the channel receiving a shared list; the bool is False if it was not subscribed."""
    watchlist = shared_watchlist(store, channel.team_id, name)
    return watchlist, store.unsubscribe(channel.id, watchlist.id)


def import_entities(
    store: EntityStore, watchlist: WatchlistInfo, entities: Iterable[Entity]
) -> ImportResult:
    """Add every entity of a watchlist file to the list; idempotent."""
    added: list[str] = []
    extended: list[str] = []
    unchanged = 0
    for entity in entities:
        result = add_entity(store, watchlist, entity)
        if result.added:
            added.append(result.entity.name)
        elif result.changed:
            extended.append(result.entity.name)
        else:
            unchanged += 1
    return ImportResult(
        watchlist=watchlist, added=tuple(added), extended=tuple(extended), unchanged=unchanged
    )


def export_watchlist(watchlist: WatchlistInfo) -> str:
    """The list as watchlist TOML (the `dealwatch match` format), entities by name."""
    return render_watchlist(sorted(watchlist.entities, key=lambda e: e.name.casefold()))


def exported_stories(
    store: OutboxStore, channel: Channel, period: str, now: datetime
) -> list[StoryItem]:
    """The stories delivered or queued to the channel within period (e.g. `30d`) of now."""
    return store.delivered_items(channel.id, now - parse_duration(period))


def stories_csv(items: Sequence[StoryItem]) -> bytes:
    """The stories as CSV bytes, one row each, formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for item in items:
        row = (
            item.published.strftime("%Y-%m-%d %H:%M") if item.published else "",
            item.title,
            item.url,
            item.source,
            "; ".join(dict.fromkeys(match.entity for match in item.matches)),
            "" if item.deal_type == "none" else item.deal_type.replace("_", " "),
            item.deal_stage.replace("_", " "),
            item.amount,
            item.summary,
            "; ".join(item.also_reported_by),
        )
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def safe_cell(text: str) -> str:
    """The cell text, with a leading apostrophe when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text

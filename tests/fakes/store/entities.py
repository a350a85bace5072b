"""EntityStore on the fake's tables: entities, mutes and watchlists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from tests.fakes.store.state import (
    PHRASE_WIDTH,
    State,
    WatchlistRow,
    WorkspaceRow,
)
from watchlists.entity_rules import answers_to, has_phrase, name_key, new_aliases, new_phrases
from watchlists.errors import AlreadyExistsError, NotFoundError
from watchlists.model import Entity
from watchlists.ports import (
    WatchlistInfo,
)


class EntityStoreMixin(State):
    """Entities, mutes and watchlists."""

    def _ensure_entity(self, team_id: str, entity: Entity) -> Entity:
        known = self._entity_by_key(team_id, name_key(entity.name))
        if known is None:
            known = Entity(name=entity.name, id=self.new_id())
            self.entity_team[known.id] = team_id
        stored = replace(
            known,
            aliases=(*known.aliases, *new_aliases(known.name, known.aliases, entity.aliases)),
            exclude=(*known.exclude, *new_phrases(known.exclude, entity.exclude)),
        )
        self.entities[stored.id] = stored
        return stored

    def watch(self, channel_id: int, entity: Entity) -> Entity:
        """Add entity (merged with a known one of the same name) to the channel's own list."""
        own = self._own_watchlist(channel_id)
        stored = self._ensure_entity(own.team_id, entity)
        if stored.id not in own.entity_ids:
            own.entity_ids.append(stored.id)
        return stored

    def unwatch(self, channel_id: int, name: str) -> bool:
        """Remove the entity from the channel's own list; False when it was not there."""
        own = self._own_watchlist(channel_id)
        entity = self._entity_by_key(own.team_id, name_key(name))
        if entity is None or entity.id not in own.entity_ids:
            return False
        own.entity_ids.remove(entity.id)
        return True

    def channel_entities(self, channel_id: int) -> list[Entity]:
        """Entities of the channel's own and subscribed lists, by name."""
        ids = self._subscribed_entity_ids(channel_id)
        return sorted((self.entities[i] for i in ids), key=lambda e: e.name)

    def find_entity(self, team_id: str, name: str) -> Entity | None:
        """The team's entity whose name or alias is name (case-insensitive), if any."""
        found = self._entity_by_key(team_id, name_key(name))
        if found is not None:
            return found
        return next(
            (
                self.entities[i]
                for i in sorted(self.entities)
                if self.entity_team.get(i) == team_id and answers_to(name, self.entities[i].aliases)
            ),
            None,
        )

    def all_entities(self, team_id: str) -> list[Entity]:
        """The team's entities, by id."""
        return [
            self.entities[i] for i in sorted(self.entities) if self.entity_team.get(i) == team_id
        ]

    def watched_entities(self) -> list[Entity]:
        """Every entity some channel receives, by id."""
        ids = {
            entity_id
            for (_channel, watchlist_id) in self.subscriptions
            for entity_id in self.watchlists[watchlist_id].entity_ids
        }
        return [self.entities[i] for i in sorted(ids)]

    def get_entity(self, entity_id: int) -> Entity:
        """The entity with that id, or NotFoundError."""
        entity = self.entities.get(entity_id)
        if entity is None:
            raise NotFoundError(f"no entity with id {entity_id}")
        return entity

    def add_exclusion(self, entity_id: int, phrase: str) -> Entity:
        """Add a phrase that vetoes the entity's mentions (once, whatever its case)."""
        entity = self.get_entity(entity_id)
        if not has_phrase(entity.exclude, phrase):
            entity = replace(entity, exclude=(*entity.exclude, phrase[:PHRASE_WIDTH]))
            self.entities[entity_id] = entity
        return entity

    def remove_names(
        self, entity_id: int, aliases: Sequence[str] = (), exclude: Sequence[str] = ()
    ) -> Entity:
        """Drop aliases (by name key) and exclusions (ignoring case); return the entity."""
        entity = self.get_entity(entity_id)
        entity = replace(
            entity,
            aliases=tuple(a for a in entity.aliases if not answers_to(a, aliases)),
            exclude=tuple(p for p in entity.exclude if not has_phrase(exclude, p)),
        )
        self.entities[entity_id] = entity
        return entity

    def mute(self, channel_id: int, entity_id: int, until: datetime) -> None:
        """Silence an entity in the channel until a time (replacing an earlier mute)."""
        self.muted_until[(channel_id, entity_id)] = until

    def unmute(self, channel_id: int, entity_id: int) -> bool:
        """Lift a mute; False when there was none."""
        return self.muted_until.pop((channel_id, entity_id), None) is not None

    def mutes(self, channel_id: int, now: datetime) -> list[tuple[Entity, datetime]]:
        """The channel's active mutes, by entity name."""
        active = [
            (self.entities[entity_id], until)
            for (channel, entity_id), until in self.muted_until.items()
            if channel == channel_id and until > now
        ]
        return sorted(active, key=lambda pair: pair[0].name)

    def find_watchlist(self, team_id: str, name: str) -> WatchlistInfo | None:
        """The team's watchlist with that name (case-insensitive), if any."""
        row = self._watchlist_row(team_id, name)
        return self._watchlist_info(row) if row else None

    def _watchlist_row(self, team_id: str, name: str) -> WatchlistRow | None:
        return next(
            (
                row
                for row in self.watchlists.values()
                if row.team_id == team_id and row.name.lower() == name.lower()
            ),
            None,
        )

    def create_watchlist(self, team_id: str, name: str, created_in: str = "") -> WatchlistInfo:
        """A new shared watchlist of the team, or AlreadyExistsError."""
        self.workspaces.setdefault(team_id, WorkspaceRow(team_id=team_id))
        if self._watchlist_row(team_id, name) is not None:
            raise AlreadyExistsError(f"A watchlist called `{name}` already exists.")
        row = WatchlistRow(id=self.new_id(), team_id=team_id, name=name, created_in=created_in)
        self.watchlists[row.id] = row
        return self._watchlist_info(row)

    def rename_watchlist(self, watchlist_id: int, name: str) -> WatchlistInfo:
        """The list under its new name, or AlreadyExistsError when the team has that name."""
        row = self.watchlists.get(watchlist_id)
        if row is None:
            raise NotFoundError(f"no watchlist with id {watchlist_id}")
        other = self._watchlist_row(row.team_id, name)
        if other is not None and other.id != row.id:
            raise AlreadyExistsError(f"A watchlist called `{name}` already exists.")
        row.name = name
        return self._watchlist_info(row)

    def delete_watchlist(self, watchlist_id: int) -> None:
        """Delete the list and its subscriptions (its entities stay known)."""
        if self.watchlists.pop(watchlist_id, None) is None:
            raise NotFoundError(f"no watchlist with id {watchlist_id}")
        for key in [key for key in self.subscriptions if key[1] == watchlist_id]:
            del self.subscriptions[key]

    def add_to_watchlist(self, watchlist_id: int, entity: Entity) -> tuple[Entity, bool]:
        """Add entity (merged with a known one); True when new to the list."""
        row = self.watchlists.get(watchlist_id)
        if row is None:
            raise NotFoundError(f"no watchlist with id {watchlist_id}")
        stored = self._ensure_entity(row.team_id, entity)
        added = stored.id not in row.entity_ids
        if added:
            row.entity_ids.append(stored.id)
        return stored, added

    def remove_from_watchlist(self, watchlist_id: int, name: str) -> bool:
        """Take the entity named or aliased name off the list; False when it was not there."""
        row = self.watchlists.get(watchlist_id)
        if row is None:
            return False
        for entity_id in row.entity_ids:
            entity = self.entities[entity_id]
            if answers_to(name, (entity.name, *entity.aliases)):
                row.entity_ids.remove(entity_id)
                return True
        return False

    def subscribe(self, channel_id: int, watchlist_id: int) -> bool:
        """Have the channel receive the list's stories; False when it already did."""
        watchlist = self.watchlists.get(watchlist_id)
        if watchlist is None or watchlist.team_id != self._channel_row(channel_id).channel.team_id:
            raise NotFoundError(f"no watchlist with id {watchlist_id} in this workspace")
        if (channel_id, watchlist_id) in self.subscriptions:
            return False
        self.subscriptions[(channel_id, watchlist_id)] = None
        return True

    def unsubscribe(self, channel_id: int, watchlist_id: int) -> bool:
        """Stop the channel receiving the list's stories; False when it did not."""
        return self.subscriptions.pop((channel_id, watchlist_id), "absent") is None

    def team_watchlists(self, team_id: str) -> list[WatchlistInfo]:
        """The team's shared watchlists by name."""
        rows = [
            row
            for row in self.watchlists.values()
            if row.team_id == team_id and row.owner_channel_id is None
        ]
        return [self._watchlist_info(row) for row in sorted(rows, key=lambda r: r.name.lower())]

    def channel_watchlists(self, channel_id: int) -> list[WatchlistInfo]:
        """The channel's own list, then the shared lists it subscribes to, by name."""
        self._channel_row(channel_id)
        rows = [self.watchlists[w] for (c, w) in self.subscriptions if c == channel_id]
        rows.sort(key=lambda row: (row.owner_channel_id != channel_id, row.name.lower()))
        return [self._watchlist_info(row) for row in rows]

"""Importing a big watchlist file in a few bulk statements instead of one round trip per entity.

Same results as `watchlists.sharing.import_entities` on a `SqlStore` (a known entity, found by
name or alias, gains the file's new aliases and exclusions; the list gains the entities it
lacks), but it reads what it needs once and writes with executemany: 100,000 entities take
seconds, not hours. Kept apart from db/store.py on purpose (see the CLI helper's note).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import Connection, Engine

from db import tables as t
from db.store import name_key
from watchlists.model import Entity
from watchlists.ports import WatchlistInfo
from watchlists.sharing import ImportResult

ENTITY: Table = t.Entity.__table__  # type: ignore[attr-defined]
ALIAS: Table = t.Alias.__table__  # type: ignore[attr-defined]
EXCLUSION: Table = t.EntityExclusion.__table__  # type: ignore[attr-defined]
LINK: Table = t.WatchlistEntity.__table__  # type: ignore[attr-defined]
WATCHLIST: Table = t.Watchlist.__table__  # type: ignore[attr-defined]


def import_entities_bulk(
    engine: Engine, watchlist: WatchlistInfo, entities: Iterable[Entity]
) -> ImportResult:
    """Add every entity to the list in one transaction; idempotent. Entities are the list's
    workspace's own: another workspace's names and aliases are neither found nor changed."""
    with engine.begin() as connection:
        known = _Known.load(connection, watchlist.id)
        added: list[str] = []
        extended: list[str] = []
        unchanged = 0
        for entity in entities:
            entity_id = known.resolve(entity)
            new_parts = known.merge(entity_id, entity)
            name = known.names[entity_id]
            if known.link(entity_id):
                added.append(name)
            elif new_parts:
                extended.append(name)
            else:
                unchanged += 1
        known.write(connection, watchlist.id)
    return ImportResult(
        watchlist=watchlist, added=tuple(added), extended=tuple(extended), unchanged=unchanged
    )


class _Known:
    """What the database holds, plus what this import adds; new entities have ids below 0."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.by_key: dict[str, int] = {}
        self.by_alias: dict[str, int] = {}
        self.aliases: defaultdict[int, set[str]] = defaultdict(set)
        self.phrases: defaultdict[int, set[str]] = defaultdict(set)
        self.linked: set[int] = set()
        self.new_entities: list[int] = []
        self.new_aliases: list[tuple[int, str]] = []
        self.new_phrases: list[tuple[int, str]] = []
        self.new_links: list[int] = []
        self.workspace_id = 0

    @classmethod
    def load(cls, connection: Connection, watchlist_id: int) -> _Known:
        known = cls()
        known.workspace_id = connection.execute(
            select(WATCHLIST.c.workspace_id).where(WATCHLIST.c.id == watchlist_id)
        ).scalar_one()
        mine = ENTITY.c.workspace_id == known.workspace_id
        for entity_id, name, key in connection.execute(
            select(ENTITY.c.id, ENTITY.c.name, ENTITY.c.name_key).where(mine).order_by(ENTITY.c.id)
        ):
            known.names[entity_id] = name
            known.by_key[key] = entity_id
        for entity_id, text in connection.execute(
            select(ALIAS.c.entity_id, ALIAS.c.text)
            .join(ENTITY, ENTITY.c.id == ALIAS.c.entity_id)
            .where(mine)
            .order_by(ALIAS.c.id)
        ):
            known.aliases[entity_id].add(text)
            known.by_alias.setdefault(text.strip().lower(), entity_id)
        for entity_id, phrase in connection.execute(
            select(EXCLUSION.c.entity_id, EXCLUSION.c.phrase)
            .join(ENTITY, ENTITY.c.id == EXCLUSION.c.entity_id)
            .where(mine)
        ):
            known.phrases[entity_id].add(phrase)
        known.linked = set(
            connection.execute(
                select(LINK.c.entity_id).where(LINK.c.watchlist_id == watchlist_id)
            ).scalars()
        )
        return known

    def resolve(self, entity: Entity) -> int:
        """The id of the entity named (or aliased) like entity, made up when it is new."""
        key = name_key(entity.name)
        found = self.by_key.get(key) or self.by_alias.get(entity.name.strip().lower())
        if found is not None:
            return found
        new_id = -(len(self.new_entities) + 1)
        self.new_entities.append(new_id)
        self.names[new_id] = entity.name
        self.by_key[key] = new_id
        return new_id

    def merge(self, entity_id: int, entity: Entity) -> bool:
        """Note the aliases and exclusions entity adds; True when it adds any."""
        own_key = name_key(self.names[entity_id])
        aliases, phrases = self.aliases[entity_id], self.phrases[entity_id]
        before = len(self.new_aliases) + len(self.new_phrases)
        for alias in entity.aliases:
            if alias not in aliases and name_key(alias) != own_key:
                aliases.add(alias)
                self.by_alias.setdefault(alias.strip().lower(), entity_id)
                self.new_aliases.append((entity_id, alias))
        for phrase in entity.exclude:
            if phrase not in phrases:
                phrases.add(phrase)
                self.new_phrases.append((entity_id, phrase))
        return len(self.new_aliases) + len(self.new_phrases) > before

    def link(self, entity_id: int) -> bool:
        """Put the entity on the list; True when it was not on it."""
        if entity_id in self.linked:
            return False
        self.linked.add(entity_id)
        self.new_links.append(entity_id)
        return True

    def write(self, connection: Connection, watchlist_id: int) -> None:
        """Insert everything noted, new entities first so the rest can point at them."""
        real: dict[int, int] = {}
        if self.new_entities:
            now = t.utcnow()
            rows = [
                {
                    "workspace_id": self.workspace_id,
                    "name": self.names[i],
                    "name_key": name_key(self.names[i]),
                    "created_at": now,
                }
                for i in self.new_entities
            ]
            connection.execute(insert(ENTITY), rows)
            wanted = {name_key(self.names[i]): i for i in self.new_entities}
            for entity_id, key in connection.execute(
                select(ENTITY.c.id, ENTITY.c.name_key).where(
                    ENTITY.c.workspace_id == self.workspace_id
                )
            ):
                if key in wanted:
                    real[wanted[key]] = entity_id
        _insert(
            connection,
            ALIAS,
            [{"entity_id": real.get(e, e), "text": a} for e, a in self.new_aliases],
        )
        _insert(
            connection,
            EXCLUSION,
            [{"entity_id": real.get(e, e), "phrase": p} for e, p in self.new_phrases],
        )
        _insert(
            connection,
            LINK,
            [{"watchlist_id": watchlist_id, "entity_id": real.get(e, e)} for e in self.new_links],
        )


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(table), rows)


def find_watchlist_header(engine: Engine, team_id: str, name: str) -> WatchlistInfo | None:
    """The team's list called name (case-insensitive) without loading its entities."""
    watchlist: Table = t.Watchlist.__table__  # type: ignore[attr-defined]
    workspace: Table = t.Workspace.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        row = connection.execute(
            select(watchlist.c.id, watchlist.c.name, watchlist.c.owner_channel_id)
            .join(workspace, workspace.c.id == watchlist.c.workspace_id)
            .where(workspace.c.team_id == team_id, func.lower(watchlist.c.name) == name.lower())
            .order_by(watchlist.c.id)
        ).first()
    if row is None:
        return None
    return WatchlistInfo(
        id=row.id, name=row.name, team_id=team_id, owner_channel_id=row.owner_channel_id
    )

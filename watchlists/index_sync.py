"""Keeping the one global match index in step with every channel's watchlists."""

from __future__ import annotations

from collections.abc import Iterable

from watchlists.matching import MatchIndex
from watchlists.model import Entity


class SyncedIndex:
    """A MatchIndex updated entity by entity, never rebuilt, as watchlists change."""

    def __init__(self) -> None:
        self.index = MatchIndex()
        self._known: dict[int, Entity] = {}

    def sync(self, entities: Iterable[Entity]) -> tuple[int, int]:
        """Add new or changed entities and drop vanished ones; return (added, removed)."""
        wanted = {entity.id: entity for entity in entities}
        removed = [entity_id for entity_id in self._known if entity_id not in wanted]
        for entity_id in removed:
            self.index.remove(entity_id)
            del self._known[entity_id]
        added = 0
        for entity_id, entity in wanted.items():
            if self._known.get(entity_id) != entity:
                if entity_id in self._known:
                    self.index.remove(entity_id)
                self.index.add(entity)
                self._known[entity_id] = entity
                added += 1
        return added, len(removed)

"""Finding watched entities in articles.

Skeleton rules (the matching-engine issue replaces them): a name or alias matches
case-insensitively as a whole word in the title or the text; every mention is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from watchlists.model import Article, Entity, Field, Match


class MatchIndex:
    """One index over every watched entity; each article is matched once against it."""

    def __init__(self, entities: Iterable[Entity] = ()) -> None:
        self._entities: dict[int, Entity] = {}
        self._patterns: dict[int, list[tuple[str, re.Pattern[str]]]] = {}
        for entity in entities:
            self.add(entity)

    def __len__(self) -> int:
        return len(self._entities)

    def add(self, entity: Entity) -> None:
        """Add an entity, or replace the one with the same id."""
        self._entities[entity.id] = entity
        self._patterns[entity.id] = [
            (alias, re.compile(rf"(?<!\w){re.escape(alias)}(?!\w)", re.IGNORECASE))
            for alias in entity.names
        ]

    def remove(self, entity_id: int) -> None:
        """Forget an entity; unknown ids are ignored."""
        self._entities.pop(entity_id, None)
        self._patterns.pop(entity_id, None)

    def match(self, article: Article) -> list[Match]:
        """Every mention of every entity, title first, then by position."""
        found: list[Match] = []
        fields: tuple[tuple[Field, str], ...] = (("title", article.title), ("text", article.text))
        for field_name, value in fields:
            for entity_id, patterns in self._patterns.items():
                entity = self._entities[entity_id]
                for alias, pattern in patterns:
                    for hit in pattern.finditer(value):
                        found.append(
                            Match(
                                entity_id=entity_id,
                                entity=entity.name,
                                alias=alias,
                                field=field_name,
                                start=hit.start(),
                                end=hit.end(),
                                text=hit.group(0),
                                score=100.0,
                                kind="exact",
                            )
                        )
        found.sort(key=lambda m: (m.field != "title", m.start, -m.end))
        return found

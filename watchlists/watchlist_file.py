"""Watchlist files: the TOML format shared by `dealwatch match` and import/export.

```toml
[[entity]]
name = "RDIF"
aliases = ["Russian Direct Investment Fund", "РФПИ"]
exclude = []          # optional: phrases that veto a match
```
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable

import tomli_w

from watchlists.errors import WatchlistFormatError
from watchlists.model import Entity


def parse_watchlist(text: str, origin: str = "<watchlist>") -> list[Entity]:
    """Entities from watchlist TOML; errors name origin and the line."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise WatchlistFormatError(f"{origin}: invalid TOML: {error}") from None
    tables = document.get("entity", [])
    if not isinstance(tables, list):
        raise WatchlistFormatError(f"{origin}: `entity` must be an array of tables ([[entity]])")
    entities: list[Entity] = []
    for number, table in enumerate(tables, start=1):
        where = f"{origin}:{_line_of_entity(text, number)}"
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            raise WatchlistFormatError(f"{where}: entity #{number} has no name")
        aliases = _string_list(table.get("aliases", []), where, "aliases")
        exclude = _string_list(table.get("exclude", []), where, "exclude")
        entities.append(
            Entity(name=name.strip(), aliases=aliases, exclude=exclude, id=len(entities) + 1)
        )
    return entities


def render_watchlist(entities: Iterable[Entity]) -> str:
    """Watchlist TOML for entities, readable by parse_watchlist (any characters escaped)."""
    tables = [
        {"name": entity.name, "aliases": list(entity.aliases), "exclude": list(entity.exclude)}
        for entity in entities
    ]
    return tomli_w.dumps({"entity": tables}) if tables else ""


def _string_list(value: object, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise WatchlistFormatError(f"{where}: `{key}` must be a list of strings")
    return tuple(item.strip() for item in value if item.strip())


def _line_of_entity(text: str, number: int) -> int:
    seen = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("[[entity]]"):
            seen += 1
            if seen == number:
                return line_number
    return 1

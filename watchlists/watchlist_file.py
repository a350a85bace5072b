"""Watchlist files: the TOML format shared by `dealwatch match` and import/export.

```toml
[[entity]]
name = "RDIF"
aliases = ["Russian Direct Investment Fund", "РФПИ"]
exclude = []          # optional: phrases that veto a match
```
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import tomli
import tomli_w

from watchlists.errors import WatchlistFormatError
from watchlists.model import Entity

TOP_LEVEL_KEYS = ("entity",)
ENTITY_KEYS = ("name", "aliases", "exclude")
ENTITY_KEY_SET = frozenset(ENTITY_KEYS)


def parse_watchlist(
    text: str, origin: str = "<watchlist>", warn: Callable[[str], None] | None = None
) -> list[Entity]:
    """Entities from watchlist TOML; errors name origin and the line.

    An unknown key is an error, or only passed to warn when a warn callback is given.
    """
    try:
        document = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise WatchlistFormatError(f"{origin}: invalid TOML: {error}") from None
    lines = text.splitlines()
    for key in document.keys() - set(TOP_LEVEL_KEYS):
        _unknown_key(
            f"{origin}:{_line_of_key(lines, key, 0, len(lines))}", key, TOP_LEVEL_KEYS, warn
        )
    tables = document.get("entity", [])
    if not isinstance(tables, list):
        raise WatchlistFormatError(f"{origin}: `entity` must be an array of tables ([[entity]])")
    entities: list[Entity] = []
    header_lines = _entity_header_lines(lines)
    for number, table in enumerate(tables, start=1):
        line = header_lines[number - 1] if number <= len(header_lines) else 1
        where = f"{origin}:{line}"
        for key in [] if table.keys() <= ENTITY_KEY_SET else sorted(table.keys() - ENTITY_KEY_SET):
            end = header_lines[number] - 1 if number < len(header_lines) else len(lines)
            at = _line_of_key(lines, key, line, end)
            _unknown_key(f"{origin}:{at}", key, ENTITY_KEYS, warn, f" in entity #{number}")
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
    if not value and isinstance(value, list):
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise WatchlistFormatError(f"{where}: `{key}` must be a list of strings")
    return tuple(stripped for item in value if (stripped := item.strip()))


def _unknown_key(
    where: str,
    key: str,
    accepted: tuple[str, ...],
    warn: Callable[[str], None] | None,
    context: str = "",
) -> None:
    message = f"{where}: unknown key `{key}`{context}; accepted keys: {', '.join(accepted)}"
    if warn is None:
        raise WatchlistFormatError(message)
    warn(f"{message} (ignored)")


def _line_of_key(lines: list[str], key: str, start: int, end: int) -> int:
    """The first line in lines[start:end] (1-based) that defines key, else start or 1."""
    for number in range(start, end):
        stripped = lines[number].lstrip().lstrip("[").lstrip()
        if stripped.startswith(key) and stripped[len(key) :].lstrip()[:1] in ("=", "]", "."):
            return number + 1
    return max(start, 1)


def _entity_header_lines(lines: list[str]) -> list[int]:
    """The line number of every `[[entity]]` header, in one pass."""
    return [
        number
        for number, line in enumerate(lines, start=1)
        if line.lstrip().startswith("[[entity]]")
    ]

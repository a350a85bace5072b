"""When two names are the same entity, and what merging an entity into a known one adds.

Rules:
- Names are the same when their keys are: case folded and runs of white space made one
  space ("Contoso  Ltd" and "contoso ltd"). Entity names are unique by key.
- Merging: a known entity keeps its aliases and exclusions, in order, and gains the new
  ones; an alias with the entity's own name key adds nothing.
- An entity answers to its name and to each alias, by key.
- An exclusion phrase is new unless the entity has it already, compared case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from watchlists.model import Entity


def name_key(name: str) -> str:
    """The key under which entity names are unique: case and spacing folded."""
    return " ".join(name.casefold().split())


def merge_entity(known: Entity, entity: Entity) -> Entity:
    """known with the aliases and exclusions of entity it lacks, appended in order."""
    return replace(
        known,
        aliases=tuple(dict.fromkeys((*known.aliases, *entity.aliases))),
        exclude=tuple(dict.fromkeys((*known.exclude, *entity.exclude))),
    )


def new_aliases(name: str, known: Iterable[str], aliases: Iterable[str]) -> list[str]:
    """The aliases to store for the entity called name: not known yet, not its own name."""
    seen = set(known)
    own = name_key(name)
    added = []
    for alias in aliases:
        if alias not in seen and name_key(alias) != own:
            added.append(alias)
            seen.add(alias)
    return added


def new_phrases(known: Iterable[str], phrases: Iterable[str]) -> list[str]:
    """The exclusion phrases to store: those not stored yet, each once."""
    seen = set(known)
    added = []
    for phrase in phrases:
        if phrase not in seen:
            added.append(phrase)
            seen.add(phrase)
    return added


def answers_to(name: str, names: Iterable[str]) -> bool:
    """True when name is, by key, one of names (an entity's name and aliases)."""
    wanted = name_key(name)
    return any(name_key(candidate) == wanted for candidate in names)


def has_phrase(phrases: Iterable[str], phrase: str) -> bool:
    """True when phrase is among phrases, ignoring case."""
    wanted = phrase.casefold()
    return any(known.casefold() == wanted for known in phrases)

"""What the match index hands a text word: the patterns it may be part of, grouped so
that most are ruled out by one dictionary look-up, and the caches that keep them per word."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from watchlists.matching_alias import Rule
from watchlists.matching_text import MIN_TYPO_WORD


@dataclass(slots=True, eq=False)
class Pattern:
    """One normalised alias core shared by every entity that uses it."""

    id: int
    words: tuple[str, ...]
    key: str
    rule: Rule
    cased: str
    fuzzy: bool
    common: bool
    capitalised: tuple[bool, ...]
    breaks_inside: bool
    size: int = 1
    anchor: int = 0
    anchor_capital: bool = False


# A pattern as stored: a flat tuple of strings, numbers and shared tuples, which the cyclic
# garbage collector stops tracking the first time it looks at it, so a big index costs the
# collector little while it is built and kept, with the collector left on. (key, rule,
# cased, fuzzy, common, capitalised, breaks_inside, anchor, anchor_capital), as in
# `Pattern`; the `Pattern` object is made when a text needs it.
Record = tuple[str, int, str, bool, bool, tuple[bool, ...], bool, int, bool]


class Patterns(dict[int, Pattern]):
    """Pattern objects by id, each made from its record the first time it is asked for."""

    def __init__(self, records: dict[int, Record]) -> None:
        super().__init__()
        self._records = records

    def __missing__(self, pattern_id: int) -> Pattern:
        key, rule, cased, fuzzy, common, capitalised, breaks_inside, anchor, anchor_capital = (
            self._records[pattern_id]
        )
        words = tuple(key.split(" "))
        pattern = self[pattern_id] = Pattern(
            id=pattern_id,
            words=words,
            key=key,
            rule=Rule(rule),
            cased=cased,
            fuzzy=fuzzy,
            common=common,
            capitalised=capitalised,
            breaks_inside=breaks_inside,
            size=len(words),
            anchor=anchor,
            anchor_capital=anchor_capital,
        )
        return pattern


@dataclass(frozen=True, slots=True)
class WindowGroup:
    """Multi-word patterns with the anchor at the same place, found by their words."""

    before: int
    size: int
    # True when the text word is a typo of the anchor: the key leaves the anchor out.
    typo_in_anchor: bool
    patterns: dict[tuple[str, ...], list[Pattern]]


@dataclass(frozen=True, slots=True)
class NearGroup:
    """Multi-word patterns anchored on this word that may carry a typo in the word at
    `typo_at`: found by every other word of the window, so only those are compared."""

    before: int
    size: int
    typo_at: int
    # The alias word at `typo_at` is capitalised, so a lower-case text word there can't be it.
    needs_capital: bool
    # Window words without the one at `typo_at` -> (rank among the word's candidates,
    # pattern); the rank keeps the order in which mentions are reported.
    patterns: dict[tuple[str, ...], list[tuple[int, Pattern]]]


@dataclass(frozen=True, slots=True)
class Candidates:
    """What a text word, as written, may be part of; grouped so that most are ruled out by
    one dictionary look-up instead of one comparison each."""

    singles: tuple[tuple[Pattern, int], ...]
    # Multi-word patterns spelt exactly, by the text word after this one (the anchor is
    # not the last word) or before it (the anchor is last): most windows of a text are
    # ruled out by that one look-up, never sliced.
    by_next: dict[str, tuple[WindowGroup, ...]]
    by_previous: dict[str, tuple[WindowGroup, ...]]
    # Multi-word patterns where this word is a typo of the anchor.
    windows: tuple[WindowGroup, ...]
    # Multi-word patterns whose anchor is this word and that may carry a typo elsewhere.
    near: tuple[NearGroup, ...]
    # Any singles, typo windows or near groups: more to look at than the exact windows.
    others: bool


Found = TypeVar("Found")


class LookupCache(dict[str, Found | None]):
    """What a text word leads to (candidates, typo neighbours); a word seen for the first
    time is looked up.

    A dict subclass with `__missing__` keeps the lookups of known words in C.
    """

    def __init__(self, lookup: Callable[[str], Found | None]) -> None:
        super().__init__()
        self._lookup = lookup

    def __missing__(self, word: str) -> Found | None:
        found = self[word] = self._lookup(word)
        return found


def group_candidates(word: str, found: list[tuple[Pattern, bool]]) -> Candidates:
    """Group the patterns a text word may be part of (with whether a typo elsewhere in
    the pattern is allowed) as `Candidates`; `word` is the normalised text word."""
    singles: list[tuple[Pattern, int]] = []
    near: dict[tuple[int, int, int, bool], dict[tuple[str, ...], list[tuple[int, Pattern]]]] = {}
    near_rank = 0
    groups: dict[tuple[int, int, bool], dict[tuple[str, ...], list[Pattern]]] = {}
    for pattern, typo_ok in found:
        typo_in_anchor = pattern.words[pattern.anchor] != word
        if pattern.size == 1:
            # The lookup verified the one edit, the common-word and the case rules.
            singles.append((pattern, int(typo_in_anchor)))
            continue
        key = pattern.words
        if typo_in_anchor:
            key = key[: pattern.anchor] + key[pattern.anchor + 1 :]
        elif typo_ok:
            typo_places = [
                position
                for position, alias_word in enumerate(key)
                if position != pattern.anchor and len(alias_word) >= MIN_TYPO_WORD
            ]
            for position in typo_places:
                place = (pattern.anchor, pattern.size, position, pattern.capitalised[position])
                near.setdefault(place, {}).setdefault(key, []).append((near_rank, pattern))
            near_rank += bool(typo_places)
        group = groups.setdefault((pattern.anchor, pattern.size, typo_in_anchor), {})
        group.setdefault(key, []).append(pattern)
    by_next: dict[str, list[WindowGroup]] = {}
    by_previous: dict[str, list[WindowGroup]] = {}
    typo_windows: list[WindowGroup] = []
    for (before, size, typo_in_anchor), patterns in groups.items():
        if typo_in_anchor:
            typo_windows.append(WindowGroup(before, size, typo_in_anchor, patterns))
            continue
        # The anchor's neighbour in the window: the word after it, or before it when the
        # anchor is the last word.
        neighbour = before + 1 if before + 1 < size else before - 1
        by_neighbour: dict[str, dict[tuple[str, ...], list[Pattern]]] = {}
        for key, keyed in patterns.items():
            by_neighbour.setdefault(key[neighbour], {})[key] = keyed
        table = by_next if neighbour > before else by_previous
        for neighbour_word, subset in by_neighbour.items():
            table.setdefault(neighbour_word, []).append(WindowGroup(before, size, False, subset))
    return Candidates(
        tuple(singles),
        {neighbour_word: tuple(found_groups) for neighbour_word, found_groups in by_next.items()},
        {
            neighbour_word: tuple(found_groups)
            for neighbour_word, found_groups in by_previous.items()
        },
        tuple(typo_windows),
        tuple(
            NearGroup(before, size, typo_at, needs_capital, patterns)
            for (before, size, typo_at, needs_capital), patterns in near.items()
        ),
        bool(singles or typo_windows or near),
    )

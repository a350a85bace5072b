"""Rules tried only where they can match: anchors, one pass to find them, and hits.

Python's ``re`` is slow at finding patterns that start with ``\\b``, so every rule's leading
literals ("anchors") are found with one Aho-Corasick pass over the sentences read, a rule is
tried only where one of its anchors starts a word, and rules none of whose anchors occur are
not tried at all (most of them, in a given article). None of this changes a result; it only
skips work that cannot change one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from watchlists.deals.patterns import LazyPattern

# A one-letter anchor would be found almost everywhere: the rule is then always tried.
MIN_ANCHOR_LENGTH = 2


@dataclass(frozen=True)
class Rule:
    """A weighted pattern with a label and the literals one of which every match contains."""

    label: str
    weight: float
    pattern: LazyPattern
    anchors: tuple[str, ...]


def _split_top_level(pattern: str) -> list[str]:
    parts, depth, start, escaped = [], 0, 0, False
    for position, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:position])
            start = position + 1
    parts.append(pattern[start:])
    return parts


def _leading_literal(branch: str) -> str:
    """The letters every match of the branch starts with (a quantified last letter dropped)."""
    literal = ""
    for char in branch:
        if not (char.isalpha() or char in "-&'"):
            if char in "?*{" and literal:
                literal = literal[:-1]
            break
        literal += char.lower()
    return literal


_COMMON_SHORT_WORDS = frozenset(
    [
        "to",
        "is",
        "in",
        "go",
        "by",
        "of",
        "on",
        "at",
        "an",
        "as",
        "be",
        "it",
        "or",
        "we",
        "he",
        "no",
        "so",
        "up",
        "do",
        "if",
        "us",
    ]
)


def _strip_lookbehind(branch: str) -> str:
    """The branch without a leading look-behind group, which matches no characters."""
    if not branch.startswith(("(?<=", "(?<!")):
        return branch
    depth = 0
    for position, char in enumerate(branch):
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            return branch[position + 1 :]
    return branch


def anchors_of(pattern: str, short_words: bool = False) -> tuple[str, ...]:
    """Lower-case strings one of which every match contains; () when none can be told.

    Common short words ("to", "by") make poor anchors and give () unless short_words.
    """
    anchors: list[str] = []
    for branch in _split_top_level(pattern):
        branch = _strip_lookbehind(branch.removeprefix("\\b"))
        if branch.startswith("(?:"):
            depth, end = 0, 0
            while end < len(branch):
                depth += branch[end] == "("
                depth -= branch[end] == ")"
                if depth == 0:
                    break
                end += 1
            if branch[end + 1 : end + 2] in {"?", "*", "{"}:
                return ()
            inner = branch[3:end]
            tails = [_leading_literal(part) for part in _split_top_level(inner)]
        else:
            tails = [_leading_literal(branch)]
        if any(
            len(tail) < MIN_ANCHOR_LENGTH or (tail in _COMMON_SHORT_WORDS and not short_words)
            for tail in tails
        ):
            return ()
        anchors.extend(tails)
    return tuple(dict.fromkeys(anchors))


def rule(label: str, weight: float, pattern: str) -> Rule:
    """A case-insensitive rule with the anchors its pattern implies."""
    return Rule(label, weight, LazyPattern(pattern, re.IGNORECASE), anchors_of(pattern))


class RuleSet:
    """Rules in their order of precedence, with the rules each anchor can start."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = tuple(rules)
        by_anchor: dict[str, list[int]] = {}
        for number, each in enumerate(self.rules):
            for anchor in each.anchors:
                by_anchor.setdefault(anchor, []).append(number)
        self.by_anchor = {anchor: tuple(numbers) for anchor, numbers in by_anchor.items()}
        # The anchors as a set: a text's anchors are intersected with it in one C call.
        self.anchor_set = frozenset(self.by_anchor)


class Hit(NamedTuple):
    """A rule hit: its label and weight, its sentence and its span inside that sentence."""

    label: str
    weight: float
    sentence: int
    start: int
    end: int


_ASCII_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


class AnchorFinder:
    """Every anchor of a fixed set of rules, found in one Aho-Corasick pass over a text."""

    def __init__(self, *rule_groups: Iterable[Rule]) -> None:
        automaton = ahocorasick.Automaton()
        for rules in rule_groups:
            for found in rules:
                for anchor in found.anchors:
                    automaton.add_word(anchor, (anchor, len(anchor) - 1))
        automaton.make_automaton()
        self._automaton = automaton

    def find(self, lowered: str) -> dict[str, list[int]]:
        """Where each anchor starts a word in lowered, in the order the automaton finds them."""
        found: dict[str, list[int]] = {}
        for end, (anchor, back) in self._automaton.iter(lowered):
            start = end - back
            if start:
                before = lowered[start - 1]
                # A set lookup settles ASCII; only other letters need isalnum.
                if before in _ASCII_WORD_CHARS or (before > "\x7f" and before.isalnum()):
                    continue
            positions = found.get(anchor)
            if positions is None:
                found[anchor] = [start]
            else:
                positions.append(start)
        return found


class Text:
    """Sentences joined into one string, with where every rule anchor starts a word."""

    def __init__(
        self,
        sentences: Sequence[tuple[int, str]],
        finder: AnchorFinder,
        anchors: dict[str, list[int]] | None = None,
    ) -> None:
        self.finder = finder
        self.numbers = [number for number, _ in sentences]
        self.values = [value for _, value in sentences]
        self._index = {number: index for index, number in enumerate(self.numbers)}
        self.starts: list[int] = []
        offset = 0
        for value in self.values:
            self.starts.append(offset)
            offset += len(value) + 1
        self.joined = "\n".join(self.values)
        # Lower-cased as each sentence would be on its own (for "contains" tests) ...
        self.full_lower = self.joined.lower()
        # ... and with offsets kept, for the anchors.
        self.lowered = self.full_lower
        if len(self.lowered) != len(self.joined):
            # Rare letters change length when lower-cased; offsets would drift.
            self.lowered = "".join(char.lower()[0] for char in self.joined)
        self.anchors = anchors if anchors is not None else finder.find(self.lowered)

    def masked(self, spans: Sequence[tuple[int, int]]) -> Text:
        """The same text with these joined-text spans blanked out (offsets kept)."""
        if not spans:
            return self
        chars = list(self.joined)
        for start, end in spans:
            chars[start:end] = " " * (end - start)
        joined = "".join(chars)
        # Sliced by offset, not split at "\n": a sentence may hold a line break.
        values = [
            joined[at : at + len(value)] for at, value in zip(self.starts, self.values, strict=True)
        ]
        return Text(list(zip(self.numbers, values, strict=True)), self.finder, self.anchors)

    def matches(
        self, rules: RuleSet, sentences: set[int] | None = None
    ) -> list[tuple[Rule, re.Match[str]]]:
        """What each rule's pattern.finditer(joined) finds, in rule order.

        A rule is tried only where one of its anchors starts a word, and only when some
        anchor of it occurs at all: most rules have none in a given article. With
        sentences, only matches starting in those sentences are looked for.
        """
        anchors = self.anchors
        by_anchor = rules.by_anchor
        bounds = None if sentences is None else self._bounds(sentences)
        present: dict[int, list[list[int]]] = {}
        for anchor in rules.anchor_set.intersection(anchors):
            numbers = by_anchor[anchor]
            positions = anchors[anchor]
            if bounds is not None:
                # Inside a sentence's span when an odd number of bounds lie at or before it.
                positions = [p for p in positions if bisect_right(bounds, p) & 1]
                if not positions:
                    continue
            for number in numbers:
                lists = present.get(number)
                if lists is None:
                    present[number] = [positions]
                else:
                    lists.append(positions)
        found: list[tuple[Rule, re.Match[str]]] = []
        joined = self.joined
        all_rules = rules.rules
        for number in sorted(present):
            rule = all_rules[number]
            lists = present[number]
            ordered = lists[0] if len(lists) == 1 else sorted(set().union(*lists))
            match = rule.pattern.match
            reached = 0
            for position in ordered:
                if position < reached:
                    continue
                hit = match(joined, position)
                if hit is not None:
                    found.append((rule, hit))
                    reached = max(hit.end(), position + 1)
        return found

    def _bounds(self, sentences: set[int]) -> list[int]:
        """The joined-text spans of these sentences, flattened: start, end, start, end ..."""
        bounds: list[int] = []
        for number, start, value in zip(self.numbers, self.starts, self.values, strict=True):
            if number in sentences:
                bounds += (start, start + len(value))
        return bounds

    def value(self, number: int) -> str:
        """The sentence with that number."""
        return self.values[self._index[number]]

    def sentence_matches(
        self, rule: Rule, number: int, first_only: bool = False
    ) -> list[re.Match[str]]:
        """What rule.pattern.finditer(sentence) finds, tried only where an anchor starts."""
        index = self._index[number]
        value = self.values[index]
        base = self.starts[index]
        limit = base + len(value)
        anchors = self.anchors
        positions = sorted(
            {
                position - base
                for anchor in rule.anchors
                if anchor in anchors
                for position in anchors[anchor]
                if base <= position < limit
            }
        )
        found: list[re.Match[str]] = []
        reached = 0
        match = rule.pattern.match
        for position in positions:
            if position < reached:
                continue
            hit = match(value, position)
            if hit is not None:
                found.append(hit)
                if first_only:
                    break
                reached = max(hit.end(), position + 1)
        return found

    def hits(self, rules: RuleSet, sentences: Iterable[int] | None = None) -> list[Hit]:
        """Every rule hit, with offsets relative to its sentence, optionally in some sentences."""
        allowed = None if sentences is None else set(sentences)
        hits: list[Hit] = []
        starts, numbers, values = self.starts, self.numbers, self.values
        for rule, found in self.matches(rules, allowed):
            index = bisect_right(starts, found.start()) - 1
            number = numbers[index]
            if allowed is not None and number not in allowed:
                continue
            start = found.start() - starts[index]
            end = found.end() - starts[index]
            if end > len(values[index]):
                continue
            hits.append(Hit(rule.label, rule.weight, number, start, end))
        return hits


def contains_any(lowered: str, literals: Iterable[str]) -> bool:
    """Whether lower-cased text contains one of the literals a pattern cannot match without."""
    return any(literal in lowered for literal in literals)


def words(text: str) -> tuple[str, ...]:
    """The white-space separated words of text: a word list written as one string."""
    return tuple(text.split())

"""What an alias is made of: its core, its optional corporate suffix and the rule that
says how the core must look in a text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from watchlists.matching_text import INNER_BREAK, cased_letters, suffix_length
from watchlists.matching_words import COMMON_WORDS, FINANCE_WORDS, LEADING_ARTICLES
from watchlists.normalize import tokenize

# Cut-offs of the alias rules (rules 2 and 3 in `watchlists.matching`).
# An alias core needs at least this many letters or digits ("X Corp" keeps its suffix).
_MIN_CORE_LETTERS = 2
# Fewer letters than this: a short alias, matched case-sensitively as a whole token.
_SHORT_ALIAS_LETTERS = 4
# All capitals and at most this many letters: an acronym, matched like a short alias.
_MAX_ACRONYM_LETTERS = 5


_ORDINARY_WORDS = COMMON_WORDS | FINANCE_WORDS


class Rule(IntEnum):
    """How an alias core must look in the text."""

    PLAIN = 0
    CASED = 1
    COMMON = 2
    # One word left once a corporate suffix is dropped ("Post" of "Post Holdings, Inc.",
    # "Strategy" of "Strategy Inc"), or only ordinary and finance words ("Asset Management
    # Group"): it counts only capitalised, never in lower case.
    NAMED = 3


# Not frozen: one is built per alias, and frozen dataclasses are slower to build.
@dataclass(slots=True)
class AliasForm:
    """An alias split into its core and optional corporate suffix."""

    core: tuple[str, ...]
    suffix: tuple[str, ...]
    rule: Rule
    cased: str
    capitalised: tuple[bool, ...]
    breaks_inside: bool

    @property
    def key(self) -> tuple[str, str]:
        """Identity of the pattern: case matters only for case-sensitive aliases."""
        if self.rule is Rule.NAMED:
            return " ".join(self.core), "^"
        return " ".join(self.core), self.cased if self.rule is Rule.CASED else ""


def analyse_alias(alias: str) -> tuple[tuple[str, ...], tuple[str, ...], str] | None:
    """The alias core, its optional suffix words and matching rule name; None if empty."""
    form = alias_form(alias)
    if form is None:
        return None
    return form.core, form.suffix, form.rule.name.lower()


def alias_form(alias: str) -> AliasForm | None:
    tokens = tokenize(alias)
    words = tokens.words
    starts = tokens.starts
    if not words:
        return None
    first, end = 0, len(words)
    if len(words) > 1 and words[0] in LEADING_ARTICLES:
        first = 1
    while end - first > 1:
        size = suffix_length(words, end)
        # A one-letter core ("X Corp") would fire on every capital X: keep the suffix.
        if (
            not size
            or end - size < first + 1
            or sum(map(len, words[first : end - size])) < _MIN_CORE_LETTERS
        ):
            break
        end -= size
    core = tuple(words[first:end])
    if sum(map(len, core)) < _MIN_CORE_LETTERS:
        return None
    original_core = alias[starts[first] : tokens.ends[end - 1]]
    cased = cased_letters(original_core)
    capitalised = tuple([not alias[start].islower() for start in starts[first:end]])
    letters = len(cased)
    if letters < _SHORT_ALIAS_LETTERS or (letters <= _MAX_ACRONYM_LETTERS and cased.isupper()):
        rule = Rule.CASED
    elif COMMON_WORDS.issuperset(core):
        rule = Rule.COMMON
    elif (len(core) == 1 and end < len(words)) or _ORDINARY_WORDS.issuperset(core):
        rule = Rule.NAMED
    else:
        rule = Rule.PLAIN
    return AliasForm(
        core,
        tuple(words[end:]),
        rule,
        cased,
        capitalised,
        bool(INNER_BREAK.search(original_core)),
    )

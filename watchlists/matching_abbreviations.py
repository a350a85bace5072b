"""Acronyms that name something else where they stand: a defined abbreviation, a form prefix.

Two readings make an acronym alias (MTS, ВК, RDIF) no mention of its entity:

* **A defined abbreviation.** In parentheses right after the words it abbreviates
  ("машинно-тракторных станций (МТС)", "a medium-term strategy (MTS)") the acronym stands
  for those words, there and wherever else the text uses it. It then counts only with support: when the words are the entity's own
  name ("Russian Direct Investment Fund (RDIF)"), that mention supports it.
* **A form prefix.** Right before a quoted name, a Cyrillic acronym is the legal or sports
  form of that name ("ВК «Локомотив»" is a volleyball club, "ООО «Ромашка»" a company), not
  a name of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Opening quotes that start a quoted name after a Russian form prefix.
_OPENING_QUOTES = '«„"“'
# Short words an abbreviation may skip ("Department of Justice (DOJ)", "и", "в").
_SKIPPED = frozenset(
    {
        "of",
        "and",
        "for",
        "the",
        "on",
        "in",
        "de",
        "du",
        "des",
        "la",
        "le",
        "et",
        "и",
        "в",
        "по",
        "для",
        "на",
    }
)
_WORD = re.compile(r"\w+")
# Words before the parenthesis read for an abbreviation: its letters plus skipped words.
_LOOK_BACK = 120


def is_defined_abbreviation(text: str, start: int, end: int) -> bool:
    """True when text[start:end], an acronym in parentheses, abbreviates the words before
    them: each of its letters starts one of those words, in order, short linking words
    skipped; a hyphenated word gives a letter per part ("машинно-тракторных")."""
    if text[start - 1 : start] != "(" or text[end : end + 1] != ")":
        return False
    letters = [c.casefold() for c in text[start:end] if c.isalpha()]
    if len(letters) < 2:
        return False
    before = text[max(0, start - 1 - _LOOK_BACK) : start - 1]
    if before.rstrip() == before:
        return False
    words = _WORD.findall(before)
    position = len(words) - 1
    for letter in reversed(letters):
        while position >= 0 and words[position][0].casefold() != letter:
            if words[position].casefold() not in _SKIPPED:
                return False
            position -= 1
        if position < 0:
            return False
        position -= 1
    return True


# Per field being matched: its acronyms are looked up once each, whatever their count, and
# only the last few texts are held.
@lru_cache(maxsize=16)
def is_defined_in(text: str, acronym: str) -> bool:
    """True when the text defines acronym as an abbreviation of other words anywhere
    ("… станций (МТС) …"): then every use of it there ("Первые три МТС") reads as those words."""
    needle = f"({acronym})"
    found = text.find(needle)
    while found >= 0:
        if is_defined_abbreviation(text, found + 1, found + 1 + len(acronym)):
            return True
        found = text.find(needle, found + 1)
    return False


def is_form_prefix(text: str, start: int, end: int) -> bool:
    """True when text[start:end], a Cyrillic acronym, is followed by a quoted name:
    the legal or sports form of that name ("ВК «Локомотив»", "ПАО «Ростелеком»")."""
    after = text[end : end + 4].lstrip(" \u00a0")
    if len(after) < 2 or after[0] not in _OPENING_QUOTES or not after[1].isupper():
        return False
    return any("а" <= c.casefold() <= "я" or c in "ёЁ" for c in text[start:end])

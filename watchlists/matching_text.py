"""How a possible mention reads in its text: sentence starts, headlines, names run
together, places, URLs and the corporate suffixes that may follow a name."""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA

from watchlists.matching_russian import RUSSIAN_COMPANY_VERBS
from watchlists.matching_words import (
    COMPANY_NOUNS,
    COMPANY_VERBS,
    CORPORATE_SUFFIXES,
    DEAL_VERBS,
    PERSONAL_TITLES,
    SPEECH_VERBS,
    US_STATES,
)
from watchlists.normalize import Tokens

# The shortest word that may carry a typo: shorter ones must be spelt exactly.
MIN_TYPO_WORD = 5
# A headline is in Title Case when at least this share (percent) of its words of at least
# _TITLE_CASE_WORD letters (and at least _TITLE_CASE_MIN_WORDS of them) are capitalised.
_TITLE_CASE_SHARE_PERCENT = 60
_TITLE_CASE_WORD = 4
_TITLE_CASE_MIN_WORDS = 2
# Suffixes written letter by letter ("S.A.", "N.V.", "S.P.A."): how many letters they have.
_LETTER_RUN_SIZES = (2, 3)
# An appositive after a name is at most this many words before its closing comma.
_APPOSITIVE_WORDS = 6
_APPOSITIVE_OPENERS = frozenset({"the", "a", "an"})
_SUFFIX_GAP = re.compile(r"[ ,.]{1,3}|\.")
_SENTENCE_END = frozenset(".!?\n:;•")
_OPENERS = frozenset(" \t\r\"'“‘«([*-–—")
_URLISH = re.compile(
    r"\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)+/\S*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+")
# A ticker in brackets right after a name: "(NYSE: PEP)", "(Nasdaq: URBN)", "(PEP)".
_TICKER = re.compile(r" ?\((?:[A-Z][A-Za-z]{1,9}: ?)?[A-Z]{1,5}(?:\.[A-Z]{1,2})?\)")
# After "(Name", a ticker label: ": URBN)".
_EXCHANGE_LABEL_TAIL = re.compile(r": ?[A-Z]{1,5}(?:\.[A-Z]{1,2})?\)")
# An acronym of at least this many capitals right after a word name names something else.
_MIN_ACRONYM_AFTER = 3
# Words that link a word name to a longer title: "Sea of Thieves", "Agents of Mayhem".
_NAME_LINKS = frozenset({"of"})
# At least this many words in capitals in a row are shouting, where capitals prove nothing
# ("DOMO DOMO DOMO", "HEIMLICHE STAR DIESER").
_SHOUTED_RUN = 3
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
# Inside a multi-word name: no sentence or clause break, no line break, no brackets.
INNER_BREAK = re.compile(r"[.,;:!?]\s|\n|[()\[\]\"“”«»]")


def suffix_length(words: list[str] | tuple[str, ...], end: int) -> int:
    """How many words just before `end` form one corporate suffix (0 if none)."""
    if words[end - 1] in CORPORATE_SUFFIXES:
        return 1
    if len(words[end - 1]) > 1:
        return 0
    for size in _LETTER_RUN_SIZES:
        letters = words[end - size : end] if end >= size else []
        if is_letter_run_suffix(letters, size):
            return size
    return 0


def is_letter_run_suffix(letters: list[str] | tuple[str, ...], size: int) -> bool:
    """True for suffixes written letter by letter, such as "S.A." or "N.V."."""
    return (
        len(letters) == size
        and all(len(letter) == 1 for letter in letters)
        and "".join(letters) in CORPORATE_SUFFIXES
    )


def cased_letters(text: str) -> str:
    """Letters and digits of a text, transliterated but with their case kept."""
    return _NOT_ALNUM.sub("", text if text.isascii() else anyascii(text))


def is_sentence_start(text: str, start: int) -> bool:
    """True when only openers (spaces, quotes, brackets) separate `start` from a sentence end."""
    index = start - 1
    while index >= 0 and text[index] in _OPENERS:
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END or "\n" in text[index + 1 : start]


def is_title_case(title: str) -> bool:
    """True for headlines that capitalise most words, where capitals prove nothing."""
    words = [word for word in _WORD.findall(title) if len(word) >= _TITLE_CASE_WORD]
    if len(words) < _TITLE_CASE_MIN_WORDS:
        return False
    capitalised = sum(1 for word in words if word[0].isupper())
    return capitalised * 100 >= len(words) * _TITLE_CASE_SHARE_PERCENT


def is_inside_other_name(tokens: Tokens, text: str, first: int, last: int) -> bool:
    """True when capitalised words run on either side: "JD Sports", "Big Apple"."""
    words, starts, ends = tokens.words, tokens.starts, tokens.ends
    if last < len(words) and text[ends[last - 1] : starts[last]] == " ":
        following = text[starts[last] : ends[last]]
        if following[0].isupper() and not following.isupper():
            return words[last] not in CORPORATE_SUFFIXES
    if first > 0 and text[ends[first - 1] : starts[first]] == " ":
        preceding = text[starts[first - 1] : ends[first - 1]]
        if preceding[0].isupper() and not preceding.isupper():
            if last - first > 1 and words[first - 1] == "the":
                return False  # the article of a name of several words: "The Media Bank"
            return not is_sentence_start(text, starts[first - 1])
    return False


def is_place(tokens: Tokens, text: str, last: int) -> bool:
    """True for a place written "Name, State" ("Brookfield, Wisconsin")."""
    if last >= len(tokens.words) or text[tokens.ends[last - 1] : tokens.starts[last]] != ", ":
        return False
    return tokens.words[last] in US_STATES


def reads_as_company(tokens: Tokens, text: str, last: int) -> bool:
    """True when a sentence-initial name is possessive, followed by a company verb, by
    "to" and a deal verb ("Orange to acquire"), or by an appositive that names a company
    ("Orange, the French telecom operator,")."""
    words, starts = tokens.words, tokens.starts
    end = tokens.ends[last - 1]
    if text[end : end + 2] in ("'s", "’s"):
        return True
    start = starts[last - 1]
    if start and text[start - 1] == "«" and text[end : end + 1] == "»":
        # Russian sets names in guillemets: «Магнит» is the company, not the magnet.
        return True
    if last >= len(words) or text[starts[last]].isupper():
        return False
    following = words[last]
    if following in COMPANY_VERBS or following in RUSSIAN_COMPANY_VERBS:
        return True
    if following == "to" and last + 1 < len(words):
        return words[last + 1] in DEAL_VERBS and text[end : starts[last]] == " "
    return following in _APPOSITIVE_OPENERS and _is_company_appositive(tokens, text, last)


def reads_as_named_company(tokens: Tokens, text: str, first: int, last: int, person: bool) -> bool:
    """True when a one-word name that is also a word or a person's name reads as a company
    wherever it stands: a ticker follows, or it reads as one (`reads_as_company`). For a
    person's name, verbs of speech ("Costa said") and a title before it ("Mr Costa") do
    not count: people speak too."""
    end = tokens.ends[last - 1]
    if _TICKER.match(text, end):
        return True
    if person:
        if first > 0 and tokens.words[first - 1] in PERSONAL_TITLES:
            return False
        if last < len(tokens.words) and tokens.words[last] in SPEECH_VERBS:
            return False
        if text[end : end + 2] in ("'s", "’s"):
            return False
    return reads_as_company(tokens, text, last)


def is_in_identifier(tokens: Tokens, text: str, first: int, last: int) -> bool:
    """True for a name glued to another word by an underscore: "TARGET_CPA" is code."""
    start, end = tokens.starts[first], tokens.ends[last - 1]
    return text[start - 1 : start] == "_" or text[end : end + 1] == "_"


def is_exchange_label(tokens: Tokens, text: str, first: int, last: int) -> bool:
    """True for the exchange in a ticker label: "Nasdaq" in "(Nasdaq: URBN)"."""
    start, end = tokens.starts[first], tokens.ends[last - 1]
    return text[start - 1 : start] == "(" and _EXCHANGE_LABEL_TAIL.match(text, end) is not None


def is_in_compound(tokens: Tokens, text: str, first: int, last: int) -> bool:
    """True for a word joined to another by a hyphen ("All-Star", "Sea-town", "On-site"),
    unless a participle follows it: "Shell-led", "Sony-owned" name the company."""
    start, end = tokens.starts[first], tokens.ends[last - 1]
    if text[start - 1 : start] == "-" and text[start - 2 : start - 1].isalnum():
        return True
    if text[end : end + 1] != "-" or not text[end + 1 : end + 2].isalpha():
        return False
    following = _WORD.match(text, end + 1)
    return following is None or not following.group().lower().endswith("ed")


def runs_into_other_name(tokens: Tokens, text: str, last: int) -> bool:
    """True when a word name runs into an acronym or into "of" and a capitalised word:
    "Target CPA", "Sea of Thieves" name something else."""
    words, starts, ends = tokens.words, tokens.starts, tokens.ends
    if last >= len(words) or text[ends[last - 1] : starts[last]] != " ":
        return False
    following = text[starts[last] : ends[last]]
    if len(following) >= _MIN_ACRONYM_AFTER and following.isupper():
        return words[last] not in CORPORATE_SUFFIXES
    return (
        words[last] in _NAME_LINKS
        and last + 1 < len(words)
        and text[ends[last] : starts[last + 1]] == " "
        and text[starts[last + 1]].isupper()
    )


def follows_capitalised_word(tokens: Tokens, text: str, first: int) -> bool:
    """True when a capitalised word, even the first of a sentence, runs into the mention:
    "Manchester City", "Port Vale" name a club, not City Holding or Vale."""
    if first == 0 or text[tokens.ends[first - 1] : tokens.starts[first]] != " ":
        return False
    preceding = text[tokens.starts[first - 1] : tokens.ends[first - 1]]
    return preceding[0].isupper() and not preceding.isupper()


def is_shouted(tokens: Tokens, text: str, first: int, last: int) -> bool:
    """True when the mention is part of a run of words in capitals ("DOMO DOMO DOMO")."""
    starts, ends = tokens.starts, tokens.ends
    # Most mentions are not in capitals: the first word tells, without the loop below.
    if not text[starts[first] : ends[first]].isupper():
        return False

    def shouted(index: int) -> bool:
        word = text[starts[index] : ends[index]]
        return len(word) > 1 and word.isupper()

    if not all(map(shouted, range(first, last))):
        return False
    run = last - first
    index = first - 1
    while run < _SHOUTED_RUN and index >= 0 and shouted(index):
        if text[ends[index] : starts[index + 1]] != " ":
            break
        run += 1
        index -= 1
    index = last
    while run < _SHOUTED_RUN and index < len(tokens.words) and shouted(index):
        if text[ends[index - 1] : starts[index]] != " ":
            break
        run += 1
        index += 1
    return run >= _SHOUTED_RUN


def _is_company_appositive(tokens: Tokens, text: str, last: int) -> bool:
    """True for ", the/a <few words> <company noun>," right after the word before `last`."""
    words, starts, ends = tokens.words, tokens.starts, tokens.ends
    if text[ends[last - 1] : starts[last]] != ", ":
        return False
    for index in range(last + 1, min(len(words), last + 1 + _APPOSITIVE_WORDS)):
        gap = text[ends[index] : ends[index] + 1]
        if gap == ",":
            return words[index] in COMPANY_NOUNS
        if gap in (".", ";", ":"):
            return False
    return False


def url_spans(text: str) -> list[tuple[int, int]]:
    if "/" not in text and "@" not in text and "www." not in text:
        return []
    return [found.span() for found in _URLISH.finditer(text)]


# Corporate suffixes long enough to be misspelt in a text (rule 6 of watchlists.matching).
_LONG_SUFFIXES = tuple(sorted(word for word in CORPORATE_SUFFIXES if len(word) >= MIN_TYPO_WORD))


@lru_cache(maxsize=1 << 16)
def misspells_a_suffix(word: str) -> bool:
    """True when a text word is one edit from a long corporate suffix ("Holdngs"): only
    then may it extend a mention as a misspelt suffix of the alias's own."""
    return any(OSA.distance(word, suffix, score_cutoff=1) == 1 for suffix in _LONG_SUFFIXES)


def no_suffix_follows(tokens: Tokens, text: str, last: int, distance: int) -> bool:
    """True when `extend_over_suffix` would end a mention at `last` whatever the alias's own
    suffix: the next word is no corporate suffix, no single letter, and not capitalised
    (or the mention has an edit already, so a misspelt suffix can't follow)."""
    words = tokens.words
    if last >= len(words):
        return True
    following = words[last]
    return (
        following not in CORPORATE_SUFFIXES
        and len(following) > 1
        and (distance > 0 or not text[tokens.starts[last]].isupper())
    )


def extend_over_suffix(
    tokens: Tokens, text: str, last: int, own_suffix: tuple[str, ...], distance: int
) -> tuple[int, int]:
    """Where a mention ends once the corporate suffixes after it are included, and the
    extra edits spent on a misspelt suffix of the alias itself."""
    words, starts, ends = tokens.words, tokens.starts, tokens.ends
    end, extra = last, 0
    while end < len(words):
        word = words[end]
        # Most names are followed by an ordinary word: refuse it before reading the gap.
        if (
            word not in CORPORATE_SUFFIXES
            and len(word) > 1
            and (distance + extra or not own_suffix or not text[starts[end]].isupper())
        ):
            break
        if not _SUFFIX_GAP.fullmatch(text[ends[end - 1] : starts[end]]):
            break
        size = 0
        if word in CORPORATE_SUFFIXES:
            size = 1
        elif len(word) == 1:
            for run in reversed(_LETTER_RUN_SIZES):
                if is_letter_run_suffix(words[end : end + run], run):
                    size = run
                    break
        elif (
            distance + extra == 0
            and text[starts[end]].isupper()
            and any(
                len(suffix) >= MIN_TYPO_WORD and OSA.distance(word, suffix, score_cutoff=1) == 1
                for suffix in own_suffix
            )
        ):
            size, extra = 1, 1
        if not size:
            break
        following = ends[end + size - 1]
        if text[following : following + 1] == "-":
            break
        end += size
    return end, extra

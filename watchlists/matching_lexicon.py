"""What the matcher knows about the words of the languages it reads.

Three questions, each asked of a normalised word (`watchlists.normalize`: lower case):

- `is_word`: is it a word of a language the news is written in ("looking", "danger",
  "marvel", "essen")? A typo of a one-word name is never such a word (rule 6 in
  `watchlists.matching`). The default asks wordfreq: at least `_ENGLISH_WORD_ZIPF` in
  English, or at least `_OTHER_WORD_ZIPF` in one of `_OTHER_LANGUAGES` (Zipf scale: 3 is
  once per million words). Brand names are frequent too ("microsoft"), which is harmless
  here: the question is asked of a text word that differs from the name.
- `dictionary_frequency`: how common is a one-word name as an ordinary English word
  ("post", "strategy", "founder", "bullish")? The matcher wants a capital on such a name,
  and a company reading on a common one (`watchlists.matching`, rule 4). Frequency alone
  can't tell "strategy" from "microsoft", so the default asks Webster's Second
  International (1934, in the public domain; shipped by the english-words package),
  which lists "strategy" in lower case and has never heard of Microsoft, and only then
  wordfreq for the word's Zipf frequency in English; 0 for a word the dictionary lacks.
- `is_person_name`: is it a common given name or surname (`watchlists.person_names`)?

Both packages are imported the first time a question needs them, never at import time.
Without them the lexicon falls back to `COMMON_WORDS` for the first two questions, so the
core still works, with the precision it had before. Tests pass their own small `Lexicon`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from watchlists.matching_words import COMMON_WORDS
from watchlists.person_names import GIVEN_NAMES, SURNAMES

# A word at least this frequent in English (Zipf scale) is a word of the language.
_ENGLISH_WORD_ZIPF = 2.0
# Other languages of the news; a word needs to be more frequent there, since their lists
# carry more inflected brand names ("Microsofts", zipf 2.9 in German).
_OTHER_LANGUAGES = ("de", "fr", "es", "pt", "it", "nl")
_OTHER_WORD_ZIPF = 3.0
# What `dictionary_frequency` says of a word of `COMMON_WORDS` without the word lists.
_COMMON_WORD_ZIPF = 5.0


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Answers about words that the matching rules ask; see the module docstring."""

    is_word: Callable[[str], bool]
    dictionary_frequency: Callable[[str], float]
    is_person_name: Callable[[str], bool]


def is_person_name(word: str) -> bool:
    """True for a common given name or surname ("marvin", "campbell")."""
    return word in GIVEN_NAMES or word in SURNAMES


def _is_common_word(word: str) -> bool:
    return word in COMMON_WORDS


def _common_word_frequency(word: str) -> float:
    return _COMMON_WORD_ZIPF if word in COMMON_WORDS else 0.0


# wordfreq's lists are buckets of words, one per centibel below frequency 1: the Zipf
# frequency of bucket i is `_ZIPF_OF_BUCKET_0 - i / 100`.
_ZIPF_OF_BUCKET_0 = 9.0


def _buckets(language: str, wordlist: str) -> list[list[str]] | None:
    try:
        from wordfreq import get_frequency_list
    except ImportError:
        return None
    buckets: list[list[str]] = get_frequency_list(language, wordlist)
    # wordfreq keeps every list it read; ours keep only what the rules ask.
    get_frequency_list.cache_clear()
    return buckets


def _ascii(word: str) -> str:
    """The word as `watchlists.normalize` writes it, near enough: "sänger" -> "sanger"."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _words_from(buckets: list[list[str]], min_zipf: float) -> set[str]:
    last = round((_ZIPF_OF_BUCKET_0 - min_zipf) * 100)
    return {_ascii(word) for bucket in buckets[: last + 1] for word in bucket if word.isalpha()}


@cache
def _words_of_the_news() -> frozenset[str] | None:
    """Words at least `_ENGLISH_WORD_ZIPF` in English or `_OTHER_WORD_ZIPF` elsewhere."""
    english = _buckets("en", "large")
    if english is None:
        return None
    words = _words_from(english, _ENGLISH_WORD_ZIPF)
    for language in _OTHER_LANGUAGES:
        # The small lists hold exactly the words of Zipf frequency 3 and more.
        words |= _words_from(_buckets(language, "small") or [], _OTHER_WORD_ZIPF)
    return frozenset(words)


@cache
def _dictionary_frequencies() -> dict[str, float] | None:
    """Lower-case words of Webster's Second with their Zipf frequency in English, for the
    words at least once per million (rarer ones count as 0: no rule asks about them)."""
    try:
        from english_words import get_english_words_set
    except ImportError:
        return None
    english = _buckets("en", "small")
    if english is None:
        return None
    # Lower-case entries only: "Alexander" and "Amazon" are listed capitalised.
    dictionary = {word for word in get_english_words_set(["web2"]) if word.islower()}
    return {
        word: round(_ZIPF_OF_BUCKET_0 - index / 100, 2)
        for index, bucket in enumerate(english)
        for word in bucket
        if word in dictionary
    }


def is_word(word: str) -> bool:
    """True for a word of a language the news is written in (wordfreq), or of
    `COMMON_WORDS` when wordfreq is not installed."""
    if word in COMMON_WORDS:
        return True
    words = _words_of_the_news()
    return words is not None and word in words


def dictionary_frequency(word: str) -> float:
    """The Zipf frequency in English of a lower-case word of Webster's Second (0 for other
    words); without the word lists, a high one for `COMMON_WORDS` and 0 for the rest."""
    frequencies = _dictionary_frequencies()
    if frequencies is None:
        return _common_word_frequency(word)
    return max(frequencies.get(word, 0.0), _common_word_frequency(word))


# Only COMMON_WORDS and the name lists: no package needed, nothing to load.
BASIC_LEXICON = Lexicon(
    is_word=_is_common_word,
    dictionary_frequency=_common_word_frequency,
    is_person_name=is_person_name,
)

# The word lists of wordfreq and english-words, loaded when first asked.
DEFAULT_LEXICON = Lexicon(
    is_word=is_word, dictionary_frequency=dictionary_frequency, is_person_name=is_person_name
)

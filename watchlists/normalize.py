"""One normalisation for aliases and article text, with offsets back into the original.

Rules, applied character by character so that every normalised character remembers the
original character it came from:

- Unicode NFKC, then transliteration to ASCII with anyascii: diacritics go (Nestlé ->
  nestle), other scripts are transliterated (Сбербанк -> sberbank, ВКонтакте -> vkontakte).
- A word that mixes Latin letters with Cyrillic or Greek look-alikes (a Cyrillic "О" in
  "GAZPRОM") is read in its majority script first, so look-alikes become the letter they
  imitate rather than their transliteration (Cyrillic "р" in a Latin word is "p", not "r").
- The Russian soft and hard signs (ь, ъ) are silent: "Роснефть" -> rosneft, and a span
  ending in one includes it.
- Case folding to lower case.
- Curly and straight apostrophes are one apostrophe; all quotes are one quote; every dash
  and hyphen variant is "-"; every space variant is " "; zero-width characters vanish.
- Tokens are runs of ASCII letters and digits, joined across apostrophes inside a word. A
  trailing possessive "'s" is dropped (Alibaba's -> alibaba) and inner apostrophes vanish
  (O'Neil -> oneil). Everything else (spaces, punctuation, hyphens) separates tokens, so
  "e-commerce" and "e commerce" give the same tokens.
- Chinese characters, Japanese kana and Korean syllables are one token each (their
  transliteration), as these scripts put no spaces between words: a name written in them
  is a run of such tokens and is found inside a longer run.
- "ks" inside a word is spelt "x", because transliteration writes the Cyrillic "кс" as
  "ks" where Latin names have "x" (Яндекс and Yandex are both "yandex").

Pure-ASCII text takes a fast path (lower-casing only, offsets unchanged), and text whose
non-ASCII characters each map to one ASCII character (curly quotes, accented letters) is
translated with one `str.replace` per distinct character, also without an offset map.
Otherwise offsets are mapped only from the first non-ASCII character to the last: before
it they are unchanged, after it shifted by what folding added.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, chain, compress, repeat
from operator import add

from anyascii import anyascii

_APOSTROPHES = "'\u2018\u2019\u201a\u201b\u02bc\u02b9\u2032\u00b4\u0060\uff07"
_QUOTES = '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u2033\uff02'
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u00ad"
_LATIN_LOOKALIKES = str.maketrans(
    # Cyrillic, then Greek capitals and small letters that print like Latin ones.
    "АВЕКМНОРСТУХаеорсухіјѕІЈЅԁԛԜԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοκνρτυχ",
    "ABEKMHOPCTYXaeopcyxijsIJSdqWwABEZHIKMNOPTYXaokvptux",
)
_CYRILLIC_LOOKALIKES = str.maketrans("ABEKMHOPCTYXaeopcyx", "АВЕКМНОРСТУХаеорсух")
_NON_LATIN_LETTER = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")
_MIXED_SCRIPT_WORD = re.compile(
    r"[^\W\d_]*(?:[A-Za-z][\u0370-\u03ff\u0400-\u04ff]|[\u0370-\u03ff\u0400-\u04ff][A-Za-z])[^\W\d_]*"
)
# A mixed-script word holds a Cyrillic or Greek letter with a Latin one just before or
# after it. Led by the Cyrillic and Greek class, ``re`` skips ahead to those letters, so
# finding none is one quick scan where the word pattern backtracks through every word.
_SCRIPTS_MEET = re.compile(
    r"[\u0370-\u03ff\u0400-\u04ff](?:(?<=[A-Za-z][\u0370-\u03ff\u0400-\u04ff])|[A-Za-z])"
)
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
# Non-ASCII characters with the ASCII gaps (spaces, punctuation) between them: a Russian
# paragraph is one stretch, not one per word.
_NON_ASCII_STRETCHES = re.compile(r"[^\x00-\x7f](?:[\x00-\x7f]{0,12}[^\x00-\x7f])*")
# Scripts written without spaces between words (Chinese, Japanese kana, Korean syllables,
# half-width katakana): each character is a token of its own, so a name written in them
# is found inside a run of text ("阿里巴巴" in "阿里巴巴宣布回购").
_CHARACTER_TOKENS = re.compile(
    "[\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\uff66-\uff9f]"
)
# ASCII letters and digits (case kept) and apostrophes stay, every other byte is a newline.
_WORD_BYTES = bytes(
    code if chr(code).isascii() and (chr(code).isalnum() or chr(code) == "'") else ord("\n")
    for code in range(256)
)

# The Russian soft and hard signs are silent: transliteration would write an apostrophe,
# which cut "Роснефть" short at its last letter.
_SILENT_SIGNS = "ьъЬЪ"

_folded_chars: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text and, when lengths changed, where each character came from."""

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty normalised span [start, end) to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


@dataclass(frozen=True, slots=True)
class _OffsetMap:
    """Where the characters of a folded text came from, kept only where they moved.

    Before ``first`` each character stands where it stood; from there, ``starts`` and
    ``ends`` give each character's original span; past them each stands ``shift`` places
    further on than it stood. A long text with a few non-ASCII words keeps a short map.
    """

    first: int
    starts: list[int]
    ends: list[int]
    shift: int

    def original_starts(self, positions: list[int]) -> list[int]:
        """Where the characters at these folded positions started in the original."""
        first, mapped, shift = self.first, self.starts, self.shift
        last = first + len(mapped)
        return [
            at if at < first else mapped[at - first] if at < last else at - shift
            for at in positions
        ]

    def original_ends(self, positions: list[int]) -> list[int]:
        """Where the characters just before these folded positions ended in the original."""
        first, mapped, shift = self.first, self.ends, self.shift
        last = first + len(mapped)
        return [
            at if at <= first else mapped[at - 1 - first] if at <= last else at - shift
            for at in positions
        ]

    def expanded(self, length: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Every character's original start and end, for a folded text of that length."""
        first, shift = self.first, self.shift
        last = first + len(self.starts)
        starts = (*range(first), *self.starts, *range(last - shift, length - shift))
        ends = (*range(1, first + 1), *self.ends, *range(last - shift + 1, length - shift + 1))
        return starts, ends


@dataclass(frozen=True, slots=True)
class Tokens:
    """Normalised words of a text with their [start, end) offsets in the original text."""

    words: list[str]
    starts: list[int]
    ends: list[int]
    # The same words with their case kept and "ks" not respelt: keys for case rules.
    cased: list[str]


_ONE_MORE = (1).__add__
_SHORT_TEXT = 100
# A gap (maybe empty) then a word: the gaps' and words' lengths add up to the offsets.
_WORD_RUN = re.compile(r"([^A-Za-z0-9']*)([A-Za-z0-9']+)")


def fold_char(char: str) -> str:
    """The normalised (ASCII, lower-case) form of one character; may be empty or longer."""
    return _ascii_char(char).lower()


def _ascii_char(char: str) -> str:
    """The ASCII form of one character with its case kept; may be empty or longer."""
    folded = _folded_chars.get(char)
    if folded is None:
        if char in _APOSTROPHES:
            folded = "'"
        elif char in _QUOTES:
            folded = '"'
        elif char in _DASHES:
            folded = "-"
        elif char in _SILENT_SIGNS:
            folded = ""
        elif char.isspace():
            folded = " "
        elif _CHARACTER_TOKENS.match(char):
            folded = f" {anyascii(unicodedata.normalize('NFKC', char))} "
        else:
            folded = anyascii(unicodedata.normalize("NFKC", char))
        _folded_chars[char] = folded
    return folded


def _read_lookalikes(text: str) -> str:
    """Replace look-alike letters inside mixed-script words by the word's majority script."""

    def fix(word_match: re.Match[str]) -> str:
        word = word_match.group(0)
        # A letter with no look-alike in the other script decides; otherwise the majority.
        only_latin = any(char.isascii() and ord(char) not in _CYRILLIC_LOOKALIKES for char in word)
        only_other = any(not char.isascii() and ord(char) not in _LATIN_LOOKALIKES for char in word)
        if only_latin != only_other:
            latin_word = only_latin
        else:
            latin_word = 2 * sum(1 for char in word if char.isascii()) >= len(word)
        return word.translate(_LATIN_LOOKALIKES if latin_word else _CYRILLIC_LOOKALIKES)

    if not _SCRIPTS_MEET.search(text):
        return text
    return _MIXED_SCRIPT_WORD.sub(fix, text)


def _fold(text: str) -> tuple[str, _OffsetMap | None]:
    """Transliterate to ASCII, keeping case, with an offset map when lengths change."""
    if text.isascii():
        return text, None
    # Deleting the ASCII runs leaves the few non-ASCII characters to look at.
    others = _ASCII_RUNS.sub("", text)
    if _NON_LATIN_LETTER.search(others):
        read = _read_lookalikes(text)
        if read is not text:
            text = read
            others = _ASCII_RUNS.sub("", text)
    non_ascii = set(others)
    if all([len(_ascii_char(char)) == 1 for char in non_ascii]):
        # A few distinct characters per text: one C-level replace each beats str.translate.
        for char in non_ascii:
            text = text.replace(char, _folded_chars[char])
        return text, None
    # Each non-ASCII character's fold; every other character stands for itself.
    folds = {char: _folded_chars[char] for char in non_ascii}
    stretches = list(_NON_ASCII_STRETCHES.finditer(text))
    # The map starts a character early: a leading accent or soft sign extends its span.
    first = max(stretches[0].start() - 1, 0)
    pieces: list[str] = [text[:first]]
    starts: list[int] = []
    ends: list[int] = []
    position = first
    # ASCII runs between stretches map one to one and are copied whole; the stretches
    # (non-ASCII words and the short gaps between them) are folded a stretch at a time.
    for found in stretches:
        index, position_after = found.span()
        if index > position:
            pieces.append(text[position:index])
            starts.extend(range(position, index))
            ends.extend(range(position + 1, index + 1))
        _fold_stretch(found.group(), index, folds, pieces, starts, ends)
        position = position_after
    shift = first + len(starts) - position
    pieces.append(text[position:])
    return "".join(pieces), _OffsetMap(first, starts, ends, shift)


def _fold_stretch(
    stretch: str,
    index: int,
    folds: dict[str, str],
    pieces: list[str],
    starts: list[int],
    ends: list[int],
) -> None:
    """Fold the characters of a stretch of text starting at index, with their offsets."""
    folded = list(map(folds.get, stretch, stretch))
    size = len(stretch)
    done = 0
    while done < size:
        # Characters that fold to nothing (accents, soft signs, zero-width) cut the stretch.
        try:
            silent = folded.index("", done)
        except ValueError:
            silent = size
        if silent > done:
            _add_folded(folded[done:silent], index + done, pieces, starts, ends)
        if silent < size:
            char = stretch[silent]
            if ends and (unicodedata.combining(char) or char in _SILENT_SIGNS):
                # A combining accent or a soft sign belongs to the letter before it, so
                # spans include it ("Роснефть", not "Роснефт").
                ends[-1] = index + silent + 1
        done = silent + 1


def _add_folded(
    folded: list[str], index: int, pieces: list[str], starts: list[int], ends: list[int]
) -> None:
    """Append folded characters that stood at index onwards, each from its own character."""
    pieces.extend(folded)
    sizes = list(map(len, folded))
    stop = index + len(folded)
    if max(sizes) == 1:
        starts.extend(range(index, stop))
        ends.extend(range(index + 1, stop + 1))
    else:
        starts.extend(chain.from_iterable(map(repeat, range(index, stop), sizes)))
        ends.extend(chain.from_iterable(map(repeat, range(index + 1, stop + 1), sizes)))


def normalize(text: str) -> NormalizedText:
    """Normalise text for matching; see the module docstring for the rules."""
    folded, offsets = _fold(text)
    if offsets is None:
        return NormalizedText(folded.lower())
    return NormalizedText(folded.lower(), *offsets.expanded(len(folded)))


def tokenize(text: str) -> Tokens:
    """Normalised tokens of a text, each with its span in the original text."""
    # Most text is ASCII: its offsets are the original ones and need no map.
    plain, offsets = _fold(text)
    # One C pass blanks every separator as a newline; splitting lines with their ends kept
    # makes every piece (word or not) one character longer than its letters, so running
    # sums of the piece lengths are the piece starts.
    if len(plain) <= _SHORT_TEXT:
        # A few words (aliases, titles): one regex pass costs less than the bulk steps.
        found = _WORD_RUN.findall(plain)
        cased = [word for _gap, word in found]
        starts = list(accumulate(map(len, chain.from_iterable(found)), initial=0))[1::2]
        lowered = plain.lower()
        words = [word.lower() for word in cased]
        ends = list(map(add, starts, map(len, words)))
    else:
        spaced = (plain + "\n").encode("ascii").translate(_WORD_BYTES).decode("ascii")
        # Pieces between newlines are the words and empty strings; each piece and its
        # newline add up to the next piece's start.
        pieces = spaced.split("\n")
        lengths = list(map(len, pieces))
        starts = list(compress(accumulate(map(_ONE_MORE, lengths), initial=0), lengths))
        cased = list(filter(None, pieces))
        ends = list(map(add, starts, map(len, cased)))
        lowered = spaced.lower()
        if lowered == spaced and "ks" not in lowered:
            words = cased.copy()
        else:
            # "ks" is respelt in one pass over the text; spans keep the written lengths.
            words = (lowered.replace("ks", "x") if "ks" in lowered else lowered).split()
    if "'" in lowered:
        _apply_apostrophe_rules(words, cased, starts, ends, lowered)
    if "ks" in lowered and len(plain) <= _SHORT_TEXT:
        _respell_ks(words, ends, lowered)
    if offsets is not None:
        starts = offsets.original_starts(starts)
        ends = offsets.original_ends(ends)
    return Tokens(words, starts, ends, cased)


def _words_at(ends: list[int], text: str, needle: str) -> list[int]:
    """Indices of the words (ending at `ends`) that contain `needle`, in order, once each."""
    found: list[int] = []
    position = text.find(needle)
    while position >= 0:
        index = bisect_right(ends, position)
        if not found or found[-1] != index:
            found.append(index)
        position = text.find(needle, position + 1)
    return found


def _apply_apostrophe_rules(
    words: list[str], cased: list[str], starts: list[int], ends: list[int], lowered: str
) -> None:
    """Drop quote-like apostrophes and possessive 's; join words across inner apostrophes."""
    dropped: list[int] = []
    for index in _words_at(ends, lowered, "'"):
        # The word as written: "ks" may already be respelt in `words`.
        word = cased[index].lower()
        stripped = word.lstrip("'")
        lead = len(word) - len(stripped)
        word = stripped
        if word.endswith("'s") and len(word) > 2:
            word = word[:-2]
        word = word.rstrip("'")
        if word:
            starts[index] += lead
            ends[index] = starts[index] + len(word)
            cased[index] = cased[index][lead : lead + len(word)].replace("'", "")
            # Joining across an inner apostrophe may make a "ks" the text did not have.
            words[index] = word.replace("'", "").replace("ks", "x")
        else:
            dropped.append(index)
    if dropped:
        # Rebuilt once: deleting from the lists one word at a time is quadratic on texts
        # with many free-standing quotes.
        keep = [True] * len(words)
        for index in dropped:
            keep[index] = False
        words[:] = compress(words, keep)
        cased[:] = compress(cased, keep)
        starts[:] = compress(starts, keep)
        ends[:] = compress(ends, keep)


def _respell_ks(words: list[str], ends: list[int], lowered: str) -> None:
    """Spell "ks" as "x" inside words; their spans stay as they were."""
    for index in _words_at(ends, lowered, "ks"):
        words[index] = words[index].replace("ks", "x")


def normalize_words(text: str) -> tuple[str, ...]:
    """Just the normalised tokens of a text (for aliases and phrases)."""
    return tuple(tokenize(text).words)

"""Russian inflection for the matcher: a name written in Cyrillic is found in its declined
forms (Яндексом, Сбербанку, «Озоне», Российского фонда прямых инвестиций).

Rules (data and pure functions; `watchlists.matching` applies them):

1. Only text words written in Cyrillic are read as declined forms: a Latin word never loses
   an ending, so Latin text matches exactly as before.
2. Words are compared in their normalised (transliterated) form, so an alias in either
   script finds the Cyrillic text: "Yandex" and "Яндекс" both find "Яндексом".
3. A text word and an alias word are the same word when they are equal or when dropping one
   case ending (`ENDINGS`, transliterated: -а -у -ом -е -ой -ы -ов -ам -ами -ах, adjective
   endings -ого -ому -ый -ий -ых -ым ...) from one or both leaves the same stem of at least
   `MIN_STEM_LETTERS` letters. Every way to drop an ending is tried, not only the longest,
   so "Ростелекома" (-а) still meets "Ростелеком".
4. Short names and acronyms (the case-sensitive aliases: ВК, МТС, РФПИ) are never declined.
4a. Latin spellings of Russian names follow other conventions than the transliteration
   (Lukoil for Лукойл, Rostelecom for Ростелеком, Surgutneftegas for Сургутнефтегаз): stems
   are compared folded (`fold`: й/ы and i, к and c, з and s, х and h, ц and c agree), so
   "Лукойла" finds "Lukoil". Only Cyrillic text words are folded and compared this way.
5. A declined name must start with a capital where the alias does: Russian writes common
   nouns in lower case, so "магнита" is a magnet and "Магнита" the retailer. Later words
   may be in lower case, as Russian capitalises only a name's first word ("Норильского
   никеля" for "Norilsk Nickel").
6. Names that are also ordinary Russian words (`RUSSIAN_COMMON_WORDS`: магнит, озон) need
   the proper-noun form, like English common-word names: capitalised and not merely first in
   a sentence, unless a company verb follows (`RUSSIAN_COMPANY_VERBS`) or the name stands in
   «guillemets», which Russian reserves for names. A wire dateline ("МОСКВА, 4 мая — ")
   ends where a sentence starts.
7. An entity's `exclude` phrase in Cyrillic covers its declined forms too ("неодимовый
   магнит" vetoes "неодимовых магнитов").
"""

from __future__ import annotations

import re
from functools import lru_cache

from watchlists.normalize import normalize_words

# A stem keeps at least this many letters once an ending is dropped ("сбер" of "Сбера").
MIN_STEM_LETTERS = 4

_CYRILLIC_FIRST, _CYRILLIC_LAST = "\u0400", "\u04ff"


def _transliterated(words: str) -> tuple[str, ...]:
    return tuple(word for text in words.split() for word in normalize_words(text))


# Case endings of Russian nouns and adjectives, as `watchlists.normalize` transliterates
# them (й -> y, х -> kh, я -> ya, ю -> yu; ь vanishes).
ENDINGS: tuple[str, ...] = tuple(
    sorted(
        set(
            _transliterated(
                """
                а я у ю е ы и о ом ем ём ой ей ою ею ов ев ам ям ами ями ах ях ию ия ие ии
                ого его ому ему ый ий ой ым им ых их ыми ими ая яя ое ее ые ие ую юю
                """
            )
        ),
        key=len,
        reverse=True,
    )
)

# Russian words that are also watched names (transliterated): a name made of them needs
# the proper-noun form (rule 6).
RUSSIAN_COMMON_WORDS = frozenset(
    _transliterated(
        """
        магнит озон лента почта звезда полюс магистраль связь мечта
        """
    )
)

# Verbs (transliterated) that, right after a sentence-initial name, show it acts like a
# company: "Магнит купил сеть", "Озон объявил о покупке".
RUSSIAN_COMPANY_VERBS = frozenset(
    _transliterated(
        """
        купил купила купило покупает купит приобрел приобрела приобрело приобретает
        приобретёт продал продала продаст продает продаёт объявил объявила объявило
        сообщил сообщила сообщило заявил заявила подписал подписала подписало завершил
        завершила завершило закрыл закрыла инвестирует вложит вложил вложила разместит
        разместил провел провела проведет планирует намерен намерена договорился
        договорилась ведет ведёт получил получила создаст создал создала увеличил
        увеличила отказался отказалась рассматривает выкупил выкупила выкупит
        """
    )
)


def is_cyrillic(char: str) -> bool:
    """True for a Cyrillic letter."""
    return _CYRILLIC_FIRST <= char <= _CYRILLIC_LAST


# Endings by their last letter: a word is compared only with the endings it may carry.
_ENDINGS_BY_LAST: dict[str, tuple[str, ...]] = {
    last: tuple(ending for ending in ENDINGS if ending[-1] == last)
    for last in {ending[-1] for ending in ENDINGS}
}


@lru_cache(maxsize=65_536)
def stems(word: str) -> frozenset[str]:
    """The word and every stem left by dropping one case ending (normalised forms)."""
    found = {word}
    for ending in _ENDINGS_BY_LAST.get(word[-1:], ()):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM_LETTERS:
            found.add(word[: -len(ending)])
    return frozenset(found)


# Spelling differences between transliteration and Latin names, folded away in order.
_FOLDS = (("ck", "k"), ("kh", "h"), ("ts", "c"), ("k", "c"), ("y", "i"), ("z", "s"), ("w", "v"))


def fold(word: str) -> str:
    """A normalised word with the letters Latin spellings of Russian names vary on merged."""
    for written, folded in _FOLDS:
        if written in word:
            word = word.replace(written, folded)
    return word


@lru_cache(maxsize=65_536)
def stem_keys(word: str) -> frozenset[str]:
    """The folded stems of a normalised word: equal keys mean the same word (rules 3, 4a)."""
    return frozenset(map(fold, stems(word)))


def same_word(text_word: str, alias_word: str) -> bool:
    """True when a Cyrillic text word is a declined form of the alias word (rule 3)."""
    if text_word == alias_word:
        return True
    return not stem_keys(text_word).isdisjoint(stem_keys(alias_word))


def declinable(word: str) -> bool:
    """True when an alias word is long enough to be looked for in declined forms."""
    return len(word) >= MIN_STEM_LETTERS


def name_stem(word: str) -> str:
    """A word of a name, normalised and cut to its shortest stem ("Метан-Сервиса" ->
    "metan servis"), so declined forms of a counterparty's name compare equal."""
    return " ".join(min(stems(part), key=len) for part in normalize_words(word))


# A Russian wire dateline at the start of a line: "ЕКАТЕРИНБУРГ, 4 октября — ".
_DATELINE = re.compile(
    r"(?:^|\n)\s*[А-ЯЁA-Z][А-ЯЁA-Z .-]+,\s+\d{1,2}\s+[а-яё]+(?:\s+\d{4})?\s*[—–-]\s*$"
)
_DATELINE_REACH = 60


def follows_dateline(text: str, start: int) -> bool:
    """True when `start` comes right after a wire dateline, where a sentence starts."""
    return (
        start > 0
        and text[start - 1] == " "
        and bool(_DATELINE.search(text, max(0, start - _DATELINE_REACH), start))
    )

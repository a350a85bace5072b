"""Finding watched entities in articles.

Every alias of every watched entity lives in one global `MatchIndex`; an article is
matched once against it. The rules, in the order they apply:

1. Aliases and text share one normalisation (`watchlists.normalize`): NFKC, case folding,
   one apostrophe, one dash, diacritics removed, other scripts transliterated, possessive
   "'s" dropped. Offsets of every mention point into the original title or text.
2. Corporate suffixes (Inc, Ltd, Group, Holding(s), PJSC, plc, AG, S.A., Corp, LLC, NV, SE,
   GmbH, ...) and a leading "The" are optional: an alias is indexed by its core ("Barrick
   Gold Corp" -> "barrick gold"), and a mention is extended over the suffixes that follow
   it in the text, so "Alibaba Group Holding Ltd" is one mention of "Alibaba Group".
3. Short aliases (fewer than 4 letters or digits) and acronyms (all capitals, at most 5
   letters or digits) match only as whole tokens with the same letters in the same case:
   "VK" does not fire in "VKontakte" nor on "vk". Such aliases never match fuzzily.
4. Aliases whose words are all ordinary English words (`COMMON_WORDS`: Shell, Apple,
   Amazon, General Electric) need the proper-noun form: every word capitalised in the
   text. Where capitals prove nothing (first word of a sentence or line, a Title Case
   headline, text in capitals) the mention counts only if the same entity has a mention
   elsewhere in the article that counts on its own. The same holds for short, acronym
   and common-word aliases run together with another capitalised word ("JD Sports",
   "Big Apple", "Orange County"): likely another name. A one-word name followed by ", "
   and a US state ("Brookfield, Wisconsin") is a place and never matches.
5. Per-entity `exclude` phrases veto only the mentions they cover ("Amazon rainforest"
   vetoes that "Amazon", not an "Amazon" elsewhere in the article). A trailing "s"/"es"
   on the phrase's last word is tolerated ("shell companies" for "shell company").
6. One-edit typos (substitution, insertion, deletion, adjacent swap: OSA distance 1) match
   as kind "fuzzy" with a score below 100 when the alias has at least 6 letters, the edit
   falls in one alias word of at least 5 letters, the text word carrying it is not an
   ordinary English word, and the text words are capitalised where the alias's are ("Alibbaba", "Sberbnak", "Temasek
   Holdngs", "Russia's Direct Investment Fund" for "Russian Direct Investment Fund").
7. Nothing matches inside URLs or e-mail addresses (https://vk.com/x, press@vk.com,
   vk.com/x); a bare domain written in prose ("VK.com") is the company's name and counts.
8. One entity gets one mention per span: the longest wins, then exact over fuzzy.
   Across entities, a mention inside a longer mention of another entity is dropped
   ("Alibaba" inside "Alibaba Pictures"), and where mentions overlap otherwise a fuzzy one
   gives way to an exact one. An alias shared by two entities reports both.

How it stays fast with 100,000 aliases (filter, then verify): each alias core is indexed
under its rarest word that is not an ordinary English word (the anchor); anchors of
typo-tolerant aliases are also indexed under their head and tail halves (one edit leaves
one of them intact), and a text word probes those keys and verifies what it finds with
OSA. Each distinct text word, as written, is looked up once (cached until the index
changes): its case already rules out the aliases that need a capital, and a lower-case
word is not probed for typos while every typo-tolerant anchor is capitalised (rule 6).
The aliases a word may belong to are grouped by where the anchor sits, so one dictionary
look-up of the surrounding words finds the exact ones (and those with a typo in the
anchor); only aliases that may carry a typo in another word are compared one by one, and
the edit distance is computed only when all other words agree. Adding or removing an
entity touches only its own aliases.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from itertools import compress
from operator import eq

from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import OSA

from watchlists.model import Article, Entity, Field, Match, MatchKind
from watchlists.normalize import Tokens, normalize_words, tokenize


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


CORPORATE_SUFFIXES = _word_set(
    """
    inc incorporated ltd limited group pjsc plc ag sa holdings holding corp corporation
    co llc nv se gmbh company lp llp jsc ojsc oao pao bv spa ab asa kgaa sarl srl pte pty
    bhd kk oyj sas
    """
)

# Ordinary English words, plus brand names that are mostly used as ordinary words
# (amazon, jaguar). An alias made only of these needs the proper-noun form in the text.
COMMON_WORDS = _word_set(
    """
    a about above across act action add after again against age ago agree air all almost
    alone along already also although always am among amount an and another answer any
    apple are area arm around art as ask at away back bad bag ball bank base be bear beat
    became because become bed been before began begin behind being believe below best
    better between big bill bird black block blue board boat body book boots born both box
    boy bring brought build building business but buy by call came can capital car care
    carry case cat cause center central century certain chair chance change charge check
    child choose church city class clear close cloud coal cold college color come common
    community company computer condition consider contain continue control cook cool copy
    corn corner cost could count country course cover cross crown cup current cut dark day
    dead deal dear decide deep delta develop did die direct do does dog dollar done door
    down draw dream drive drop dry during each early earth east easy eat edge effect egg
    eight either electric element else end energy enough enter equal even evening event
    ever every example express eye face fact fair fall family far farm fast father fear
    feel feet few field fight figure fill final find fine fire first fish five floor
    follow food foot for force form forward found four free fresh friend from front fruit
    full fund future game gap garden gas gave general get give glass global go gold good
    got govern great green ground group grow guard guess had half hand happen happy hard
    has have he head health hear heart heat heavy held help her here high hill him his
    history hold home hope horse hot hour house how human hundred idea if in inch include
    industry interest into iron is island it its job join just keep key kind king know
    labs land language large last late lay lead learn least leave left less let letter
    level life light like line list listen little live long look lot love low machine made
    main make man many map mark market master matter may me mean meet member men metal
    method middle might mile mind minute miss modern moment money month moon more morning
    most mother mountain move much music must my name nation national natural nature near
    need network never new news next night nine no north not note nothing notice now number
    object occur of off offer office often oil old on once one only open or order other
    our out over own page paper park part party pass past pay people perhaps period person
    pick picture piece place plain plan plant play please point poor port position power
    premier present press pretty price prime print probable problem produce product
    progress property prove public pull puma put quarter question quick quite race radio
    rain raise range rather reach read ready real reason record red region remember report
    rest result return rich ride right ring rise river road rock room root round rule run
    safe said sail salt same sand sat save saw say school science sea season seat second
    section see seed seem select sell send sense sent serve service set settle seven several
    shall shape share sharp she shell ship shop short should show side sign signal silver
    simple since sing single sister sit six size sky sleep small smart snow so social soft
    soil solar some son song soon sound south space speak special speed spend spring
    square stand star start state station stay steel step still stone stood stop store
    story street strong student study subject subway such summer sun supply sure surface
    system table take talk target teach team tell ten term test than thank that the their
    them then there these they thing think third this those though thought thousand three
    through time to today together told too took top total touch toward town track trade
    train travel tree trip true trust try turn twenty two type under unit united until up
    us use usual valley value very view visa visit voice wait walk wall want war warm was
    wash watch water wave way we wear weather week weight well went were west what wheel
    when where which while white who whole why wide wife will win wind window winter wire
    wish with without woman women wonder wood word work world would write year yes yet you
    young your
    amazon jaguar oracle corona mercury sprint meta alphabet next apex summit pioneer
    frontier liberty heritage premier pinnacle legacy vanguard horizon atlas titan
    eagle falcon phoenix crown anchor beacon bridge compass harbor harvest keystone
    landmark meridian monument patriot sentinel sterling triumph union venture vista
    american british china chinese european french german japanese russian first
    international financial holdings partners resources solutions systems technologies
    technology therapeutics pharmaceuticals bancorp bio medical health energy
    orange lemon lime cherry berry peach plum mango olive pepper ginger honey sugar
    fox wolf lion tiger bull hawk raven swan dove bee ant
    mars jupiter saturn venus orion polaris nova comet galaxy
    total coach guess dollar shift snap square stripe uber zoom slack notion
    """
)

_LEADING_ARTICLES = frozenset({"the"})
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
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
# Inside a multi-word name: no sentence or clause break, no line break, no brackets.
_INNER_BREAK = re.compile(r"[.,;:!?]\s|\n|[()\[\]\"“”«»]")
# Words that, right after a sentence-initial name, show it acts like a company.
_COMPANY_VERBS = _word_set(
    """
    said says has had have is was will would could announced agreed plans planned reported
    posted confirmed acquired acquires bought buys sold sells raised raises invested invests
    signed signs launched launches shares stock declined rose fell expects expected added
    told denied owns owned won
    """
)
_US_STATES = _word_set(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada new
    ohio oklahoma oregon pennsylvania rhode south tennessee texas utah vermont virginia
    washington west wisconsin wyoming
    """
)
_CACHE_LIMIT = 400_000
_MIN_TYPO_WORD = 5


class _Rule(IntEnum):
    """How an alias core must look in the text."""

    PLAIN = 0
    CASED = 1
    COMMON = 2


# Not frozen: one is built per alias, and frozen dataclasses are slower to build.
@dataclass(slots=True)
class _Owner:
    """One entity's alias that normalises to a pattern's core."""

    entity_id: int
    alias: str
    suffix: tuple[str, ...]


@dataclass(slots=True, eq=False)
class _Pattern:
    """One normalised alias core shared by every entity that uses it."""

    id: int
    words: list[str]
    key: str
    rule: _Rule
    cased: str
    fuzzy: bool
    common: bool
    capitalised: tuple[bool, ...]
    breaks_inside: bool
    size: int = 1
    anchor: int = 0
    anchor_capital: bool = False
    owners: list[_Owner] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _WindowGroup:
    """Multi-word patterns with the anchor at the same place, found by their words."""

    before: int
    size: int
    # True when the text word is a typo of the anchor: the key leaves the anchor out.
    typo_in_anchor: bool
    patterns: dict[tuple[str, ...], list[_Pattern]]


@dataclass(frozen=True, slots=True)
class _Candidates:
    """What a text word, as written, may be part of; grouped so that most are ruled out by
    one dictionary look-up instead of one comparison each."""

    singles: tuple[tuple[_Pattern, int], ...]
    windows: tuple[_WindowGroup, ...]
    # Multi-word patterns whose anchor is this word and that may carry a typo elsewhere.
    near: tuple[_Pattern, ...]


# Not frozen: one is built per alias, and frozen dataclasses are slower to build.
@dataclass(slots=True)
class _AliasForm:
    """An alias split into its core and optional corporate suffix."""

    core: tuple[str, ...]
    suffix: tuple[str, ...]
    rule: _Rule
    cased: str
    capitalised: tuple[bool, ...]
    breaks_inside: bool

    @property
    def key(self) -> tuple[tuple[str, ...], str]:
        """Identity of the pattern: case matters only for case-sensitive aliases."""
        return self.core, self.cased if self.rule is _Rule.CASED else ""


@dataclass(slots=True)
class _Mention:
    """A mention before the article-level rules decide whether it is reported."""

    entity_id: int
    alias: str
    field: Field
    first: int
    last: int
    start: int
    end: int
    distance: int
    score: float
    confirmed: bool
    # 0 when the text spells this very alias (suffix included), so it is the one reported.
    alias_misfit: int = 1


def _suffix_length(words: list[str] | tuple[str, ...], end: int) -> int:
    """How many words just before `end` form one corporate suffix (0 if none)."""
    if words[end - 1] in CORPORATE_SUFFIXES:
        return 1
    if len(words[end - 1]) > 1:
        return 0
    for size in (2, 3):
        letters = words[end - size : end] if end >= size else []
        if _is_letter_run_suffix(letters, size):
            return size
    return 0


def _is_letter_run_suffix(letters: list[str] | tuple[str, ...], size: int) -> bool:
    """True for suffixes written letter by letter, such as "S.A." or "N.V."."""
    return (
        len(letters) == size
        and all(len(letter) == 1 for letter in letters)
        and "".join(letters) in CORPORATE_SUFFIXES
    )


def _cased_letters(text: str) -> str:
    """Letters and digits of a text, transliterated but with their case kept."""
    return _NOT_ALNUM.sub("", text if text.isascii() else anyascii(text))


def analyse_alias(alias: str) -> tuple[tuple[str, ...], tuple[str, ...], str] | None:
    """The alias core, its optional suffix words and matching rule name; None if empty."""
    form = _alias_form(alias)
    if form is None:
        return None
    return form.core, form.suffix, form.rule.name.lower()


def _alias_form(alias: str) -> _AliasForm | None:
    tokens = tokenize(alias)
    words = tokens.words
    starts = tokens.starts
    if not words:
        return None
    first, end = 0, len(words)
    if len(words) > 1 and words[0] in _LEADING_ARTICLES:
        first = 1
    while end - first > 1:
        size = _suffix_length(words, end)
        # A one-letter core ("X Corp") would fire on every capital X: keep the suffix.
        if not size or end - size < first + 1 or sum(map(len, words[first : end - size])) < 2:
            break
        end -= size
    core = tuple(words[first:end])
    if sum(map(len, core)) < 2:
        return None
    original_core = alias[starts[first] : tokens.ends[end - 1]]
    cased = _cased_letters(original_core)
    capitalised = tuple([not alias[start].islower() for start in starts[first:end]])
    letters = len(cased)
    if letters < 4 or (letters <= 5 and cased.isupper()):
        rule = _Rule.CASED
    elif COMMON_WORDS.issuperset(core):
        rule = _Rule.COMMON
    else:
        rule = _Rule.PLAIN
    return _AliasForm(
        core,
        tuple(words[end:]),
        rule,
        cased,
        capitalised,
        bool(_INNER_BREAK.search(original_core)),
    )


def _halves(word: str) -> tuple[str, str]:
    """Typo keys of a word: one edit leaves its head or its tail (past the middle) intact.

    Head is word[:m] and tail word[m + 1:] with m = len(word) // 2: an edit before m keeps
    the tail (still at the end of the text word), an edit at or after m keeps the head,
    and a swap of letters m-1 and m keeps the tail. Both keys carry the word length.
    """
    middle = len(word) // 2
    return f"{len(word)}<{word[:middle]}", f"{len(word)}>{word[middle + 1 :]}"


def _typo_probe_keys(word: str) -> list[str]:
    """Typo keys of every word of length len(word) +- 1 that could be one edit from `word`."""
    length = len(word)
    keys: list[str] = []
    for size in (length - 1, length, length + 1):
        if size < _MIN_TYPO_WORD:
            continue
        middle = size // 2
        keys.append(f"{size}<{word[:middle]}")
        tail = size - middle - 1
        keys.append(f"{size}>{word[length - tail :]}" if tail else f"{size}>")
    return keys


def _add_id(table: dict[str, int | list[int]], key: str, pattern_id: int) -> None:
    current = table.get(key)
    if current is None:
        table[key] = pattern_id
    elif isinstance(current, int):
        if current != pattern_id:
            table[key] = [current, pattern_id]
    elif pattern_id not in current:
        current.append(pattern_id)


def _remove_id(table: dict[str, int | list[int]], key: str, pattern_id: int) -> None:
    current = table.get(key)
    if current is None:
        return
    if isinstance(current, int):
        if current == pattern_id:
            del table[key]
        return
    if pattern_id in current:
        current.remove(pattern_id)
    if len(current) == 1:
        table[key] = current[0]


def _is_sentence_start(text: str, start: int) -> bool:
    """True when only openers (spaces, quotes, brackets) separate `start` from a sentence end."""
    index = start - 1
    while index >= 0 and text[index] in _OPENERS:
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END or "\n" in text[index + 1 : start]


def _is_title_case(title: str) -> bool:
    """True for headlines that capitalise most words, where capitals prove nothing."""
    words = [word for word in _WORD.findall(title) if len(word) >= 4]
    if len(words) < 2:
        return False
    capitalised = sum(1 for word in words if word[0].isupper())
    return capitalised * 10 >= len(words) * 6


def _is_inside_other_name(tokens: Tokens, text: str, first: int, last: int) -> bool:
    """True when capitalised words run on either side: "JD Sports", "Big Apple"."""
    words, starts, ends = tokens.words, tokens.starts, tokens.ends
    if last < len(words) and text[ends[last - 1] : starts[last]] == " ":
        following = text[starts[last] : ends[last]]
        if following[0].isupper() and not following.isupper():
            return words[last] not in CORPORATE_SUFFIXES
    if first > 0 and text[ends[first - 1] : starts[first]] == " ":
        preceding = text[starts[first - 1] : ends[first - 1]]
        if preceding[0].isupper() and not preceding.isupper():
            return not _is_sentence_start(text, starts[first - 1])
    return False


def _is_place(tokens: Tokens, text: str, last: int) -> bool:
    """True for a place written "Name, State" ("Brookfield, Wisconsin")."""
    if last >= len(tokens.words) or text[tokens.ends[last - 1] : tokens.starts[last]] != ", ":
        return False
    return tokens.words[last] in _US_STATES


def _reads_as_company(tokens: Tokens, text: str, last: int) -> bool:
    """True when a sentence-initial name is possessive or followed by a company verb."""
    end = tokens.ends[last - 1]
    if text[end : end + 2] in ("'s", "’s"):
        return True
    if last >= len(tokens.words):
        return False
    following = tokens.words[last]
    return following in _COMPANY_VERBS and not text[tokens.starts[last]].isupper()


def _url_spans(text: str) -> list[tuple[int, int]]:
    if "/" not in text and "@" not in text and "www." not in text:
        return []
    return [found.span() for found in _URLISH.finditer(text)]


class _LookupCache(dict[str, _Candidates | None]):
    """Candidates per text word as written; a word seen for the first time is looked up.

    A dict subclass with `__missing__` keeps the lookups of known words in C.
    """

    def __init__(self, lookup: Callable[[str], _Candidates | None]) -> None:
        super().__init__()
        self._lookup = lookup

    def __missing__(self, word: str) -> _Candidates | None:
        found = self[word] = self._lookup(word)
        return found


class MatchIndex:
    """One index over every watched entity; each article is matched once against it."""

    def __init__(self, entities: Iterable[Entity] = ()) -> None:
        self._entities: dict[int, Entity] = {}
        self._entity_patterns: dict[int, list[int]] = {}
        self._excludes: dict[int, list[tuple[str, ...]]] = {}
        self._patterns: dict[int, _Pattern] = {}
        self._pattern_ids: dict[tuple[tuple[str, ...], str], int] = {}
        self._word_counts: dict[str, int] = {}
        self._anchors: dict[str, int | list[int]] = {}
        # Typo key -> anchor words (of typo-tolerant patterns) that have that key, and how
        # many typo-tolerant patterns use each such anchor word.
        self._typo_keys: dict[str, list[str]] = {}
        self._typo_anchor_uses: dict[str, int] = {}
        # How many typo-tolerant anchors are written in lower case in their alias: while
        # none is, a lower-case text word can't carry a typo and is never probed.
        self._lower_case_typo_anchors = 0
        # Caches, emptied whenever the index changes: candidates per text word as written
        # (case decides which patterns apply) and typo-probe results per normalised word.
        self._candidates = _LookupCache(self._lookup)
        self._typo_neighbours: dict[str, list[int]] = {}
        self._next_pattern_id = 0
        self._add_all(list(entities))

    def __len__(self) -> int:
        return len(self._entities)

    @property
    def alias_count(self) -> int:
        """How many distinct normalised alias cores the index holds."""
        return len(self._patterns)

    def add(self, entity: Entity) -> None:
        """Add an entity, or replace the one with the same id."""
        self._add_all([entity])

    def remove(self, entity_id: int) -> None:
        """Forget an entity; unknown ids are ignored."""
        if self._entities.pop(entity_id, None) is None:
            return
        self._excludes.pop(entity_id, None)
        self._forget_lookups()
        for pattern_id in self._entity_patterns.pop(entity_id, []):
            pattern = self._patterns.get(pattern_id)
            if pattern is None:
                continue
            pattern.owners = [owner for owner in pattern.owners if owner.entity_id != entity_id]
            if not pattern.owners:
                self._drop_pattern(pattern)

    def _add_all(self, entities: list[Entity]) -> None:
        # A bulk build allocates hundreds of thousands of small objects and none of them
        # form cycles, so the cyclic collector would only rescan them over and over.
        collecting = gc.isenabled() and len(entities) > 1000
        if collecting:
            gc.disable()
        try:
            self._add_entities(entities)
        finally:
            if collecting:
                gc.enable()

    def _add_entities(self, entities: list[Entity]) -> None:
        for entity in entities:
            if entity.id in self._entities:
                self.remove(entity.id)
        self._forget_lookups()
        new_patterns: list[_Pattern] = []
        for entity in entities:
            self._entities[entity.id] = entity
            if entity.exclude:
                self._excludes[entity.id] = [
                    words for words in map(normalize_words, entity.exclude) if words
                ]
            pattern_ids: list[int] = []
            for alias in entity.names:
                form = _alias_form(alias)
                if form is None:
                    continue
                pattern_id = self._pattern_ids.get(form.key)
                if pattern_id is None:
                    pattern = self._new_pattern(form)
                    new_patterns.append(pattern)
                else:
                    pattern = self._patterns[pattern_id]
                pattern.owners.append(_Owner(entity.id, alias, form.suffix))
                if pattern.id not in pattern_ids:
                    pattern_ids.append(pattern.id)
            self._entity_patterns[entity.id] = pattern_ids
        # Anchors are chosen once every new alias is counted, so a bulk build picks the
        # rarest word over the whole watchlist.
        for pattern in new_patterns:
            self._index_pattern(pattern)

    def _new_pattern(self, form: _AliasForm) -> _Pattern:
        letters = sum(map(len, form.core))
        pattern = _Pattern(
            id=self._next_pattern_id,
            words=list(form.core),
            key=" ".join(form.core),
            size=len(form.core),
            rule=form.rule,
            cased=form.cased,
            fuzzy=form.rule is _Rule.PLAIN
            and letters >= 6
            and max(map(len, form.core)) >= _MIN_TYPO_WORD,
            common=COMMON_WORDS.issuperset(form.core),
            capitalised=form.capitalised,
            breaks_inside=form.breaks_inside,
        )
        self._next_pattern_id += 1
        self._patterns[pattern.id] = pattern
        self._pattern_ids[form.key] = pattern.id
        counts = self._word_counts
        for word in set(form.core) if len(form.core) > 1 else form.core:
            counts[word] = counts.get(word, 0) + 1
        return pattern

    def _index_pattern(self, pattern: _Pattern) -> None:
        pattern.anchor = _choose_anchor(pattern.words, self._word_counts)
        pattern.anchor_capital = pattern.rule is not _Rule.PLAIN and _anchor_needs_capital(pattern)
        anchor = pattern.words[pattern.anchor]
        _add_id(self._anchors, anchor, pattern.id)
        if pattern.fuzzy and len(anchor) >= _MIN_TYPO_WORD:
            if not pattern.capitalised[pattern.anchor]:
                self._lower_case_typo_anchors += 1
            uses = self._typo_anchor_uses.get(anchor, 0)
            self._typo_anchor_uses[anchor] = uses + 1
            if not uses:
                for key in _halves(anchor):
                    self._typo_keys.setdefault(key, []).append(anchor)

    def _drop_pattern(self, pattern: _Pattern) -> None:
        anchor = pattern.words[pattern.anchor]
        _remove_id(self._anchors, anchor, pattern.id)
        if pattern.fuzzy and len(anchor) >= _MIN_TYPO_WORD:
            if not pattern.capitalised[pattern.anchor]:
                self._lower_case_typo_anchors -= 1
            uses = self._typo_anchor_uses.pop(anchor, 1) - 1
            if uses:
                self._typo_anchor_uses[anchor] = uses
            else:
                for key in _halves(anchor):
                    bucket = self._typo_keys.get(key, [])
                    if anchor in bucket:
                        bucket.remove(anchor)
                    if not bucket:
                        self._typo_keys.pop(key, None)
        counts = self._word_counts
        for word in set(pattern.words):
            left = counts.get(word, 0) - 1
            if left > 0:
                counts[word] = left
            else:
                counts.pop(word, None)
        del self._patterns[pattern.id]
        form_key = (tuple(pattern.words), pattern.cased if pattern.rule is _Rule.CASED else "")
        self._pattern_ids.pop(form_key, None)

    def _forget_lookups(self) -> None:
        self._candidates.clear()
        self._typo_neighbours.clear()

    def _lookup(self, written: str) -> _Candidates | None:
        """Patterns whose anchor is this word, or one edit away from it, that its case allows.

        `written` is the token with its case kept. A capital is needed where the case rules
        want one (case-sensitive and common-word aliases) and for every typo of a name
        written with capitals (rule 6), so lower-case words skip those patterns and, unless
        some typo-tolerant anchor is lower case in its alias, skip the typo probe.
        """
        word = written.lower()
        if "ks" in word:
            word = word.replace("ks", "x")
        capital = written[0].isupper()
        # A digit is no capital for the case rules, but it is no lower-case letter either.
        lower_case = written[0].islower()
        patterns = self._patterns
        found: list[tuple[_Pattern, bool]] = []
        exact = self._anchors.get(word)
        if exact is not None:
            for pattern_id in [exact] if isinstance(exact, int) else exact:
                pattern = patterns[pattern_id]
                if capital or not pattern.anchor_capital:
                    typo_ok = pattern.fuzzy and not (
                        lower_case and pattern.capitalised[pattern.anchor]
                    )
                    found.append((pattern, typo_ok))
        if (capital or self._lower_case_typo_anchors) and self._may_be_typo(word):
            for pattern_id in self._typo_neighbour_ids(word):
                pattern = patterns[pattern_id]
                if pattern.words[pattern.anchor] != word and (
                    capital or not pattern.capitalised[pattern.anchor]
                ):
                    found.append((pattern, True))
        if not found:
            return None
        singles: list[tuple[_Pattern, int]] = []
        near: list[_Pattern] = []
        groups: dict[tuple[int, int, bool], dict[tuple[str, ...], list[_Pattern]]] = {}
        for pattern, typo_ok in found:
            typo_in_anchor = pattern.words[pattern.anchor] != word
            if pattern.size == 1:
                # The lookup verified the one edit, the common-word and the case rules.
                singles.append((pattern, int(typo_in_anchor)))
                continue
            key = tuple(pattern.words)
            if typo_in_anchor:
                key = key[: pattern.anchor] + key[pattern.anchor + 1 :]
            elif typo_ok and any(
                len(alias_word) >= _MIN_TYPO_WORD
                for position, alias_word in enumerate(pattern.words)
                if position != pattern.anchor
            ):
                near.append(pattern)
            group = groups.setdefault((pattern.anchor, pattern.size, typo_in_anchor), {})
            group.setdefault(key, []).append(pattern)
        return _Candidates(
            tuple(singles),
            tuple(
                _WindowGroup(before, size, typo_in_anchor, patterns)
                for (before, size, typo_in_anchor), patterns in groups.items()
            ),
            tuple(near),
        )

    @staticmethod
    def _may_be_typo(word: str) -> bool:
        return len(word) >= _MIN_TYPO_WORD - 1 and word not in COMMON_WORDS and not word.isdigit()

    def _typo_neighbour_ids(self, word: str) -> list[int]:
        """Typo-tolerant patterns whose anchor is one edit from `word` (cached per word)."""
        ids = self._typo_neighbours.get(word)
        if ids is not None:
            return ids
        ids = []
        typo_keys = self._typo_keys
        for key in _typo_probe_keys(word):
            bucket = typo_keys.get(key)
            if not bucket:
                continue
            # One C call checks the whole bucket; buckets of short keys are large.
            for anchor, _distance, _position in process.extract(
                word, bucket, scorer=OSA.distance, score_cutoff=1, limit=None
            ):
                anchored = self._anchors[anchor]
                for pattern_id in [anchored] if isinstance(anchored, int) else anchored:
                    if self._patterns[pattern_id].fuzzy and pattern_id not in ids:
                        ids.append(pattern_id)
        if len(self._typo_neighbours) > _CACHE_LIMIT:
            self._typo_neighbours.clear()
        self._typo_neighbours[word] = ids
        return ids

    def match(self, article: Article) -> list[Match]:
        """Every mention of every entity, title first, then by position."""
        title_case = _is_title_case(article.title)
        mentions = self._scan("title", article.title, title_case)
        mentions += self._scan("text", article.text, False)
        if not mentions:
            return []
        supported = {mention.entity_id for mention in mentions if mention.confirmed}
        mentions = [mention for mention in mentions if mention.entity_id in supported]
        mentions = _resolve_overlaps(mentions)
        texts = {"title": article.title, "text": article.text}
        return [
            Match(
                entity_id=mention.entity_id,
                entity=self._entities[mention.entity_id].name,
                alias=mention.alias,
                field=mention.field,
                start=mention.start,
                end=mention.end,
                text=texts[mention.field][mention.start : mention.end],
                score=mention.score,
                kind=_kind(mention.distance),
            )
            for mention in mentions
        ]

    def _scan(self, field_name: Field, text: str, capitals_prove_nothing: bool) -> list[_Mention]:
        if not text:
            return []
        tokens = tokenize(text)
        words = tokens.words
        candidates = self._candidates
        if len(candidates) > _CACHE_LIMIT:
            candidates.clear()
        found_per_word = list(map(candidates.__getitem__, tokens.cased))
        # Words without candidates hold None, so compress keeps just the indices of hits.
        hits = list(compress(range(len(found_per_word)), found_per_word))
        if not hits:
            return []
        count = len(words)
        # (pattern, first word, end word, edits) of every mention the words allow.
        spotted: list[tuple[_Pattern, int, int, int]] = []
        for index in hits:
            candidates_here = found_per_word[index]
            if candidates_here is None:
                continue
            for pattern, distance in candidates_here.singles:
                spotted.append((pattern, index, index + 1, distance))
            for group in candidates_here.windows:
                first = index - group.before
                last = first + group.size
                if first < 0 or last > count:
                    continue
                if group.typo_in_anchor:
                    key = tuple(words[first:index] + words[index + 1 : last])
                else:
                    key = tuple(words[first:last])
                for pattern in group.patterns.get(key, ()):
                    if not group.typo_in_anchor:
                        spotted.append((pattern, first, last, 0))
                    elif _is_one_typo_away(words[first:last], pattern, tokens, text, first):
                        spotted.append((pattern, first, last, 1))
            for pattern in candidates_here.near:
                first = index - pattern.anchor
                last = first + pattern.size
                if first < 0 or last > count:
                    continue
                window = words[first:last]
                if (
                    # All words but one must be equal: counted in C before the details.
                    sum(map(eq, window, pattern.words)) == pattern.size - 1
                    and _is_one_typo_away(window, pattern, tokens, text, first)
                ):
                    spotted.append((pattern, first, last, 1))
        if not spotted:
            return []
        url_spans = _url_spans(text)
        starts = tokens.starts
        mentions: list[_Mention] = []
        for pattern, first, last, distance in spotted:
            if (
                last - first > 1
                and not pattern.breaks_inside
                and _INNER_BREAK.search(text, starts[first], tokens.ends[last - 1])
            ):
                continue
            confirmed = _form_is_right(pattern, tokens, text, first, last, capitals_prove_nothing)
            if confirmed is None:
                continue
            if url_spans and any(a <= starts[first] < b for a, b in url_spans):
                continue
            mentions.extend(
                self._owner_mentions(
                    pattern, field_name, tokens, text, first, last, distance, confirmed
                )
            )
        return _longest_per_entity(mentions)

    def _owner_mentions(
        self,
        pattern: _Pattern,
        field_name: Field,
        tokens: Tokens,
        text: str,
        first: int,
        last: int,
        distance: int,
        confirmed: bool,
    ) -> list[_Mention]:
        words = tokens.words
        found: list[_Mention] = []
        for owner in pattern.owners:
            if self._is_excluded(owner.entity_id, words, first, last):
                continue
            end, extra = _extend_over_suffix(tokens, text, last, owner.suffix, distance)
            total = distance + extra
            # A corporate suffix after the name is the proper-noun signal capitals can't give.
            counts_alone = confirmed or end > last
            if total:
                matched = " ".join(words[first:end])
                full = " ".join((*pattern.words, *owner.suffix[: end - last]))
                score = 100.0 * (1.0 - total / max(len(matched), len(full)))
            else:
                score = 100.0
            found.append(
                _Mention(
                    entity_id=owner.entity_id,
                    alias=owner.alias,
                    field=field_name,
                    first=first,
                    last=end,
                    start=tokens.starts[first],
                    end=tokens.ends[end - 1],
                    distance=total,
                    score=score,
                    confirmed=counts_alone,
                    alias_misfit=int(
                        "".join(words[first:end]) != "".join((*pattern.words, *owner.suffix))
                    ),
                )
            )
        return found

    def _is_excluded(self, entity_id: int, words: list[str], first: int, last: int) -> bool:
        """True when one of the entity's exclude phrases covers words[first:last]."""
        for phrase in self._excludes.get(entity_id, ()):
            size = len(phrase)
            for start in range(max(0, first - size + 1), min(last, len(words) - size + 1)):
                if all(
                    words[start + offset] == phrase[offset]
                    or (
                        offset == size - 1
                        and words[start + offset] in (phrase[offset] + "s", phrase[offset] + "es")
                    )
                    for offset in range(size)
                ):
                    return True
        return False


def _choose_anchor(words: list[str], counts: dict[str, int]) -> int:
    """Index of the alias word to index the alias under: the rarest one.

    Ordinary words are frequent in any text, so they anchor only all-common names; among
    the rest, the word fewest aliases share wins, then the longest.
    """
    if len(words) == 1:
        return 0
    return min(
        range(len(words)),
        key=lambda index: (
            words[index] in COMMON_WORDS,
            counts.get(words[index], 0),
            -len(words[index]),
        ),
    )


def _anchor_needs_capital(pattern: _Pattern) -> bool:
    """True when the text word matching the anchor must start with a capital."""
    if pattern.rule is _Rule.COMMON:
        return True
    if pattern.rule is not _Rule.CASED:
        return False
    position = sum(len(word) for word in pattern.words[: pattern.anchor])
    return position < len(pattern.cased) and pattern.cased[position].isupper()


def _kind(distance: int) -> MatchKind:
    return "exact" if distance == 0 else "fuzzy"


def _form_is_right(
    pattern: _Pattern,
    tokens: Tokens,
    text: str,
    first: int,
    last: int,
    capitals_prove_nothing: bool,
) -> bool | None:
    """None if the case rules reject the mention, else whether it counts on its own."""
    if pattern.rule is _Rule.PLAIN:
        return None if last - first == 1 and _is_place(tokens, text, last) else True
    span = text[tokens.starts[first] : tokens.ends[last - 1]]
    if pattern.rule is _Rule.CASED:
        if span != pattern.cased and _cased_letters(span) != pattern.cased:
            return None
    elif not all(text[tokens.starts[index]].isupper() for index in range(first, last)):
        return None
    if last - first == 1 and _is_place(tokens, text, last):
        return None
    if _is_inside_other_name(tokens, text, first, last):
        return False
    if not pattern.common:
        return True
    shouting = len(span) > 1 and span.isupper() and not pattern.cased.isupper()
    if capitals_prove_nothing or shouting:
        return False
    if last - first > 1 or not _is_sentence_start(text, tokens.starts[first]):
        return True
    return _reads_as_company(tokens, text, last)


def _is_one_typo_away(
    window: list[str], pattern: _Pattern, tokens: Tokens, text: str, first: int
) -> bool:
    """One edit in one long alias word, where the text has a non-word cased like the alias."""
    alias_words = pattern.words
    different = -1
    for index, word in enumerate(window):
        if word != alias_words[index]:
            if different >= 0:
                return False
            different = index
    word, alias_word = window[different], alias_words[different]
    # Cheapest refusals first: lengths, then the edit distance, then words and case.
    if len(alias_word) < 5 or not -1 <= len(word) - len(alias_word) <= 1:
        return False
    if OSA.distance(word, alias_word, score_cutoff=1) > 1 or word in COMMON_WORDS:
        return False
    for index, capitalised in enumerate(pattern.capitalised):
        if capitalised and text[tokens.starts[first + index]].islower():
            return False
    return True


def _extend_over_suffix(
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
            for run in (3, 2):
                if _is_letter_run_suffix(words[end : end + run], run):
                    size = run
                    break
        elif (
            distance + extra == 0
            and text[starts[end]].isupper()
            and any(
                len(suffix) >= 5 and OSA.distance(word, suffix, score_cutoff=1) == 1
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


def _longest_per_entity(mentions: list[_Mention]) -> list[_Mention]:
    """One mention per entity per span: the longest, then the exact one, wins."""
    if len(mentions) < 2:
        return mentions
    mentions.sort(
        key=lambda m: (m.entity_id, -(m.last - m.first), m.distance, m.alias_misfit, m.first)
    )
    kept: list[_Mention] = []
    covered: set[tuple[int, int]] = set()
    for mention in mentions:
        span = [(mention.entity_id, index) for index in range(mention.first, mention.last)]
        if covered.isdisjoint(span):
            covered.update(span)
            kept.append(mention)
    return kept


def _overlap(one: _Mention, other: _Mention) -> bool:
    return one.start < other.end and other.start < one.end


def _is_overshadowed(mention: _Mention, other: _Mention) -> bool:
    """True when another entity's mention explains these words better.

    A longer mention that contains this one wins; otherwise, on overlapping words, an
    exact mention wins over a fuzzy one.
    """
    if other.entity_id == mention.entity_id or not _overlap(mention, other):
        return False
    inside_other = other.start <= mention.start and mention.end <= other.end
    other_inside = mention.start <= other.start and other.end <= mention.end
    if inside_other and not other_inside:
        return True
    if other_inside and not inside_other:
        return False
    return mention.distance > 0 and other.distance == 0


def _resolve_overlaps(mentions: list[_Mention]) -> list[_Mention]:
    """Apply the cross-entity rules and order mentions: title first, then by position."""
    mentions.sort(key=lambda m: (m.field != "title", m.start, -m.end, m.entity_id))
    result: list[_Mention] = []
    cluster: list[_Mention] = []
    cluster_end = -1
    for mention in [*mentions, None]:
        if (
            mention is not None
            and cluster
            and mention.field == cluster[0].field
            and mention.start < cluster_end
        ):
            cluster.append(mention)
            cluster_end = max(cluster_end, mention.end)
            continue
        if len(cluster) == 1:
            result.extend(cluster)
        elif cluster:
            result.extend(
                m for m in cluster if not any(_is_overshadowed(m, other) for other in cluster)
            )
        if mention is not None:
            cluster = [mention]
            cluster_end = mention.end
    return result

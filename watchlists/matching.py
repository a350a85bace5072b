"""Finding watched entities in articles.

Every alias of every watched entity lives in one global `MatchIndex`; an article is
matched once against it. The rules, in the order they apply:

1. Aliases and text share one normalisation (`watchlists.normalize`): NFKC, case folding,
   one apostrophe, one dash, diacritics removed, other scripts transliterated, possessive
   "'s" dropped. Offsets of every mention point into the original title or text.
2. Corporate suffixes (Inc, Ltd, Group, Holding(s), PJSC, plc, AG, S.A., Corp, LLC, NV, SE,
   GmbH, ...) and a leading "The" are optional: an alias is indexed by its core ("Barrick
   Gold Corp" -> "barrick gold"), and a mention is extended over the suffixes that follow
   it in the text, so "Alibaba Group Holding Ltd" is one mention of "Alibaba Group". A
   mention without the suffix its alias has ("Mail.ru" for "Mail.ru Group", when no alias
   of the entity is "Mail.ru") is of kind "partial", scored below an exact one (90).
3. Short aliases (fewer than 4 letters or digits) and acronyms (all capitals, at most 5
   letters or digits) match only as whole tokens with the same letters in the same case:
   "VK" does not fire in "VKontakte" nor on "vk". Such aliases never match fuzzily.
4. Aliases whose words are all ordinary English words (`COMMON_WORDS`: Shell, Apple,
   Amazon, General Electric), and capitalised Latin names of several words of at least 4
   letters that are all dictionary words ("Media Bank": "media bank" is those words),
   need the proper-noun form: every word capitalised in the
   text. Where capitals prove nothing (first word of a sentence or line, a Title Case
   headline, text in capitals) the mention counts only if the same entity has a mention
   elsewhere in the article that counts on its own. The same holds for short, acronym
   and common-word aliases run together with another capitalised word ("JD Sports",
   "Big Apple", "Orange County"): likely another name. A one-word name followed by ", "
   and a US state ("Brookfield, Wisconsin") is a place and never matches.
   A one-word name is judged by the words of the language (`watchlists.matching_lexicon`):
   one that is a dictionary word ("Bullish") needs a capital, is no part of a hyphenated
   compound ("All-Star", "On-site"; "Shell-led" still counts) and, run into an acronym
   or "of" and a capitalised word ("Target CPA", "Sea of Thieves"), counts only with
   support; one that is a common word once its suffix is dropped ("Post", "Strategy",
   "Match") or a person's given name or surname ("Campbell", "Rogers") counts only where
   it reads as a company: a suffix, a ticker, "said", a deal verb, an appositive (for a
   person's name: not "said", not after "Mr", not a possessive unless the alias has one,
   as "CAMPBELL'S Co" does). No name counts inside an identifier ("TARGET_CPA") or as
   the exchange of a ticker label ("(Nasdaq: URBN)"), and a name shouted in a run of
   capitals ("DOMO DOMO DOMO") counts only with support.
5. Per-entity `exclude` phrases veto only the mentions they cover ("Amazon rainforest"
   vetoes that "Amazon", not an "Amazon" elsewhere in the article). A trailing "s"/"es"
   on the phrase's last word is tolerated ("shell companies" for "shell company").
6. One-edit typos (substitution, insertion, deletion, adjacent swap: OSA distance 1) match
   as kind "fuzzy" with a score below 100 when the alias has at least 6 letters, the edit
   falls in one alias word of at least 5 letters, the text word carrying it is not an
   ordinary English word nor a word of any watched name, and the text words are
   capitalised where the alias's are ("Alibbaba", "Sberbnak", "Temasek Holdngs",
   "Russia's Direct Investment Fund" for "Russian Direct Investment Fund"). A typo of a
   one-word name must be a rare word: no word of a language of the news ("Looking" is
   no Booking, "Marvel" no Markel, "Essen" no Essent) and no person's name ("Marvin" is
   no Marvion); "McDonald's" is "MCDONALDS" written with an apostrophe.
7. Nothing matches inside URLs or e-mail addresses (https://vk.com/x, press@vk.com,
   vk.com/x); a bare domain written in prose ("VK.com") is the company's name and counts.
8. One entity gets one mention per span: the longest wins, then exact over fuzzy.
   Across entities, a mention inside a longer mention of another entity is dropped
   ("Alibaba" inside "Alibaba Pictures"), and where mentions overlap otherwise a fuzzy one
   gives way to an exact one. An alias shared by two entities reports both.
9. A word written in Cyrillic may be a declined form of an alias word ("Яндексом",
   "Российского фонда прямых инвестиций", "Лукойла" for Lukoil), and names that are
   ordinary Russian words (Магнит, Озон) need the proper-noun form: the rules are in
   `watchlists.matching_russian`.

How it stays fast with 100,000 aliases (filter, then verify): each alias core is indexed
under its rarest word that is not an ordinary English word (the anchor); anchors of
typo-tolerant aliases are also indexed under their head and tail halves (one edit leaves
one of them intact), and a text word probes those keys and verifies what it finds with
OSA. Each distinct text word, as written, is looked up once (cached until the index
changes): its case already rules out the aliases that need a capital, and a lower-case
word is not probed for typos while every typo-tolerant anchor is capitalised (rule 6).
The aliases a word may belong to are grouped by where the anchor sits, so one dictionary
look-up of the surrounding words finds the exact ones (and those with a typo in the
anchor). An alias that may carry a typo in another word is found the same way: the alias
words one edit from the text word there come from a second typo-key table over the
aliases' other long words (looked up once per word, and mostly none), and the window spelt
with one of them is one dictionary look-up. Adding or removing an
entity touches only its own aliases. The index keeps few objects the cyclic garbage
collector must track (owners and alias words are plain tuples), so a bulk build runs with
the collector on and the index never switches it off for the process.

Layout: the word lists are data in `watchlists.matching_words`; how a mention reads in
its text (sentence starts, headlines, suffixes, places, URLs) is `watchlists.matching_text`;
which overlapping mentions are reported is `watchlists.matching_mentions`; what a text
word may be part of, grouped for look-ups, is `watchlists.matching_candidates`; the
mentions of each entity that owns a pattern (suffixes, scores) are
`watchlists.matching_owners`; what the words of the language are (word frequencies, a
dictionary, people's names) is `watchlists.matching_lexicon`, injected as
`MatchIndex(..., lexicon=...)`; every cut-off is a named constant at the top of the module
that decides it.

Per article, Python touches only the words that have candidates, and for a multi-word
alias only the windows whose neighbouring word fits (one look-up); a mention that counts
only with support is not built at all unless its entity has a mention that counts alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from itertools import chain, compress, groupby
from operator import itemgetter
from typing import TypeVar, cast

from rapidfuzz import process
from rapidfuzz.distance import OSA

from watchlists.matching_abbreviations import is_defined_in, is_form_prefix
from watchlists.matching_alias import AliasForm, Rule, alias_form, analyse_alias
from watchlists.matching_candidates import (
    Candidates,
    LookupCache,
    Pattern,
    Patterns,
    Record,
    WindowGroup,
    group_candidates,
)
from watchlists.matching_keys import (
    MAX_EDITS,
    add_anchor,
    add_id,
    halves,
    remove_anchor,
    remove_id,
    typo_probe_keys,
)
from watchlists.matching_lexicon import DEFAULT_LEXICON, Lexicon
from watchlists.matching_mentions import Mention, kind_of, longest_per_entity, resolve_overlaps
from watchlists.matching_owners import Owner, never_counts_alone, owner_mentions
from watchlists.matching_russian import (
    RUSSIAN_COMMON_WORDS,
    declinable,
    follows_dateline,
    is_cyrillic,
    same_word,
    stem_keys,
)
from watchlists.matching_text import (
    INNER_BREAK,
    MIN_TYPO_WORD,
    cased_letters,
    follows_capitalised_word,
    is_exchange_label,
    is_in_compound,
    is_in_identifier,
    is_inside_other_name,
    is_place,
    is_sentence_start,
    is_shouted,
    is_title_case,
    reads_as_company,
    reads_as_named_company,
    runs_into_other_name,
    url_spans,
)
from watchlists.matching_words import COMMON_WORDS
from watchlists.model import Article, Entity, Field, Match
from watchlists.normalize import Tokens, normalize_words, tokenize

__all__ = ["MatchIndex", "analyse_alias"]

# A typo-tolerant alias has at least this many letters (and one word of MIN_TYPO_WORD).
_MIN_FUZZY_ALIAS_LETTERS = 6
# Words seen in texts whose candidates are cached, before the caches start over.
_CACHE_LIMIT = 400_000
# How a one-word name must read in a text (rule 4): it is a word, so it needs a capital
# ("Bullish"); a common word, so it must read as a company ("Post" of "Post Holdings,
# Inc."); a person's name ("Campbell" of "CAMPBELL'S Co"); or a person's name the alias
# writes with "'s", so that "Campbell's" in a text is the name itself.
_WORD_NAME, _COMMON_WORD_NAME, _PERSON_NAME, _PERSON_POSSESSIVE_NAME = 0, 1, 2, 3
# Zipf frequencies in English (`Lexicon.dictionary_frequency`) from which a dictionary word
# is a word (once per million words), and a common word: the rarest of the issue's
# examples, "booking", is 3.9; brands that are rarer words ("Oculus" 3.2, "BlackBerry"
# 3.6) stay names.
_WORD_NAME_ZIPF = 3.0
_COMMON_WORD_NAME_ZIPF = 3.7


_T = TypeVar("_T")

# A mention left to build until the article shows whether its entity has support: (where
# it goes in the field's mention list, pattern, first word, end word, edits).
_Deferred = tuple[int, Pattern, int, int, int]
# What scanning a field gives: its mentions, the deferred ones, its tokens.
_Scanned = tuple[list[Mention], list[_Deferred], Tokens]
_NO_TOKENS = Tokens([], [], [], [])
_new_object = object.__new__
_entity_of = itemgetter(0)


class MatchIndex:
    """One index over every watched entity; each article is matched once against it."""

    def __init__(self, entities: Iterable[Entity] = (), lexicon: Lexicon = DEFAULT_LEXICON) -> None:
        self._lexicon = lexicon
        # One-word names that must read as a company, by pattern id (rule 4).
        self._one_word_names: dict[int, int] = {}
        self._entities: dict[int, Entity] = {}
        self._entity_patterns: dict[int, tuple[int, ...]] = {}
        self._excludes: dict[int, list[tuple[str, ...]]] = {}
        self._records: dict[int, Record] = {}
        self._owners: dict[int, tuple[Owner, ...]] = {}
        self._patterns = Patterns(self._records)
        self._pattern_ids: dict[tuple[str, str], int] = {}
        # One shared copy of each small tuple (suffixes, capitalisation) the records hold.
        self._shared: dict[tuple[object, ...], tuple[object, ...]] = {}
        self._word_counts: dict[str, int] = {}
        self._anchors: dict[str, int | list[int]] = {}
        # Typo key -> anchor words (of typo-tolerant patterns) that have that key, and how
        # many typo-tolerant patterns use each such anchor word.
        # A key most anchors do not share holds a 1-tuple, not a list to track.
        self._typo_keys: dict[str, tuple[str] | list[str]] = {}
        self._typo_anchor_uses: dict[str, int] = {}
        # How many typo-tolerant anchors are written in lower case in their alias: while
        # none is, a lower-case text word can't carry a typo and is never probed.
        self._lower_case_typo_anchors = 0
        # The same for the other long words of typo-tolerant multi-word patterns (a typo
        # outside the anchor): typo key -> such words, and how many patterns use each.
        self._inner_typo_keys: dict[str, tuple[str] | list[str]] = {}
        self._inner_typo_uses: dict[str, int] = {}
        # Caches, emptied whenever the index changes: candidates per text word as written
        # (case decides which patterns apply) and typo-probe results per normalised word.
        self._candidates: LookupCache[Candidates] = LookupCache(self._lookup)
        self._typo_neighbours: dict[str, list[int]] = {}
        # Stem -> patterns that a declined Cyrillic word may belong to (matching_russian),
        # built on the first Cyrillic text, so Latin-only use never pays for it; with the
        # patterns found per normalised text word.
        self._declined_anchors: dict[str, int | list[int]] | None = None
        self._declined_candidates: dict[str, tuple[int, ...]] = {}
        # Entities with an exclude phrase in Cyrillic, which covers declined forms too.
        self._cyrillic_excludes: set[int] = set()
        # Text word -> the inner alias words one edit from it (mostly none).
        self._inner_neighbours: LookupCache[tuple[str, ...]] = LookupCache(
            self._inner_words_one_edit_from
        )
        self._next_pattern_id = 0
        self._add_entities(list(entities))

    # The state `snapshot` saves: every table of the index, no cache.
    _STATE = (
        "_entity_patterns",
        "_excludes",
        "_records",
        "_owners",
        "_pattern_ids",
        "_shared",
        "_word_counts",
        "_anchors",
        "_typo_keys",
        "_typo_anchor_uses",
        "_lower_case_typo_anchors",
        "_inner_typo_keys",
        "_inner_typo_uses",
        "_one_word_names",
        "_cyrillic_excludes",
        "_next_pattern_id",
    )

    def snapshot(self) -> dict[str, object]:
        """The whole index as plain data (str, int, bool, tuple, list, dict) that
        `from_snapshot` turns back into the same index; `marshal` can store it."""
        state: dict[str, object] = {name: getattr(self, name) for name in self._STATE}
        state["_entities"] = [
            (entity.id, entity.name, entity.aliases, entity.exclude)
            for entity in self._entities.values()
        ]
        return state

    @classmethod
    def from_snapshot(cls, state: dict[str, object]) -> MatchIndex:
        """The index a `snapshot` was taken of, without building it again."""
        index = cls()
        for name in cls._STATE:
            setattr(index, name, state[name])
        entities = cast(list[tuple[int, str, tuple[str, ...], tuple[str, ...]]], state["_entities"])
        index._entities = {
            entity_id: Entity(name=name, aliases=aliases, exclude=exclude, id=entity_id)
            for entity_id, name, aliases, exclude in entities
        }
        index._patterns = Patterns(index._records)
        return index

    def __len__(self) -> int:
        return len(self._entities)

    @property
    def alias_count(self) -> int:
        """How many distinct normalised alias cores the index holds."""
        return len(self._records)

    def add(self, entity: Entity) -> None:
        """Add an entity, or replace the one with the same id."""
        self._add_entities([entity])

    def remove(self, entity_id: int) -> None:
        """Forget an entity; unknown ids are ignored."""
        if self._entities.pop(entity_id, None) is None:
            return
        self._excludes.pop(entity_id, None)
        self._cyrillic_excludes.discard(entity_id)
        self._forget_lookups()
        for pattern_id in self._entity_patterns.pop(entity_id, ()):
            owners = self._owners.get(pattern_id)
            if owners is None:
                continue
            owners = tuple(owner for owner in owners if owner[0] != entity_id)
            if owners:
                self._owners[pattern_id] = owners
            else:
                self._drop_pattern(self._patterns[pattern_id])

    def _add_entities(self, entities: list[Entity]) -> None:
        for entity in entities:
            if entity.id in self._entities:
                self.remove(entity.id)
        self._forget_lookups()
        new_patterns: list[int] = []
        # Owners are gathered in one list of plain tuples and stored once per pattern: no
        # list per pattern for the collector to track, and no tuple grown one alias at a
        # time when many entities share an alias.
        owner_patterns: list[int] = []
        new_owners: list[Owner] = []
        for entity in entities:
            self._entities[entity.id] = entity
            if entity.exclude:
                self._excludes[entity.id] = [
                    words for words in map(normalize_words, entity.exclude) if words
                ]
                if any(map(is_cyrillic, "".join(entity.exclude))):
                    self._cyrillic_excludes.add(entity.id)
            pattern_ids: list[int] = []
            for alias in entity.names:
                form = alias_form(alias)
                if form is None:
                    continue
                if form.rule is Rule.PLAIN and self._is_name_of_words(form, alias):
                    form = replace(form, rule=Rule.NAMED)
                form_key = form.key
                pattern_id = self._pattern_ids.get(form_key)
                if pattern_id is None:
                    pattern_id = self._new_pattern(form, form_key)
                    new_patterns.append(pattern_id)
                owner_patterns.append(pattern_id)
                new_owners.append((entity.id, alias, self._share(form.suffix)))
                if pattern_id not in pattern_ids:
                    pattern_ids.append(pattern_id)
                if len(form.core) == 1:
                    self._note_one_word_name(pattern_id, form, alias)
            self._entity_patterns[entity.id] = tuple(pattern_ids)
        # A stable sort keeps each pattern's owners in the order they were added.
        order = sorted(range(len(new_owners)), key=owner_patterns.__getitem__)
        for pattern_id, positions in groupby(order, key=owner_patterns.__getitem__):
            self._owners[pattern_id] = self._owners.get(pattern_id, ()) + tuple(
                map(new_owners.__getitem__, positions)
            )
        # Anchors are chosen once every new alias is counted, so a bulk build picks the
        # rarest word over the whole watchlist.
        for pattern_id in new_patterns:
            self._index_pattern(pattern_id)

    def _new_pattern(self, form: AliasForm, key: tuple[str, str]) -> int:
        """Record a new pattern (its anchor is chosen later) and count its words."""
        letters = sum(map(len, form.core))
        fuzzy = (
            form.rule in (Rule.PLAIN, Rule.NAMED)
            and letters >= _MIN_FUZZY_ALIAS_LETTERS
            and max(map(len, form.core)) >= MIN_TYPO_WORD
        )
        pattern_id = self._next_pattern_id
        self._next_pattern_id += 1
        self._records[pattern_id] = (
            key[0],
            int(form.rule),
            form.cased,
            fuzzy,
            COMMON_WORDS.issuperset(form.core),
            self._share(form.capitalised),
            form.breaks_inside,
            0,
            False,
        )
        self._pattern_ids[key] = pattern_id
        counts = self._word_counts
        for word in set(form.core) if len(form.core) > 1 else form.core:
            counts[word] = counts.get(word, 0) + 1
        return pattern_id

    def _is_name_of_words(self, form: AliasForm, alias: str) -> bool:
        """True for a capitalised name of several words written in Latin letters, each of at
        least 4 letters and a dictionary word ("Media Bank", "Global Energy Partners"):
        in lower case it is those words. ("Amazon Com", "New York Times" keep their rule.)"""
        # Cheapest refusals first: a build asks this of every plain alias.
        return (
            len(form.core) > 1
            and all(form.capitalised)
            and all(word.isalpha() and len(word) >= 4 for word in form.core)
            and (alias.isascii() or all(ord(c) < 0x250 for c in alias if c.isalpha()))
            and all(map(self._is_dictionary_word, form.core))
        )

    def _is_dictionary_word(self, word: str) -> bool:
        """True for a word of the dictionary, or its plural ("metals"); place and brand
        names frequent on the web ("brookfield", "alibaba") are not."""
        frequency = self._lexicon.dictionary_frequency
        return frequency(word) > 0 or (word.endswith("s") and frequency(word[:-1]) > 0)

    def _note_one_word_name(self, pattern_id: int, form: AliasForm, alias: str) -> None:
        """Remember a one-word name that is a person's name or a word (rule 4)."""
        if form.rule not in (Rule.PLAIN, Rule.NAMED):
            return
        word = form.core[0]
        frequency = self._lexicon.dictionary_frequency(word)
        # A common word that is also a surname ("Post", "Crane") reads as the word: "Post
        # said" is the company, as for any common-word name.
        if form.rule is Rule.NAMED and frequency >= _COMMON_WORD_NAME_ZIPF:
            self._one_word_names[pattern_id] = _COMMON_WORD_NAME
        elif self._lexicon.is_person_name(word):
            possessive = alias.lower().replace("’", "'").find(word + "'s") >= 0
            reading = _PERSON_POSSESSIVE_NAME if possessive else _PERSON_NAME
            self._one_word_names[pattern_id] = max(
                reading, self._one_word_names.get(pattern_id, reading)
            )
        elif frequency >= _WORD_NAME_ZIPF:
            self._one_word_names[pattern_id] = _WORD_NAME

    def _index_pattern(self, pattern_id: int) -> None:
        key, rule, cased, fuzzy, common, capitalised, breaks_inside, _, _ = self._records[
            pattern_id
        ]
        words = tuple(key.split(" "))
        anchor_at = _choose_anchor(words, self._word_counts)
        anchor_capital = rule != Rule.PLAIN and _anchor_needs_capital(
            Rule(rule), words, cased, anchor_at
        )
        self._records[pattern_id] = (
            key,
            rule,
            cased,
            fuzzy,
            common,
            capitalised,
            breaks_inside,
            anchor_at,
            anchor_capital,
        )
        self._patterns.pop(pattern_id, None)
        anchor = words[anchor_at]
        add_id(self._anchors, anchor, pattern_id)
        if self._declined_anchors is not None:
            self._index_declined(pattern_id, Rule(rule), anchor)
        if fuzzy and len(anchor) >= MIN_TYPO_WORD:
            if not capitalised[anchor_at]:
                self._lower_case_typo_anchors += 1
            uses = self._typo_anchor_uses.get(anchor, 0)
            self._typo_anchor_uses[anchor] = uses + 1
            if not uses:
                for key in halves(anchor):
                    add_anchor(self._typo_keys, key, anchor)
        if fuzzy and len(words) > 1:
            inner_uses = self._inner_typo_uses
            for position, word in enumerate(words):
                if position != anchor_at and len(word) >= MIN_TYPO_WORD:
                    uses = inner_uses.get(word, 0)
                    inner_uses[word] = uses + 1
                    if not uses:
                        for key in halves(word):
                            add_anchor(self._inner_typo_keys, key, word)

    def _drop_pattern(self, pattern: Pattern) -> None:
        anchor = pattern.words[pattern.anchor]
        remove_id(self._anchors, anchor, pattern.id)
        if self._declined_anchors is not None and pattern.rule is not Rule.CASED:
            for key in stem_keys(anchor):
                remove_id(self._declined_anchors, key, pattern.id)
        if pattern.fuzzy and len(anchor) >= MIN_TYPO_WORD:
            if not pattern.capitalised[pattern.anchor]:
                self._lower_case_typo_anchors -= 1
            uses = self._typo_anchor_uses.pop(anchor, 1) - 1
            if uses:
                self._typo_anchor_uses[anchor] = uses
            else:
                for key in halves(anchor):
                    remove_anchor(self._typo_keys, key, anchor)
        if pattern.fuzzy and pattern.size > 1:
            inner_uses = self._inner_typo_uses
            for position, word in enumerate(pattern.words):
                if position != pattern.anchor and len(word) >= MIN_TYPO_WORD:
                    uses = inner_uses.pop(word, 1) - 1
                    if uses:
                        inner_uses[word] = uses
                    else:
                        for key in halves(word):
                            remove_anchor(self._inner_typo_keys, key, word)
        counts = self._word_counts
        for word in set(pattern.words):
            left = counts.get(word, 0) - 1
            if left > 0:
                counts[word] = left
            else:
                counts.pop(word, None)
        del self._records[pattern.id]
        self._one_word_names.pop(pattern.id, None)
        self._patterns.pop(pattern.id, None)
        self._owners.pop(pattern.id, None)
        form_key = (
            pattern.key,
            "^"
            if pattern.rule is Rule.NAMED
            else pattern.cased
            if pattern.rule is Rule.CASED
            else "",
        )
        self._pattern_ids.pop(form_key, None)

    def _share(self, value: tuple[_T, ...]) -> tuple[_T, ...]:
        """The index's one copy of a small tuple equal to `value`."""
        return cast(tuple[_T, ...], self._shared.setdefault(value, value))

    def _forget_lookups(self) -> None:
        self._candidates.clear()
        self._typo_neighbours.clear()
        self._inner_neighbours.clear()
        self._declined_candidates.clear()

    def _index_declined(self, pattern_id: int, rule: Rule, anchor: str) -> None:
        """Index a pattern under the stems of its anchor (never a case-sensitive one)."""
        if rule is not Rule.CASED and declinable(anchor):
            assert self._declined_anchors is not None
            for key in stem_keys(anchor):
                add_id(self._declined_anchors, key, pattern_id)

    def _declined_ids(self, word: str) -> tuple[int, ...]:
        """Patterns whose anchor a Cyrillic text word may be a declined form of (cached)."""
        found = self._declined_candidates.get(word)
        if found is not None:
            return found
        if self._declined_anchors is None:
            self._declined_anchors = {}
            for pattern_id, record in self._records.items():
                self._index_declined(pattern_id, Rule(record[1]), record[0].split(" ")[record[7]])
        ids: list[int] = []
        for key in stem_keys(word):
            hit = self._declined_anchors.get(key)
            if hit is not None:
                for pattern_id in [hit] if isinstance(hit, int) else hit:
                    if pattern_id not in ids:
                        ids.append(pattern_id)
        if len(self._declined_candidates) > _CACHE_LIMIT:
            self._declined_candidates.clear()
        found = self._declined_candidates[word] = tuple(ids)
        return found

    def _spot_declined(self, tokens: Tokens, text: str) -> list[tuple[Pattern, int, int, int]]:
        """Mentions whose Cyrillic words are declined forms of an alias's words.

        Windows the text spells exactly are left to the exact path; a declined word must be
        written in Cyrillic, and the first one capitalised where the alias's is: Russian
        capitalises only the first word of a name ("Норильский никель"; matching_russian).
        """
        words, starts = tokens.words, tokens.starts
        count = len(words)
        spotted: list[tuple[Pattern, int, int, int]] = []
        # Most words of a Russian text have no candidates: one look-up each, all in one C
        # call, and only the words with candidates are read further.
        known = list(map(self._declined_candidates.get, words))
        found = (
            cast(list[tuple[int, ...]], known)
            if None not in known
            else [
                self._declined_ids(word) if ids is None else ids
                for word, ids in zip(words, known, strict=True)
            ]
        )
        for index in compress(range(count), found):
            ids = found[index]
            start = starts[index]
            if not is_cyrillic(text[start]):
                continue
            for pattern_id in ids:
                pattern = self._patterns[pattern_id]
                first = index - pattern.anchor
                last = first + pattern.size
                if first < 0 or last > count:
                    continue
                window = words[first:last]
                if tuple(window) == pattern.words:
                    continue
                if all(
                    text_word == alias_word
                    or (
                        is_cyrillic(text[starts[first + offset]])
                        and same_word(text_word, alias_word)
                        and (offset or not pattern.capitalised[0] or text[starts[first]].isupper())
                    )
                    for offset, (text_word, alias_word) in enumerate(
                        zip(window, pattern.words, strict=True)
                    )
                ):
                    spotted.append((pattern, first, last, 0))
        return spotted

    def _lookup(self, written: str) -> Candidates | None:
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
        found: list[tuple[Pattern, bool]] = []
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
        return group_candidates(word, found)

    @staticmethod
    def _may_be_typo(word: str) -> bool:
        return (
            len(word) >= MIN_TYPO_WORD - MAX_EDITS
            and word not in COMMON_WORDS
            and not word.isdigit()
        )

    def _typo_neighbour_ids(self, word: str) -> list[int]:
        """Typo-tolerant patterns whose anchor is one edit from `word` (cached per word)."""
        ids = self._typo_neighbours.get(word)
        if ids is not None:
            return ids
        ids = []
        typo_keys = self._typo_keys
        for key in typo_probe_keys(word):
            bucket = typo_keys.get(key)
            if not bucket:
                continue
            # One C call checks the whole bucket; buckets of short keys are large.
            for anchor, _distance, _position in process.extract(
                word, bucket, scorer=OSA.distance, score_cutoff=MAX_EDITS, limit=None
            ):
                anchored = self._anchors[anchor]
                for pattern_id in [anchored] if isinstance(anchored, int) else anchored:
                    if self._patterns[pattern_id].fuzzy and pattern_id not in ids:
                        ids.append(pattern_id)
        if len(self._typo_neighbours) > _CACHE_LIMIT:
            self._typo_neighbours.clear()
        self._typo_neighbours[word] = ids
        return ids

    def _inner_words_one_edit_from(self, word: str) -> tuple[str, ...] | None:
        """Inner alias words (not anchors) one edit from `word`; None when there are none."""
        # What `_is_one_typo_away` refuses whatever the alias word.
        if len(word) < MIN_TYPO_WORD - MAX_EDITS or word in COMMON_WORDS:
            return None
        found: list[str] = []
        typo_keys = self._inner_typo_keys
        for key in typo_probe_keys(word):
            bucket = typo_keys.get(key)
            if not bucket:
                continue
            for alias_word, distance, _position in process.extract(
                word, bucket, scorer=OSA.distance, score_cutoff=MAX_EDITS, limit=None
            ):
                if distance and alias_word not in found:
                    found.append(alias_word)
        return tuple(found) or None

    def match(self, article: Article) -> list[Match]:
        """Every mention of every entity, title first, then by position."""
        title_case = is_title_case(article.title)
        title = self._scan("title", article.title, title_case)
        body = self._scan("text", article.text, False)
        supported = {mention.entity_id for mention in chain(title[0], body[0]) if mention.confirmed}
        if not supported:
            return []
        # Mentions that could not count on their own are built only for the entities with
        # one that does: the others are dropped below whatever they are.
        mentions = longest_per_entity(
            self._with_deferred("title", article.title, title, supported)
        ) + longest_per_entity(self._with_deferred("text", article.text, body, supported))
        supported = {mention.entity_id for mention in mentions if mention.confirmed}
        mentions = [mention for mention in mentions if mention.entity_id in supported]
        mentions = resolve_overlaps(mentions)
        texts = {"title": article.title, "text": article.text}
        entities = self._entities
        matches: list[Match] = []
        for mention in mentions:
            # Filled in directly: the frozen dataclass's __init__ sets each field through
            # object.__setattr__, which costs more than the rest of a match.
            match = _new_object(Match)
            match.__dict__.update(
                entity_id=mention.entity_id,
                entity=entities[mention.entity_id].name,
                alias=mention.alias,
                field=mention.field,
                start=mention.start,
                end=mention.end,
                text=texts[mention.field][mention.start : mention.end],
                score=mention.score,
                kind=kind_of(mention.distance, mention.partial),
            )
            matches.append(match)
        return matches

    def _scan(self, field_name: Field, text: str, capitals_prove_nothing: bool) -> _Scanned:
        """Mentions the text allows, and those left to build (`_Deferred`) that count only
        with support and end where no suffix can follow; longest_per_entity is left to
        `match`."""
        if not text:
            return [], [], _NO_TOKENS
        tokens = tokenize(text)
        words = tokens.words
        starts = tokens.starts
        candidates = self._candidates
        if len(candidates) > _CACHE_LIMIT:
            candidates.clear()
        inner_neighbours = self._inner_neighbours
        if len(inner_neighbours) > _CACHE_LIMIT:
            inner_neighbours.clear()
        is_ascii = text.isascii()
        found_per_word = cast(list[Candidates], list(map(candidates.__getitem__, tokens.cased)))
        # Words without candidates hold None, so compress keeps just the hits' indices.
        hits = list(compress(range(len(found_per_word)), found_per_word))
        # (pattern, first word, end word, edits) of every mention the words allow.
        spotted: list[tuple[Pattern, int, int, int]] = (
            [] if is_ascii else self._spot_declined(tokens, text)
        )
        if not hits and not spotted:
            return [], [], _NO_TOKENS
        count = len(words)
        last_index = count - 1
        for index in hits:
            candidates_here = found_per_word[index]
            # Exact windows: the neighbouring text word rules out most of them.
            if index < last_index:
                groups = candidates_here.by_next.get(words[index + 1])
                if groups is not None:
                    _spot_windows(groups, words, index, spotted)
            if index:
                groups = candidates_here.by_previous.get(words[index - 1])
                if groups is not None:
                    _spot_windows(groups, words, index, spotted)
            # Most words with candidates (ordinary words anchoring multi-word names) have
            # nothing else.
            if not candidates_here.others:
                continue
            for pattern, distance in candidates_here.singles:
                if distance and not self._is_single_word_typo(pattern, tokens, text, index):
                    continue
                spotted.append((pattern, index, index + 1, distance))
            for group in candidates_here.windows:
                first = index - group.before
                last = first + group.size
                if first < 0 or last > count:
                    continue
                key = tuple(words[first:index] + words[index + 1 : last])
                for pattern in group.patterns.get(key, ()):
                    if _is_one_typo_away(
                        words[first:last], pattern, tokens, text, first, self._word_counts
                    ):
                        spotted.append((pattern, first, last, 1))
            if not candidates_here.near:
                continue
            near: list[tuple[int, Pattern]] = []
            for near_group in candidates_here.near:
                first = index - near_group.before
                last = first + near_group.size
                if first < 0 or last > count:
                    continue
                typo_at = first + near_group.typo_at
                if near_group.needs_capital and text[starts[typo_at]].islower():
                    continue
                # The alias words this one may be a typo of: mostly none, known per word.
                alias_words = inner_neighbours[words[typo_at]]
                if not alias_words:
                    continue
                window = words[first:last]
                # The window as the alias spells it, found in one look-up per alias word.
                spelt = window.copy()
                for alias_word in alias_words:
                    spelt[near_group.typo_at] = alias_word
                    for rank, pattern in near_group.patterns.get(tuple(spelt), ()):
                        if _is_one_typo_away(
                            window, pattern, tokens, text, first, self._word_counts
                        ):
                            near.append((rank, pattern))
            if near:
                near.sort(key=_rank_of)
                spotted.extend(
                    (pattern, index - pattern.anchor, index - pattern.anchor + pattern.size, 1)
                    for _rank, pattern in near
                )
        if not spotted:
            return [], [], _NO_TOKENS
        links = url_spans(text)
        mentions: list[Mention] = []
        deferred: list[_Deferred] = []
        for pattern, first, last, distance in spotted:
            if (
                last - first > 1
                and not pattern.breaks_inside
                and INNER_BREAK.search(text, starts[first], tokens.ends[last - 1])
            ):
                continue
            if (
                pattern.rule is Rule.PLAIN
                and not is_ascii
                and _is_russian_common_word(pattern, text, starts[first])
            ):
                confirmed = _russian_common_word_is_right(
                    tokens, text, first, last, capitals_prove_nothing
                )
            elif pattern.rule is Rule.PLAIN and last - first > 1:
                # What `_form_is_right` says of any multi-word plain name.
                confirmed = True
            else:
                confirmed = _form_is_right(
                    pattern, tokens, text, first, last, capitals_prove_nothing
                )
            if confirmed is None:
                continue
            confirmed = self._reads_as_its_kind(pattern, tokens, text, first, last, confirmed)
            if confirmed is None:
                continue
            if links and any(a <= starts[first] < b for a, b in links):
                continue
            if not confirmed and never_counts_alone(
                self._owners[pattern.id], tokens, text, last, distance
            ):
                deferred.append((len(mentions), pattern, first, last, distance))
                continue
            mentions.extend(
                self._mentions_of(
                    pattern, field_name, tokens, text, first, last, distance, confirmed
                )
            )
        return mentions, deferred, tokens

    def _mentions_of(
        self,
        pattern: Pattern,
        field_name: Field,
        tokens: Tokens,
        text: str,
        first: int,
        last: int,
        distance: int,
        confirmed: bool,
        only: set[int] | None = None,
    ) -> list[Mention]:
        """The mentions of the pattern's owners (those in `only` when given) at these words."""
        return owner_mentions(
            self._owners[pattern.id],
            self._excludes,
            self._is_excluded,
            pattern,
            field_name,
            tokens,
            text,
            first,
            last,
            distance,
            confirmed,
            only,
        )

    def _with_deferred(
        self, field_name: Field, text: str, scanned: _Scanned, supported: set[int]
    ) -> list[Mention]:
        """The scanned mentions with the deferred ones of supported entities, in order."""
        mentions, deferred, tokens = scanned
        if not deferred:
            return mentions
        merged: list[Mention] = []
        done = 0
        owners = self._owners
        for at, pattern, first, last, distance in deferred:
            if not supported.isdisjoint(map(_entity_of, owners[pattern.id])):
                merged += mentions[done:at]
                done = at
                merged += self._mentions_of(
                    pattern, field_name, tokens, text, first, last, distance, False, supported
                )
        merged += mentions[done:]
        return merged

    def _is_single_word_typo(self, pattern: Pattern, tokens: Tokens, text: str, index: int) -> bool:
        """True when a text word one edit from a one-word name may be a typo of it (rule 6):
        a rare word, that is no word of the language, no person's name and no word of a
        watched name. "McDonald's" for "MCDONALDS" is the name itself, with an apostrophe."""
        word = tokens.words[index]
        end = tokens.ends[index]
        if word + "s" == pattern.words[0] and text[end : end + 2] in ("'s", "’s"):
            return True
        lexicon = self._lexicon
        return (
            word not in self._word_counts
            and not lexicon.is_person_name(word)
            and not lexicon.is_word(word)
        )

    def _reads_as_its_kind(
        self, pattern: Pattern, tokens: Tokens, text: str, first: int, last: int, confirmed: bool
    ) -> bool | None:
        """None if a mention the case rules accept is no mention, else whether it counts on
        its own (rule 4): no name is part of an identifier ("TARGET_CPA") or an exchange
        label ("(Nasdaq: URBN)"); a one-word name that is a word needs a capital, is no
        part of a compound ("All-Star") and, run into an acronym or "of" and a name
        ("Target CPA", "Sea of Thieves") or after a capitalised word ("Port Vale"),
        counts only with support; one that is a common
        word or a person's name must read as a company; shouted capitals prove nothing."""
        start, end = tokens.starts[first], tokens.ends[last - 1]
        # Both refusals need an underscore or a bracket next to the name: mostly neither.
        if (text[start - 1 : start] in ("_", "(") or text[end : end + 1] == "_") and (
            is_in_identifier(tokens, text, first, last)
            or is_exchange_label(tokens, text, first, last)
        ):
            return None
        if last - first > 1:
            # A name in capitals starts with a word in capitals: mostly not, and no call.
            return confirmed and not (
                text[start : tokens.ends[first]].isupper() and is_shouted(tokens, text, first, last)
            )
        reading = self._one_word_names.get(pattern.id)
        if reading is not None and text[tokens.starts[first]].islower():
            return None
        if pattern.common or reading in (_WORD_NAME, _COMMON_WORD_NAME):
            if is_in_compound(tokens, text, first, last):
                return None
            if runs_into_other_name(tokens, text, last) or follows_capitalised_word(
                tokens, text, first
            ):
                return False
        if not confirmed:
            return False
        if reading is not None and reading != _WORD_NAME:
            if reading == _PERSON_POSSESSIVE_NAME and text[end : end + 2] in ("'s", "’s"):
                return True
            return reads_as_named_company(
                tokens, text, first, last, person=reading != _COMMON_WORD_NAME
            )
        return not is_shouted(tokens, text, first, last)

    def _is_excluded(self, entity_id: int, words: list[str], first: int, last: int) -> bool:
        """True when one of the entity's exclude phrases covers words[first:last]."""
        declined = entity_id in self._cyrillic_excludes
        for phrase in self._excludes.get(entity_id, ()):
            size = len(phrase)
            for start in range(max(0, first - size + 1), min(last, len(words) - size + 1)):
                if all(
                    words[start + offset] == phrase[offset]
                    or (
                        offset == size - 1
                        and words[start + offset] in (phrase[offset] + "s", phrase[offset] + "es")
                    )
                    or (declined and same_word(words[start + offset], phrase[offset]))
                    for offset in range(size)
                ):
                    return True
        return False


def _spot_windows(
    groups: tuple[WindowGroup, ...],
    words: list[str],
    index: int,
    spotted: list[tuple[Pattern, int, int, int]],
) -> None:
    """Add the exact windows around words[index] that these groups' patterns spell."""
    count = len(words)
    for group in groups:
        first = index - group.before
        last = first + group.size
        if first < 0 or last > count:
            continue
        for pattern in group.patterns.get(tuple(words[first:last]), ()):
            spotted.append((pattern, first, last, 0))


def _rank_of(ranked: tuple[int, Pattern]) -> int:
    return ranked[0]


def _choose_anchor(words: tuple[str, ...], counts: dict[str, int]) -> int:
    """Index of the alias word to index the alias under: the rarest one.

    Ordinary words are frequent in any text, so they anchor only all-common names; among
    the rest, the word fewest aliases share wins, then the longest.
    """
    if len(words) == 1:
        return 0
    # A loop, not min() with a key function: this runs once per alias of a bulk build.
    best, best_rank = 0, (True, 0, 0)
    for index, word in enumerate(words):
        rank = (word in COMMON_WORDS, counts.get(word, 0), -len(word))
        if not index or rank < best_rank:
            best, best_rank = index, rank
    return best


def _anchor_needs_capital(rule: Rule, words: tuple[str, ...], cased: str, anchor: int) -> bool:
    """True when the text word matching the anchor must start with a capital."""
    if rule in (Rule.COMMON, Rule.NAMED):
        return True
    if rule is not Rule.CASED:
        return False
    position = sum(len(word) for word in words[:anchor])
    return position < len(cased) and cased[position].isupper()


def _form_is_right(
    pattern: Pattern,
    tokens: Tokens,
    text: str,
    first: int,
    last: int,
    capitals_prove_nothing: bool,
) -> bool | None:
    """None if the case rules reject the mention, else whether it counts on its own."""
    if pattern.rule is Rule.PLAIN:
        return None if last - first == 1 and is_place(tokens, text, last) else True
    span = text[tokens.starts[first] : tokens.ends[last - 1]]
    if pattern.rule is Rule.CASED:
        if span != pattern.cased and cased_letters(span) != pattern.cased:
            return None
        start, end = tokens.starts[first], tokens.ends[last - 1]
        if is_form_prefix(text, start, end):
            return None
        if is_defined_in(text, span):
            return False
    elif not all(text[tokens.starts[index]].isupper() for index in range(first, last)):
        return None
    if last - first == 1 and is_place(tokens, text, last):
        return None
    if is_inside_other_name(tokens, text, first, last):
        return False
    if not pattern.common:
        return True
    shouting = len(span) > 1 and span.isupper() and not pattern.cased.isupper()
    if capitals_prove_nothing or shouting:
        return False
    if last - first > 1 or not is_sentence_start(text, tokens.starts[first]):
        return True
    return reads_as_company(tokens, text, last)


def _is_russian_common_word(pattern: Pattern, text: str, start: int) -> bool:
    """True for a name made of ordinary Russian words, written in Cyrillic in the text."""
    return is_cyrillic(text[start]) and RUSSIAN_COMMON_WORDS.issuperset(pattern.words)


def _russian_common_word_is_right(
    tokens: Tokens, text: str, first: int, last: int, capitals_prove_nothing: bool
) -> bool | None:
    """The proper-noun rule of common-word names, for Russian ones ("Магнит", not "магнит")."""
    starts = tokens.starts
    if not all(text[starts[index]].isupper() for index in range(first, last)):
        return None
    if is_inside_other_name(tokens, text, first, last) or capitals_prove_nothing:
        return False
    if last - first > 1 or not (
        is_sentence_start(text, starts[first]) or follows_dateline(text, starts[first])
    ):
        return True
    return reads_as_company(tokens, text, last)


def _is_one_typo_away(
    window: list[str],
    pattern: Pattern,
    tokens: Tokens,
    text: str,
    first: int,
    known_words: dict[str, int],
) -> bool:
    """One edit in one long alias word, where the text has a non-word cased like the alias
    and no word of a watched name."""
    alias_words = pattern.words
    different = -1
    for index, word in enumerate(window):
        if word != alias_words[index]:
            if different >= 0:
                return False
            different = index
    word, alias_word = window[different], alias_words[different]
    # Cheapest refusals first: lengths, then the edit distance, then words and case.
    if (
        len(alias_word) < MIN_TYPO_WORD
        or not -MAX_EDITS <= len(word) - len(alias_word) <= MAX_EDITS
    ):
        return False
    if (
        OSA.distance(word, alias_word, score_cutoff=MAX_EDITS) > MAX_EDITS
        or word in COMMON_WORDS
        or word in known_words
    ):
        return False
    for index, capitalised in enumerate(pattern.capitalised):
        if capitalised and text[tokens.starts[first + index]].islower():
            return False
    return True

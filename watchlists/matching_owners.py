"""The mentions of a pattern's owners: every entity whose alias normalises to the pattern's
core gets its own mention, extended over the corporate suffixes after it in the text (rule 2
of `watchlists.matching`), scored, and told whether it counts on its own."""

from __future__ import annotations

from collections.abc import Callable, Container

from rapidfuzz.distance import OSA

from watchlists.matching_candidates import Pattern
from watchlists.matching_mentions import Mention
from watchlists.matching_text import (
    MIN_TYPO_WORD,
    extend_over_suffix,
    misspells_a_suffix,
    no_suffix_follows,
)
from watchlists.matching_words import CORPORATE_SUFFIXES
from watchlists.model import Field
from watchlists.normalize import Tokens

# The score of an exact mention; a fuzzy one loses the share of characters edited.
EXACT_SCORE = 100.0
# The score of a partial mention: the core of an alias without the suffix the alias has
# ("Mail.ru" for "Mail.ru Group").
PARTIAL_SCORE = 90.0

# One entity's alias that normalises to a pattern's core: (entity id, alias, suffix words).
# A plain tuple of strings and numbers, which the cyclic garbage collector stops tracking,
# so a big index costs the collector little without switching it off.
Owner = tuple[int, str, tuple[str, ...]]

# How an owner's mention reads once the suffixes after it are counted: (end word, end
# offset, edits, score, whether it counts alone, alias misfit, partial).
SuffixReading = tuple[int, int, int, float, bool, int, bool]


def owner_mentions(
    owners: tuple[Owner, ...],
    excludes: Container[int],
    is_excluded: Callable[[int, list[str], int, int], bool],
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
    """The mentions of a pattern's owners (those in `only` when given) at these words."""
    words, starts = tokens.words, tokens.starts
    found: list[Mention] = []
    if no_suffix_follows(tokens, text, last, distance):
        # No suffix can follow (most names): every owner's mention ends at `last`, as
        # `extend_over_suffix` would find, and shares its span and score.
        start, end = starts[first], tokens.ends[last - 1]
        spelt = "".join(words[first:last])
        core = "".join(pattern.words)
        if distance:
            matched = " ".join(words[first:last])
            score = EXACT_SCORE * (1.0 - distance / max(len(matched), len(pattern.key)))
        misfit = int(spelt != core)
        # Owners share a few suffixes: what each means here is worked out once.
        suffix_misfits: dict[tuple[str, ...], int] = {}
        for entity_id, alias, suffix in owners:
            if only is not None and entity_id not in only:
                continue
            if entity_id in excludes and is_excluded(entity_id, words, first, last):
                continue
            # With a suffix the alias has and the text lacks, the mention is partial.
            partial = bool(suffix)
            if partial:
                if not distance:
                    score = PARTIAL_SCORE
                alias_misfit = suffix_misfits.get(suffix)
                if alias_misfit is None:
                    alias_misfit = suffix_misfits[suffix] = int(spelt != core + "".join(suffix))
            else:
                if not distance:
                    score = EXACT_SCORE
                alias_misfit = misfit
            found.append(
                Mention(
                    entity_id,
                    alias,
                    field_name,
                    first,
                    last,
                    start,
                    end,
                    distance,
                    score,
                    confirmed,
                    alias_misfit,
                    partial,
                )
            )
        return found
    start = starts[first]
    # The corporate suffixes after the name are the same for every owner; only an
    # owner whose own suffix the next word misspells ("Holdngs") reads further, from
    # the word where the shared reading stops.
    shared = read_suffix(pattern, tokens, text, first, last, (), distance, confirmed)
    stop = shared[0]
    stop_word = words[stop] if stop < len(words) and not distance else ""
    suffix_may_be_misspelt = bool(
        stop_word
        and stop_word not in CORPORATE_SUFFIXES
        and len(stop_word) > 1
        and text[starts[stop]].isupper()
        and misspells_a_suffix(stop_word)
    )
    spelt = "".join(words[first:stop])
    matched = " ".join(words[first:stop])
    readings: dict[tuple[str, ...], SuffixReading] = {}
    for entity_id, alias, suffix in owners:
        if only is not None and entity_id not in only:
            continue
        if entity_id in excludes and is_excluded(entity_id, words, first, last):
            continue
        if not suffix:
            reading = shared
        elif suffix_may_be_misspelt and may_misspell(stop_word, suffix):
            known = readings.get(suffix)
            reading = readings[suffix] = known or read_suffix(
                pattern, tokens, text, first, last, suffix, distance, confirmed
            )
        else:
            end, end_offset, total, score, counts_alone, _misfit, _partial = shared
            partial = end - last < len(suffix)
            if total:
                full = " ".join((*pattern.words, *suffix[: end - last]))
                score = EXACT_SCORE * (1.0 - total / max(len(matched), len(full)))
            else:
                score = PARTIAL_SCORE if partial else EXACT_SCORE
            reading = (
                end,
                end_offset,
                total,
                score,
                counts_alone,
                int(spelt != "".join((*pattern.words, *suffix))),
                partial,
            )
        end, end_offset, total, score, counts_alone, alias_misfit, partial = reading
        found.append(
            Mention(
                entity_id,
                alias,
                field_name,
                first,
                end,
                start,
                end_offset,
                total,
                score,
                counts_alone,
                alias_misfit,
                partial,
            )
        )
    return found


def read_suffix(
    pattern: Pattern,
    tokens: Tokens,
    text: str,
    first: int,
    last: int,
    suffix: tuple[str, ...],
    distance: int,
    confirmed: bool,
) -> SuffixReading:
    """How the mention of an owner with this alias suffix reads (`SuffixReading`)."""
    words = tokens.words
    end, extra = extend_over_suffix(tokens, text, last, suffix, distance)
    total = distance + extra
    if total:
        matched = " ".join(words[first:end])
        full = " ".join((*pattern.words, *suffix[: end - last]))
        score = EXACT_SCORE * (1.0 - total / max(len(matched), len(full)))
    else:
        score = PARTIAL_SCORE if end - last < len(suffix) else EXACT_SCORE
    return (
        end,
        tokens.ends[end - 1],
        total,
        score,
        # A corporate suffix after the name is the proper-noun signal capitals can't give.
        confirmed or end > last,
        int("".join(words[first:end]) != "".join((*pattern.words, *suffix))),
        end - last < len(suffix),
    )


def never_counts_alone(
    owners: tuple[Owner, ...], tokens: Tokens, text: str, last: int, distance: int
) -> bool:
    """True when no owner's mention that needs support can count alone here: no
    corporate suffix follows it, nor a word one edit from an owner's own suffix."""
    if no_suffix_follows(tokens, text, last, distance):
        return True
    if extend_over_suffix(tokens, text, last, (), distance)[0] > last:
        return False
    word = tokens.words[last]
    if (
        distance
        or word in CORPORATE_SUFFIXES
        or len(word) < 2
        or not text[tokens.starts[last]].isupper()
        or not misspells_a_suffix(word)
    ):
        return True
    return not any(may_misspell(word, suffix) for _, _, suffix in owners)


def may_misspell(word: str, suffix: tuple[str, ...]) -> bool:
    """True when `word` is one edit from a long word of an alias's suffix ("Holdngs"), as
    `extend_over_suffix` reads a misspelt suffix."""
    return any(
        len(suffix_word) >= MIN_TYPO_WORD and OSA.distance(word, suffix_word, score_cutoff=1) == 1
        for suffix_word in suffix
    )

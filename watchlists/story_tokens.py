"""Word sets of processed titles and a cheap upper bound of rapidfuzz's token_set_ratio."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

# The lowest cutoff at which the cheap upper bound often spares a rapidfuzz call.
BOUND_WORTHWHILE = 80.0


@dataclass(frozen=True)
class Tokens:
    """The word set rapidfuzz's token scorers build from a processed string."""

    words: frozenset[str]
    letters: int

    @classmethod
    def of(cls, processed: str) -> Tokens:
        """The tokens of a default_process-ed string."""
        words = frozenset(processed.split())
        return cls(words, sum(map(len, words)))

    def may_equal(self, other: Tokens) -> bool:
        """Whether token_set_ratio can be 100: the words of one are all in the other."""
        # The smaller set must be a non-empty subset of the larger: one subset test, no
        # intersection built (this runs for every candidate once a story scores 100).
        smaller, larger = self.words, other.words
        if len(smaller) > len(larger):
            smaller, larger = larger, smaller
        return bool(smaller) and smaller <= larger


def _joined_length(letters: int, count: int) -> int:
    return letters + count - 1 if count else 0


def token_set_bound(first: Tokens, second: Tokens) -> float:
    """A score ``fuzz.token_set_ratio`` of the two strings never exceeds (exact when 0 or 100).

    It follows rapidfuzz's definition: with the shared words ``sect`` and the words only
    one side has (``ab``, ``ba``), the score is the best of two length-only ratios and the
    ratio of ``sect ab`` to ``sect ba``, whose Indel distance is at least the difference
    of their lengths.
    """
    words_a, words_b = first.words, second.words
    if not words_a or not words_b:
        return 0.0
    shared = words_a & words_b
    shared_count = len(shared)
    only_a_count = len(words_a) - shared_count
    only_b_count = len(words_b) - shared_count
    if shared and (not only_a_count or not only_b_count):
        return 100.0
    shared_letters = sum(map(len, shared))
    sect_len = _joined_length(shared_letters, shared_count)
    ab_len = _joined_length(first.letters - shared_letters, only_a_count)
    ba_len = _joined_length(second.letters - shared_letters, only_b_count)
    sect_ab_len = sect_len + (sect_len != 0) + ab_len
    sect_ba_len = sect_len + (sect_len != 0) + ba_len
    total = sect_ab_len + sect_ba_len
    # Two different strings of equal length are at least one deletion and one insertion
    # apart; the words only one side has are never the same string.
    distance = abs(ab_len - ba_len) or 2
    bound = 100 - 100 * distance / total if total else 100.0
    if sect_len:
        bound = max(
            bound,
            100 - 100 * ((sect_len != 0) + ab_len) / (sect_len + sect_ab_len),
            100 - 100 * ((sect_len != 0) + ba_len) / (sect_len + sect_ba_len),
        )
    # Float rounding in rapidfuzz's own arithmetic must never make the bound too low.
    return bound + 1e-6


def token_set_ratio(first: str, second: str, tokens: tuple[Tokens, Tokens], cutoff: float) -> float:
    """fuzz.token_set_ratio with score_cutoff, skipped when the bound shows it would be 0."""
    # Low cutoffs are rarely out of reach, so the bound would mostly cost time for nothing.
    if cutoff >= BOUND_WORTHWHILE and token_set_bound(*tokens) < cutoff:
        return 0.0
    return fuzz.token_set_ratio(first, second, score_cutoff=cutoff)

"""Deal type: trigger hits weighed by where they stand, what stakes say, and how they are framed.

A hit scores its rule's weight times its sentence's weight (``Layout.weight``). A deal noun
after a possessive ("Contoso's $2bn acquisition", "Contoso's purchase of") counts
``POSSESSIVE_FACTOR`` times: the deal is the subject. A sentence that marks itself as a side
note ("separate", "separately", "unrelated", "in another deal") counts ``SIDE_NOTE_FACTOR``
times, so a side sale does not outvote the main deal. Stakes decide between buyer and
seller: in a sentence about a stake, selling words make it a ``divestment``, a majority or
controlling stake an ``acquisition``, otherwise an ``investment`` (and a joint venture named
after "stake in" is only the object); an equal split ("50-50") types nothing. A sale "to" a
watched entity that is not itself the seller is that entity's ``acquisition`` (or
``investment`` for a minority stake). The highest total wins when it reaches
``MIN_DEAL_SCORE`` and beats ``none``; otherwise the type is ``none``. Confidence grows with
the winning score and shrinks with the runner-up's share. The trigger is the winning type's
strongest phrase, ties going to the sentence nearest a watched entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from math import exp

from watchlists.deals.anchors import Hit, Text
from watchlists.deals.model import Stake
from watchlists.deals.patterns import LazyPattern
from watchlists.deals.rules import TYPE_RULE_SET
from watchlists.deals.sentences import Layout
from watchlists.deals.stakes import (
    MAJORITY,
    is_equal_split,
    may_have_stakes,
    names_stake,
    scan_stakes,
    stake_context,
)

# The least total a deal type needs: a lone weak trigger (weight 1.0) stays below it even
# in the title (x 2.0); one strong trigger in a sentence naming a watched entity passes.
MIN_DEAL_SCORE = 3.0
# A headline that names no deal (or names one only by a weak trigger the lead does not
# confirm) says the news is something else: the text alone must then make a stronger case (wire copy mentions deals in passing in results, debt and trade news).
UNHEADLINED_MIN_SCORE = 5.0
# ... and stronger still when the headline names other news (results, outlook, debt).
OTHER_NEWS_MIN_SCORE = 8.0
# A stake stated in a sentence counts like a strong trigger of the type its context gives.
STAKE_HIT_WEIGHT = 2.5
# "Contoso's $2bn acquisition": a deal noun after a possessive is the subject of the news.
POSSESSIVE_FACTOR = 2.0
# How far before the deal noun the possessive may stand ("Contoso's long-awaited $2bn").
POSSESSIVE_REACH = 40
# "in a separate deal", "separately", "unrelated": a side mention, not the news ("spin off
# into a separate company" is the news).
SIDE_NOTE_FACTOR = 0.35
# A watched buyer after a sale noun: within this many characters of it ...
BUYER_REACH = 120
# ... with "to" or "by" (and perhaps "the") in the last this-many characters before it.
BUYER_WORD_REACH = 12
# Confidence: the winning score saturates at about this scale ...
CONFIDENCE_SCALE = 6.0
# ... and is scaled between this floor (runner-up as strong) and 1 (no runner-up).
CONFIDENCE_FLOOR = 0.55
CONFIDENCE_MARGIN_SHARE = 0.45
# Rules are never certain.
MAX_CONFIDENCE = 0.99
# No deal: at least this sure, more the more "none" cues and the further below the bar.
NO_DEAL_CONFIDENCE_FLOOR = 0.5
NO_DEAL_CONFIDENCE_SHARE = 0.45
NO_DEAL_CONFIDENCE_SCALE = 4.0
# Confidences are reported to two decimals.
CONFIDENCE_DECIMALS = 2

_STAKE_IN = LazyPattern(r"\bstakes?\s+in\b", re.IGNORECASE)
_BUYER_AFTER = LazyPattern(r"\b(?:to|by)\s+(?:the\s+)?$", re.IGNORECASE)
_POSSESSIVE_BEFORE = LazyPattern(r"\w['’]s\s+(?:[^\s]+\s+){0,2}$")
# "last year's acquisition", "1986's purchase": a time, not the buyer.
_TIME_POSSESSIVE = LazyPattern(
    r"\b(?:year|years|week|weeks|month|months|quarter|today|yesterday|decade|day|\d{4})['’]s\s+"
    r"(?:[^\s]+\s+){0,2}$",
    re.IGNORECASE,
)
_DEAL_NOUN = LazyPattern(
    r"(?:acquisitions?|take-?overs?|purchase|buy-?outs?|mergers?|investments?|ipos?|listing|"
    r"flotation|partnerships?|alliances?|joint[- ]ventures?|spin-?offs?|sale\s+of|divestment)$",
    re.IGNORECASE,
)
_SIDE_NOTE = LazyPattern(
    r"\b(?:separately|unrelated|in\s+(?:an)?other\s+(?:deal|transaction|move)|"
    r"separate(?!\s+(?:company|companies|entity|entities|unit|units|business|businesses|"
    r"subsidiary|concern|firm|corporation|group|listed|listing|public)\b))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StakeReading:
    """The stakes of every sentence read, and what each sentence's stakes say about roles."""

    by_sentence: dict[int, list[Stake]]
    # Without equal splits: "50-50" says who owns a venture, not who buys or sells.
    typing: dict[int, list[Stake]]
    contexts: dict[int, str | None]

    @classmethod
    def of(cls, text: Text) -> StakeReading:
        """Read the stakes of text's sentences (skipped when no percentage can occur)."""
        lowered = text.full_lower
        scan = may_have_stakes(lowered)
        pairs = list(zip(text.numbers, text.values, strict=True))
        by_sentence: dict[int, list[Stake]] = {}
        # The joined text is lower-cased once (offsets kept); each sentence is a slice of it.
        kept = text.lowered
        for number, start, value in zip(text.numbers, text.starts, text.values, strict=True):
            by_sentence[number] = (
                scan_stakes(value, kept[start : start + len(value)]) if scan else []
            )
        typing = {
            number: [stake for stake in stakes if not is_equal_split(stake)]
            for number, stakes in by_sentence.items()
        }
        # Without the word "stake" only sentences with stakes have a stake context.
        names_stakes = names_stake(lowered)
        contexts = {
            number: stake_context(value, typing[number]) if names_stakes or typing[number] else None
            for number, value in pairs
        }
        return cls(by_sentence, typing, contexts)

    def in_sentences(self, sentences: set[int]) -> list[Stake]:
        """The distinct stakes of these sentences, text first and the title last."""
        found: list[Stake] = []
        for number in [*sorted(sentences - {0}), 0]:
            for stake in self.by_sentence.get(number, []):
                if all(stake.percent != seen.percent for seen in found):
                    found.append(stake)
        return found


def type_hits(text: Text, layout: Layout, stakes: StakeReading) -> list[Hit]:
    """Every trigger hit with the type it stands for and its framed weight, then stake hits."""
    hits: list[Hit] = []
    side_notes: dict[int, bool] = {}
    for hit in text.hits(TYPE_RULE_SET):
        value = text.value(hit.sentence)
        label = _relabel(hit, value, stakes.contexts[hit.sentence], layout)
        weight = hit.weight
        if label != "none":
            weight *= _framing_factor(value, hit, side_notes)
        hits.append(Hit(label, weight, hit.sentence, hit.start, hit.end))
    for number, typing in stakes.typing.items():
        context = stakes.contexts[number]
        if typing and context:
            value = text.value(number)
            start = max(value.find(typing[0].text), 0)
            stake_hit = Hit("stake", STAKE_HIT_WEIGHT, number, start, start + len(typing[0].text))
            label = _relabel(stake_hit, value, context, layout)
            hits.append(stake_hit._replace(label=label))
    return hits


def type_scores(hits: list[Hit], layout: Layout) -> dict[str, float]:
    """Each label's total: every hit's weight times its sentence's weight."""
    scores: dict[str, float] = {}
    for hit in hits:
        scores[hit.label] = scores.get(hit.label, 0.0) + hit.weight * layout.weight(hit.sentence)
    return scores


def sentence_scores(hits: list[Hit], layout: Layout) -> dict[int, float]:
    """Each sentence's total from these hits, in the order the hits name them."""
    totals: dict[int, float] = {}
    for hit in hits:
        totals[hit.sentence] = totals.get(hit.sentence, 0.0) + (
            hit.weight * layout.weight(hit.sentence)
        )
    return totals


def strongest_hit(hits: list[Hit], layout: Layout) -> Hit:
    """The heaviest hit, ties going to the sentence nearest a watched entity, then the first."""
    return max(
        hits,
        key=lambda hit: (
            hit.weight * layout.weight(hit.sentence),
            -layout.distance_to_entity(hit.sentence),
            -hit.sentence,
        ),
    )


def confidence(scores: dict[str, float], winner: str) -> float:
    """How sure the winning type is: its strength, discounted by the runner-up's share."""
    top = scores[winner]
    runner_up = max((score for label, score in scores.items() if label != winner), default=0.0)
    strength = 1.0 - exp(-top / CONFIDENCE_SCALE)
    margin = max(0.0, top - runner_up) / top if top else 0.0
    sure = strength * (CONFIDENCE_FLOOR + CONFIDENCE_MARGIN_SHARE * margin)
    return round(min(MAX_CONFIDENCE, sure), CONFIDENCE_DECIMALS)


def no_deal_confidence(none_score: float, top: float) -> float:
    """How sure "no deal" is: more "none" cues and a best type further below the bar."""
    evidence = none_score + max(0.0, MIN_DEAL_SCORE - top)
    sure = NO_DEAL_CONFIDENCE_FLOOR + NO_DEAL_CONFIDENCE_SHARE * (
        1.0 - exp(-evidence / NO_DEAL_CONFIDENCE_SCALE)
    )
    return round(min(MAX_CONFIDENCE, sure), CONFIDENCE_DECIMALS)


def _relabel(hit: Hit, value: str, context: str | None, layout: Layout) -> str:
    """The deal type a hit stands for once the sentence's stake and roles are known."""
    label = hit.label
    if label == "stake":
        return context or "investment"
    if context == "investment" and label == "acquisition":
        return "investment"
    if context and label == "joint_venture":
        stake_in = _STAKE_IN.search(value)
        if stake_in and stake_in.start() < hit.start:
            return context
    if label == "divestment":
        # "sale of Dewlab to L'Oréal": the watched entity is the buyer, not the seller.
        offsets = layout.entity_offsets.get(hit.sentence, [])
        seller_named = any(offset < hit.start for offset in offsets)
        buyer_named = any(
            hit.end < offset <= hit.end + BUYER_REACH
            and _BUYER_AFTER.search(value[max(hit.end, offset - BUYER_WORD_REACH) : offset])
            for offset in offsets
        )
        if buyer_named and not seller_named:
            # The watched buyer takes a minority stake (an investment) or the whole thing.
            minority_stake = "stake" in value.lower() and not MAJORITY.search(value)
            return "investment" if minority_stake else "acquisition"
    return label


def _framing_factor(value: str, hit: Hit, side_notes: dict[int, bool]) -> float:
    """How much a deal hit's framing adds (a possessive lead) or takes (a side note)."""
    factor = 1.0
    if (
        hit.start
        and value[hit.start - 1] == " "
        and _DEAL_NOUN.match(value, hit.start, hit.end)
        and _POSSESSIVE_BEFORE.search(value, max(0, hit.start - POSSESSIVE_REACH), hit.start)
        and not _TIME_POSSESSIVE.search(value, max(0, hit.start - POSSESSIVE_REACH), hit.start)
    ):
        factor *= POSSESSIVE_FACTOR
    side_note = side_notes.get(hit.sentence)
    if side_note is None:
        lowered = value.lower()
        side_note = "separate" in lowered or "unrelated" in lowered or "other" in lowered
        side_note = side_note and bool(_SIDE_NOTE.search(value))
        side_notes[hit.sentence] = side_note
    if side_note:
        factor *= SIDE_NOTE_FACTOR
    return factor

"""``analyse_deal``: the steps from an article and its matches to a ``Deal``."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import cast

from watchlists.deals.anchors import AnchorFinder, Hit, RuleSet, Text
from watchlists.deals.later_money import later_total
from watchlists.deals.model import Deal, DealType, Stage
from watchlists.deals.money import MONEY_RULES, deal_amounts, is_share_price
from watchlists.deals.offerings import equity_raise
from watchlists.deals.parties import VERB_OBJECT_RULE, find_parties
from watchlists.deals.rules import (
    HEADLINE_DEAL_WORDS,
    MASK_RULE_SET,
    MASK_RULES,
    NAME_ONLY_HEADLINE_WORDS,
    NOT_ENGLISH_SCRIPT,
    TICKER,
    TYPE_RULES,
)
from watchlists.deals.scoring import (
    MIN_DEAL_SCORE,
    OTHER_NEWS_MIN_SCORE,
    UNHEADLINED_MIN_SCORE,
    StakeReading,
    confidence,
    no_deal_confidence,
    sentence_scores,
    strongest_hit,
    type_hits,
    type_scores,
)
from watchlists.deals.sentences import Layout
from watchlists.deals.stage import awaits_approval, choose_stage
from watchlists.deals.stage_cues import STAGE_RULES, WEAK_STAGE_RULES
from watchlists.deals.summary import summarise
from watchlists.deals.wire_rules import headline_hits
from watchlists.model import Article, Match

# The best-scoring sentences considered as the deal's own (the title among them) ...
DEAL_SENTENCE_CANDIDATES = 4
# ... of which at most this many text sentences are read for stage and parties.
DEAL_SENTENCES = 3
# The title and the first deal sentence (the news lead) speak for the deal's stage now;
# later deal sentences are read only when the lead has no cue.
STAGE_LEAD = 2
# A headline trigger no stronger than this ("SELLS", "BUY", "STAKE": words that often mean
# something else) names a deal only when the news lead (the first text sentence) confirms
# one: a deal trigger, or a name right after a deal verb (read unmasked: "buy Plumtree
# Trucks Inc" stays a purchase of a company); or when there is no text to ask.
WEAK_HEADLINE_WEIGHT = 2.0
_VERB_OBJECT = RuleSet([VERB_OBJECT_RULE])
# How sure a share offering read after every deal type lost is: the raise is named outright,
# but only in the headline or lead.
OFFERING_CONFIDENCE = 0.6


@cache
def _anchors() -> AnchorFinder:
    """Every rule anchor, found in one pass over the sentences read (built on first use)."""
    return AnchorFinder(
        TYPE_RULES, STAGE_RULES, WEAK_STAGE_RULES, MASK_RULES, MONEY_RULES, (VERB_OBJECT_RULE,)
    )


def analyse_deal(article: Article, matches: Sequence[Match]) -> Deal:
    """What the article says about a deal involving the matched entities."""
    layout = Layout(article, matches)
    plain = Text([(number, layout.sentence(number)) for number in layout.read], _anchors())
    masked = plain.masked(
        [(found.start(), found.end()) for _, found in plain.matches(MASK_RULE_SET)]
    )
    watched = list(dict.fromkeys(match.entity for match in matches))

    stakes = StakeReading.of(masked)
    hits = type_hits(masked, layout, stakes)
    if not any(hit.sentence == 0 and hit.label != "none" for hit in hits):
        # Results news in a headline that names no deal ("SEES HIGHER EARNINGS").
        hits += headline_hits(masked.value(0))
    scores = type_scores(hits, layout)
    deal_scores = {label: score for label, score in scores.items() if label != "none"}
    winner = max(deal_scores, key=lambda label: deal_scores[label], default="none")
    top = deal_scores.get(winner, 0.0)
    none_score = scores.get("none", 0.0)
    bar = _deal_bar(article.title, masked.value(0), hits, plain)
    if top < bar or top <= none_score:
        lead: list[int] = [number for number in (0, 1) if number in plain.numbers]
        trigger = equity_raise([plain.value(number) for number in lead])
        if trigger is not None:
            return _share_offering(article, layout, masked, lead, trigger, watched, matches)
        return Deal(
            type="none",
            stage="",
            confidence=no_deal_confidence(none_score, top),
            parties=tuple(watched),
            summary=summarise(layout, None),
        )

    winning = [hit for hit in hits if hit.label == winner]
    by_sentence = sentence_scores(winning, layout)
    ranked = sorted(by_sentence, key=lambda n: (-by_sentence[n], layout.distance_to_entity(n), n))
    deal_sentences = sorted(n for n in ranked[:DEAL_SENTENCE_CANDIDATES] if n != 0)
    scope = [0, *deal_sentences[:DEAL_SENTENCES]]

    stage = choose_stage(masked, scope[:STAGE_LEAD], scope[STAGE_LEAD:])
    if stage == "completed" and awaits_approval(layout):
        stage = "announced"
    any_deal = {hit.sentence for hit in hits if hit.label != "none"}
    amounts, undisclosed = deal_amounts(plain, any_deal, article, winner)
    if all(is_share_price(amount) for amount in amounts):
        # No total in the sentences read: the copy may name it further down.
        total = later_total(layout, article)
        if total is not None:
            amounts = [total]
    return Deal(
        type=cast(DealType, winner),
        stage=cast(Stage, stage),
        confidence=confidence(deal_scores | {"none": none_score}, winner),
        trigger=_trigger(masked, strongest_hit(winning, layout)),
        amounts=tuple(amounts),
        stakes=tuple(stakes.in_sentences(any_deal)),
        undisclosed=undisclosed and not amounts,
        parties=tuple(find_parties(plain, scope, watched, _aliases(matches))),
        summary=summarise(layout, _summary_centre(ranked, by_sentence, layout)),
    )


def _share_offering(
    article: Article,
    layout: Layout,
    masked: Text,
    lead: list[int],
    trigger: str,
    watched: list[str],
    matches: Sequence[Match],
) -> Deal:
    """The company's own equity raise told in the headline or lead, typed ``ipo``."""
    # Its amounts and parties are the lead's: later sentences tell what the money is for.
    told = Text([(number, layout.sentence(number)) for number in lead], _anchors())
    amounts, undisclosed = deal_amounts(told, set(lead), article, "ipo")
    return Deal(
        type="ipo",
        stage=cast(Stage, choose_stage(masked, lead, [])),
        confidence=OFFERING_CONFIDENCE,
        trigger=trigger,
        amounts=tuple(amounts),
        undisclosed=undisclosed and not amounts,
        parties=tuple(find_parties(told, lead, watched, _aliases(matches))),
        summary=summarise(layout, lead[-1] if lead[-1] != 0 else None),
    )


def _aliases(matches: Sequence[Match]) -> set[str]:
    """Every name the matches were found by, lower-cased: the alias and the words as written."""
    return {match.alias.lower() for match in matches} | {match.text.lower() for match in matches}


def _lead_confirms(text: Text, hits: list[Hit]) -> bool:
    """Whether the news lead confirms a deal (or the article is its headline alone)."""
    return (
        1 not in text.numbers
        or any(hit.sentence == 1 and hit.label != "none" for hit in hits)
        or bool(text.matches(_VERB_OBJECT, {1}))
    )


def _deal_bar(title: str, masked_title: str, hits: list[Hit], plain: Text) -> float:
    """The least score a deal needs: more when the headline says the news is something else."""
    if _headline_names_deal(title, masked_title, hits, plain):
        return MIN_DEAL_SCORE
    if any(hit.sentence == 0 and hit.label == "none" for hit in hits):
        return OTHER_NEWS_MIN_SCORE
    return UNHEADLINED_MIN_SCORE


def _headline_names_deal(title: str, masked_title: str, hits: list[Hit], plain: Text) -> bool:
    """Whether the headline speaks of a deal (or cannot be read, or names only a company).

    A deal word inside a not-deal expression ("TO HAVE GAIN ON UNIT SALE") names none; a weak
    trigger ("BUYS") names one only when the lead confirms it.
    """
    return (
        len(TICKER.sub(" ", title).split()) <= NAME_ONLY_HEADLINE_WORDS
        or any(
            hit.sentence == 0 and hit.label != "none" and hit.weight > WEAK_HEADLINE_WEIGHT
            for hit in hits
        )
        or bool(HEADLINE_DEAL_WORDS.search(masked_title))
        or bool(NOT_ENGLISH_SCRIPT.search(title))
        or (
            any(hit.sentence == 0 and hit.label != "none" for hit in hits)
            and _lead_confirms(plain, hits)
        )
    )


def _trigger(text: Text, hit: Hit) -> str:
    """The words of the hit as they stand in its sentence."""
    return text.value(hit.sentence)[hit.start : hit.end]


def _summary_centre(ranked: list[int], by_sentence: dict[int, float], layout: Layout) -> int | None:
    """The text sentence to summarise: one naming a watched entity first, then the best."""
    return min(
        (n for n in ranked if n != 0),
        key=lambda n: (layout.distance_to_entity(n) > 0, -by_sentence[n], n),
        default=None,
    )

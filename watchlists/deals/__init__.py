"""Deal analysis: what happened, between whom, for how much, in one or two sentences.

Everything here is rule-based, deterministic and pure. ``analyse_deal(article, matches)``
returns a ``Deal``; ``Deal.to_json()`` is the stable contract. One module per step:

``model``       the ``Deal``, ``Amount`` and ``Stake`` returned, deal types and stages
``sentences``   the sentence splitter, which sentences are read and how much each counts
``anchors``     rules tried only where one of their leading literals starts a word
``rules``       deal types as data: trigger phrases and non-deal phrases (with the wire
                cues of ``wire_rules`` and ``wire_context``, the continental ones of
                ``european``)
``stage_cues``  deal stages as data: the cues and what puts them in the future
``offerings``   a company's own share offering, read when no deal type wins
``scoring``     the deal type: hits weighed by sentence, stakes and framing; confidence
``stage``       the stage, read from the news lead first
``currencies``  currencies as data: scales, signs, codes, names, ambiguity rules
``money``       amounts in the deal's sentences, and undisclosed terms
``stakes``      percentages of a company changing hands
``parties``     the watched entities and other organisations named as parties
``summary``     one or two sentences about the deal
``analyse``     ``analyse_deal``, the steps in order
"""

from watchlists.deals.analyse import analyse_deal
from watchlists.deals.model import (
    DEAL_TYPES,
    STAGE_ORDER,
    STAGES,
    Amount,
    Deal,
    DealType,
    Stage,
    Stake,
)
from watchlists.deals.scoring import MIN_DEAL_SCORE, POSSESSIVE_FACTOR, SIDE_NOTE_FACTOR
from watchlists.deals.sentences import LEAD_SENTENCES, iter_sentences, split_sentences
from watchlists.deals.summary import ELLIPSIS, SUMMARY_LIMIT, shorten

__all__ = [
    "DEAL_TYPES",
    "ELLIPSIS",
    "LEAD_SENTENCES",
    "MIN_DEAL_SCORE",
    "POSSESSIVE_FACTOR",
    "SIDE_NOTE_FACTOR",
    "STAGES",
    "STAGE_ORDER",
    "SUMMARY_LIMIT",
    "Amount",
    "Deal",
    "DealType",
    "Stage",
    "Stake",
    "analyse_deal",
    "iter_sentences",
    "shorten",
    "split_sentences",
]

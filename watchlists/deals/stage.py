"""Stage: how far the deal has got, read from the news lead first.

Cues (see ``stage_cues``) are read in the title and the first deal sentence (the news lead),
then in the next best deal sentences, by precedence. ``completed`` and ``announced`` cues in
the future or the conditional ("expected to complete", "could announce") do not count,
``announced`` cues do not count in a tier that says talks are going on ("confirmed it is in
talks", "is in talks about a merger that will ..."), and a ``completed`` deal that still
awaits approval or closing is ``announced``. Without any cue a headline verb decides
weakly; otherwise the stage is "".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from watchlists.deals.anchors import Text, contains_any
from watchlists.deals.model import STAGE_ORDER
from watchlists.deals.patterns import LazyPattern
from watchlists.deals.sentences import Layout
from watchlists.deals.stage_cues import FUTURE, STAGE_RULE_SET, WEAK_STAGE_RULE_SET

# How far before a cue the future or conditional words are looked for.
FUTURE_REACH = 40

# A deal still waiting for approval or closing has been announced, not completed.
_PENDING = LazyPattern(
    r"\b(?:approvals?|clearances?|consents?)\s+(?:is|are)\s+(?:still\s+)?(?:expected|needed|"
    r"required|pending)\b|\b(?:needs|requires|awaits|awaiting|pending|subject\s+to)\s+"
    r"(?:[\w-]+\s+){0,2}(?:approvals?|clearances?|consents?)\b|\bmust\s+(?:\w+\s+)?approve\b|"
    r"\bexpected\s+to\s+(?:close|complete)\b|\byet\s+to\s+(?:close|complete)\b",
    re.IGNORECASE,
)
# Every match of _PENDING contains one of these; without them the text needs no search.
_PENDING_LITERALS = ("approv", "clearance", "consent", "expected", "yet")


# "is in advanced talks", "is negotiating": the deal is still being negotiated, whatever
# else is announced.
_ONGOING_TALKS = LazyPattern(
    r"\b(?:is|are|remains?|now)\s+(?:now\s+|still\s+)?(?:in\s+(?:[\w-]+\s+){0,2}?"
    r"(?:talks|negotiations|discussions)|negotiating|discussing)\b",
    re.IGNORECASE,
)
_TALKS_LITERALS = ("talks", "negotiations", "discussions", "negotiating", "discussing")


def _talks_ongoing(sentence: str) -> bool:
    """Whether the sentence says talks are going on now ("is in talks to buy")."""
    lowered = sentence.lower()
    return contains_any(lowered, _TALKS_LITERALS) and bool(_ONGOING_TALKS.search(sentence))


def choose_stage(text: Text, primary: Sequence[int], secondary: Sequence[int]) -> str:
    """The highest-ranked stage cue in the primary sentences, else the secondary, else a weak cue."""
    scope = [*primary, *secondary]
    sentence_of = dict(zip(text.numbers, text.values, strict=True))
    stage_hits = text.hits(STAGE_RULE_SET, scope)
    for tier in (set(primary), set(secondary)):
        best = ""
        # Confirming talks, or a deal that "will" follow them, is not an agreed deal.
        talking = any(_talks_ongoing(sentence_of[number]) for number in tier)
        for hit in (hit for hit in stage_hits if hit.sentence in tier):
            if talking and hit.label == "announced":
                continue
            if hit.label in {"completed", "announced"}:
                before = sentence_of[hit.sentence][max(0, hit.start - FUTURE_REACH) : hit.start]
                if FUTURE.search(before):
                    continue
            if STAGE_ORDER[hit.label] > STAGE_ORDER[best]:
                best = hit.label
        if best:
            return best
    weak = text.hits(WEAK_STAGE_RULE_SET, scope)
    if weak:
        weak.sort(key=lambda hit: (scope.index(hit.sentence), -STAGE_ORDER[hit.label]))
        return weak[0].label
    return ""


def awaits_approval(layout: Layout) -> bool:
    """Whether any text sentence says the deal still needs approval or has yet to close."""
    return contains_any(layout.lowered_text, _PENDING_LITERALS) and any(
        _PENDING.search(layout.sentence(number)) for number in range(1, len(layout))
    )

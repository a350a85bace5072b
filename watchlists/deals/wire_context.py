"""Wire-copy rules of session 6 (Reuters-21578 TRAIN, dev-a half): deals by their context.

Kept apart from ``rules`` (which is full): ``rules`` appends these to its type triggers and
its not-deal expressions. Every phrase is weighed like the rules there.

Deals stated with their stage
    A deal verb that carries its own stage ("completed the acquisition of", "agreed in
    principle to sell", "has sold its affiliates to") states the news outright, so it
    weighs more than the bare verb: such a lead clears the bar that a headline naming no
    deal sets ("JIM WALTER BUYS PLANT" misspelt, "SETS SOUTH AFRICA TRUST").
"""

from __future__ import annotations

# "completed the acquisition of", "agreed in principle to acquire", "signed a definitive
# agreement to buy": the deal is done or agreed, not discussed.
_DONE_OR_AGREED = (
    r"\b(?:complet(?:e|es|ed)|clos(?:e|es|ed)|finali[sz](?:e|es|ed))\s+(?:the\s+|its\s+|their\s+)?(?:previously\s+announced\s+|"
    r"previously\s+reported\s+|proposed\s+|planned\s+|pending\s+)?"
)
_AGREED_TO = (
    r"\b(?:agree(?:s|d)?|sign(?:s|ed)?\s+(?:an?\s+)?(?:definitive\s+|binding\s+)?"
    r"(?:agreement|contract|letter\s+of\s+intent))\s+(?:in\s+principle\s+)?to\s+"
)

TYPE_TRIGGERS: tuple[tuple[str, float, str], ...] = (
    (
        "acquisition",
        2.0,
        _DONE_OR_AGREED
        + r"(?:acquisition|purchase)\s+of\b|"
        + _AGREED_TO
        + r"(?:acquire|buy|purchase)\b",
    ),
    (
        "divestment",
        2.5,
        _DONE_OR_AGREED + r"sale\s+of\b|" + _AGREED_TO + r"sell\b|"
        r"\b(?:has|have|had)\s+sold\s+(?:its|their)\b",
    ),
    ("merger", 2.0, _DONE_OR_AGREED + r"merger\b|" + _AGREED_TO + r"merge\b"),
)

NOT_DEAL_EXPRESSIONS: tuple[str, ...] = ()

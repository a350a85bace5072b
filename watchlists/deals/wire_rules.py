"""Wire-copy rules of session 5 (Reuters-21578 TRAIN dev slice): macro news and false deals.

Kept apart from ``rules`` (which is full): ``rules`` appends these to its type triggers and
its not-deal expressions. Every phrase is weighed like the rules there.

Macro news
    Trade balances, deficits, savings, monetary policy and the economy are the news of
    officials and statistics; their "buy", "invest" and "purchases" are a country's or a
    market's, not a company's deal ("Japan urged to buy more U.S. goods", "foreign
    investment rose"). The words weigh as ``none`` cues, and in a headline they raise the
    bar the text must clear (see ``analyse``).
"""

from __future__ import annotations

# Macro-economic news: a none cue in any sentence, a "the news is something else" headline.
MACRO_NEWS = (
    r"\b(?:trade|budget|current[- ]account|fiscal|payments)\s+(?:surplus(?:es)?|deficits?|"
    r"balances?|gap|imbalances?)\b|\bdeficits\b|\bbalance\s+of\s+payments\b|"
    r"\bmonetary\s+(?:policy|policies|authorities)\b|\binterest\s+rates?\b|\binflation\b|"
    r"\beconom(?:y|ies)\b|\beconomic\s+(?:growth|policy|policies|recovery|reforms?|outlook|"
    r"expansion|slowdown)\b|\bgross\s+(?:national|domestic)\s+product\b|\bgnp\b|\bgdp\b|"
    r"\bmoney\s+supply\b|\bexchange\s+rates?\b|\bcentral\s+bank\b|\b(?:personal|household|private)\s+savings\b|\bsavings\s+(?:rate|ratio)s?\b|"
    r"\bprotectionism\b|\btrade\s+(?:friction|talks|bill|war|policy|relations|tensions?)\b"
)

TYPE_TRIGGERS: tuple[tuple[str, float, str], ...] = (("none", 2.0, MACRO_NEWS),)

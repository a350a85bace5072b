"""A company raising equity from its own shares: a share offering (typed ``ipo``), not no news.

A private placement of new shares, a rights issue, a follow-on offering or a sale of the
company's own stock is financing: it is no acquisition and its words weigh as ``none`` cues
against the deal types (``wire_rules.SECURITIES_ISSUE``, ``wire_context``). When the headline
or the news lead says the article is that raise, a deal desk still wants it told as equity
capital markets news with its amount ("VK raises 25 billion roubles in a private placement
of new shares"): the type is ``ipo`` (IPOs and later share offerings alike), read only after
every deal type has lost. Debt (notes, bonds) and shares in another company stay out.
"""

from __future__ import annotations

import re

from watchlists.deals.patterns import LazyPattern

# A sum, in the forms "$500 million", "25 billion roubles", "1.1 bln dlrs", "₽3 млрд".
_SUM = r"(?:up\s+to\s+|about\s+|around\s+|nearly\s+)?[$€£¥₽]?\s?\d[\d.,]*\s*[\w$€£¥₽.]*(?:\s+\w+)?"
# What keeps a placement or an offering about debt: "private placement of 50 mln dlrs of notes".
_NOT_DEBT = (
    r"(?!\s+(?:of\s+)?(?:[\w$.,-]+\s+){0,5}?(?:notes|bonds?|debentures?|debt|loans?|"
    r"securities|commercial\s+paper)\b)"
)
# The company selling its own stock, which ``rules`` weighs as a ``none`` cue (a sale of its
# own shares is no divestment): "sell up to $5 billion of its shares", "a follow-on offering".
OWN_STOCK_SALE = (
    r"\b(?:share|stock|equity)\s+(?:placements?|placings?)\b|"
    r"\bplac(?:ing|ement)s?\s+of\s+(?:[\w$.,-]+\s+){0,4}?(?:new\s+|ordinary\s+|common\s+)?"
    r"shares\b|"
    r"\b(?:follow-on|secondary|equity|at-the-market)\s+(?:share\s+|stock\s+)?offerings?\b|"
    r"\bcapital\s+increase\b|"
    r"\b(?:issu(?:e|es|ed|ing)|sell(?:s|ing)?|sold|plac(?:e|es|ed|ing))\s+" + _SUM + r"\s+"
    r"(?:(?:of|in|worth\s+of)\s+(?:its\s+(?:own\s+)?|new\s+)+|new\s+)"
    r"(?:common\s+|ordinary\s+)?(?:shares|stock)\b"
)
# A private placement, unless "concurrent" with a merger it finances (no news of its own);
# ``wire_rules`` weighs it as financing too.
PRIVATE_PLACEMENT = r"\b(?<!concurrent\s)private\s+placements?\b"
EQUITY_RAISE = LazyPattern(
    OWN_STOCK_SALE + r"|" + PRIVATE_PLACEMENT + _NOT_DEBT + r"|\brights\s+(?:issues?|"
    # Russian: an additional issue, a secondary placement, an SPO.
    r"offerings?)\b|\bдопэмисси\w*|\bдополнительн\w+\s+эмисси\w*|\bвторичн\w+\s+"
    r"размещени\w*|\bдоразмещени\w*|\bSPO\b",
    re.IGNORECASE,
)


# Debt named beside a placement makes it a debt placement ("CNW SELLS BONDS" over "a private
# placement of ..."; "PRIVATE EUROBOND").
_DEBT = LazyPattern(
    r"\b(?:notes|bonds?|debentures?|eurobonds?|eurodollar|debt\s+securities|"
    r"commercial\s+paper|облигаци\w*|бонд\w*)\b",
    re.IGNORECASE,
)


def equity_raise(sentences: list[str]) -> str | None:
    """The words that tell the company's own equity raise in these sentences, if they do.

    None when any of them names debt: a placement beside bonds or notes is a debt placement.
    """
    # The raise is looked for first: most articles have none, and need no debt search.
    found = next(filter(None, (EQUITY_RAISE.search(sentence) for sentence in sentences)), None)
    if found is None or any(_DEBT.search(sentence) for sentence in sentences):
        return None
    return found.group(0)

"""A deal's total stated after the sentences read: "The offer has been valued at 725.2 mln dlrs".

Wire copy often gives a bid's price per share in its lead and the total further down, in a
sentence that names the deal's value outright. When the sentences read give the deal no
total (no amount, or only a price per share), the rest of the text is searched for such a
sentence: the deal ("offer", "transaction", "acquisition" ...) valued, worth or priced at a
sum, or a sum paid for a stake or shares. Its first sum after those words is the total.
Background history ("acquired Six Flags for 147.4 mln dlrs in 1982") never counts.
"""

from __future__ import annotations

import re

from watchlists.deals.currencies import Currencies
from watchlists.deals.model import Amount
from watchlists.deals.money import MIN_UNSCALED_AMOUNT, PER_SHARE_REACH, scan_amounts
from watchlists.deals.patterns import LazyPattern
from watchlists.deals.sentences import Layout
from watchlists.model import Article

# How far the deal word may stand before "valued at" ("The Sosnoff offer to buy the shares
# of the company he does not already hold has been valued at").
DEAL_WORD_REACH = 90
# How far after "valued at" or "paid" the sum may start ("valued at about").
SUM_REACH = 30

_LATER_TOTAL = LazyPattern(
    r"\b(?:transaction|deal|acquisition|purchase|merger|sale|offer|bid|takeover|buyout)\b"
    rf"(?:[^.;]|\.(?=\d)){{0,{DEAL_WORD_REACH}}}?\b(?:valued|worth|priced)\s+at\b|"
    r"\b(?:transaction|deal|acquisition|purchase|merger|offer|bid|takeover)\s+worth\b|"
    r"\b(?:paid|pays|will\s+pay|would\s+pay)\b(?=(?:[^.;]|\.(?=\d)){0,40}?\bfor\s+(?:its|the|his|their)\s+"
    r"(?:[\w'&.-]+\s+){0,3}?(?:stake|shares|stock|holding|interest)\b)",
    re.IGNORECASE,
)
_PER_SHARE_AFTER = LazyPattern(r"^\s*(?:(?:in\s+)?cash\s+)?(?:a|per|each)\s+share\b", re.I)


def later_total(layout: Layout, article: Article) -> Amount | None:
    """The deal's total from a sentence beyond those read, if one names it outright."""
    if not layout.read:
        return None
    last = layout.read[-1]
    if last == 0 or last >= layout.count_up_to(last + 1):
        return None
    # The last read sentence ends here: only the text after it is searched.
    start = layout.span(last)[1]
    currencies: Currencies | None = None
    for found in _LATER_TOTAL.finditer(article.text, start):
        number = layout.sentence_of(found.start())
        begin, end = layout.span(number)
        sentence = article.text[begin:end]
        after = found.end() - begin
        if currencies is None:
            currencies = Currencies(article.title, article.text)
        for at, stop, amount, has_scale in scan_amounts(sentence, currencies):
            if at < after or at > after + SUM_REACH:
                continue
            if (not has_scale and amount.value < MIN_UNSCALED_AMOUNT) or _PER_SHARE_AFTER.match(
                sentence[stop : stop + PER_SHARE_REACH]
            ):
                break
            return amount
    return None

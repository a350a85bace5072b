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

# The words that state a total; each is checked for its deal word before it or its object
# after it, which is cheaper than a pattern that starts at every deal word.
_TOTAL_WORDS = LazyPattern(
    r"\b(?:(?:valued|priced)\s+at|worth|paid|pays|(?:will|would)\s+pay)\b", re.IGNORECASE
)
_DEAL_WORD = LazyPattern(
    r"\b(?:transaction|deal|acquisition|purchase|merger|sale|offer|bid|takeover|buyout)\b",
    re.IGNORECASE,
)
# "paid 178.2 mln dlrs for its Plumtree stock": what was paid for is a holding.
_PAID_FOR_HOLDING = LazyPattern(
    r"(?:[^.;]|\.(?=\d)){0,40}?\bfor\s+(?:its|the|his|their)\s+(?:[\w'&.-]+\s+){0,3}?"
    r"(?:stake|shares|stock|holding|interest)\b",
    re.IGNORECASE,
)
# A sentence ends at a period that is no decimal point.
_SENTENCE_END = LazyPattern(r"[.;](?!\d)")
_PER_SHARE_AFTER = LazyPattern(r"^\s*(?:(?:in\s+)?cash\s+)?(?:a|per|each)\s+share\b", re.I)
_MARKERS = ("valued at", "priced at", "worth", "paid", "pay")


def _states_total(text: str, found: re.Match[str]) -> bool:
    """Whether the total word found names the deal's total: a deal word before, or a holding paid for."""
    word = found.group(0).lower()
    if word.startswith(("paid", "pay", "will", "would")):
        return _PAID_FOR_HOLDING.match(text, found.end()) is not None
    window = text[max(0, found.start() - DEAL_WORD_REACH) : found.start()]
    ends = [stop.end() for stop in _SENTENCE_END.finditer(window)]
    return _DEAL_WORD.search(window, ends[-1] if ends else 0) is not None


def later_total(layout: Layout, article: Article) -> Amount | None:
    """The deal's total from a sentence beyond those read, if one names it outright."""
    if not layout.read:
        return None
    last = layout.read[-1]
    if last == 0 or last >= layout.count_up_to(last + 1):
        return None
    # The last read sentence ends here: only the text after it is searched.
    start = layout.span(last)[1]
    lowered = layout.lowered_text
    if not any(marker in lowered[start:] for marker in _MARKERS):
        return None
    currencies: Currencies | None = None
    for found in _TOTAL_WORDS.finditer(article.text, start):
        if not _states_total(article.text, found):
            continue
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

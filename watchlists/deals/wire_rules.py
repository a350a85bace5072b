"""Wire-copy rules of session 5 (Reuters-21578 TRAIN dev slice): macro news and false deals.

Kept apart from ``rules`` (which is full): ``rules`` appends these to its type triggers and
its not-deal expressions. Every phrase is weighed like the rules there.

Takeover procedure
    Bids told with other verbs ("TO PROCEED WITH BID", "FAIL TO AGREE ON BID", "HOLDERS
    REBUKE OFFER") and words that exist only around a takeover ("standstill agreement",
    "exchange ratio", "white knight", "waiting period", "proxy fight") are acquisitions.

Macro news
    Trade balances, deficits, savings, monetary policy and the economy are the news of
    officials and statistics; their "buy", "invest" and "purchases" are a country's or a
    market's, not a company's deal ("Japan urged to buy more U.S. goods", "foreign
    investment rose"). The words weigh as ``none`` cues, and in a headline they raise the
    bar the text must clear (see ``analyse``).

Financing and trade
    A company issuing, selling, offering or redeeming its own notes, debentures or bonds,
    a private placement or a rights issue is financing (a ``none`` cue). Commodities bought
    and sold ("buys 6,000 tonnes of palm stearine", "selling discounted crude") are trade:
    the phrase is blanked, unless a business, unit, assets or properties follow it ("sold
    its crude oil business" is a sale).

Ventures and prices
    A joint venture in apposition says who a company is ("Caltex, a joint venture of
    Chevron and Texaco, said"): blanked. Prices, rates and forecasts raised are no money
    raised ("TO RAISE OIL PRODUCT PRICES"): blanked.

Results headlines
    A headline that tells results ("SEES HIGHER EARNINGS", "LOSS REFLECTS LOWER OIL
    PRICES") and names no deal gives a ``none`` hit, so the deals the text recalls must
    clear the higher bar. Only the headline is read for it: in the text, "has an annual
    revenue of" describes a party.
"""

from __future__ import annotations

import re

from watchlists.deals.anchors import Hit
from watchlists.deals.offerings import OWN_STOCK_SALE, PRIVATE_PLACEMENT
from watchlists.deals.patterns import LazyPattern

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

# A company's own securities issued, sold, offered or redeemed: financing, not a deal.
SECURITIES_ISSUE = (
    # "all of the issued and outstanding securities of" is what a buyer takes.
    r"\b(?:issu(?:e|es|ed|ing)|sell(?:s|ing)?|offer(?:s|ing)?|redeem(?:s|ed|ing)?|"
    r"plac(?:e|es|ed|ing)|pric(?:e|es|ed|ing)|call(?:s|ed|ing)?)(?!\s+and\s+outstanding\b)\s+"
    r"(?:[\w$.,/-]+\s+){0,5}?"
    r"(?:notes|debentures?|bonds?|eurobonds?|securities|debt|commercial\s+paper)\b|"
    r"\b(?:note|notes|debenture|bond|eurobond|debt|preferred)\s+(?:offer(?:ing)?s?|issues?|"
    r"tenders?|placements?|sales?)\b|" + PRIVATE_PLACEMENT + r"|\brights\s+issues?\b"
)

# Results told as news: "POSTS 20.3 MLN DLR 1986 LOSS", "LOSS REFLECTS LOWER OIL PRICES",
# "RESERVES DOWN", "REPORTS PROFIT".
RESULTS_NEWS = (
    r"\b(?:posts?|posted|reports?|reported|has|sees?|expects?|forecasts?)\s+"
    r"(?:[\w$.,/-]+\s+){0,5}?(?:loss|losses|profits?|earnings|net|margins?|revenues?|"
    r"reserves|income|writedowns?|payout)\b|"
    r"\b(?:loss|losses|profits?|earnings|margins?|revenues?|reserves|output|income)\s+"
    r"(?:rise|rises|rose|fall|falls|fell|up|down|increases?|increased|decreases?|declined?|"
    r"declines|drops?|dropped|jumps?|jumped|reflects?|reflected|improves?|improved|doubles?|"
    r"doubled|widens?|widened|narrows?|narrowed|soars?|soared|plunges?|plunged)\b"
)

# Bid procedure with other verbs than ``rules`` knows: "TO PROCEED WITH BID", "FAIL TO
# AGREE ON BID", "HOLDERS REBUKE OFFER", "OPPOSES TAKEOVER BID"; an exchange, public,
# rights or debt offer is no bid for a company.
BID_PROCEDURE = (
    r"\b(?:proceed(?:s|ed|ing)?\s+with|rebuk(?:e|es|ed)|oppos(?:e|es|ed|ing)|fight(?:s|ing)?|"
    r"fought|resist(?:s|ed|ing)?|welcom(?:e|es|ed)|agree(?:s|d)?\s+on|evaluat(?:e|es|ed|ing)|"
    r"counter(?:s|ed)?|match(?:es|ed)?|top(?:s|ped)?|fend(?:s|ed)?\s+off)\s+"
    r"(?:(?!(?:exchange|public|rights|debt|stock|share|secondary|note|bond|debenture|warrant|"
    r"bonus|export|import|buying|selling|tax|wage|pay|price|interest|peace|cease-?fire)\b)"
    r"[\w'’&./<>-]+\s+){0,4}?(?:bid|offer|tender\s+offer|takeover\s+(?:bid|offer|proposal)|"
    r"buyout\s+proposal|merger\s+proposal)s?\b(?!\s+(?:of|for)\s+(?:debentures|notes|bonds|"
    r"debt|securities|preferred|units\s+of))"
)

# Words that exist only around a takeover: "STANDSTILL AGREEMENT", "SET EXCHANGE RATIO",
# "white knight", "waiting period" (antitrust review of a purchase), "proxy fight".
TAKEOVER_TERMS = (
    r"\bstandstill\s+(?:agreement|accord|pact|provisions?)s?\b|\bexchange\s+ratio\b|"
    r"\bwhite\s+knights?\b|\bgreenmail\b|\bhart-scott-rodino\b|\bwaiting\s+period\b|"
    r"\bproxy\s+(?:fight|contest|battle)s?\b"
)

TYPE_TRIGGERS: tuple[tuple[str, float, str], ...] = (
    ("acquisition", 2.5, BID_PROCEDURE),
    ("acquisition", 2.5, TAKEOVER_TERMS),
    ("none", 2.0, MACRO_NEWS),
    ("none", 3.0, SECURITIES_ISSUE),
    ("none", 3.0, OWN_STOCK_SALE),
)
# A results headline weighs this much as a "none" cue (times the title's weight).
RESULTS_HEADLINE_WEIGHT = 2.0
_RESULTS_HEADLINE = LazyPattern(RESULTS_NEWS, re.IGNORECASE)


def headline_hits(title: str) -> list[Hit]:
    """ "none" hits for results told in the headline (read in the headline only: further
    down, "has an annual revenue of" describes a party)."""
    return [
        Hit("none", RESULTS_HEADLINE_WEIGHT, 0, found.start(), found.end())
        for found in _RESULTS_HEADLINE.finditer(title)
    ]


# Commodities bought and sold are trade, not a company changing hands: "CHINA BUYS
# MALAYSIAN PALM STEARINE", "Iran is selling discounted crude" (but "sold its crude oil
# business" still is a sale).
COMMODITY_TRADE = (
    r"\b(?:buy|buys|buying|bought|purchas(?:e|es|ed|ing)|sell|sells|selling|sold)\s+"
    r"(?:[\w$.,/-]+\s+){0,4}?(?:wheat|corn|maize|grain|grains|sugar|barley|rice|soybeans?|"
    r"soymeal|oilseeds?|crude|gasoline|fuel\s+oil|heating\s+oil|coal|cotton|coffee|cocoa|"
    r"sorghum|rapeseed|tallow|palm\s+oil|stearine|olein|wood|lumber|logs|gold|silver|copper|"
    r"tin|aluminium|aluminum|zinc|nickel|rubber|beef|pork|meat|butter|cheese|dairy\s+products|"
    r"processed\s+products|coins?|bitcoins?|btc|ether|eth|tokens?|stablecoins?|"
    r"cryptocurrenc(?:y|ies)|crypto|energy\s+products)\b(?!(?:[\s,-]+(?:oil|and|gas|[\w-]+)){0,3}[\s,-]+"
    r"(?:business|businesses|unit|units|operations|division|subsidiary|company|companies|"
    r"properties|property|assets|interests?|reserves|stake|producer|refiner|refinery|mine|"
    r"mines|mill|mills|plant|plants|fields?|deal|takeover|merger|corp|corporation|inc|ltd|"
    r"plc|mining|resources)\b)"
)

# A venture named to say who a company is, in apposition: "Caltex, a joint venture of
# Chevron and Texaco, said"; "Black River Constructors, a joint venture with Eby, has won".
_VENTURE_OF = r"joint[- ]ventures?\s+(?:company\s+)?(?:of|between|with|owned\s+by)\b"
# One fixed-width look-behind per article, so that "joint" stays the rule's anchor.
VENTURE_APPOSITIVE = rf"(?<=,\sa\s){_VENTURE_OF}|(?<=,\san\s){_VENTURE_OF}"

# Prices, rates and forecasts raised are no money raised: "TO RAISE BAHRAIN OIL PRODUCT
# PRICES", "RAISES INDICATOR LENDING RATE".
RAISED_PRICES = (
    r"\b(?:rais(?:e|es|ed|ing)|lift(?:s|ed)?|hik(?:e|es|ed))\s+(?:its\s+|their\s+|the\s+)?"
    r"(?:[\w-]+\s+){0,4}?(?:prices?|rates?|tariffs?|fares?|output|production|forecasts?|"
    r"estimates?|targets?|ceilings?|quotas?)\b"
)

# The same trade told with nouns: "Bitcoin buys", "energy purchases", "buying a home".
COMMODITY_PURCHASES = (
    r"\b(?:bitcoin|btc|ether|eth|crypto|token|gold|oil|gas|lng|energy|grain|wheat)\s+"
    r"(?:buys|purchases|buying)\b|\b(?:buy|buys|buying|bought)\s+(?:a|your|their|his|her)\s+"
    r"(?:first\s+|new\s+|second\s+)?(?:home|house|car|condo|flat|apartment)\b"
)
NOT_DEAL_EXPRESSIONS: tuple[str, ...] = (
    COMMODITY_TRADE,
    COMMODITY_PURCHASES,
    VENTURE_APPOSITIVE,
    RAISED_PRICES,
)

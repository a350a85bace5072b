"""Wire-copy rules of session 6: deals by their context, as general categories.

Kept apart from ``rules`` (which is full): ``rules`` appends these to its type triggers and
its not-deal expressions. Every phrase is weighed like the rules there. The categories were
written from invented wire sentences (the tests) and kept only when they left the Reuters
dev halves no worse; word lists live in ``commodities``.

Trade in goods and money
    Commodities, fuels and currencies bought and sold ("India bought urea", "refiners
    bought naphtha cargoes", "the Bundesbank sold marks against dollars") are a market's
    trade, named from a broad list (``commodities``), in lower case in the text and in
    capitals in a headline (a capitalised word is a name: "Pacific Lumber"). A business,
    unit or company after the goods makes it a sale again ("sold its steel unit").

Orders, spending and markets
    Capital goods ordered by the piece ("agreed to buy six new jets"), money invested in
    plant, technology or an industry, investment programmes and incentives, market trading
    ("heavy selling by institutions", "short interest") and fixed expressions ("acquired
    immune deficiency", "won a bid to build") are no deal.
    A company after the verb stays a deal ("buy Plumtree Trucks Inc", "invest 30 mln dlrs
    in Plumtree Inc").

Own securities, rights and space
    A company tendering for or exchanging its own debentures, notes or preferred, or
    selling its own shares in a public offering, is financing; marketing rights, licences,
    acres and square feet bought are no company; "investment rose" is a statistic.

Bids told by their value, deals told without a deal verb
    "made an offer worth 53 mln stg for", "its offer values Plumtree at", "holders will get
    1.2 Orchard shares for each Plumtree share", "accept Orchard Corp's proposal", "approached Plumtree
    with a view to making an offer", "rebuffed an overture", "had tendered 4.5 mln
    Plumtree Inc shares": an acquisition; "put the company up for sale": a sale; "discussions about combining": a
    merger.

A company merging its own parts
    "merge its two chemical units", "was merged into the parent company": no deal.

Past deals as background
    "which it acquired from Plumtree in 1985", "its 1985 acquisition of", "through
    acquisitions", "recent acquisitions" tell a party's history inside other news.

Deals stated with their stage
    A deal verb that carries its own stage ("completed the acquisition of", "agreed in
    principle to sell", "has sold its retail chain to") states the news outright, so it
    weighs more than the bare verb: such a lead clears the bar that a headline naming no
    deal sets ("ORCHARD ADDS SNACK BAKERY CAPACITY IN MIDWEST").
"""

from __future__ import annotations

import re

from watchlists.deals.commodities import CAPITAL_GOODS, COMMODITIES, CURRENCIES

# "completed the acquisition of", "agreed in principle to acquire", "signed a definitive
# agreement to buy": the deal is done or agreed, not discussed.
_DONE_OR_AGREED = (
    r"\b(?:complet(?:e|es|ed)|clos(?:e|es|ed)|finali[sz](?:e|es|ed))\s+(?:the\s+|its\s+|"
    r"their\s+)?(?:previously\s+announced\s+|previously\s+reported\s+|proposed\s+|"
    r"planned\s+|pending\s+)?"
)
_AGREED_TO = (
    r"\b(?:agree(?:s|d)?|sign(?:s|ed)?\s+(?:an?\s+)?(?:definitive\s+|binding\s+)?"
    r"(?:agreement|contract|letter\s+of\s+intent))\s+"
    r"(?:in\s+principle\s+)?to\s+"
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
    # A company for sale: "put the company up for sale".
    (
        "divestment",
        3.0,
        r"\b(?:put|puts|putting|placed|place|places)\s+(?:[\w'&.-]+\s+){0,4}?up\s+for\s+sale\b",
    ),
    # Talks about combining: "ended discussions with Plumtree about combining the two".
    (
        "merger",
        2.5,
        r"\b(?:talks|discussions|negotiations)\s+(?:with\s+(?:[\w'&.,<>-]+\s+){1,5}?)?(?:about|on|"
        r"concerning|regarding|over|toward|towards)\s+(?:a\s+|an\s+|the\s+)?(?:possible\s+|"
        r"proposed\s+|potential\s+)?(?:combin(?:ing|ation)|business\s+combination)\b",
    ),
    # A stock deal by its exchange ratio: "holders will get 1.2 Orchard shares for each
    # Plumtree share"; a proposal accepted: "recommend that holders accept Orchard's proposal".
    (
        "acquisition",
        3.0,
        r"\b(?:receive|receives|get|gets|getting|receiving)\s+(?:about\s+)?[\d.,/]+\s+"
        r"(?:[\w.&'-]+\s+){0,3}?(?:common\s+)?shares?\s+(?:of\s+[\w.&'-]+\s+(?:stock\s+)?)?"
        r"(?:for|in\s+exchange\s+for)\s+each\b|"
        r"\baccept(?:s|ed|ing)?\s+(?:[\w.&-]+\s+){0,3}?[\w.&-]+(?:'s|’s)\s+(?:revised\s+|merger\s+|takeover\s+|"
        r"buyout\s+|acquisition\s+)?proposal\b",
    ),
    # An approach about a bid: "approached Plumtree with a view to making an offer".
    (
        "acquisition",
        3.0,
        r"\bapproach(?:ed|es|ing)?\s+(?:[\w.&'<>-]+\s+){1,4}?(?:with\s+a\s+view\s+to|about|"
        r"regarding|concerning)\s+(?:a\s+|an\s+|the\s+)?(?:possible\s+)?(?:making\s+an?\s+)?"
        r"(?:offer|bid|merger|takeover|acquisition|combination)\b",
    ),
    # Shares tendered counted: "holders had tendered 4.5 mln Plumtree Inc shares"; an
    # overture rebuffed: "rebuffed an overture from Orchard".
    (
        "acquisition",
        3.0,
        r"\btender(?:ed|ing)\s+(?:about\s+|some\s+|nearly\s+|over\s+)?[\d.,]+\s+(?:mln\s+|million\s+)?"
        r"(?:[\w.&'<>-]+\s+){0,3}?(?:common\s+)?shares\b|\bovertures?\b",
    ),
    # A bid told by its value: "BIDS FOR PLUMTREE", "made an offer worth 53 mln stg for",
    # "its offer values Plumtree at 53 mln stg".
    (
        "acquisition",
        2.5,
        r"\b(?:offer|bid|proposal)s?\s+(?:worth|valued\s+at)\s+(?:about\s+|some\s+|nearly\s+)?"
        r"\d[\d.,]*\s+(?:mln\s+|million\s+|billion\s+|bln\s+)?(?:[\w.]+\s+){1,2}?for\b|"
        r"\b(?:offer|bid|proposal|terms)s?\s+valu(?:e|es|ed|ing)\s+(?:(?:the\s+)?company|"
        r"(?:[\w.&'-]+\s+){1,4}?)\s*at\b",
    ),
)


def _goods(words: tuple[str, ...], upper: bool = False) -> str:
    """The words as a case-sensitive alternation, in lower case (text) or capitals (headline)."""
    forms = [word.upper() if upper else word for word in sorted(words, key=len, reverse=True)]
    return "(?-i:" + "|".join(r"\s+".join(map(re.escape, form.split())) for form in forms) + ")"


# Not goods but a business: "sold its steel unit", "bought Gamma Steel Corp".
_A_BUSINESS_AFTER = (
    r"(?!(?:[\s,-]+(?!(?:from|to|for|with|by|at|in|under)\b)(?:oil|and|gas|[\w-]+)){0,3}"
    r"[\s,-]+(?:business|businesses|unit|units|"
    r"operations|division|subsidiary|company|companies|corp|corporation|inc|co|ltd|plc|group|"
    r"holdings|industries|properties|property|assets|interests?|reserves|stake|producer|"
    r"producers|refiner|refinery|mine|mines|mill|mills|plant|plants|fields?|concern|firm|maker|"
    r"makers|utility|utilities|pipelines?|stations?|distributor|distribution|marketing|"
    r"exploration|leases)\b)"
)
_TRADE_VERB = r"\b(?:buy|buys|buying|bought|purchas(?:e|es|ed|ing)|sell|sells|selling|sold)\s+"
# The goods are the verb's object: no preposition or infinitive between ("buys rival to
# secure mango pulp supply" buys a company). In a headline every word is in capitals,
# names too ("BUYS PACIFIC LUMBER"): only quantities and "U.S." may stand between there.
_HEADLINE_QUALIFIERS = (
    r"(?:(?-i:[\d.,/-]+|MLN|BILLION|TONNES|TONS|BALES|BUSHELS|BARRELS|OUNCES|OF|U\.S\.|MORE|"
    r"SPOT)\s+){0,4}?"
)
GOODS_TRADE = (
    _TRADE_VERB
    + r"(?:(?:(?!(?:to|for|from|with|by|at|into|on|in)\b)[\w$.,/-]+\s+){0,4}?"
    + _goods(COMMODITIES + CAPITAL_GOODS)
    + "|"
    + _HEADLINE_QUALIFIERS
    + _goods(COMMODITIES + CAPITAL_GOODS, upper=True)
    + r")\b"
    + _A_BUSINESS_AFTER
)
# "sold marks against dollars", "bought dollars to stem the yen's rise"; in a headline the
# currency alone ("SELLS FRANCS"), unless a name goes on ("MARKS AND SPENCER").
CURRENCY_TRADE = (
    _TRADE_VERB
    + r"(?:(?:[\d.,]+\s+(?:mln\s+|million\s+|billion\s+|bln\s+)?)?(?:u\.s\.\s+)?"
    + _goods(CURRENCIES)
    + r"\s+(?:against|for\s+"
    + _goods(CURRENCIES)
    + r"|in\s+(?:the\s+)?(?:open\s+)?market|to\s+(?:stem|support|curb|slow|halt|prop|defend))|"
    + _HEADLINE_QUALIFIERS
    + _goods(CURRENCIES, upper=True)
    + r"(?!\s*(?:AND|&|<)))\b"
    + _A_BUSINESS_AFTER
)

# Capital goods ordered by the piece: "agreed to buy six new jets from", "to purchase 2,000
# of its trucks".
GOODS_ORDERED = (
    _TRADE_VERB
    + r"(?:up\s+to\s+|about\s+|another\s+|some\s+)?(?:\d[\d,.]*|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|a\s+dozen|dozens\s+of|several|more)\s+(?:of\s+(?:its|their|the)\s+)?"
    r"(?:(?!(?:to|for|from|with|by|at|in|shares|pct)\b)[\w-]+\s+){0,3}?"
    + _goods(CAPITAL_GOODS)
    + r"\b"
)
# Money put into plant, programmes and industries is spending, not a stake: "plans to
# invest 200 mln dlrs in its plants", "cut its investment program", "attract investment".
CAPITAL_SPENDING = (
    r"\binvest(?:s|ed|ing)?\s+(?:heavily\s+)?(?:(?:about\s+|some\s+|up\s+to\s+|nearly\s+|"
    r"more\s+than\s+)?(?:[\d.,]+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:mln\s+|"
    r"million\s+|billion\s+|bln\s+)?(?:[\w.]+\s+){1,2}?)?"
    r"(?:(?:last|this|next|each|a)\s+year\s+|over\s+"
    r"(?:the\s+)?(?:next\s+)?[\w-]+\s+years\s+)?in\s+(?:new\s+|its\s+|their\s+|the\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:plants?|mills?|factories|facilities|equipment|technology|"
    r"industry|industries|sector|projects?|expansion|modernization|modernisation|"
    r"infrastructure|capacity|exploration|refineries|research)\b|"
    r"\binvestments?\s+(?:program|programs|programme|programmes|plans?|budgets?|spending|"
    r"outlays?|incentives?|climate|goods|income|tax\s+credits?|laws?|rules|code|regulations|"
    r"polic(?:y|ies)|guidelines|restrictions|limits)\b|"
    r"\b(?:foreigners|foreign\s+(?:investors|companies|firms|banks))\s+(?:to\s+|may\s+|can\s+|"
    r"could\s+|will\s+be\s+allowed\s+to\s+)?(?:own|hold|buy|acquire)\s+(?:up\s+to\s+)?|"
    r"\bcommit(?:s|ted|ting)?\s+(?:about\s+|some\s+|up\s+to\s+)?[\d.,]+\s+(?:mln\s+|million\s+|"
    r"billion\s+|bln\s+)?(?:[\w.]+\s+){1,2}?to\s+(?:research|development|exploration|"
    r"expansion|modernization|modernisation|capital\s+spending|new\s+plants?)\b|"
    r"\b(?:attract|attracting|attracts|encourage|encouraging|promote|promoting|boost|"
    r"boosting|stimulate|stimulating)\s+(?:more\s+)?(?:foreign\s+|private\s+|new\s+)?"
    r"investments?\b"
)
# Market trading: "heavy selling by institutions", "selling pressure", "sold short".
MARKET_TRADING = (
    r"\b(?:heavy|late|early|aggressive|institutional|foreign|program|computer|technical|"
    r"panic)\s+(?:buying|selling)\b|\b(?:selling|buying)\s+(?:pressure|interest|spree|"
    r"wave|climax)\b|\b(?:sold|sell|selling|sells)\s+short\b|\bshort[- ](?:selling|"
    r"interest|sales?)\b|\bprofit[- ]taking\b"
)
# Fixed expressions with a deal word that are no deal: "acquired immune deficiency
# syndrome", "won a bid to build", "a bid for the contract".
FIXED_NOT_DEALS = (
    r"\bacquired\s+immune\s+deficiency\b|"
    r"\b(?:won|win|wins|winning|lost|lose|loses|submitted|submits|submit)\s+(?:a\s+|the\s+|"
    r"its\s+)?(?:[\w-]+\s+)?(?:bid|tender|offer)s?\s+(?:to\s+(?:build|supply|construct|"
    r"provide|develop|design|operate|manage|run)|for\s+(?:a\s+|the\s+)?(?:[\w$.,-]+\s+){0,4}?"
    r"(?:contract|project|licen[cs]e|concession|franchise)s?)\b|"
    r"\b(?:bid|bids|tender|tenders|offer|offers)\s+for\s+(?:a\s+|the\s+)?(?:[\w$.,-]+\s+){0,3}?"
    r"(?:contract|concession|franchise)s?\b"
)

# A company tendering for or exchanging its own securities: "began a tender offer for all
# of its 13 pct subordinated debentures", "offered to exchange common stock for all of its
# outstanding preferred shares".
_OWN_SECURITIES = (
    r"(?:all\s+)?(?:of\s+)?(?:(?:its|their|the\s+company's)\s+)?(?:[\w$.,/-]+\s+){0,5}?"
    r"(?:debentures|notes|bonds|preferred|warrants|debt|securities)\b"
)
OWN_SECURITIES_TENDER = (
    r"\b(?:tender|exchange)\s+offers?\s+for\s+" + _OWN_SECURITIES + r"|"
    r"\b(?:tender(?:s|ed|ing)?|exchang(?:e|es|ed|ing))\s+(?:[\w$.,/-]+\s+){0,4}?for\s+"
    + _OWN_SECURITIES
)
# Rights, licences and space are bought, not companies: "acquired the exclusive U.S.
# marketing rights to", "acquired a license to make", "acquired 200,000 square feet".
RIGHTS_AND_SPACE = (
    r"\b(?:acquir(?:e|es|ed|ing)|buy|buys|bought|purchas(?:e|es|ed))\s+(?:the\s+|an?\s+)?"
    r"(?:(?:exclusive|worldwide|world|u\.s\.|north\s+american|european|marketing|"
    r"distribution|manufacturing|production|licensing|publishing|broadcast|television|film|"
    r"oil|gas|mineral|mining|drilling|"
    r"movie|video|patent|drug|product)\s+){0,4}(?:rights|licen[cs]es?|leases)\b"
    r"(?!\s+(?:issue|offering)\b)|"
    r"\b(?:acquir(?:e|es|ed|ing)|buy|buys|bought|purchas(?:e|es|ed)|leas(?:e|es|ed))\s+"
    r"(?:about\s+|some\s+|nearly\s+)?[\d,.]+\s+(?:acres|hectares|square\s+(?:feet|miles|"
    r"meters|metres))\b"
)

# A company's own shares offered and investment as a statistic: "will sell 2 mln shares of
# common stock in a public offering", "TO SELL 2 MLN SHARES" (no one else's shares named),
# "the offer for sale of 50 mln Orchard shares was oversubscribed", "investment rose 12 pct".
_SHARE_COUNT = r"(?:about\s+|up\s+to\s+|another\s+)?[\d.,]+\s+(?:mln\s+|million\s+)?"
OWN_SHARES_AND_STATISTICS = (
    _TRADE_VERB
    + _SHARE_COUNT
    + r"(?:new\s+)?(?:common\s+|ordinary\s+)?shares\s+(?:of\s+(?:its\s+)?(?:common\s+)?stock\s+)?"
    r"(?:in|through|via)\s+(?:an?\s+|its\s+)?(?:proposed\s+)?(?:initial\s+)?(?:public|secondary|"
    r"rights|stock)\s+(?:offering|issue)\b|"
    r"\b(?:sell|sells|selling|sold)\s+" + _SHARE_COUNT + r"(?-i:SHARES)\b(?!\s+(?-i:OF|IN)\b)|"
    r"\boffers?\s+for\s+sale\s+of\s+(?:[\w.,]+\s+){0,3}?(?:[\w.&'-]+\s+){0,3}?(?:new\s+)?"
    r"(?:ordinary\s+|common\s+)?shares\b|\b(?:over|under)subscribed\b|"
    r"\binvestments?\s+(?:in\s+(?:[\w.-]+\s+){1,3}?)?(?:rose|rises|rise|fell|falls|fall|up|down|"
    r"increased|increases|declined|declines|grew|grows|dropped|drops|jumped|slowed|rising|"
    r"falling|slowing)\b"
)

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
# Deals told as background: "its heart drug, which it acquired from Plumtree in 1985", "a
# suit stemming from its 1985 acquisition of", "diversification through acquisitions",
# "as recent acquisitions contribute to sales".
_PAST_DATE = r"(?:in\s+(?:" + _MONTH + r"\s+)?(?:19|20)\d\d|last\s+year)\b"
BACKGROUND_DEALS = (
    r"\b(?:which|that)\s+(?:it|they|the\s+company|[\w&.-]+)\s+(?:had\s+)?(?:acquired|bought|"
    r"purchased)\s+(?:[\w'&.,<>-]+\s+){0,5}?" + _PAST_DATE + r"|"
    r"\bits\s+(?:19|20)\d\d\s+(?:acquisition|purchase|merger|takeover)\b|"
    r"\b(?:through|via|from)\s+(?:recent\s+|past\s+|several\s+|a\s+series\s+of\s+)?"
    r"acquisitions\b|\b(?:recent|past|earlier|previous)\s+acquisitions\b"
)

# A company merging its own parts: "will merge its two chemical units into one division",
# "its finance unit was merged into the parent company" ("merge their businesses" is two
# owners, a merger).
INTERNAL_MERGER = (
    r"\b(?:merg(?:e|es|ed|ing)|combin(?:e|es|ed|ing)|consolidat(?:e|es|ed|ing))\s+its\s+"
    r"(?:[\w.-]+\s+){0,4}?(?:units|divisions|subsidiaries|operations|branches|businesses|"
    r"plants|offices|departments)\b|"
    r"\bmerg(?:e|es|ed|ing)\s+(?:two|three|four)\s+(?:[\w.-]+\s+){0,2}?(?:units|divisions|"
    r"subsidiaries|operations)\b|"
    r"\bmerged\s+into\s+(?:(?:the|its)\s+)?(?:parent|[\w-]+\s+(?:unit|division|subsidiary))\b"
)

NOT_DEAL_EXPRESSIONS: tuple[str, ...] = (
    GOODS_TRADE,
    CURRENCY_TRADE,
    GOODS_ORDERED,
    CAPITAL_SPENDING,
    MARKET_TRADING,
    FIXED_NOT_DEALS,
    OWN_SECURITIES_TENDER,
    RIGHTS_AND_SPACE,
    OWN_SHARES_AND_STATISTICS,
    BACKGROUND_DEALS,
    INTERNAL_MERGER,
)

"""Deal types as data: weighted trigger phrases, and what is no deal.

Deal type
    Every type has weighted trigger phrases (``acquire``, ``takeover``, ``swoops on``,
    ``joint venture``, ``jointly owned``, ``stake``, ``buys into``, ``Series B``, ``new
    round``, ``initial public offering``, ``float``, ``spin off``, ``offloads``, ``teamed
    up with``, ``joins forces``, ``supply agreement``, ``exclusive deal``, ``pact``,
    "signs ... pact" unless it is a merger or a deal "to buy", "agreement to supply" ...);
    ``none`` has its own (quarterly results, profit, lawsuits, appointments, layoffs).
    The ``stake`` label is settled later by the sentence's stake (see ``scoring``). Fixed
    expressions that are not deals ("investment bank", "buyout firm", "mergers and
    acquisitions", "termination fee", "share buyback", "buy electricity") are blanked
    first. A trigger's weight says how surely the phrase means its type: 4.0 names the
    type outright ("joint venture", "Series B", "IPO"), 2.5 to 3.0 is a strong verb
    ("acquire", "merge", "offload"), 1.0 to 2.0 a word that often means something else
    ("buy", "combine", "raise", "partners").

Stage cues are in ``stage_cues``.
"""

from __future__ import annotations

import re

from watchlists.deals.anchors import RuleSet, rule
from watchlists.deals.european import TYPE_TRIGGERS as EUROPEAN_TYPE_TRIGGERS
from watchlists.deals.patterns import LazyPattern
from watchlists.deals.wire_context import NOT_DEAL_EXPRESSIONS as CONTEXT_NOT_DEAL_EXPRESSIONS
from watchlists.deals.wire_context import TYPE_TRIGGERS as CONTEXT_TYPE_TRIGGERS
from watchlists.deals.wire_rules import NOT_DEAL_EXPRESSIONS as WIRE_NOT_DEAL_EXPRESSIONS
from watchlists.deals.wire_rules import TYPE_TRIGGERS as WIRE_TYPE_TRIGGERS

# A price in wire dialect: "310 mln stg", "31 dlrs/shr", "36 dlrs a share cash".
_WIRE_PRICE = (
    r"\d[\d.,]*\s+(?:mln\s+|billion\s+|bln\s+)?(?:dlrs?|dollars|stg|pence|yen|marks|francs|"
    r"guilders|lire|cts)(?:\s*/\s*(?:shr|share|warrant|unit)|\s+(?:a\s+|per\s+)?share|\s+cash)?"
)

TYPE_TRIGGERS: tuple[tuple[str, float, str], ...] = (
    # acquisition
    ("acquisition", 2.5, r"\bacquir(?:e|es|ed|ing)\b"),
    ("acquisition", 2.5, r"\bacquisitions?\b"),
    ("acquisition", 2.0, r"\b(?:buy|buys|buying|bought)\b(?![- ]?back)(?!\s+into)"),
    ("acquisition", 3.0, r"\bswoop(?:s|ed|ing)?\s+(?:on|for)\b"),
    (
        "acquisition",
        3.0,
        r"\baccept(?:s|ed|ing)?\s+(?:an?\s+|the\s+)?(?:[\w$.,-]+\s+){0,3}(?:offer|bid)\b",
    ),
    ("investment", 3.0, r"\b(?:buy|buys|buying|bought)\s+into\b"),
    # Not "asset-backed", nor backing a plan, a bill or a tax.
    (
        "investment",
        1.5,
        r"\b(?<!-)(?:back|backs|backed|backing)\b(?!\s+(?:office|to|down|up|under|into|in|on|"
        r"from|home)\b)(?<!\bback\s)(?![\s,]*(?:[.,;:\n]|$))(?!\s+(?:the\s+|a\s+|"
        r"an\s+|its\s+|their\s+)?(?:[\w%.-]+\s+){0,2}?(?:plan|proposal|bill|measure|tax|hike|move|"
        r"idea|call|candidate|legislation|reform|policy|increase|cut|market|allocation|view|"
        r"approach|strategy)s?\b)",
    ),
    ("investment", 1.5, r"\bcommit(?:s|ted|ting)?\b"),
    ("investment", 2.0, r"(?<=\bto\s)fund\b"),
    ("investment", 2.0, r"\bput(?:s|ting)?\s+(?:[\w$€£¥₽.,-]+\s+){0,4}into\b"),
    # "anti-takeover" is a defence, which a "none" rule below weighs.
    (
        "acquisition",
        3.0,
        r"\btake-?overs?\b(?<!anti-takeover)(?<!anti-takeovers)(?<!antitakeover)|"
        r"\btak(?:e|es|ing)\s+over\b(?!\s+as\b)",
    ),
    ("acquisition", 2.5, r"\bbuy-?outs?\b"),
    ("acquisition", 1.5, r"\bpurchas(?:e|es|ed|ing)\b"),
    # The noun with its object ("its EUR 780 million purchase of Zahnwerk") is the deal.
    ("acquisition", 1.0, r"\bpurchase\s+of\s+(?:the\s+|a\s+|an\s+)?(?-i:[A-Z])"),
    # A purchase with its price is a deal whatever is bought: "completed the purchase of a
    # bakery for $5 million", "purchased the plant for 12.5 mln dlrs".
    (
        "acquisition",
        2.0,
        r"\bpurchas(?:e|es|ed|ing)\s+(?:of\s+)?(?:[\w'’.,&-]+\s+){0,6}?for\s+"
        r"(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+|up\s+to\s+)?"
        r"(?-i:[A-Z]{0,3}[$€£¥₹₽]\s?|[A-Z]{3}\s)?\d",
    ),
    # Money paid for something named: "agreed to pay about $410 million for it".
    (
        "acquisition",
        2.0,
        r"\b(?:pay|pays|paid|paying)\s+(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+|up\s+to\s+)?"
        r"(?:(?-i:[A-Z]{0,3}[$€£¥₹₽]|[A-Z]{3}\s)\s?\d[\d.,]*\s*(?:[a-z]+\s+)?|"
        r"\d[\d.,]*\s+(?:mln|billion|bln|million)\s+(?:dlrs|stg|yen|marks|francs|guilders|lire)\s+)"
        r"for\b",
    ),
    ("acquisition", 2.0, r"\b(?:bid|offer|approach)\s+(?:for|of)\b"),
    # Offers in wire copy: "offers 36 dlrs a share cash for", "agrees to higher offer".
    (
        "acquisition",
        3.0,
        r"\b(?:offer|offers|offered|offering|bid|bids|bidding)\s+(?:of\s+|at\s+)?(?:[\w$.,-]+\s+){0,2}?"
        r"(?:dlrs?|cts|stg|pence|p)\s+(?:a|per)\s+share\b",
    ),
    (
        "acquisition",
        2.0,
        r"\b(?:higher|sweetened|hostile|rival|revised|improved|competing|unsolicited|amended|"
        r"friendly|takeover|buyout)\s+(?:offer|bid|proposal)s?\b",
    ),
    # Bid battles told without a deal verb: "rejects sweetened offer", "87 pct of Grant
    # shares tendered", "accepted 20 pct of shares in tender".
    (
        "acquisition",
        3.0,
        r"\b(?:reject|rejects|rejected|rebuff(?:s|ed)?|spurn(?:s|ed)?)\s+(?:[\w$.,/-]+\s+){0,4}?"
        r"(?:offer|bid|proposal|tender)s?\b",
    ),
    (
        "acquisition",
        3.0,
        r"\btender(?:ed|ing)\s+(?:[\w-]+\s+){0,3}?(?:shares|units)\b|\b(?:shares|units)\s+(?:[\w-]+\s+){0,4}?"
        r"(?:tendered|in\s+(?:the\s+|its\s+)?tender)\b|\b(?:hostile|cash|rival)\s+tender\b",
    ),
    # Money received for a business is its sale: "to receive 588 mln dlrs for Goodyear
    # Aerospace from Loral".
    (
        "divestment",
        2.5,
        r"\b(?:receive|receives|received|receiving|get|gets|got)\s+(?:about\s+|around\s+|some\s+)?"
        r"(?:(?-i:[A-Z]{0,3}[$€£¥₹₽])\s?)?\d[\d.,]*\s+(?:mln\s+|billion\s+|bln\s+|million\s+)?"
        r"(?:dlrs|dollars|stg|pounds|yen|marks|francs|guilders|lire|euros)?\s*(?:in\s+cash\s+)?"
        r"for\s+(?:its\s+|the\s+)?(?-i:[A-Z])",
    ),
    # Wire copy: "began a tender offer for", "agreed in principle to be acquired by".
    ("acquisition", 3.0, r"\btender\s+offers?\b"),
    (
        "acquisition",
        3.0,
        r"\bagree(?:s|d)?\s+(?:in\s+principle\s+)?to\s+be\s+(?:acquired|bought|purchased|"
        r"taken\s+over)\b",
    ),
    # "take Plumtree Retail private in a £1.1bn deal", "a take-private", not "take stakes in
    # private companies".
    (
        "acquisition",
        2.0,
        r"\b(?:take|takes|taking|took|taken)\s+(?:[\w&.'’-]+\s+){0,4}?private\b"
        # (Sentences are read joined by new lines: the name ends at one.)
        r"(?=[^\S\n]+(?:in|for|with|at|by|through|via|after|from|and|as|under)\b|"
        r"[^\S\n]*(?:[.,;:\n]|$))|"
        r"\btake-private\b",
    ),
    ("acquisition", 2.0, r"\bsnap(?:s|ped)?\s+up\b"),
    # A company putting itself or a part up for sale: "hired bankers to explore strategic
    # alternatives", "a strategic review of its steel arm", "exploring a sale", "a sale
    # process".
    (
        "divestment",
        2.5,
        r"\bstrategic\s+(?:alternatives|options|review)\b|\bexplor(?:e|es|ed|ing)\s+"
        r"(?:its\s+)?(?:alternatives|options)\s+(?:for|including)\b|\bexplor(?:e|es|ed|ing)\s+"
        r"(?:a\s+|the\s+)?(?:possible\s+|potential\s+)?sale\b|\bsale\s+process\b",
    ),
    # A sale told by its buyer: "its sale to GTCR", "the sale to Orchard Capital".
    ("divestment", 2.5, r"\bsale\s+to\s+(?-i:[A-Z])"),
    # A press release's lead under a headline about something else: "Orchard today
    # announced the acquisition of Plumtree", "is pleased to announce its purchase of".
    (
        "acquisition",
        4.0,
        r"\b(?:today|pleased|delighted|proud)\s+(?:announced|to\s+announce)\s+(?:the|its|their)\s+"
        r"(?:completed\s+|successful\s+)?(?:acquisition|purchase)\s+of\b",
    ),
    # Bankruptcy sales and unsolicited approaches: "won the bankruptcy auction for", "the
    # stalking-horse bidder", "rejects $5bn approach from", "a takeover approach".
    (
        "acquisition",
        3.0,
        r"\b(?:wins?|won|winning)\s+(?:the\s+|a\s+)?(?:bankruptcy\s+)?auction\s+for\b|"
        r"\bstalking[- ]horse\b|\bwinning\s+(?:bid|bidder)\b|"
        r"\b(?:takeover|buyout|acquisition|merger)\s+approach(?:es)?\b|"
        r"\b(?:rejects?|rejected|rebuffs?|rebuffed|spurns?|spurned|weighs|considers?|receives?|"
        r"received)\s+(?:an?\s+|the\s+)?(?:[\w$€£.,-]+\s+){0,3}?approach\s+from\b",
    ),
    # Money taken in from an investor, told in a headline: "secures $500m from sovereign
    # fund" (not a loan: only equity words may stand between).
    (
        "investment",
        3.0,
        r"\b(?:secures?|secured|lands?|landed|gets?|got|wins?|won|receives?|received)\s+"
        r"(?:[$€£¥₽]\s?\d[\d.,]*\s*(?:[mbk]n?|million|billion)?|\d[\d.,]*\s*(?:million|billion|"
        r"mln|bln|m|bn)\s+(?:dollars|euros|pounds|dlrs))\s+(?:(?:in|of)\s+)?(?:new\s+|fresh\s+)?"
        r"(?:equity\s+|investment\s+|capital\s+|funding\s+)?from\b",
    ),
    # Control taken: "to take controlling interest in UFACTORY".
    (
        "acquisition",
        3.0,
        r"\b(?:take|takes|taking|took|taken|acquire[sd]?|acquiring|buy|buys|buying|bought)\s+"
        r"(?:a\s+)?(?:controlling|majority)\s+(?:interest|stake|holding|shareholding)\b",
    ),
    # A takeover told by what holders are paid: "a $13/share cash and stock offer", "an
    # all-cash bid"; "acquire all of the issued and outstanding shares of".
    (
        "acquisition",
        2.5,
        r"\b(?:all-cash|all-stock|cash-and-stock|cash-and-share|cash(?:\s+and\s+(?:stock|share))?|"
        r"stock\s+and\s+cash|share\s+and\s+cash)\s+(?:offer|bid|proposal)s?\b|"
        r"(?<=/)share\s+(?:cash\s+)?(?:offer|bid)\b",
    ),
    (
        "acquisition",
        3.0,
        r"\b(?:acquire[sd]?|acquiring|purchase[sd]?|purchasing|buy|buys|buying|bought)\s+all\s+"
        r"(?:of\s+)?the\s+(?:issued\s+and\s+)?outstanding\s+(?:common\s+|ordinary\s+)?"
        r"(?:shares|securities|stock)\b",
    ),
    # merger
    ("merger", 2.5, r"\bmerg(?:e|es|ed|ing|er|ers)\b"),
    ("merger", 1.0, r"\bcombin(?:e|es|ing|ation)\b"),
    ("merger", 2.0, r"\bmerger\s+of\s+equals\b"),
    (
        "merger",
        3.0,
        r"\b(?:agreement|plan)\s+(?:and\s+plan\s+)?of\s+merger\b|\bmerger\s+agreement\b",
    ),
    # joint venture
    ("joint_venture", 4.0, r"\bjoint[- ]ventures?\b"),
    ("joint_venture", 3.0, r"\bJVs?\b"),
    (
        "joint_venture",
        3.5,
        r"\bform(?:s|ed|ing)?\s+(?:a\s+|an\s+)?(?:[\w$.,-]+\s+){0,3}venture\b",
    ),
    ("joint_venture", 3.5, r"\bjoint(?:ly)?[- ](?:owned|run|operated|held)\b"),
    (
        "joint_venture",
        3.0,
        r"\bjoint\s+(?:company|entity|plant|smelter|factory|refinery|project|operation)s?\b",
    ),
    ("joint_venture", 1.0, r"\bventure\b(?!\s+(?:capital|arm|fund|firm|investor))"),
    # "is negotiating a venture with", "a venture between": partners, not a fund.
    ("joint_venture", 2.5, r"\bventures?\s+(?:with|between)\b"),
    (
        "joint_venture",
        3.5,
        r"\b(?:co-invest(?:s|ed|ing|ment)?|jointly\s+invest(?:s|ed|ing)?)\b",
    ),
    # investment
    ("stake", 2.0, r"\bstakes?\b"),
    ("investment", 2.0, r"\binvest(?:s|ed|ing)?\b"),
    ("investment", 1.5, r"\binvestments?\b"),
    ("investment", 3.0, r"\binject(?:s|ed|ing|ion)?\b"),
    ("investment", 1.0, r"\bminority\s+(?:stake|interest|investment)\b"),
    # funding round
    ("funding_round", 4.0, r"\bseries\s+[a-h]\d?\b"),
    (
        "funding_round",
        4.0,
        r"\b(?:seed|pre-seed|funding|financing|investment|venture|growth)\s+rounds?\b",
    ),
    ("funding_round", 4.0, r"\bround\s+of\s+(?:funding|financing|investment)\b"),
    ("funding_round", 1.5, r"\bfunding\b"),
    ("funding_round", 1.0, r"\brais(?:e|es|ed|ing)\b"),
    ("funding_round", 1.0, r"\bventure\s+capital\b"),
    ("funding_round", 1.0, r"\bvaluation\b|\bvaluing\s+(?:it|the\s+\w+)\s+at\b"),
    ("funding_round", 1.0, r"\bled\s+by\b"),
    ("funding_round", 1.0, r"\bunicorns?\b"),
    ("funding_round", 2.0, r"\b(?:new|latest|first|second|third|fresh)\s+round\b"),
    # IPO
    ("ipo", 4.0, r"\bIPOs?\b"),
    ("ipo", 4.0, r"\binitial\s+public\s+offerings?\b"),
    ("ipo", 3.0, r"\b(?:goes|going|went)\s+public\b|(?<=\bgo\s)public\b"),
    ("ipo", 3.0, r"\b(?:market|trading|stock|listing)\s+debut\b|\bdebut(?:s|ed)?\s+on\b"),
    ("ipo", 1.5, r"\blisting\b"),
    ("ipo", 3.0, r"\blist(?:s|ed|ing)?\s+(?:its\s+|their\s+)?shares\b"),
    ("ipo", 1.0, r"\boffering\b"),
    ("ipo", 2.0, r"\bdirect\s+listing\b"),
    ("ipo", 2.0, r"\bflotation\b|\bfloat(?:s|ed|ing)?\b"),
    ("ipo", 1.5, r"\bprospectus\b"),
    # divestment
    ("divestment", 3.5, r"\bdivest(?:s|ed|ing|iture|itures|ment|ments)?\b"),
    ("divestment", 1.5, r"\b(?:sell|sells|selling|sold)\b(?!-off)"),
    ("divestment", 2.5, r"\bsale\s+of\b"),
    # "the sale of its Gamma unit to Delta", "sold its Gamma unit to": a part of the seller
    # changes hands.
    (
        "divestment",
        3.0,
        r"\b(?:sale\s+of|sell|sells|selling|sold)\s+(?:its|their|the|a)\s+(?:[\w'’&.-]+\s+){0,4}?(?:unit|division|"
        r"subsidiary|subsidiaries|business|businesses|operations?|assets|plants?|stake|interest|"
        r"holding|shares)\s+(?:[\w'’&.,-]+\s+){0,3}?to\b",
    ),
    # "completed the previously announced sale of Beta Finance Ltd to <Bank of Ireland>": a
    # sale to a named buyer.
    (
        "divestment",
        3.0,
        r"\bsale\s+of\s+(?:[\w'’&.,-]+\s+){0,10}?to(?=\s+(?:the\s+)?(?-i:[A-Z<]))",
    ),
    (
        "divestment",
        3.0,
        r"\bspin(?:s|ning)?[- ]?offs?\b|\bspun\s+off\b|\bspin(?:s|ning)?\s+out\b",
    ),
    ("divestment", 3.0, r"\bcarve[- ]?outs?\b"),
    ("divestment", 3.0, r"\boffload(?:s|ed|ing)?\b"),
    ("divestment", 3.0, r"\bdispos(?:e|es|ed|ing)\s+of\b|\bdisposals?\b"),
    ("divestment", 1.5, r"\bexit(?:s|ed|ing)?\b"),
    # partnership
    ("partnership", 3.0, r"\bpartnerships?\b|\bpartner(?:s|ed|ing)?\s+with\b"),
    ("partnership", 3.0, r"\bteam(?:s|ed|ing)?\s+up\b"),
    ("partnership", 2.5, r"\bteam(?:s|ed)?\s+with\b|\b(?:link|hook)(?:s|ed)?\s+up\s+with\b"),
    ("partnership", 3.0, r"\bjoin(?:s|ed|ing)?\s+forces\b|\btie(?:s|d)?\s+up\s+with\b"),
    (
        "partnership",
        3.0,
        r"\bexclusive\s+(?:[\w-]+\s+)?(?:deal|pact|agreement|contract|arrangement|rights|"
        r"partner|partnership)s?\b",
    ),
    ("partnership", 2.0, r"\bpacts?\b"),
    # "signs network equipment pact"; "signs deal to buy" and "signs merger pact" are not.
    (
        "partnership",
        2.0,
        r"\b(?:sign(?:s|ed|ing)?|ink(?:s|ed|ing)?|strikes?|struck|striking|seal(?:s|ed|ing)?)\s+"
        r"(?:an?\s+|the\s+|its\s+|new\s+)?(?:(?!(?:merger|takeover|acquisition|sale|purchase|"
        r"buyout|investment|funding|financing|loan|share|stake|definitive|binding)\b)[\w-]+\s+)"
        r"{0,3}(?:deal|pact|agreement|contract)s?\b(?!\s+(?:to\s+(?:buy|acquire|sell|merge|take|"
        r"purchase|invest|combine)|for\b|worth\b|valued\b))",
    ),
    (
        "partnership",
        2.5,
        r"\b(?:agreement|deal|pact|contract)s?\s+to\s+(?:supply|provide|deliver|distribute|"
        r"stock|host|license|licence|develop|manufacture|produce|market|carry|power)\b",
    ),
    ("partnership", 2.5, r"\balliances?\b"),
    ("partnership", 2.5, r"\bcollaborat(?:e|es|ed|ing|ion)\b"),
    ("partnership", 2.0, r"\btie-?ups?\b"),
    (
        "partnership",
        3.0,
        r"\b(?:supply|licensing|licence|license|distribution|cooperation|co-operation|"
        r"commercial|technology|offtake|off-take|hosting|equipment)\s+(?:agreements?|deals?|"
        r"pacts?|contracts?)\b",
    ),
    ("partnership", 2.0, r"\bmemorandum\s+of\s+understanding\b"),
    (
        "partnership",
        2.5,
        r"\bco-operat(?:e|es|ed|ing|ion)\b|\bcooperat(?:e|es|ed|ing|ion)\b",
    ),
    ("partnership", 1.0, r"\bpartners?\b"),
    ("partnership", 1.0, r"\bagreement\s+with\b"),
    # not a deal
    (
        "none",
        3.0,
        r"\b(?:quarterly|annual|first-quarter|second-quarter|third-quarter|fourth-quarter|"
        r"full-year|half-year|interim)\s+(?:results|earnings|profits?|revenues?|loss|sales)\b",
    ),
    ("none", 1.0, r"\b(?:profits?|revenues?|earnings|sales|income)\b"),
    ("none", 1.0, r"\bprofitability\b|\btargets?\b|\bdividends?\b"),
    ("none", 1.0, r"\bguidance\b|\boutlook\b|\bforecasts?\b"),
    ("none", 1.5, r"\blawsuits?\b|\bsue[sd]?\b|\bsuing\b|\blitigation\b|\bcourt\b"),
    ("none", 1.5, r"\bfined\b|\bprobe\b|\brecalls?\b"),
    ("none", 2.0, r"\blay(?:s|ing)?\s+off\b|\blayoffs?\b|\bjob\s+cuts\b"),
    ("none", 1.5, r"\bappoint(?:s|ed|ment)?\b|\bsteps?\s+down\b|\bresign(?:s|ed|ation)?\b"),
    ("none", 1.0, r"\blaunch(?:es|ed)?\b|\bunveil(?:s|ed)?\s+(?:a|its)\s+new\b"),
    # Takeover defences are not deals: "adopted a shareholder rights plan".
    (
        "none",
        3.0,
        r"\bpoison\s+pills?\b|\brights\s+(?:plans?|dividend\s+plans?)\b|\banti-?takeover\b|"
        r"\btakeover\s+defen[cs]es?\b",
    ),
    # Money-market operations, debt restructurings and bond exchanges.
    (
        "none",
        3.0,
        r"\bmoney\s+markets?\b|\b(?:repurchase|resale)\s+agreements?\b|\bmatched\s+sales?\b|"
        r"\bopen\s+market\s+operations?\b|\bmarket\s+intervention\b|\bintervened\b",
    ),
    (
        "none",
        3.0,
        r"\b(?:debt|loan)\s+restructurings?\b|\brestructur(?:e|es|ed|ing)\s+(?:of\s+)?"
        r"(?:its\s+|their\s+|the\s+)?(?:[\w$.,-]+\s+){0,4}?(?:debts?|loans|debentures|notes|bonds)\b|"
        r"\b(?:exchange|exchanges|exchanged|exchanging|swap|swaps)\s+(?:[\w$.,-]+\s+){0,4}?"
        r"(?:debts?|debentures|notes|bonds)\b",
    ),
    # Credit ratings and earnings tables mention deals without being one ("24.60 DLRS/SHR" in
    # a bid headline is a share price, not a table).
    (
        "none",
        3.0,
        r"\bcreditwatch\b|\b(?:downgrad|upgrad)(?:e|es|ed|ing)\b|\bratings?\s+(?:of|on|for|agency)\b|"
        r"\b(?<!/)(?:shr|qtr|revs)\b|\b(?:year|yr|quarter|qtr)\s+(?:ended|to)\s+(?-i:[A-Z])|"
        r"\b(?:year|yr|qtr|quarter|half)\s+(?:net|loss|profit|earnings)\b",
    ),
    # Commodity trade: "is holding a buying tender", "bought 200,000 tonnes".
    ("none", 3.0, r"\b(?:buying|selling|import|export)\s+tenders?\b|\b(?:tonnes|bushels|bales)\b"),
    # Russian (Interfax, TASS, Kommersant, RBC): "покупает", "приобрела долю",
    # "совместное предприятие", "инвестирует". Listed last, so English scoring is untouched.
    ("acquisition", 2.5, r"\b(?:покупа\w*|покупк\w*|купи\w*|купл\w*|приобр\w*|поглощ\w*)"),
    ("merger", 2.5, r"\bслияни\w*"),
    ("merger", 1.0, r"\bобъедин\w*"),
    ("joint_venture", 4.0, r"\bсовместн\w*\s+(?:предприяти|компани)\w*"),
    ("joint_venture", 3.0, r"\bСП\b"),
    ("investment", 2.0, r"\bинвест\w*|\bвлож(?:ит|ил|ат|ени)\w*"),
    ("stake", 2.0, r"\bдол(?:я|ю|и|ей|ям|ями|ях)\b|\bпакет\w*\s+акци\w*"),
    (
        "divestment",
        2.0,
        r"\bпрода(?:ёт|ет|ют|л|ла|ли|ло|ст|дут|вать|ть|вец)\w*|\bпродаж[уае]\b",
    ),
    ("funding_round", 3.0, r"\bраунд\w*"),
    ("ipo", 3.0, r"\bразмещени\w*\s+акци\w*"),
    (
        "partnership",
        3.0,
        r"\bпартн[её]рств\w*|\bсоглашени\w*\s+о\s+сотрудничеств\w*|\bсотруднича\w*",
    ),
    ("none", 1.0, r"\bвыручк\w*|\bприбыл\w*|\bотч[её]тност\w*"),
    # Debt markets and ratings: the deal they mention is the reason, not the news.
    (
        "none",
        3.0,
        r"\bmoody's\b|\bstandard\s+and\s+poor's\b|\bduff\s+and\s+phelps\b|"
        r"\bshelf\s+(?:registration|offering)\b|\bdebt\s+securities\b|\bcredit\s+facility\b|"
        r"\brevolving\s+credit\b|\bcommercial\s+paper\b|\bsyndicated\s+loan\b|\btap\s+stocks?\b|"
        r"\b(?:asset|mortgage)-backed\b|\bnotes\s+due\b|\bsubordinated\s+(?:debentures|notes)\b",
    ),
    # Commodity trade counted in tons, cargoes and barrels a day.
    ("none", 3.0, r"\btons\b|\bcargoes\b|\bbpd\b"),
    # Outlook and restated results: "ORCHARD SEES HIGHER 1988 EARNINGS".
    ("none", 1.5, r"\bsees\b|\brestate[sd]?\b|\bprospects\b"),
    # Wire headlines that are the whole story (English, session 4). A disclosed holding:
    # "ORCHARD GROUP HAS 9.8 PCT OF PLUMTREE".
    (
        "stake",
        2.5,
        r"\b(?:has|have|had|holds?|held|owns?|owned)\s+(?:about\s+|nearly\s+|almost\s+|over\s+)?"
        r"(?:\d[\d.]*|one|two|three|four|five|six|seven|eight|nine|ten)\s*(?:pct|%|per\s?cent)\s+"
        r"(?:of|in)\s+(?!(?:its|their|the|total|sales|revenues?|the\s+market)\b)",
    ),
    # Bid procedure: "RAISES PLUMTREE BID", "EXTENDS OFFER", "GETS BID FROM"; an exchange,
    # public, rights or debt offer is no bid for a company.
    (
        "acquisition",
        2.5,
        r"\b(?:rais(?:e|es|ed|ing)|hikes?|hiked|ups|upped|boost(?:s|ed)?|sweeten(?:s|ed)?|"
        r"extend(?:s|ed|ing)?|amend(?:s|ed)?|start(?:s|ed)?|begins?|began|launch(?:es|ed)?|"
        r"withdraws?|withdrew|drops?|dropped|stud(?:y|ies|ying)|mulls?|review(?:s|ing)?|"
        r"recommend(?:s|ed)?|pursue[sd]?|complet(?:e|es|ed)|terminat(?:e|es|ed)|renew(?:s|ed)?)\s+"
        r"(?:(?!(?:exchange|public|rights|debt|stock|share|secondary|note|bond|debenture|"
        r"warrant|bonus|export|buying|selling)\b)[\w'’&./<>-]+\s+){0,4}?"
        r"(?:bid|offer|tender(?:\s+offer)?)\b(?!\s+(?:of|for)\s+(?:debentures|notes|bonds|debt|"
        r"securities|preferred|units\s+of))",
    ),
    (
        "acquisition",
        2.5,
        r"\b(?:gets?|got|receive[sd]?|receiving)\s+(?:an?\s+|new\s+|higher\s+|rival\s+|"
        r"second\s+)*(?:takeover\s+|buyout\s+|merger\s+)?(?:bids?|offers?|proposals?)\s+from\b",
    ),
    # A price for a company: "BIDS 310 MLN STG FOR", "OFFERS 31 DLRS/SHR FOR".
    (
        "acquisition",
        3.0,
        r"\b(?:bid|bids|bidding|offer|offers|offering|offered|tender|tenders|tendering|pay|pays|"
        r"paying|paid)\s+(?:about\s+)?" + _WIRE_PRICE + r"(?:\s+and\s+" + _WIRE_PRICE + r")?\s+"
        r"(?:to\s+(?:[\w&.'-]+\s+){1,5}?)?for\b",
    ),
    (
        "acquisition",
        2.5,
        r"\btender\s+for\s+(?!(?:[\w-]+\s+){0,3}?(?:\d[\d,.]*\s+(?:tonnes|tons|bales|bushels|"
        r"lots|cargoes)|wheat|corn|maize|sugar|barley|rice|soy|oil|olein|palm|crude|flour|cotton|"
        r"coffee|cocoa|sorghum|rapeseed|tallow|bonds|notes|debentures|bills)\w*)(?:the\s+)?"
        r"(?:remaining\s+)?(?:\d[\d.]*\s*(?:pct|%)\s+(?:stake\s+)?(?:of|in)\s+)?(?-i:[A-Z<])",
    ),
    # A sale by its object: "COMPLETES UNIT SALE", "HOLDERS APPROVE SALE".
    (
        "divestment",
        2.5,
        r"\b(?:unit|division|subsidiary|business|operations?|assets?|plant|office|mill|reserves?|"
        r"propert(?:y|ies)|stake)\s+sale\b|\b(?:complet(?:e|es|ed)|clos(?:e|es|ed)|"
        r"approv(?:e|es|ed)|vote\s+on|consider(?:s|ing)?|explor(?:e|es|ing))\s+(?:the\s+|its\s+)?"
        r"(?:proposed\s+|planned\s+)?sale\b(?!\s+of\s+(?:debentures|notes|bonds|securities|debt))",
    ),
    (
        "acquisition",
        3.0,
        r"\b(?:seek(?:s|ing)?|sought|tak(?:e|es|ing)|took|gain(?:s|ed|ing)?|"
        r"win(?:s|ning)?|won|obtain(?:s|ed|ing)?|acquir(?:e|es|ed|ing))\s+(?:majority\s+|full\s+|"
        r"effective\s+|management\s+)?control\s+of\b",
    ),
    ("acquisition", 2.5, r"\bgoing[- ]private\b"),
    (
        "divestment",
        3.0,
        r"\b(?:seek(?:s|ing)?|sought|find|finding|look(?:s|ing)?\s+for)\s+(?:a\s+|potential\s+)*"
        r"(?:buyers?|purchasers?)\b",
    ),
    # A holding raised or cut: "BOOSTS PLUMTREE HOLDINGS", "cut its holding in Plumtree to
    # 4.2 pct" (the stake's context tells buyer from seller).
    (
        "stake",
        2.5,
        r"\b(?:boost(?:s|ed)?|rais(?:e|es|ed)|increas(?:e|es|ed)|lift(?:s|ed)?|ups|upped)\s+"
        r"(?:its\s+|his\s+|her\s+|their\s+)?(?:[\w'&.<>-]+\s+){0,4}?(?:stake|holdings?|"
        r"shareholding|interest|ownership)\b(?!\s+(?:rates?|payments?|costs?|income|expense))",
    ),
    (
        "divestment",
        2.5,
        r"\b(?:cut|cuts|reduc(?:e|es|ed)|lower(?:s|ed)?|trim(?:s|med)?)\s+(?:its\s+|his\s+|her\s+|"
        r"their\s+)?(?:[\w'&.<>-]+\s+){0,4}?(?:stake|holdings?|shareholding|ownership)\b"
        r"(?!\s+(?:rates?|payments?|costs?|income|expense))",
    ),
    # Stock, assets or control transferred to another owner.
    (
        "divestment",
        2.5,
        r"\btransfer(?:s|red|ring)?\s+(?:[\w'&.,-]+\s+){0,6}?(?:assets|stock|shares|stake|interest|"
        r"control|unit|subsidiary|business|operations|charters)\s+(?:[\w'&.,<>-]+\s+){0,6}?to\b",
    ),
    # One-letter slips of the wire: "ACQUISTION", "ACUISITION", "AQUIRES", "PURCHSE".
    (
        "acquisition",
        2.5,
        r"\b(?:acuir|aquir)(?:e|es|ed|ing)\b|\b(?:acuis|aquis)i?ti?ons?\b|"
        r"\b(?:acquistion|acquisiton)s?\b|\bpurchse\b",
    ),
    # Control changing hands: "перейдёт под контроль «Газпрома»", "получил контроль над".
    ("acquisition", 4.0, r"\bпере(?:йд|ход|шл|шё|ше)\w*\s+под\s+контроль|\bполуч\w*\s+контроль"),
    # A minority way in: "станет акционером", "войдёт в капитал".
    (
        "investment",
        2.5,
        r"\bстан\w*\s+(?:акционер|совладел)\w*|\bстал\w*\s+(?:акционер|совладел)\w*|"
        r"\b(?:войд|вош|вход)\w*\s+в\s+капитал",
    ),
    # A blocking stake is bought or sold: the stake context tells which.
    ("stake", 2.0, r"\bблокирующ\w*\s+пакет\w*"),
    # Sole ownership is control: "стал его единственным владельцем".
    ("acquisition", 4.0, r"\bединственн\w*\s+(?:владел|собственник|акционер)\w*"),
)
TYPE_TRIGGERS += WIRE_TYPE_TRIGGERS + CONTEXT_TYPE_TRIGGERS + EUROPEAN_TYPE_TRIGGERS
TYPE_RULES = tuple(rule(label, weight, pattern) for label, weight, pattern in TYPE_TRIGGERS)
TYPE_RULE_SET = RuleSet(TYPE_RULES)

# Fixed expressions whose words would otherwise count as deal triggers or stage cues.
NOT_DEAL_EXPRESSIONS: tuple[str, ...] = (
    # Trading commodities, currencies and debt securities is not buying or selling a company:
    # "bought 200,000 tonnes of raw sugar", "Bank of Japan buys dollars", "sells debentures".
    # Words between are lower case (or a capitals headline): "sell its Dunn Sugar Co" names a
    # company.
    r"\b(?:buy|buys|buying|bought|purchase[sd]?|purchasing|sell|sells|selling|sold|sale|sales)\s+"
    r"(?:(?:about|around|some|an\s+estimated|up\s+to|the|its|a|an|further|more|of)\s+)*"
    # A quantity of a commodity is enough: "bought 200,000 tonnes", "buy 30,000 bpd".
    r"(?:[\d.,/-]+\s+(?:mln\s+|million\s+|billion\s+|bln\s+|thousand\s+)?(?:long\s+|short\s+|"
    r"metric\s+)?(?:tonnes|tons|bales|"
    r"bushels|barrels|bpd|bags|ounces|lots)\b|"
    r"(?:[\d.,/-]+\s+(?:mln\s+|million\s+|billion\s+|bln\s+|thousand\s+)?(?:dlrs|stg|yen)\s+"
    r"(?:of\s+|in\s+)?)?"
    r"(?:(?-i:[a-z0-9][\w./-]*|[A-Z0-9][A-Z0-9./-]*)\s+){0,6}?(?:wheat|corn|maize|sugar|"
    r"soybeans?|soymeal|soyoil|rice|barley|sorghum|rapeseed|cocoa|coffee|cotton|grain|flour|"
    r"dollars|yen|sterling|currenc(?:y|ies)|bills|bonds|debentures|debt|gilts|treasuries|"
    r"notes?|commercial\s+paper|certificates\s+of\s+deposit|eurobonds|convertibles|cmos|"
    r"securities|certificates|coupons|t-bills|tap\s+stocks?|gold|silver|cattle|beef)\b|"
    # Central banks buy and sell currency by the amount alone: "bought 200 to 300 mln dlrs".
    r"(?:[\d.,]+|one|two|three|four|five)\s+(?:to\s+[\d.,]+\s+)?(?:mln|million|billion|bln)\s+"
    r"(?:dlrs|dollars|yen|marks|stg)\b(?!\s+(?:for|in\s+cash|cash|worth)\b))",
    # The same trade named noun first: "Soviet grain buying", "accepts wheat bid".
    r"\b(?:grain|wheat|corn|maize|sugar|soybeans?|rice|barley|cocoa|coffee|cotton|oil|crude|"
    r"dollar|yen|stock|bond|gilt|export)\s+(?:buying|selling|purchases|bids?|tenders?|"
    r"bonus)\b",
    # Buying back one's own shares or notes is not a deal.
    r"\b(?:buy|buys|buying|bought)\s+back\b|\brepurchas(?:e|es|ed|ing)\s+(?:of\s+)?"
    r"(?:[\w$.,-]+\s+){0,4}?(?:shares|stock|notes|debentures|bonds|units)\b",
    r"\b(?:buying|selling|import|export)\s+tenders?\b",
    # Export subsidies for commodities: "CCC accepts export bonus bid", "wheat bonus".
    r"\bexport\s+bonus(?:\s+(?:bids?|offers?))?\b|\bbonus\s+(?:bids?|offers?|sales?|wheat|flour|"
    r"barley)\b|\baccept(?:s|ed|ing)?\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:export\s+)?"
    r"bonus(?:\s+(?:bids?|offers?))?\b|\bbids?\s+for\s+(?:an?\s+)?export\s+bonus\b",
    # Defences name takeovers they are meant to stop.
    r"\btakeover\s+(?:defen[cs]es?|attempts?\s+(?:by|from))\b|"
    r"\b(?:deter|thwart|fend\s+off|block|resist|defend\s+against|protect\s+against)\s+"
    r"(?:a\s+|any\s+|an\s+|unwanted\s+|hostile\s+|unsolicited\s+)*takeovers?"
    r"(?:\s+(?:attempts?|bids?|offers?))?\b",
    # A stake already held is background: "in which Beta holds a 40 pct stake".
    r"\bwhich\s+(?:[\w'’.&-]+\s+){0,5}?(?:already\s+)?(?:holds|owns|has|held|owned|had|controls)"
    r"\s+(?:about\s+|some\s+|an?\s+)?(?:[\d.]+\s*(?:%|pct|per\s?cent)(?:\s+(?:[\w-]+\s+)?"
    r"(?:stake|interest|holding|shareholding)s?)?|(?:[\w-]+\s+)?(?:stake|interest|holding|"
    r"shareholding)s?)\b",
    # "formerly a joint venture of": what it was, not what is happening.
    r"\bformerly\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:joint[- ]venture|unit|subsidiary|"
    r"division)\b",
    r"\b(?:buy|buys|buying|bought|purchase[sd]?|purchasing|sell|sells|selling|sold)\s+"
    r"(?:electricity|power|gas|oil|lng|crude|energy|chips|products|goods|services|equipment|"
    r"aircraft|jets|planes|vaccines|drugs|shares\s+back)\b",
    r"\binvestment\s+(?:bank|banks|banker|bankers|banking|firm|firms|fund|funds|manager|"
    r"managers|management|trust|grade|vehicle|advice|adviser|advisers|group|groups|"
    r"company|companies|arm|arms|house|houses|holding|holdings)\b",
    r"\b(?:direct|sovereign|wealth)\s+investment\s+fund\b",
    r"\bmergers?\s+(?:and|&)\s+acquisitions?\b|\bm&a\b",
    r"\btermination\s+fees?\b|\bbreak-?up\s+fees?\b",
    r"\b(?:share|stock)\s+(?:buy-?backs?|repurchases?)\b|\bbuy\s+rating\b|\bbuy-?backs?\b",
    # An analyst's rating: "upped to buy at Jefferies", "downgraded to sell".
    r"\b(?:upgraded|upgrades|upped|ups|raised|raises|downgraded|downgrades|cut|cuts|lowered|"
    r"lowers|reiterated|initiated)\s+(?:to\s+|at\s+)(?:a\s+)?(?:buy|sell|strong\s+buy)\b",
    # A blank-check company: "Orchard Growth Acquisition Limited", "Orchard Acquisition Corp.
    # II", "a special purpose acquisition company".
    r"\bacquisitions?\s+(?:corp|corporation|company|ltd|limited|inc|holdings)\b",
    r"\b(?:shares|stock|index|market)\s+closed\b",
    r"\bclosed\s+(?:up|down|higher|lower|at|flat)\b",
    r"\b(?:customer|user|talent|data)\s+acquisition\b",
    r"\bstakeholders?\b|\bsales\s+team\b|\bsold[- ]out\b|\bfree\s+float\b",
    r"\bprivate\s+equity\b",
    r"\b(?:buyout|equity|venture)\s+(?:firms?|groups?|houses?|funds?|arms?|companies|"
    r"company|vehicles?|holdings?)\b",
    # A partnership or "Partners" that acts is a company, not a partnership deal: "a New
    # York limited partnership", "the partnership said", "Delta Partners agreed to buy".
    r"\b(?:limited|general|master|investment|private|family|realty|real\s+estate|drilling|"
    r"oil\s+and\s+gas|royalty|income)\s+partnerships?\b",
    r"\b(?:partnership|partners)(?=\s+(?:l\.?p\b|ltd|inc|ii|iii|iv|said|says|told|has|have|"
    r"had|holds?|held|owns?|owned|agreed|agrees?|bought|buys?|sold|sells?|cuts?|lowered|"
    r"raised|raises?|increased|reduced|extends?|extended|offers?|offered|filed|which|that|"
    r"would|will|plans?|group)\b|\s*(?:,|\(|<))",
)
# "a group buys 20 pct of its stock" after "if" or "should": no one has bought anything.
_HYPOTHETICAL_BUYER = (
    r"(?:a|an|any)\s+(?:[\w-]+\s+){0,2}?(?:group|person|investor|entity|party|holder|buyer|"
    r"acquirer|bidder)s?\s+(?:[\w-]+\s+){0,2}?(?:buys|acquires|bought|acquired|obtains|seeks|"
    r"makes|begins|announces|launches|tenders)\b(?:\s+(?:[\w$.,%-]+\s+){0,6}?(?:stock|shares|"
    r"stake|company|offer|bid)\b)?"
)
# Wire copy (English, session 4). Offers and bids at a commodity tender: "rejected all
# offers at its rice tender", "bids to export barley", "veg oil offers".
NOT_DEAL_EXPRESSIONS += (
    r"\b(?:offers?|bids?)\s+(?:at|in)\s+(?:[\w'-]+\s+){0,4}?(?:import\s+|export\s+|buying\s+|"
    r"selling\s+)?tenders?\b|\b(?:offers?|bids?)\s+to\s+(?:export|import|sell|supply)\b",
    r"\b(?:wheat|corn|maize|sugar|barley|rice|soybeans?|oil|olein|crude|flour|cotton|coffee|"
    r"cocoa|sorghum|rapeseed|tallow|meat|beef|pork|cattle)\s+(?:export\s+|import\s+)?"
    r"(?:offers?|bids?|purchases?|purchased|sales?|sold|bought)\b",
    # "Investment(s)" in a company's name, and the people and trade of mergers.
    r"\binvestments?\s+(?:inc|corp|co|lp|ltd|plc|trust|fund)\b|\binvestments?(?=\s*<)",
    r"\b(?:merger|mergers|takeover|takeovers|acquisition|acquisitions|buyout)\s+(?:chief|head|"
    r"department|specialists?|advisers?|advisors?|arbitrage(?:urs?)?|experts?|law|laws|rules|"
    r"code|panel)\b",
    r"\bbuffer\s+stocks?\s+(?:[\w-]+\s+)?(?:buying|selling|purchases|sales)\b|"
    r"\bpurchasing\s+(?:managers?|power|agents?)\b",
    # What would trigger a rights plan: "exercisable if a group buys 20 pct of its stock".
    r"\b(?:exercisable|triggered|effective|activated|exercised)\s+(?:only\s+)?(?:if|when)\s+"
    + _HYPOTHETICAL_BUYER
    + r"|\b(?:should|when|once)\s+"
    + _HYPOTHETICAL_BUYER,
    # Rights and warrants to buy stock, and a company's own shares.
    r"\bpurchase\s+(?:rights?|warrants?|options?)\b|\b(?:buy|buys|buying|bought|purchase[sd]?|"
    r"purchasing|repurchase[sd]?)\s+(?:back\s+)?(?:up\s+to\s+)?(?:[\d.,]+\s+(?:mln\s+)?)?"
    r"(?:of\s+)?(?:its|their)\s+(?:own\s+)?(?:common\s+)?(?:shares|stock)\b",
    # A gain or loss on a past sale is a results item: "a gain of 12 mln dlrs on the
    # previously announced sale of".
    r"\b(?:gains?|loss(?:es)?|charges?|profits?|write-?downs?|credits?)\s+(?:(?:of|totalling|"
    r"totaling)\s+)?(?:[\w$.,/-]+\s+){0,6}?(?:on|from)\s+(?:the\s+|its\s+|last\s+\w+'s\s+)?"
    r"(?:previously\s+(?:announced|reported)\s+|recent\s+|planned\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:sale|sales|disposal|disposition|divestiture)(?:\s+of\s+(?:[\w'&.,-]+\s+){0,8}?"
    r"(?:stake|unit|division|subsidiary|business|interest|shares|operations|assets)\b|\s+of)?\b",
    # "PACT TO SELL", "agreement to buy": the verb says the deal, the noun is no partnership.
    r"\b(?:pact|pacts|agreement|agreements|accord|accords)(?=\s+to\s+(?:sell|buy|acquire|merge|"
    r"purchase|take\s+over)\b)",
    # Trade and capital flows: "buy 2 billion dlrs of U.S. goods", "net purchases of foreign
    # stocks", "foreign investment in the country".
    r"\b(?:buy|buys|buying|bought|purchas(?:e|es|ed|ing)|sell|sells|selling|sold)\s+"
    r"(?:[\w$.,-]+\s+){0,4}?(?:worth\s+)?(?:of|in)\s+(?:[\w.-]+\s+){0,2}?(?:goods|products|"
    r"exports|imports|machinery|commodities|farm\s+products|coal|stocks|bonds|equities)\b",
    r"\b(?:foreign|net|overseas|portfolio|inward|outward|capital|fixed|business|government|"
    r"public)\s+(?:[\w-]+\s+)?(?:investments?|purchases|buying|selling)\b(?!\s+(?:in|of)\s+"
    r"(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:stake|company|firm|unit|business)\b)",
    # Ships, cranes and land are goods: "selling 12 tankers", "bought two cranes".
    r"\b(?:buy|buys|buying|bought|purchase[sd]?|purchasing|sell|sells|selling|sold|"
    r"order(?:s|ed)?)\s+(?:(?:about|some|up\s+to|\d[\d,]*|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|several|its|their|the|a|an|new|used|old)\s+)*(?:[\w-]+\s+)?(?:tankers|"
    r"vessels|ships|bulkers|bulk\s+carriers|cranes|cargoes|locomotives|trucks|helicopters|"
    r"coins|farmland|acres)\b",
    # A venture named to say who a company is: "Garnet, a joint venture between Orchard and
    # Plumtree, said"; "its Korean joint venture Orchard Seoul Ltd is building".
    r"\bjoint[- ]ventures?\s+(?:company\s+)?(?:between|owned\s+by)\b",
    r"\b(?:its|their)\s+(?:[\w'-]+\s+){0,2}?joint[- ]ventures?(?:\s+company)?\s*,?\s+"
    r"(?-i:[A-Z<])|\b(?:its|their)\s+jointly[- ]owned\b",
)
# Masks only blank text: their weight is never read.
NOT_DEAL_EXPRESSIONS += WIRE_NOT_DEAL_EXPRESSIONS + CONTEXT_NOT_DEAL_EXPRESSIONS
MASK_RULES = tuple(rule("mask", 0.0, pattern) for pattern in NOT_DEAL_EXPRESSIONS)
MASK_RULE_SET = RuleSet(MASK_RULES)


# A headline that says a deal happened without a trigger word ("in $380m deal", "rejects
# bid", "talks"): the text then needs only the usual bar (see ``scoring``).
HEADLINE_DEAL_WORDS = LazyPattern(
    r"\b(?:deals?|bids?|offers?|stakes?|agreements?|pacts?|talks|bet|buyouts?|tie-?ups?|"
    r"suitors?|bidders?|holders?|shareholders?|control|owner|ownership|sale|auction|"
    # Deal procedure: "GETS FED APPROVAL", "SETS MEETING", "WAITING PERIOD ENDS".
    r"approv(?:al|e|es|ed)|letter\s+of\s+intent|waiting\s+period|meeting|vote|proxy|"
    r"standstill|tender(?:ed|s)?|buyers?|purchasers?)\b",
    re.IGNORECASE,
)
# A headline of a name and a ticker ("ORCHARD CORP <ORC>") says nothing either way: up to
# this many words outside the ticker.
NAME_ONLY_HEADLINE_WORDS = 4
TICKER = LazyPattern(r"<[^>]*>|\([A-Z.]+\)")
# Headlines in scripts the English rules do not read are never held to the higher bar.
NOT_ENGLISH_SCRIPT = LazyPattern(r"[\u0400-\u04ff\u0590-\u06ff\u3040-\u9fff\uac00-\ud7af]")

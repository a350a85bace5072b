"""Money: sums with a currency in the deal's sentences, and whether terms were undisclosed.

Values are in units of the currency; the text is the span exactly as written, taken from
the body before the title. Money counts only in sentences about the deal: figures next to
revenue, profit, sales, earnings or assets under management, per-share prices, small
unscaled numbers and, for funding rounds, investments and IPOs, the company's valuation
are skipped; a deal with no total but a price per share shows that per-share price as its
amount (its text keeps "a share"). "undisclosed", "not disclosed", "not made public", "without giving terms" set
``undisclosed`` when the deal has no amount. Numbers with no currency sign or word next to
them skip the money patterns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from watchlists.deals.anchors import Rule, RuleSet, Text, anchors_of
from watchlists.deals.currencies import PREFIXES, SCALES, SUFFIXES, Currencies
from watchlists.deals.model import Amount
from watchlists.deals.patterns import LazyPattern
from watchlists.model import Article

# A currency sign or code is looked for this many characters before a number ...
PREFIX_REACH = 8
# ... with at most this many spaces between them ("US$ 5m").
PREFIX_GAP = 2
# A number without a scale word below this is a price or a count, not a deal's value.
MIN_UNSCALED_AMOUNT = 100_000
# "a share", "per unit" right after the money (within this many characters): a share price.
PER_SHARE_REACH = 20
# A results word (revenue, profit ...) this close before the money makes it the company's
# figures, not the deal's, unless deal words come between.
RESULTS_REACH = 45
# What follows the money within this many characters ("in annual revenue", "a year").
NOT_DEAL_AFTER_REACH = 40


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# The leading digit class lets ``re`` skip to digits (same matches as
# ``\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?``).
# A decimal comma ("1,2 трлн", "1,2 Mrd.", "3,5 milliards") counts only before a Russian or
# continental European scale word.
_NUMBER = LazyPattern(
    r"\d(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*,\d{1,2}(?=\s?(?:тыс|млн|млрд|трлн|миллиард|миллион|"
    r"триллион|Mio|Mrd|Milliard|Million|milliard|million|mil\s|bilh|milh|miliard|milion))|"
    r"\d*(?:\.\d+)?)"
)
# Continental scales after which a dot groups thousands: "1.200 millones" is 1,200 million.
_DOTTED_THOUSANDS_SCALES = frozenset(
    {"millones", "milhões", "millionen", "milliarden", "milioni", "miliardi", "mio", "mrd"}
)
_DOTTED_THOUSANDS = LazyPattern(r"\d{1,3}(?:\.\d{3})+")
_DECIMAL_COMMA = LazyPattern(r"\d+,\d{1,2}")
_PREFIX_BEFORE = LazyPattern(
    r"(?<![A-Za-z])(?P<pre>" + _alternation(list(PREFIXES)) + rf")\s{{0,{PREFIX_GAP}}}$"
)
# Scale words as written, in the capitals of wire headlines ("588 MLN DLRS") and in Title
# Case ("$50 Million"); one- and two-letter scales in capitals only right after the digits
# ("$1.2B", "$500M": "5 M" is no scale). Wire copy also hyphenates them: "a
# 3.16-billion-dlr offer".
_SCALE_WORDS = list(
    dict.fromkeys(
        [
            *SCALES,
            *(word.upper() for word in SCALES if len(word) > 2 and word.isascii()),
            *(word.title() for word in SCALES if len(word) > 2 and word.isascii()),
        ]
    )
)
_ATTACHED_CAPITALS = [word.upper() for word in SCALES if len(word) <= 2 and word.isascii()]
_AFTER_NUMBER = LazyPattern(
    r"(?:(?:\s{0,4}|-)(?P<scale>"
    + _alternation(_SCALE_WORDS)
    + r"|(?<=\d)(?:"
    + _alternation(_ATTACHED_CAPITALS)
    + r"))\b\.?)?"
    r"(?:(?:\s+|-)(?P<post>(?i:" + _alternation(list(SUFFIXES)) + r"))\b)?"
)

# "a share", "cash per share", "per First Federal share", "/SHR": the money is a share price.
_PER_SHARE = LazyPattern(
    r"^\s*(?:(?:in\s+)?cash\s+|in\s+stock\s+)?(?:a|per|each)\s+(?-i:[A-Z][\w&.'-]*\s+){0,3}?"
    r"(?:share|unit|ADS|shr)\b|^\s*/\s*(?:share|shr)\b",
    re.IGNORECASE,
)
_RESULTS_WORDS = LazyPattern(
    r"\b(?:revenues?|sales|profits?|earnings|income|turnover|ebitda|loss|losses|debt|"
    r"market\s+(?:value|capitalisation|capitalization|cap)|assets\s+under\s+management|"
    r"annual|per\s+year|budget|fine|salary|bonus|overseeing|oversees|manages|"
    r"managing|deposits|assets|deficit|surplus|gains?|fees?|expenses|reserves|выручк\w*|"
    r"прибыл\w*|доход\w*)\b",
    re.IGNORECASE,
)
_DEAL_CONTEXT = LazyPattern(
    r"\b(?:deal|transaction|valu(?:e|ed|ing|ation)|worth|price[sd]?|consideration|offer|bid|"
    r"sum|paid|pay|pays|paying|cash|funding|raise[sd]?|raising|round|invest(?:s|ed|ing|ment)?|"
    r"stake|acqui\w*|buy\w*|bought|sell\w*|sold|sale|merg\w*|takeover|ipo|offering|listing|"
    r"venture|inject\w*|capital|for)\b",
    re.IGNORECASE,
)
_UNDISCLOSED = LazyPattern(
    r"\bundisclosed\b|\bwithout\s+(?:giving|disclosing|revealing)\b|"
    r"\bdid\s+not\s+(?:put|give|place)\s+a\s+(?:value|price|figure)\b|"
    r"(?<=\bno\s)(?:financial\s+terms|financial\s+details|terms|details|figure|price|value|"
    r"amount)\b[^.]{0,60}?\b(?:made\s+public|disclosed|revealed|released|given|provided)\b|"
    r"\bneither\s+(?:side|company|party|firm|group)\s+(?:disclosed|revealed|gave)\b|"
    r"\bnot\s+(?:been\s+|be\s+)?(?:made\s+public|disclosed|revealed|released)\b|"
    r"\bnot\s+(?:disclose|reveal)\b|\b(?:didn't|wouldn't|doesn't)\s+(?:disclose|reveal)\b|"
    r"\bdeclined\s+to\s+(?:disclose|reveal)\b|\bterms\s+(?:were|was)\s+not\b",
    re.IGNORECASE,
)


def _money_value(number: str, scale: str | None) -> float | None:
    try:
        if _DECIMAL_COMMA.fullmatch(number):
            number = number.replace(",", ".")
        elif (
            scale
            and scale.lower().rstrip(".") in _DOTTED_THOUSANDS_SCALES
            and _DOTTED_THOUSANDS.fullmatch(number)
        ):
            number = number.replace(".", "")
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    if scale:
        value *= SCALES[scale.lower().rstrip(".")]
    return float(value)


_PREFIX_FINALS = frozenset(prefix[-1] for prefix in PREFIXES)
_SCALE_INITIALS = frozenset(scale[0] for scale in [*_SCALE_WORDS, *_ATTACHED_CAPITALS])


def _may_end_prefix(value: str, start: int) -> bool:
    """Whether a currency prefix can end right before start (up to two spaces between)."""
    position = start
    for _ in range(PREFIX_GAP + 1):
        if position == 0:
            return False
        char = value[position - 1]
        if char in _PREFIX_FINALS:
            return True
        if not char.isspace():
            return False
        position -= 1
    return False


def scan_amounts(value: str, currencies: Currencies) -> list[tuple[int, int, Amount, bool]]:
    """Every sum with a currency in value: (start, end, amount, whether a scale word follows)."""
    found: list[tuple[int, int, Amount, bool]] = []
    length = len(value)
    for number in _NUMBER.finditer(value):
        if number.start() and value[number.start() - 1] in ".,":
            continue
        # Most numbers are years, dates and percentages: when no currency prefix can end
        # just before the number and no scale or currency word can follow it, skip it.
        following = value[number.end()] if number.end() < length else ""
        if not _may_end_prefix(value, number.start()) and not (
            following.isspace() or following == "-" or (following and following in _SCALE_INITIALS)
        ):
            continue
        before = _PREFIX_BEFORE.search(value, max(0, number.start() - PREFIX_REACH), number.start())
        after = _AFTER_NUMBER.match(value, number.end())
        prefix = before.group("pre") if before else None
        scale = after.group("scale") if after else None
        post = after.group("post") if after else None
        if prefix is None and post is None:
            continue
        if prefix == "R" and value[number.start() - 1] != "R":
            # "R850m" is rand; a lone "R" set apart from a number is not a sign.
            prefix = None
            if post is None:
                continue
        marked = PREFIXES[prefix] if prefix else SUFFIXES[str(post).lower()]
        resolved = currencies.resolve(marked)
        if resolved is None:
            continue
        currency = resolved
        if prefix and post and SUFFIXES.get(post.lower()) not in {None, marked, currency}:
            post = None
        amount = _money_value(number.group(0), scale)
        if amount is None or after is None:
            continue
        start = before.start() if before else number.start()
        end = after.end() if post else after.end("scale") if scale else number.end()
        text = value[start:end].rstrip()
        if text.endswith(".") and scale and not scale.endswith("."):
            text = text[:-1]
        found.append((start, start + len(text), Amount(currency, amount, text), scale is not None))
    return found


_NOT_DEAL_AFTER = LazyPattern(
    r"^\s+(?:(?:in|of)\s+(?:annual\s+|yearly\s+|quarterly\s+)?(?:revenue|sales|profit|earnings|"
    r"turnover|assets|deposits)|(?:of\s+)?(?:assets\s+)?under\s+management|available|"
    r"in\s+cash\s+and\s+(?:cash\s+)?(?:equivalents|short-term)|"
    r"a\s+year|per\s+year|annually)\b",
    re.IGNORECASE,
)


def _is_deal_money(sentence: str, start: int, end: int, amount: Amount, has_scale: bool) -> bool:
    if not has_scale and amount.value < MIN_UNSCALED_AMOUNT:
        return False
    if _PER_SHARE.match(sentence[end : end + PER_SHARE_REACH]):
        return False
    before = sentence[max(0, start - RESULTS_REACH) : start]
    last_results = max((found.end() for found in _RESULTS_WORDS.finditer(before)), default=-1)
    # "sales of $9bn" is not the deal; "revenue, is valued at $2bn" still is.
    if last_results >= 0 and not _DEAL_CONTEXT.search(before[last_results:].replace(" of ", " ")):
        return False
    return not _NOT_DEAL_AFTER.match(sentence[end : end + NOT_DEAL_AFTER_REACH])


# "valued at", and in Russian the company valued ("оценили стартап в", "при оценке
# компании в"); "оценил вложения в" and "по оценке аналитиков" estimate the deal itself.
_VALUATION_BEFORE = LazyPattern(
    r"\bvalu(?:e|es|ed|ing|ation)\b|\bоцен(?:ил|ила|или|ивают|ивает)\s+(?:стартап|компани\w+|"
    r"бизнес|сервис|проект|платформ\w+|её|его)\s+в\b|\bпри\s+оценке\s+(?:компании\s+|"
    r"стартапа\s+|бизнеса\s+)?в\b",
    re.IGNORECASE,
)
_VALUATION_AFTER = LazyPattern(r"^\s*(?:pre-money\s+|post-money\s+)?valuation\b", re.IGNORECASE)
_UNDISCLOSED_CONTEXT = LazyPattern(
    r"\b(?:terms|price|sum|amount|value|valuation|size|financial|details|figure|deal|"
    r"transaction|consideration|investment|stake|paid|undisclosed|cost|costs|much|giving)\b",
    re.IGNORECASE,
)
# Types whose articles also quote what the whole company is worth, which is not the deal.
_VALUATION_TYPES = frozenset({"funding_round", "investment", "ipo"})


_DIGIT = LazyPattern(r"\d")
_DEAL_CONTEXT_RULE = Rule("deal_context", 0.0, _DEAL_CONTEXT, anchors_of(_DEAL_CONTEXT.pattern))
# A sentence without a deal trigger gives money only when it speaks of the deal's value
# ("The deal could be worth $1.5bn"), not merely of money "for" something.
_DEAL_VALUE = LazyPattern(
    r"\b(?:deal|transaction|valu(?:e|ed|ing|ation)|worth|price[sd]?|consideration|offer|bid|"
    r"paid|pay|pays|paying|contribut\w*|subscrib\w*|stake|acqui\w*|buy\w*|bought|sell\w*|"
    r"sold|sale|merg\w*|takeover|invest\w*|inject\w*|funding|round|raise[sd]?|raising|"
    # What a company's holders are to receive: "Plumtree shareholders will receive".
    r"shareholders\s+(?:will|would)\s+(?:receive|get)|stockholders\s+(?:will|would)\s+"
    r"(?:receive|get)|holders\s+(?:will|would)\s+(?:receive|get)|"
    r"сделк\w*|стоимост\w*|оцен\w*|заплат\w*|инвест\w*|привле\w*|привл[её]к\w*|"
    # Money put into a venture: "каждая сторона внесёт по $300 млн", "вложат в капитал".
    r"вн[её]с[её]?\w*|внесут|влож\w*)\b",
    re.IGNORECASE,
)
_DEAL_VALUE_RULE = Rule("deal_value", 0.0, _DEAL_VALUE, anchors_of(_DEAL_VALUE.pattern))
# "the transaction is valued at about 8.8 mln dlrs, including 2.8 mln dlrs in debt": the
# deal's value named outright, whatever figures follow it.
_VALUED_AT = LazyPattern(
    r"\b(?:transaction|deal|acquisition|purchase|merger|sale|offer|bid|takeover)\s+"
    r"(?:is\s+|was\s+|would\s+be\s+|has\s+been\s+)?(?:valued|worth|priced)\b",
    re.IGNORECASE,
)
_RESULTS_WORDS_RULE = Rule("results", 0.0, _RESULTS_WORDS, anchors_of(_RESULTS_WORDS.pattern))
_UNDISCLOSED_RULES = RuleSet(
    [Rule("undisclosed", 0.0, _UNDISCLOSED, anchors_of(_UNDISCLOSED.pattern))]
)


def deal_amounts(
    text: Text, deal_sentences: set[int], article: Article, deal_type: str
) -> tuple[list[Amount], bool]:
    """The deal's amounts, in order of mention, and whether its terms were withheld."""
    amounts: list[Amount] = []
    seen: set[tuple[str, float]] = set()
    # The text says it in full; the title only adds what the text does not.
    sentences = dict(zip(text.numbers, text.values, strict=True))
    undisclosed = any(
        _UNDISCLOSED_CONTEXT.search(sentences[hit.sentence])
        for hit in text.hits(_UNDISCLOSED_RULES)
    )
    with_money = {number: value for number, value in sentences.items() if _DIGIT.search(value)}
    # Only an ambiguous sign ("¥", "R", dirhams) asks what the article is about.
    currencies = Currencies(article.title, article.text)
    for number in sorted(with_money, key=lambda number: number == 0):
        value = with_money[number]
        if amounts and _tells_a_past_year(value, article):
            # "Kestrel paid $900 million for Plumtree in 2019": an earlier deal, once the
            # article has given this one's amount.
            continue
        if number not in deal_sentences and (
            not text.sentence_matches(_DEAL_VALUE_RULE, number, first_only=True)
            or (
                text.sentence_matches(_RESULTS_WORDS_RULE, number, first_only=True)
                and not _VALUED_AT.search(value)
            )
        ):
            continue
        for start, end, amount, has_scale in scan_amounts(value, currencies):
            if not _is_deal_money(value, start, end, amount, has_scale):
                continue
            if (
                deal_type in _VALUATION_TYPES
                and (
                    _VALUATION_BEFORE.search(value, 0, start) or _VALUATION_AFTER.match(value[end:])
                )
                # "a transaction valued at 1.11 billion dlrs" is the deal's value.
                and not _VALUED_AT.search(value, 0, start)
            ):
                continue
            key = (amount.currency, amount.value)
            if key not in seen:
                seen.add(key)
                amounts.append(amount)
    if not amounts:
        amounts = _share_prices(with_money, deal_sentences, currencies)
    return amounts, undisclosed


# A year named with "in" ("in 2019"): read against the article's own year.
_IN_YEAR = LazyPattern(r"\b(?:in|since)\s+((?:19|20)\d\d)\b")


def _tells_a_past_year(sentence: str, article: Article) -> bool:
    """Whether the sentence dates what it tells to a year before the article's."""
    if article.published is None or ("in " not in sentence and "since " not in sentence):
        return False
    return any(
        int(found.group(1)) < article.published.year for found in _IN_YEAR.finditer(sentence)
    )


def is_share_price(amount: Amount) -> bool:
    """Whether the amount is a price per share (or unit) shown for want of a total."""
    return amount.text.lower().endswith(("share", "unit", "ads", "shr"))


def _share_prices(
    sentences: dict[int, str], deal_sentences: set[int], currencies: Currencies
) -> list[Amount]:
    """A deal priced only per share ("52 dlrs cash per share"): that price, said as a price."""
    prices: list[Amount] = []
    for number in sorted((n for n in sentences if n in deal_sentences), key=lambda n: (n == 0, n)):
        value = sentences[number]
        for start, end, amount, _ in scan_amounts(value, currencies):
            per_share = _PER_SHARE.match(value[end : end + PER_SHARE_REACH])
            if per_share is None or any(price.value == amount.value for price in prices):
                continue
            text = value[start : end + per_share.end()]
            prices.append(Amount(amount.currency, amount.value, text))
    return prices


# The rules whose anchors the money tests need found.
MONEY_RULES = (_DEAL_VALUE_RULE, _RESULTS_WORDS_RULE, *_UNDISCLOSED_RULES.rules)

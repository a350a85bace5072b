"""Stakes: the percentages of a company changing hands, and what a stake says about roles.

A percentage followed by stake, interest, holding, shareholding or majority, a percentage
"of" something right after buy, acquire, sell, take, hold or own, or a fraction there ("a
quarter of"); a bare percentage right after hold, own, take, get or have ("will own 60%")
or after "the remaining", or a raised holding ("raised its stake in X to 29%", "a holding
of 15%"), when a clause end or a preposition follows; the second share of a split stated
once ("hold 49% and its partner 51%"); an equal split ("50-50"). What a seller keeps ("will
keep 40%") and a holding cut to a rump are not stakes. "majority stake" without a number is
not a stake. Sentences with no percentage, fraction or "stake" skip the patterns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from watchlists.deals.european import STAKE_ARTICLES, STAKE_BUY_VERBS, STAKE_OF, STAKE_SELL_VERBS
from watchlists.deals.model import Stake
from watchlists.deals.patterns import LazyPattern

# "a 25% stake", "an 8% stake": the article is looked for this far before the number.
ARTICLE_REACH = 4
# A stake of at least this many percent is control: its buyer makes an acquisition.
MAJORITY_PERCENT = 50
# Each side's share of an equal split ("50-50").
EQUAL_SHARE = 50.0
# How far before a bare percentage a raised holding may begin ("raised its stake in
# Fabrikam, the ... maker, to 29%").
RAISED_HOLDING_REACH = 160
# How much after a bare percentage is read to tell a clause end from a noun ("60% more").
BARE_STAKE_AFTER_REACH = 16
# How far before a percentage or fraction a stake verb may stand ("bought a further 10%").
STAKE_VERB_REACH = 40
# How far before a bare percentage an ownership or paying verb may stand.
OWNER_VERB_REACH = 60
# How far before a fraction "for", "of", "sale of" may stand ("the sale of half of").
FRACTION_OBJECT_REACH = 20

MAJORITY = LazyPattern(
    r"\b(?:majority|controlling)\s+(?:stake|interest|holding|shareholding)\b|"
    r"\b(?:контрольн|мажоритарн)\w*\s+(?:пакет|дол)\w*|"
    # Buying out the rest makes the buyer the sole owner: control, whatever the percentage.
    r"\bединственн\w*\s+(?:владел|собственник|акционер)\w*|"
    r"\b(?:the\s+)?remaining\s+\d[\d.]*\s*(?:%|pct|per\s?cent|percent)|"
    r"\b(?:that|which)\s+it\s+(?:does|did)\s+not\s+(?:already\s+)?own\b|"
    r"\bfull\s+(?:control|ownership)\s+of\b",
    re.I,
)
# Russian: "25% акций", "49% капитала", "51% компании", "50% СП", "25% плюс одну акцию".
_STAKE_NOUN = (
    "stake|interest|holding|shareholding|share|акций|капитала|компании|СП|"
    r"плюс\s+одн\w*\s+акци\w*"
)

_STAKE = LazyPattern(
    # \d\d* rather than \d+: a leading digit class lets ``re`` skip ahead to digits.
    # A Russian decimal comma ("25,1%") only right before the percent sign.
    r"(?P<num>\d\d*(?:\.\d+|,\d{1,2}(?=\s?%))?)\s?(?:%|per\s?cent\b|percent\b|pct\b)"
    r"(?P<noun>\s+(?:(?:minority|majority|controlling|equity|economic|voting|direct|indirect|"
    r"further|additional|remaining|её|его|их|сво\w+|уставного|акционерного)\s+){0,2}"
    r"(?:" + _STAKE_NOUN + r"|majority)s?\b)?",
    re.IGNORECASE,
)
_ARTICLE_BEFORE = LazyPattern(r"\b(?:an?)\s+$", re.IGNORECASE)
_STAKE_VERB_BEFORE = LazyPattern(
    r"\b(?:buy|buys|bought|buying|acquire[sd]?|acquiring|sell|sells|sold|selling|take[sn]?|took|"
    r"taking|hold[s]?|held|holding|own[s]?|owned|owning|purchase[sd]?|divest(?:s|ed)?|"
    r"increase[sd]?|raise[sd]?|cut|reduce[sd]?|retain[s]?|keep[s]?)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


_FRACTIONS: dict[str, float] = {
    "half": 50.0,
    "a half": 50.0,
    "a third": 33.33,
    "one third": 33.33,
    "one-third": 33.33,
    "two-thirds": 66.67,
    "two thirds": 66.67,
    "a quarter": 25.0,
    "one quarter": 25.0,
    "three-quarters": 75.0,
    "three quarters": 75.0,
    "a fifth": 20.0,
    "one fifth": 20.0,
    "a tenth": 10.0,
    "one tenth": 10.0,
}
_FRACTION_WORDS = ("half", "third", "quarter", "fifth", "tenth")
_FRACTION = LazyPattern(
    r"\b(?P<frac>"
    + "|".join(re.escape(word) for word in sorted(_FRACTIONS, key=len, reverse=True))
    + r")"
    r"\s+of\b",
    re.IGNORECASE,
)

# A fraction naming the stake itself: "acquired a one-third interest in", "a half share".
_FRACTION_STAKE = LazyPattern(
    r"\b(?:an?\s+)?(?P<frac>one[- ]third|two[- ]thirds|one[- ]quarter|three[- ]quarters|"
    r"one[- ]half|half|one[- ]fifth|one[- ]tenth)\s+(?:(?:equity|ownership|voting|minority|"
    r"majority)\s+)?(?:stake|interest|holding|shareholding|share)s?\b",
    re.IGNORECASE,
)
_FRACTION_VALUES = {
    **{words.replace("-", " "): value for words, value in _FRACTIONS.items()},
    "one half": 50.0,
}

# Matched case-sensitively: the words sit mid-sentence, in lower case.
_FRACTION_OBJECT_BEFORE = LazyPattern(r"\b(?:for|of|sale\s+of|purchase\s+of)\s+$")


# Ownership verbs right before a bare percentage ("will own 60%", "hold about 49%").
_OWN_VERB_BEFORE = LazyPattern(
    r"\b(?:hold|holds|held|own|owns|owned|control|controls|controlled|take|takes|took|get|gets|"
    r"receive|receives|have|has|"
    # Russian: "приобрела 10% в проекте", "продала 20% в месторождении".
    r"приобр[её]л\w*|приобретает|купил\w*|покупает|продал\w*|продаёт|продает|получ\w*|"
    r"владе\w*|"
    # German, French, Spanish, Portuguese, Italian: "adquiere el 40% de", "rachète 30 % de".
    + STAKE_BUY_VERBS
    + "|"
    + STAKE_SELL_VERBS
    + r")\s+(?:(?:about|around|roughly|nearly|almost|some|just|over|under|the|a|remaining|other|"
    + STAKE_ARTICLES
    + r")\s+){0,2}$",
    re.IGNORECASE,
)
# What may follow such a percentage: a clause end or a preposition, not a noun ("60% more").
_BARE_STAKE_AFTER = LazyPattern(
    r"\s*(?:[.,;:)]|$)|\s+(?:from|in|to|with|each|respectively|and|while|for|after|under|at|"
    r"through|via|between|в|во|" + STAKE_OF + r")\b",
    re.IGNORECASE,
)
# "raised its holding in Fabrikam to 29%", "a shareholding of 15%", "the remaining 35%",
# "bought 620,000 shares, or 6.2 pct";
# a holding cut to a rump ("cutting its holding to 2%") is what is left, not the deal.
_STAKE_NOUN_BEFORE = LazyPattern(
    r"(?:\b(?:rais|increas|lift|boost|expand|doubl|up)\w*\s+(?:its|their|the|his|her)\s+"
    r"(?:[\w-]+\s+)?(?:stake|holding|shareholding|interest|ownership)s?\b[^.;%]{0,100}?\bto|"
    r"\b(?:stake|holding|shareholding|interest|ownership)s?\s+(?:of|at)|\bremaining|"
    # A stake filing: "acquired 620,000 Beta shares, or 6.2 pct of the total".
    r"\b(?:acquir(?:e|es|ed|ing)|bought|buys?|buying|purchas(?:e|es|ed|ing))\s+"
    r"(?:(?:about|some|an\s+additional|another)\s+)?\d[\d,.]*\s+(?:mln\s+)?"
    r"(?:[\w.&'’-]+\s+){0,4}?shares\b[^.;%]{0,40}?,\s+or|"
    r"\bдол[июяе]\w*(?:\s+в)?(?:\s+размере)?|"
    # Russian raised holding: "увеличил долю в «Быстром чеке» с 30% до 55%".
    r"\b(?:увелич|нарасти|нарастил|дов[её]л|довести|довела|повыси)\w*\s+(?:сво\w+\s+)?"
    r"(?:дол\w*|пакет\w*)\b[^.;%]{0,100}?(?:\bс\s+\d[\d,.]*\s?%\s+)?\bдо|"
    # "контрольного пакета акций сети «Метан-Сервис» — 51%": the dash spells out the stake.
    r"\bпакет\w*[^.;%]{0,80}?\s[—–-]|"
    # "партнёры получат в СП по 50%".
    r"\b(?:получ|владе)\w*\b[^.;%]{0,30}?\bпо)\s+"
    r"(?:(?:about|around|roughly|nearly|almost|some)\s+)?$",
    re.IGNORECASE,
)
# The second share of a split stated once: "will hold 49% and its partner 51%".
# What a seller keeps ("and will keep 30%") is not part of the deal.
# A list of owners goes on with a comma and a name: "A will hold 48%, B 24%, C 15% and D 13%".
_ELLIPTICAL_BEFORE = LazyPattern(
    r"(?:\b(?:and|while|with)\s+(?:(?!(?:keep|keeps|kept|retain\w*|remain\w*)\b)[\w'’-]+\s+)"
    r"{0,4}|,\s+(?-i:[A-Z][\w'’&.-]*)(?:\s+(?-i:[A-Z][\w'’&.-]*)){0,3}\s+|"
    # Russian leaves the verb out with a dash: "российской компании — 51%, индийской — 49%".
    r",\s+(?:и\s+)?(?:[а-яё«»\"-]+\s+){1,2}[—–-]\s+)$",
    re.IGNORECASE,
)
# An equal split: "a 50-50 venture", "on a 50/50 basis", "50 на 50".
# "50-50", "50/50", "50 на 50", and "50% и 50%" (each partner's half named apart).
EQUAL_SPLIT = LazyPattern(
    r"(?<![\d.])50(?:\s?[-/:]\s?50(?![\d.%])|\s+на\s+50(?![\d%]|[.,]\d)|"
    r"\s?%\s+(?:и|and)\s+50\s?%)"
)
# Russian: "25-процентную долю", "51-процентный пакет акций".
_RU_PERCENT_ADJECTIVE = LazyPattern(
    r"(?<![\d,.])(?P<num>\d{1,2}(?:,\d{1,2})?)\s?-?\s?процентн\w*\s+(?:дол|пакет)\w*",
    re.IGNORECASE,
)
# Russian fractions as the object of a transfer: "купит половину акций", "треть компании".
_RU_FRACTIONS = {"половин": 50.0, "трет": 33.33, "четверт": 25.0}
_RU_FRACTION = LazyPattern(
    r"\b(?:купи\w*|прода\w*|приобр\w*|получ\w*|выкуп\w*|покупк\w*|продаж\w*)\s+"
    r"(?:[\w«»\"-]+\s+){0,2}?(?P<frac>(?P<root>половин|трет|четверт)(?:у|а|ь|и|ью))\s+"
    r"(?:акций|капитала|компании|бизнеса|доли|сети|проекта|СП)\b",
    re.IGNORECASE,
)


# "pay €620m for 35 per cent of", "spending C$1.26 billion on 30 per cent of".
_PAYING_FOR_BEFORE = LazyPattern(
    r"\b(?:pa(?:y|ys|id|ying)|spen(?:d|ds|t|ding)|invest(?:s|ed|ing)?)\s+(?:\S+\s+){1,4}?"
    r"(?:for|on|in)\s+$",
    re.IGNORECASE,
)


# Russian transfer words a few words before a percentage, which a genitive noun may follow
# where English says "of": "о продаже 9,9% проекта", "купит у Яндекса 10% подразделения",
# "продадут «Газпрому» 51%". "на 10%" (a change) never counts.
_RU_TRANSFER_BEFORE = LazyPattern(
    r"\b(?:продаж[еуи]|покупк[еуи]|приобретени[еия]|выкуп[еа]?|купит|купят|купил\w*|выкуп\w*|"
    r"прода(?:ст|дут|л|ла|ли|ет|ёт|ют)|приобр[её]\w*|получ\w*|переда\w*|достан\w*)"
    r"\s+(?:(?!(?:на|с|до)\s)[\w«»\"-]+\s+){0,2}$",
    re.IGNORECASE,
)
# What may follow such a percentage: a lower-case Russian word or a «name» (the genitive),
# or a clause end.
_RU_STAKE_AFTER = LazyPattern(r"\s+(?-i:[а-яё«])|\s*(?:[.,;:)]|$)", re.IGNORECASE)


def _is_bare_stake(value: str, hit: re.Match[str], found_before: bool) -> bool:
    """Whether a percentage with no stake noun after it is still a share of a company."""
    before = value[max(0, hit.start() - RAISED_HOLDING_REACH) : hit.start()]
    after = value[hit.end() : hit.end() + BARE_STAKE_AFTER_REACH]
    if _STAKE_NOUN_BEFORE.search(before):
        return True
    if not before.isascii() and _RU_TRANSFER_BEFORE.search(before[-OWNER_VERB_REACH:]):
        return bool(_RU_STAKE_AFTER.match(after))
    near = before[-OWNER_VERB_REACH:]
    listed = found_before and bool(_ELLIPTICAL_BEFORE.search(near))
    if after.startswith(" of "):
        return bool(
            _STAKE_VERB_BEFORE.search(before[-STAKE_VERB_REACH:])
            or _PAYING_FOR_BEFORE.search(near)
            or listed
        )
    if not _BARE_STAKE_AFTER.match(after):
        return False
    return bool(_OWN_VERB_BEFORE.search(near) or listed)


def scan_stakes(value: str, lowered: str | None = None) -> list[Stake]:
    """The stakes a sentence states, in order, with their text as written.

    lowered, when given, is value lower-cased (the caller may have it already).
    """
    stakes: list[Stake] = []
    if lowered is None:
        lowered = value.lower()
    has_percent = "%" in value or "pct" in lowered or _says_per_cent(lowered)
    for hit in _STAKE.finditer(value) if has_percent else ():
        if hit.group("noun") is None:
            if not _is_bare_stake(value, hit, bool(stakes)):
                continue
            text = hit.group(0)
        else:
            # "a 25% stake" keeps its article; a bare "25 per cent" stays bare.
            article = _ARTICLE_BEFORE.search(
                value, max(0, hit.start() - ARTICLE_REACH), hit.start()
            )
            text = value[article.start() if article else hit.start() : hit.end()]
        stakes.append(Stake(float(Decimal(hit.group("num").replace(",", "."))), text.strip()))
    if "процентн" in lowered:
        for hit in _RU_PERCENT_ADJECTIVE.finditer(value):
            stakes.append(Stake(float(Decimal(hit.group("num").replace(",", "."))), hit.group(0)))
    if "половин" in lowered or "трет" in lowered or "четверт" in lowered:
        for hit in _RU_FRACTION.finditer(value):
            percent = _RU_FRACTIONS[hit.group("root").lower()]
            if all(stake.percent != percent for stake in stakes):
                stakes.append(Stake(percent, hit.group("frac")))
    if "50" in value:
        for hit in EQUAL_SPLIT.finditer(value):
            if all(stake.percent != EQUAL_SHARE for stake in stakes):
                stakes.append(Stake(EQUAL_SHARE, hit.group(0)))
    if not any(word in lowered for word in _FRACTION_WORDS):
        return stakes
    for hit in _FRACTION_STAKE.finditer(value):
        percent = _FRACTION_VALUES[" ".join(hit.group("frac").lower().replace("-", " ").split())]
        if all(stake.percent != percent for stake in stakes):
            stakes.append(Stake(percent, hit.group(0)))
    if " of" not in lowered:
        return stakes
    for hit in _FRACTION.finditer(value):
        start = hit.start()
        if _STAKE_VERB_BEFORE.search(
            value[max(0, start - STAKE_VERB_REACH) : start]
        ) or _FRACTION_OBJECT_BEFORE.search(value[max(0, start - FRACTION_OBJECT_REACH) : start]):
            frac = hit.group("frac")
            stakes.append(Stake(_FRACTIONS[frac.lower()], frac))
    return stakes


_SELL_WORDS = LazyPattern(
    r"\b(?:sell|sells|selling|sold|sale|offload\w*|divest\w*|exit|exits|exiting|dispos\w*|"
    r"прода\w*|cut|cuts|lower(?:s|ed)?|reduc(?:e|es|ed)|trim(?:s|med)?|"
    + STAKE_SELL_VERBS
    + r")\b",
    re.IGNORECASE,
)


# A stake named without a percentage: "stake", and in Russian "доля", "пакет (акций)".
_STAKE_WORD = LazyPattern(r"\bstakes?\b|\bдол(?:я|ю|и|ей|ям|ями|ях)\b|\bпакет\w*", re.IGNORECASE)
_STAKE_LITERALS = ("stake", "дол", "пакет")


def names_stake(lowered: str) -> bool:
    """Whether lower-cased text may name a stake in words (then ``stake_context`` reads it)."""
    return any(literal in lowered for literal in _STAKE_LITERALS)


# "agreed to buy a 25% stake": a buying verb this close before the stake names the buyer,
# whatever sale the rest of the sentence mentions.
_BUY_BEFORE_STAKE = LazyPattern(
    r"\b(?:buy|buys|buying|bought|acquire[sd]?|acquiring|purchase[sd]?|purchasing|take|takes|"
    r"took|taking)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _bought_stake(value: str, stakes: Sequence[Stake]) -> bool:
    if not stakes:
        return False
    at = value.find(stakes[0].text)
    return at > 0 and bool(_BUY_BEFORE_STAKE.search(value, max(0, at - STAKE_VERB_REACH), at))


def stake_context(value: str, stakes: Sequence[Stake]) -> str | None:
    """Who a stake sentence is about: a seller, a majority buyer or a minority investor."""
    if not stakes and (not names_stake(value.lower()) or not _STAKE_WORD.search(value)):
        return None
    if _SELL_WORDS.search(value) and not _bought_stake(value, stakes):
        return "divestment"
    if MAJORITY.search(value) or any(stake.percent >= MAJORITY_PERCENT for stake in stakes):
        return "acquisition"
    return "investment"


_PER_CENT = LazyPattern(r"per\s?cent")


def _says_per_cent(lowered: str) -> bool:
    """Whether lower-cased text says "per cent" or "percent" ("recent" and "central" do not)."""
    return "cent" in lowered and _PER_CENT.search(lowered) is not None


def may_have_stakes(lowered: str) -> bool:
    """Whether lower-cased text has a percentage, a fraction or "50" (an equal split) at all."""
    return (
        "%" in lowered
        or "50" in lowered
        or "процентн" in lowered
        or "половин" in lowered
        or "трет" in lowered
        or "четверт" in lowered
        or "pct" in lowered
        or _says_per_cent(lowered)
        or any(word in lowered for word in _FRACTION_WORDS)
    )


def is_equal_split(stake: Stake) -> bool:
    """Whether the stake is a "50-50" split, which says who owns a venture, not who buys."""
    return bool(EQUAL_SPLIT.fullmatch(stake.text))

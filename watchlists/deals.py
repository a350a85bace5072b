"""Deal analysis: what happened, between whom, for how much, in one or two sentences.

Everything here is rule-based, deterministic and pure. ``analyse_deal(article, matches)``
returns a ``Deal``; ``Deal.to_json()`` is the stable contract. The rules:

Sentences
    A regex splitter: a sentence ends at ``.``, ``!``, ``?`` or ``…`` (plus closing quotes
    or brackets) followed by white space and a capital letter, a digit or an opening
    quote, and at every blank line. A period after a title (``Mr.``, ``Dr.``), a month or
    a single capital (an initial) never ends a sentence; after a corporate or dotted
    abbreviation (``Inc.``, ``Corp.``, ``U.S.``) it does only when the next word commonly
    starts a sentence (``The``, ``It``, ``Shares`` ...). The title is sentence 0. Only the
    title, the first ``LEAD_SENTENCES`` sentences and the sentences around a watched
    entity are read for the deal.

Deal type
    Every type has weighted trigger phrases (``acquire``, ``takeover``, ``swoops on``,
    ``joint venture``, ``jointly owned``, ``stake``, ``buys into``, ``Series B``, ``new
    round``, ``initial public offering``, ``float``, ``spin off``, ``offloads``, ``teamed
    up with``, ``joins forces``, ``supply agreement``, ``supply contract``, ``exclusive
    deal``, ``pact``, "signs ... pact" unless it is a merger or a deal "to buy",
    "agreement to supply" ...); ``none`` has its own (quarterly results,
    profit, lawsuits, appointments, layoffs). A hit scores its weight times its
    sentence's weight: title 2.0, a sentence naming a watched entity 1.6, a neighbour of
    one 1.2, others 1.0, fading a little with position. A deal noun after a possessive
    ("Contoso's $2bn acquisition", "Contoso's purchase of") counts ``POSSESSIVE_FACTOR``
    times: the deal is the subject. A sentence that marks itself as a side note
    ("separate", "separately", "unrelated", "in another deal") counts ``SIDE_NOTE_FACTOR``
    times, so a side sale does not outvote the main deal. Fixed expressions that are not
    deals ("investment bank", "buyout firm", "mergers and acquisitions", "termination
    fee", "share buyback", "buy electricity") are blanked first. Stakes decide between
    buyer and seller: in a sentence about a stake, selling words make it a
    ``divestment``, a majority or controlling stake an ``acquisition``, otherwise an
    ``investment`` (and a joint venture named after "stake in" is only the object); an
    equal split ("50-50") types nothing. A
    sale "to" a watched entity that is not itself the seller is that entity's
    ``acquisition`` (or ``investment`` for a minority stake). The highest total wins when
    it reaches ``MIN_DEAL_SCORE`` and beats ``none``; otherwise the type is ``none``.
    Confidence grows with the winning score and shrinks with the runner-up's share. The
    trigger is the winning type's strongest phrase, ties going to the sentence nearest a
    watched entity.

Stage
    Cues are read in the title and the first deal sentence (the news lead), then in the
    next two best deal sentences, by precedence: ``terminated`` (called off, abandoned,
    scrapped, terminated, walked away; also halted, suspended, shelved or paused sales or
    talks and deals "put on hold": there is no "paused" stage) > ``completed`` (completed, closed, finalised, has
    acquired, has raised) > ``announced`` (agreed to, will buy, announced, signed, is
    buying, launches an IPO) > ``in_talks`` (talks, negotiations, discussing, nearing a
    deal) > ``rumoured`` (reportedly, people familiar, sources said, considering,
    exploring, a report that). ``completed`` and ``announced`` cues in the future or the
    conditional ("expected to complete", "could announce") do not count, ``announced``
    cues do not count in a tier that says talks are going on ("confirmed it is in talks",
    "is in talks about a merger that will ..."), and a
    ``completed`` deal that still awaits approval or closing is ``announced``. Without
    any cue a headline verb decides weakly ("X acquires Y", "X raises" are completed; "X
    to buy Y", "X agrees", "X launches" announced); otherwise the stage is "".

Money
    A number with a currency symbol or code before it (``$``, ``US$``, ``HK$``, ``A$``,
    ``€``, ``£``, ``¥``, ``₽``, ``Rs``, ``RUB``, ``R``) or a currency word after it
    (``dollar(s)``, ``euro(s)``, ``rouble(s)``, ``yen``, ``yuan``, ``won``, ``dirhams``),
    with an optional scale (``m``, ``bn``, ``million``, ``trillion``, ``crore``). ``$`` is
    USD, ``¥`` JPY unless the article says yuan, RMB or CNY; dirhams are MAD when Morocco,
    Moroccan, Casablanca, Rabat ... outnumber UAE, Emirati, Dubai, Abu Dhabi ... in the
    article, else AED; ``R`` written against the number ("R850 million") is ZAR in an
    article that names South Africa, Johannesburg, the JSE or the rand, else not money.
    About 60 ISO 4217 codes ("XAF 18 billion"), local signs (``RM``, ``KSh``, ``₸``,
    ``Mex$``, ``zł`` ...) and names (tenge, zlotys, ringgit, forints, kronor ...) are
    known; a bare "pesos", "kroner" or "CFA francs" takes the currency of the country the
    article names most (Mexico, Chile, Norway, Cameroon ...), else is not money. Values are in units of the
    currency; the text is the span exactly as written, taken from the body before the
    title. Money counts only in sentences about the deal: figures next to revenue,
    profit, sales, earnings or assets under management, per-share prices, small
    unscaled numbers and, for funding rounds, investments and IPOs, the company's
    valuation are skipped; a ``none`` deal has no amounts. "undisclosed", "not
    disclosed", "not made public", "without giving terms" set ``undisclosed`` when the
    deal has no amount.

Stakes
    A percentage followed by stake, interest, holding, shareholding or majority, a
    percentage "of" something right after buy, acquire, sell, take, hold or own, or a
    fraction there ("a quarter of"); a bare percentage right after hold, own, take, get or
    have ("will own 60%") or after "the remaining", or a raised holding ("raised its stake
    in X to 29%", "a holding of 15%"), when a clause end or a preposition follows; the
    second share of a split stated once ("hold 49% and its partner 51%"); an equal split
    ("50-50"). What a seller keeps ("will keep 40%") and a holding cut to a rump are not
    stakes. "majority stake" without a number is not a stake.

Parties
    The watched entities in order of first mention (title first), then other
    organisations from the deal sentences when the evidence is strong: a capitalised name
    ending in a corporate suffix (``Inc``, ``Ltd``, ``Holdings`` ...) or a capitalised
    name right after a deal verb ("agreed to buy Figma", "a stake in Northwind"), unless
    a lower-case noun follows it ("Swiss voice firm": an adjective, not a name).

Summary
    The best deal sentence of the text (without a deal: the first sentence naming a
    watched entity, failing that the lead), followed by the next sentence when both fit
    in ``SUMMARY_LIMIT`` characters. Longer text is cut at a word boundary and ends with
    "…". An article without text is summarised by its title.

Speed
    None of this changes a result; it only skips work that cannot change one.
    Python's ``re`` is slow at finding patterns that start with ``\\b``, so every rule's
    leading literals ("anchors") are found with one Aho-Corasick pass over the sentences
    read, a rule is tried only where one of its anchors starts a word, and rules none of
    whose anchors occur are not tried at all (most of them, in a given article). The same
    anchors serve the word tests of money context and deal verbs in parties. Sentences are
    split lazily, only as far as the lead, the last watched name and the summary need;
    the rare checks that read the whole text (an approval still pending, a yuan hint)
    first look for a literal every match must contain. Numbers with no currency sign or
    word next to them and sentences with no percentage, fraction or "stake" skip the
    money and stake patterns.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from math import exp
from typing import Literal, NamedTuple, cast

import ahocorasick

from watchlists.model import Article, Match

DealType = Literal[
    "acquisition",
    "merger",
    "joint_venture",
    "investment",
    "funding_round",
    "ipo",
    "divestment",
    "partnership",
    "none",
]
Stage = Literal["rumoured", "in_talks", "announced", "completed", "terminated", ""]

DEAL_TYPES: tuple[str, ...] = (
    "acquisition",
    "merger",
    "joint_venture",
    "investment",
    "funding_round",
    "ipo",
    "divestment",
    "partnership",
)
STAGES: tuple[str, ...] = ("rumoured", "in_talks", "announced", "completed", "terminated")
STAGE_ORDER: dict[str, int] = {stage: rank for rank, stage in enumerate(("", *STAGES))}

MIN_DEAL_SCORE = 3.0
LEAD_SENTENCES = 8
SUMMARY_LIMIT = 300
ELLIPSIS = "…"


@dataclass(frozen=True)
class Amount:
    """A sum of money as written in the article, with its ISO 4217 currency and value."""

    currency: str
    value: float
    text: str

    def to_json(self) -> dict[str, object]:
        """The amount as it appears in ``Deal.to_json``."""
        return {"currency": self.currency, "value": self.value, "text": self.text}


@dataclass(frozen=True)
class Stake:
    """A percentage of a company changing hands."""

    percent: float
    text: str

    def to_json(self) -> dict[str, object]:
        """The stake as it appears in ``Deal.to_json``."""
        return {"percent": self.percent, "text": self.text}


@dataclass(frozen=True)
class Deal:
    """What an article says happened: type, stage, money, parties and a short summary."""

    type: DealType = "none"
    stage: Stage = ""
    confidence: float = 0.0
    trigger: str = ""
    amounts: tuple[Amount, ...] = ()
    stakes: tuple[Stake, ...] = ()
    undisclosed: bool = False
    parties: tuple[str, ...] = ()
    summary: str = ""

    @property
    def is_deal(self) -> bool:
        """True unless the type is ``none``."""
        return self.type != "none"

    def to_json(self) -> dict[str, object]:
        """The stable JSON form used by the CLI, the store and the evaluation."""
        return {
            "type": self.type,
            "stage": self.stage,
            "confidence": self.confidence,
            "trigger": self.trigger,
            "amounts": [amount.to_json() for amount in self.amounts],
            "stakes": [stake.to_json() for stake in self.stakes],
            "undisclosed": self.undisclosed,
            "parties": list(self.parties),
            "summary": self.summary,
        }


# ---------------------------------------------------------------------------
# Sentences

_HARD_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gen",
        "gov",
        "sen",
        "rep",
        "col",
        "lt",
        "capt",
        "sgt",
        "rev",
        "hon",
        "no",
        "nos",
        "vs",
        "v",
        "fig",
        "approx",
        "dept",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "e.g",
        "i.e",
        "cf",
        "al",
        "mt",
        "ft",
    ]
)
_SOFT_ABBREVIATIONS = frozenset(
    ["inc", "corp", "ltd", "co", "plc", "llc", "bros", "etc", "cos", "intl"]
)
_SENTENCE_STARTERS = frozenset(
    [
        "The",
        "It",
        "Its",
        "This",
        "That",
        "These",
        "Those",
        "He",
        "She",
        "They",
        "We",
        "I",
        "A",
        "An",
        "In",
        "On",
        "At",
        "But",
        "And",
        "However",
        "Shares",
        "Under",
        "According",
        "Last",
        "Earlier",
        "Meanwhile",
        "Separately",
        "Both",
        "Terms",
        "If",
        "As",
        "After",
        "Before",
        "While",
        "Analysts",
        "Neither",
        "Other",
        "Our",
        "There",
        "Their",
        "Investors",
        "Financial",
        "Details",
    ]
)
# One character class first lets ``re`` skip ahead to candidates instead of trying every
# position; the look-behinds then pick the punctuation or the blank-line branch.
_BOUNDARY = re.compile(r"[.!?…\n](?:(?<=[.!?…])[.!?…]*[\"'”’)\]]*\s+|(?<=\n)[ \t]*\n\s*)")
_OPENERS = "\"'“‘([¿¡"
_DOTTED_ABBREVIATION = re.compile(r"^(?:[a-z]\.)+[a-z]$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the sentences of text, white space trimmed."""
    return list(iter_sentences(text))


def iter_sentences(text: str) -> Iterator[tuple[int, int]]:
    """The spans split_sentences gives, one at a time, so a reader can stop early."""
    start = 0
    length = len(text)
    for boundary in _BOUNDARY.finditer(text):
        end = boundary.end()
        if end >= length:
            break
        dot = boundary.start()
        if text[dot] != "\n" and not _is_sentence_end(text, dot, end):
            continue
        span_start, span_end = _trim(text, start, dot + len(boundary.group(0).rstrip()))
        if span_start < span_end:
            yield span_start, span_end
        start = end
    span_start, span_end = _trim(text, start, length)
    if span_start < span_end:
        yield span_start, span_end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    if start < end and (text[start].isspace() or text[end - 1].isspace()):
        kept = text[start:end].lstrip()
        start = end - len(kept)
        end = start + len(kept.rstrip())
    return start, end


def _is_sentence_end(text: str, dot: int, next_start: int) -> bool:
    following = text[next_start]
    if following in _OPENERS and next_start + 1 < len(text):
        following = text[next_start + 1]
    if not (following.isupper() or following.isdigit()):
        return False
    if text[dot] != ".":
        return True
    word_start = max(text.rfind(" ", 0, dot), text.rfind("\n", 0, dot)) + 1
    word = text[word_start:dot].lstrip(_OPENERS)
    lowered = word.lower()
    if lowered in _HARD_ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isupper():
        return False
    if lowered in _SOFT_ABBREVIATIONS or _DOTTED_ABBREVIATION.match(lowered):
        next_word = text[next_start:].split(None, 1)[0].strip(_OPENERS + ",")
        return next_word in _SENTENCE_STARTERS
    return True


# ---------------------------------------------------------------------------
# Trigger phrases


@dataclass(frozen=True)
class _Rule:
    label: str
    weight: float
    pattern: re.Pattern[str]
    anchors: tuple[str, ...]


def _split_top_level(pattern: str) -> list[str]:
    parts, depth, start, escaped = [], 0, 0, False
    for position, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:position])
            start = position + 1
    parts.append(pattern[start:])
    return parts


def _leading_literal(branch: str) -> str:
    """The letters every match of the branch starts with (a quantified last letter dropped)."""
    literal = ""
    for char in branch:
        if not (char.isalpha() or char in "-&'"):
            if char in "?*{" and literal:
                literal = literal[:-1]
            break
        literal += char.lower()
    return literal


_COMMON_SHORT_WORDS = frozenset(
    [
        "to",
        "is",
        "in",
        "go",
        "by",
        "of",
        "on",
        "at",
        "an",
        "as",
        "be",
        "it",
        "or",
        "we",
        "he",
        "no",
        "so",
        "up",
        "do",
        "if",
        "us",
    ]
)


def _strip_lookbehind(branch: str) -> str:
    """The branch without a leading look-behind group, which matches no characters."""
    if not branch.startswith(("(?<=", "(?<!")):
        return branch
    depth = 0
    for position, char in enumerate(branch):
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            return branch[position + 1 :]
    return branch


def _anchors(pattern: str, short_words: bool = False) -> tuple[str, ...]:
    """Lower-case strings one of which every match contains; () when none can be told.

    Common short words ("to", "by") make poor anchors and give () unless short_words.
    """
    anchors: list[str] = []
    for branch in _split_top_level(pattern):
        branch = _strip_lookbehind(branch.removeprefix("\\b"))
        if branch.startswith("(?:"):
            depth, end = 0, 0
            while end < len(branch):
                depth += branch[end] == "("
                depth -= branch[end] == ")"
                if depth == 0:
                    break
                end += 1
            if branch[end + 1 : end + 2] in {"?", "*", "{"}:
                return ()
            inner = branch[3:end]
            tails = [_leading_literal(part) for part in _split_top_level(inner)]
        else:
            tails = [_leading_literal(branch)]
        if any(
            len(tail) < 2 or (tail in _COMMON_SHORT_WORDS and not short_words) for tail in tails
        ):
            return ()
        anchors.extend(tails)
    return tuple(dict.fromkeys(anchors))


def _rule(label: str, weight: float, pattern: str) -> _Rule:
    return _Rule(label, weight, re.compile(pattern, re.IGNORECASE), _anchors(pattern))


class _RuleSet:
    """Rules in their order of precedence, with the rules each anchor can start."""

    def __init__(self, rules: Iterable[_Rule]) -> None:
        self.rules = tuple(rules)
        by_anchor: dict[str, list[int]] = {}
        for number, rule in enumerate(self.rules):
            for anchor in rule.anchors:
                by_anchor.setdefault(anchor, []).append(number)
        self.by_anchor = {anchor: tuple(numbers) for anchor, numbers in by_anchor.items()}


_TYPE_RULES: tuple[_Rule, ...] = (
    # acquisition
    _rule("acquisition", 2.5, r"\bacquir(?:e|es|ed|ing)\b"),
    _rule("acquisition", 2.5, r"\bacquisitions?\b"),
    _rule("acquisition", 2.0, r"\b(?:buy|buys|buying|bought)\b(?![- ]?back)(?!\s+into)"),
    _rule("acquisition", 3.0, r"\bswoop(?:s|ed|ing)?\s+(?:on|for)\b"),
    _rule(
        "acquisition",
        3.0,
        r"\baccept(?:s|ed|ing)?\s+(?:an?\s+|the\s+)?(?:[\w$.,-]+\s+){0,3}(?:offer|bid)\b",
    ),
    _rule("investment", 3.0, r"\b(?:buy|buys|buying|bought)\s+into\b"),
    _rule("investment", 1.5, r"\b(?:back|backs|backed|backing)\b(?!\s+(?:office|to|down|up))"),
    _rule("investment", 1.5, r"\bcommit(?:s|ted|ting)?\b"),
    _rule("investment", 2.0, r"(?<=\bto\s)fund\b"),
    _rule("investment", 2.0, r"\bput(?:s|ting)?\s+(?:[\w$€£¥₽.,-]+\s+){0,4}into\b"),
    _rule("acquisition", 3.0, r"\btake-?overs?\b|\btak(?:e|es|ing)\s+over\b(?!\s+as\b)"),
    _rule("acquisition", 2.5, r"\bbuy-?outs?\b"),
    _rule("acquisition", 1.5, r"\bpurchas(?:e|es|ed|ing)\b"),
    # The noun with its object ("its EUR 780 million purchase of Zahnwerk") is the deal.
    _rule("acquisition", 1.0, r"\bpurchase\s+of\s+(?:the\s+|a\s+|an\s+)?(?-i:[A-Z])"),
    # Money paid for something named: "agreed to pay about $410 million for it".
    _rule(
        "acquisition",
        2.0,
        r"\b(?:pay|pays|paid|paying)\s+(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+|up\s+to\s+)?"
        r"(?-i:[A-Z]{0,3}[$€£¥₹₽]|[A-Z]{3}\s)\s?\d[\d.,]*\s*(?:[a-z]+\s+)?for\b",
    ),
    _rule("acquisition", 2.0, r"\b(?:bid|offer|approach)\s+(?:for|of)\b"),
    _rule("acquisition", 2.0, r"\btak(?:e|es|ing)\s+(?:\w+\s+)?private\b"),
    _rule("acquisition", 2.0, r"\bsnap(?:s|ped)?\s+up\b"),
    # merger
    _rule("merger", 2.5, r"\bmerg(?:e|es|ed|ing|er|ers)\b"),
    _rule("merger", 1.0, r"\bcombin(?:e|es|ing|ation)\b"),
    _rule("merger", 2.0, r"\bmerger\s+of\s+equals\b"),
    # joint venture
    _rule("joint_venture", 4.0, r"\bjoint[- ]ventures?\b"),
    _rule("joint_venture", 3.0, r"\bJVs?\b"),
    _rule(
        "joint_venture",
        3.5,
        r"\bform(?:s|ed|ing)?\s+(?:a\s+|an\s+)?(?:[\w$.,-]+\s+){0,3}venture\b",
    ),
    _rule("joint_venture", 3.5, r"\bjoint(?:ly)?[- ](?:owned|run|operated|held)\b"),
    _rule(
        "joint_venture",
        3.0,
        r"\bjoint\s+(?:company|entity|plant|smelter|factory|refinery|project|operation)s?\b",
    ),
    _rule("joint_venture", 1.0, r"\bventure\b(?!\s+(?:capital|arm|fund|firm|investor))"),
    _rule(
        "joint_venture",
        3.5,
        r"\b(?:co-invest(?:s|ed|ing|ment)?|jointly\s+invest(?:s|ed|ing)?)\b",
    ),
    # investment
    _rule("stake", 2.0, r"\bstakes?\b"),
    _rule("investment", 2.0, r"\binvest(?:s|ed|ing)?\b"),
    _rule("investment", 1.5, r"\binvestments?\b"),
    _rule("investment", 3.0, r"\binject(?:s|ed|ing|ion)?\b"),
    _rule("investment", 1.0, r"\bminority\s+(?:stake|interest|investment)\b"),
    # funding round
    _rule("funding_round", 4.0, r"\bseries\s+[a-h]\d?\b"),
    _rule(
        "funding_round",
        4.0,
        r"\b(?:seed|pre-seed|funding|financing|investment|venture|growth)\s+rounds?\b",
    ),
    _rule("funding_round", 4.0, r"\bround\s+of\s+(?:funding|financing|investment)\b"),
    _rule("funding_round", 1.5, r"\bfunding\b"),
    _rule("funding_round", 1.0, r"\brais(?:e|es|ed|ing)\b"),
    _rule("funding_round", 1.0, r"\bventure\s+capital\b"),
    _rule("funding_round", 1.0, r"\bvaluation\b|\bvaluing\s+(?:it|the\s+\w+)\s+at\b"),
    _rule("funding_round", 1.0, r"\bled\s+by\b"),
    _rule("funding_round", 1.0, r"\bunicorns?\b"),
    _rule("funding_round", 2.0, r"\b(?:new|latest|first|second|third|fresh)\s+round\b"),
    # IPO
    _rule("ipo", 4.0, r"\bIPOs?\b"),
    _rule("ipo", 4.0, r"\binitial\s+public\s+offerings?\b"),
    _rule("ipo", 3.0, r"\b(?:goes|going|went)\s+public\b|(?<=\bgo\s)public\b"),
    _rule("ipo", 3.0, r"\b(?:market|trading|stock|listing)\s+debut\b|\bdebut(?:s|ed)?\s+on\b"),
    _rule("ipo", 1.5, r"\blisting\b"),
    _rule("ipo", 3.0, r"\blist(?:s|ed|ing)?\s+(?:its\s+|their\s+)?shares\b"),
    _rule("ipo", 1.0, r"\boffering\b"),
    _rule("ipo", 2.0, r"\bdirect\s+listing\b"),
    _rule("ipo", 2.0, r"\bflotation\b|\bfloat(?:s|ed|ing)?\b"),
    _rule("ipo", 1.5, r"\bprospectus\b"),
    # divestment
    _rule("divestment", 3.5, r"\bdivest(?:s|ed|ing|iture|itures|ment|ments)?\b"),
    _rule("divestment", 1.5, r"\b(?:sell|sells|selling|sold)\b(?!-off)"),
    _rule("divestment", 2.5, r"\bsale\s+of\b"),
    _rule(
        "divestment",
        3.0,
        r"\bspin(?:s|ning)?[- ]?offs?\b|\bspun\s+off\b|\bspin(?:s|ning)?\s+out\b",
    ),
    _rule("divestment", 3.0, r"\bcarve[- ]?outs?\b"),
    _rule("divestment", 3.0, r"\boffload(?:s|ed|ing)?\b"),
    _rule("divestment", 3.0, r"\bdispos(?:e|es|ed|ing)\s+of\b|\bdisposals?\b"),
    _rule("divestment", 1.5, r"\bexit(?:s|ed|ing)?\b"),
    # partnership
    _rule("partnership", 3.0, r"\bpartnerships?\b|\bpartner(?:s|ed|ing)?\s+with\b"),
    _rule("partnership", 3.0, r"\bteam(?:s|ed|ing)?\s+up\b"),
    _rule("partnership", 2.5, r"\bteam(?:s|ed)?\s+with\b|\b(?:link|hook)(?:s|ed)?\s+up\s+with\b"),
    _rule("partnership", 3.0, r"\bjoin(?:s|ed|ing)?\s+forces\b|\btie(?:s|d)?\s+up\s+with\b"),
    _rule(
        "partnership",
        3.0,
        r"\bexclusive\s+(?:[\w-]+\s+)?(?:deal|pact|agreement|contract|arrangement|rights|"
        r"partner|partnership)s?\b",
    ),
    _rule("partnership", 2.0, r"\bpacts?\b"),
    # "signs network equipment pact"; "signs deal to buy" and "signs merger pact" are not.
    _rule(
        "partnership",
        2.0,
        r"\b(?:sign(?:s|ed|ing)?|ink(?:s|ed|ing)?|strikes?|struck|striking|seal(?:s|ed|ing)?)\s+"
        r"(?:an?\s+|the\s+|its\s+|new\s+)?(?:(?!(?:merger|takeover|acquisition|sale|purchase|"
        r"buyout|investment|funding|financing|loan|share|stake|definitive|binding)\b)[\w-]+\s+)"
        r"{0,3}(?:deal|pact|agreement|contract)s?\b(?!\s+(?:to\s+(?:buy|acquire|sell|merge|take|"
        r"purchase|invest|combine)|for\b|worth\b|valued\b))",
    ),
    _rule(
        "partnership",
        2.5,
        r"\b(?:agreement|deal|pact|contract)s?\s+to\s+(?:supply|provide|deliver|distribute|"
        r"stock|host|license|licence|develop|manufacture|produce|market|carry|power)\b",
    ),
    _rule("partnership", 2.5, r"\balliances?\b"),
    _rule("partnership", 2.5, r"\bcollaborat(?:e|es|ed|ing|ion)\b"),
    _rule("partnership", 2.0, r"\btie-?ups?\b"),
    _rule(
        "partnership",
        3.0,
        r"\b(?:supply|licensing|licence|license|distribution|cooperation|co-operation|"
        r"commercial|technology|offtake|off-take|hosting|equipment)\s+(?:agreements?|deals?|"
        r"pacts?|contracts?)\b",
    ),
    _rule("partnership", 2.0, r"\bmemorandum\s+of\s+understanding\b"),
    _rule(
        "partnership",
        2.5,
        r"\bco-operat(?:e|es|ed|ing|ion)\b|\bcooperat(?:e|es|ed|ing|ion)\b",
    ),
    _rule("partnership", 1.0, r"\bpartners?\b"),
    _rule("partnership", 1.0, r"\bagreement\s+with\b"),
    # not a deal
    _rule(
        "none",
        3.0,
        r"\b(?:quarterly|annual|first-quarter|second-quarter|third-quarter|fourth-quarter|"
        r"full-year|half-year|interim)\s+(?:results|earnings|profits?|revenues?|loss|sales)\b",
    ),
    _rule("none", 1.0, r"\b(?:profits?|revenues?|earnings|sales|income)\b"),
    _rule("none", 1.0, r"\bprofitability\b|\btargets?\b|\bdividends?\b"),
    _rule("none", 1.0, r"\bguidance\b|\boutlook\b|\bforecasts?\b"),
    _rule("none", 1.5, r"\blawsuits?\b|\bsue[sd]?\b|\bsuing\b|\blitigation\b|\bcourt\b"),
    _rule("none", 1.5, r"\bfined\b|\bprobe\b|\brecalls?\b"),
    _rule("none", 2.0, r"\blay(?:s|ing)?\s+off\b|\blayoffs?\b|\bjob\s+cuts\b"),
    _rule("none", 1.5, r"\bappoint(?:s|ed|ment)?\b|\bsteps?\s+down\b|\bresign(?:s|ed|ation)?\b"),
    _rule("none", 1.0, r"\blaunch(?:es|ed)?\b|\bunveil(?:s|ed)?\s+(?:a|its)\s+new\b"),
)
_TYPE_RULE_SET = _RuleSet(_TYPE_RULES)

# Fixed expressions whose words would otherwise count as deal triggers or stage cues.
_MASK_RULES: tuple[_Rule, ...] = tuple(
    _rule("mask", 0.0, pattern)
    for pattern in (
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
        r"\b(?:shares|stock|index|market)\s+closed\b",
        r"\bclosed\s+(?:up|down|higher|lower|at|flat)\b",
        r"\b(?:customer|user|talent|data)\s+acquisition\b",
        r"\bstakeholders?\b|\bsales\s+team\b|\bsold[- ]out\b|\bfree\s+float\b",
        r"\bprivate\s+equity\b",
        r"\b(?:buyout|equity|venture)\s+(?:firms?|groups?|houses?|funds?|arms?|companies|"
        r"company|vehicles?|holdings?)\b",
    )
)
_MASK_RULE_SET = _RuleSet(_MASK_RULES)

_PROGRESSIVE_DEALS = (
    r"(?:buying|acquiring|selling|paying|investing|pooling|teaming\s+up|setting\s+up|accepting|"
    r"taking|forming|floating|listing|launching|merging|taking\s+over|offloading|spinning\s+off)\b"
)
_STAGE_RULES: tuple[_Rule, ...] = (
    _rule("terminated", 1.0, r"\bcall(?:s|ed|ing)?\s+off\b"),
    _rule("terminated", 1.0, r"\babandon(?:s|ed|ing)?\b"),
    _rule("terminated", 1.0, r"\bscrap(?:s|ped|ping)?\b"),
    _rule("terminated", 1.0, r"\bterminat(?:e|es|ed|ing)\b"),
    _rule("terminated", 1.0, r"\bwalk(?:s|ed|ing)?\s+away\b"),
    _rule("terminated", 1.0, r"\bpull(?:s|ed|ing)?\s+out\s+of\b"),
    _rule("terminated", 1.0, r"\b(?:collapsed|fell\s+through|falls\s+through|fell\s+apart)\b"),
    _rule(
        "terminated",
        1.0,
        r"\b(?:ended|ends|broke\s+off|breaks\s+off|break\s+off)\s+(?:the\s+)?(?:talks|negotiations|discussions)\b",
    ),
    _rule(
        "terminated",
        1.0,
        r"\bwithdr(?:ew|aws|awn)\s+(?:its\s+|the\s+|a\s+)?(?:offer|bid|proposal)\b",
    ),
    _rule(
        "terminated",
        1.0,
        r"\bdrop(?:s|ped)?\s+(?:its\s+|the\s+)?(?:\w+\s+)?(?:bid|offer|plan|pursuit)\b",
    ),
    # A halted or shelved deal is off for now: the stages have no "paused".
    _rule(
        "terminated",
        1.0,
        r"\b(?:halt(?:s|ed|ing)?|suspend(?:s|ed|ing)?|shelv(?:e|es|ed|ing)|freez(?:e|es|ing)|"
        r"froze|paus(?:e|es|ed|ing))\s+(?:the\s+|its\s+|their\s+|a\s+|all\s+)?"
        r"(?:[\w-]+\s+){0,3}?(?:sale|talks|deal|plans?|process|bid|offer|merger|negotiations|"
        r"discussions|listing|ipo|takeover|acquisition|purchase|disposal|flotation|spin-?off|"
        r"tie-?up|partnership|venture)\b",
    ),
    _rule(
        "terminated",
        1.0,
        r"\b(?:put|puts|putting|placed|places|placing)\s+(?:[\w-]+\s+){0,5}?on\s+(?:hold|ice)\b",
    ),
    _rule("completed", 1.0, r"\bcomplet(?:e|es|ed|ing|ion)\b"),
    _rule("completed", 1.0, r"\bclosed\b|\bclosing\s+of\b"),
    _rule("completed", 1.0, r"\bfinali[sz](?:e|es|ed)\b"),
    _rule(
        "completed",
        1.0,
        r"\b(?:has|have)\s+(?:now\s+)?(?:acquired|bought|merged|sold|divested|snapped\s+up|"
        r"taken\s+over|swallowed)\b",
    ),
    _rule("completed", 1.0, r"\bnow\s+owns\b"),
    _rule(
        "completed",
        1.0,
        r"\b(?:has|have)\s+(?:now\s+|already\s+)?(?:raised|secured|formed|invested|put\s+money|"
        r"spun\s+off|exited|offloaded)\b",
    ),
    _rule("announced", 1.0, r"\bagree(?:s|d)?\b"),
    _rule("announced", 1.0, r"\b(?:definitive|binding|merger|purchase)\s+agreement\b"),
    _rule("announced", 1.0, r"\bsign(?:s|ed)\b"),
    _rule("announced", 1.0, r"\bannounc(?:e|es|ed)\b"),
    _rule(
        "announced",
        1.0,
        r"\bwill\s+(?:buy|acquire|merge|invest|sell|take|combine|form|list|float|go\s+public|pay|spin|"
        r"divest|put|fund|back|commit|inject|hold|own|set\s+up|create)\b",
    ),
    _rule("announced", 1.0, r"\bunveil(?:s|ed)\b"),
    _rule("announced", 1.0, r"\bconfirm(?:s|ed)\b"),
    _rule("announced", 1.0, r"\baccept(?:s|ed)\b"),
    _rule("announced", 1.0, r"\b(?:has|have)\s+(?:teamed\s+up|partnered|joined\s+forces|struck)\b"),
    _rule(
        "announced",
        1.0,
        r"\b(?:strikes?|struck|seals?|sealed|inks?|inked)\s+(?:a\s+|an\s+)?(?:\$?[\w.-]+\s+)?(?:deal|agreement|pact)\b",
    ),
    _rule("announced", 1.0, r"\bfile[sd]?\s+(?:confidentially\s+)?(?:for|to)\b"),
    _rule(
        "announced",
        1.0,
        r"(?<=\bis\s)" + _PROGRESSIVE_DEALS + r"|(?<=\bare\s)" + _PROGRESSIVE_DEALS,
    ),
    _rule(
        "announced",
        1.0,
        r"\b(?:made|makes|make|launch(?:es|ed)?)\s+(?:a\s+|an\s+|its\s+)?(?:[\w$.,-]+\s+){0,4}"
        r"(?:bid|offer|ipo|listing|offering)\b",
    ),
    _rule("in_talks", 1.0, r"\btalks\b"),
    _rule("in_talks", 1.0, r"\bdiscuss(?:es|ed|ing)?\b(?!\s+(?:its|the)\s+plans)"),
    _rule("in_talks", 1.0, r"\bnegotiat(?:e|es|ed|ing|ions?)\b"),
    _rule(
        "in_talks",
        1.0,
        r"\bdiscussions\b",
    ),
    _rule(
        "in_talks",
        1.0,
        r"\b(?:nearing|nears|near|close\s+to)\s+(?:a\s+|an\s+)?(?:\$?[\w.-]+\s+)?(?:deal|agreement)\b",
    ),
    _rule(
        "in_talks",
        1.0,
        r"\bnon-binding\b|\bletter\s+of\s+intent\b|\bdue\s+diligence\b",
    ),
    _rule("rumoured", 1.0, r"\breportedly\b|\bwas\s+reported\b|\bmedia\s+reports?\b"),
    _rule("rumoured", 1.0, r"\bpeople\s+(?:familiar|with\s+knowledge|close\s+to|briefed)\b"),
    _rule(
        "rumoured",
        1.0,
        r"\bsources?\s+(?:said|say|says|familiar|close|told)\b|\bfamiliar\s+with\s+the\s+(?:matter|talks|plans|situation|deal)\b",
    ),
    _rule(
        "rumoured",
        1.0,
        r"\baccording\s+to\s+(?:people|sources?|a\s+person|persons|reports?|media|a\s+report)\b",
    ),
    _rule(
        "rumoured",
        1.0,
        r"\bconsider(?:s|ed|ing)\b|\bweigh(?:s|ing)\b|\bexplor(?:e|es|ing)\b|\bmull(?:s|ed|ing)?\b",
    ),
    _rule("rumoured", 1.0, r"\bsaid\s+to\s+(?:be|have)\b"),
    _rule("rumoured", 1.0, r"\brumou?r(?:s|ed)?\b|\bspeculation\b"),
    _rule("rumoured", 1.0, r"\breports?\s+(?:that|of|by)\b"),
    _rule("rumoured", 1.0, r"\bsound(?:s|ed)?\s+out\b|\bapproach(?:es|ed)?\b"),
    _rule(
        "rumoured",
        1.0,
        r"\bpotential\s+(?:deal|bid|offer|sale|takeover|merger|acquisition)\b",
    ),
    _rule("rumoured", 1.0, r"\b(?:could|may|might)\s+(?:buy|acquire|sell|merge|bid)\b"),
)
_STAGE_RULE_SET = _RuleSet(_STAGE_RULES)

# Weak stage cues decide only when no rule above fired, mostly in headlines.
_WEAK_STAGE_RULES: tuple[_Rule, ...] = (
    _rule(
        "completed",
        1.0,
        r"\b(?:acquired|acquires|bought|buys|merged|divested|divests|completes|sells|sold|"
        r"offloads|offloaded|raises|raised|secures|secured|leads|backs|invests|invested|"
        r"closes|snapped\s+up|takes|took)\b",
    ),
    _rule(
        "announced",
        1.0,
        r"(?<=\bto\s)(?:buy|acquire|merge|sell|invest|form|list|take|spin|divest|raise|exit)\b|"
        r"\b(?:agrees?|forms?|lists|launch(?:es|ed)?|teams?\s+up|partners?\s+with|signs?|seeks?|"
        r"plans?|snaps\s+up)\b",
    ),
)
_WEAK_STAGE_RULE_SET = _RuleSet(_WEAK_STAGE_RULES)

_FUTURE = re.compile(
    r"(?:\b(?:could|would|may|might|expect(?:s|ed)?\s+to|expected|plan(?:s|ned)?\s+to|set\s+to|"
    r"to\s+be|will|shall|subject\s+to|pending|until|once|before|after|if|aims?\s+to|"
    r"hopes?\s+to|intends?\s+to|soon|yet\s+to|not|to|targeted|scheduled)\s+(?:[\w-]+\s+){0,2})$",
    re.IGNORECASE,
)

_MAJORITY = re.compile(
    r"\b(?:majority|controlling)\s+(?:stake|interest|holding|shareholding)\b", re.I
)
_STAKE_NOUN = "stake|interest|holding|shareholding|share"


class _Hit(NamedTuple):
    """A rule hit: its label and weight, its sentence and its span inside that sentence."""

    label: str
    weight: float
    sentence: int
    start: int
    end: int


class _Layout:
    """The title and the text's sentences as one numbered list of spans (0 is the title)."""

    def __init__(self, article: Article, matches: Sequence[Match]) -> None:
        self.title = article.title
        self.text = article.text
        # Sentences are split only as far as something asks for: most of a long article
        # lies beyond its lead and its last watched name.
        self._unsplit = iter_sentences(article.text)
        self._spans: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self.entity_sentences: set[int] = set()
        # Where watched entities sit inside each sentence, as offsets into that sentence.
        self.entity_offsets: dict[int, list[int]] = {}
        for match in matches:
            if match.field == "title":
                number, offset = 0, match.start
            else:
                number = self.sentence_of(match.start)
                offset = match.start - self._spans[number - 1][0]
            self.entity_sentences.add(number)
            self.entity_offsets.setdefault(number, []).append(offset)
        # What is read for the deal: the title, the lead paragraphs and the sentences
        # around watched entities; background further down costs time and adds noise.
        last = self.count_up_to(max([LEAD_SENTENCES, *self.entity_sentences]) + 1)
        read = {0, *range(1, min(last, LEAD_SENTENCES) + 1)}
        for number in self.entity_sentences:
            read.update(n for n in (number - 1, number, number + 1) if 1 <= n <= last)
        self.read = sorted(read)

    def __len__(self) -> int:
        return self.count_up_to(None) + 1

    @cached_property
    def lowered_text(self) -> str:
        """The whole text lower-cased, for the few tests that read all of it."""
        return self.text.lower()

    def _split_next(self) -> bool:
        span = next(self._unsplit, None)
        if span is None:
            return False
        self._spans.append(span)
        self._starts.append(span[0])
        return True

    def count_up_to(self, limit: int | None) -> int:
        """How many text sentences there are, counting no further than limit."""
        spans = self._spans
        if limit is None or len(spans) < limit:
            for span in self._unsplit:
                spans.append(span)
                self._starts.append(span[0])
                if limit is not None and len(spans) >= limit:
                    break
        return len(spans)

    def sentence_of(self, offset: int) -> int:
        """The sentence number of a text offset (1-based, 0 is the title)."""
        while (not self._starts or self._starts[-1] <= offset) and self._split_next():
            pass
        return max(1, bisect_right(self._starts, offset))

    def sentence(self, number: int) -> str:
        """The sentence with that number."""
        if number == 0:
            return self.title
        self.count_up_to(number)
        start, end = self._spans[number - 1]
        return self.text[start:end]

    def weight(self, number: int) -> float:
        """How much a trigger in this sentence counts."""
        if number == 0:
            return 2.0
        if number in self.entity_sentences:
            factor = 1.6
        elif number - 1 in self.entity_sentences or number + 1 in self.entity_sentences:
            factor = 1.2
        else:
            factor = 1.0
        return factor / (1.0 + 0.04 * (number - 1))

    def distance_to_entity(self, number: int) -> int:
        """Sentences between this one and the nearest one naming a watched entity."""
        if not self.entity_sentences:
            return number
        return min(abs(number - other) for other in self.entity_sentences)


_ASCII_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


class _Text:
    """Sentences joined into one string, with where every rule anchor starts a word."""

    def __init__(
        self,
        sentences: Sequence[tuple[int, str]],
        anchors: dict[str, list[int]] | None = None,
    ) -> None:
        self.numbers = [number for number, _ in sentences]
        self.values = [value for _, value in sentences]
        self._index = {number: index for index, number in enumerate(self.numbers)}
        self.starts: list[int] = []
        offset = 0
        for value in self.values:
            self.starts.append(offset)
            offset += len(value) + 1
        self.joined = "\n".join(self.values)
        # Lower-cased as each sentence would be on its own (for "contains" tests) ...
        self.full_lower = self.joined.lower()
        # ... and with offsets kept, for the anchors.
        self.lowered = self.full_lower
        if len(self.lowered) != len(self.joined):
            # Rare letters change length when lower-cased; offsets would drift.
            self.lowered = "".join(char.lower()[0] for char in self.joined)
        self.anchors = anchors if anchors is not None else self._find_anchors()

    def _find_anchors(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        lowered = self.lowered
        for end, (anchor, back) in _ANCHOR_AUTOMATON.iter(lowered):
            start = end - back
            if start:
                before = lowered[start - 1]
                # A set lookup settles ASCII; only other letters need isalnum.
                if before in _ASCII_WORD_CHARS or (before > "\x7f" and before.isalnum()):
                    continue
            positions = found.get(anchor)
            if positions is None:
                found[anchor] = [start]
            else:
                positions.append(start)
        return found

    def masked(self, spans: Sequence[tuple[int, int]]) -> _Text:
        """The same text with these joined-text spans blanked out (offsets kept)."""
        if not spans:
            return self
        chars = list(self.joined)
        for start, end in spans:
            chars[start:end] = " " * (end - start)
        joined = "".join(chars)
        values = joined.split("\n")
        if len(values) != len(self.numbers):
            return self
        return _Text(list(zip(self.numbers, values, strict=True)), self.anchors)

    def matches(self, rules: _RuleSet) -> list[tuple[_Rule, re.Match[str]]]:
        """What each rule's pattern.finditer(joined) finds, in rule order.

        A rule is tried only where one of its anchors starts a word, and only when some
        anchor of it occurs at all: most rules have none in a given article.
        """
        anchors = self.anchors
        by_anchor = rules.by_anchor
        present: dict[int, list[str]] = {}
        for anchor in anchors:
            for number in by_anchor.get(anchor, ()):
                present.setdefault(number, []).append(anchor)
        found: list[tuple[_Rule, re.Match[str]]] = []
        joined = self.joined
        for number in sorted(present):
            rule = rules.rules[number]
            names = present[number]
            if len(names) == 1:
                positions: Iterable[int] = anchors[names[0]]
            else:
                positions = sorted({position for name in names for position in anchors[name]})
            match = rule.pattern.match
            reached = 0
            for position in positions:
                if position < reached:
                    continue
                hit = match(joined, position)
                if hit is not None:
                    found.append((rule, hit))
                    reached = max(hit.end(), position + 1)
        return found

    def value(self, number: int) -> str:
        """The sentence with that number."""
        return self.values[self._index[number]]

    def sentence_matches(
        self, rule: _Rule, number: int, first_only: bool = False
    ) -> list[re.Match[str]]:
        """What rule.pattern.finditer(sentence) finds, tried only where an anchor starts."""
        index = self._index[number]
        value = self.values[index]
        base = self.starts[index]
        limit = base + len(value)
        anchors = self.anchors
        positions = sorted(
            {
                position - base
                for anchor in rule.anchors
                if anchor in anchors
                for position in anchors[anchor]
                if base <= position < limit
            }
        )
        found: list[re.Match[str]] = []
        reached = 0
        match = rule.pattern.match
        for position in positions:
            if position < reached:
                continue
            hit = match(value, position)
            if hit is not None:
                found.append(hit)
                if first_only:
                    break
                reached = max(hit.end(), position + 1)
        return found

    def hits(self, rules: _RuleSet, sentences: Iterable[int] | None = None) -> list[_Hit]:
        """Every rule hit, with offsets relative to its sentence, optionally in some sentences."""
        allowed = None if sentences is None else set(sentences)
        hits: list[_Hit] = []
        starts, numbers, values = self.starts, self.numbers, self.values
        for rule, found in self.matches(rules):
            index = bisect_right(starts, found.start()) - 1
            number = numbers[index]
            if allowed is not None and number not in allowed:
                continue
            start = found.start() - starts[index]
            end = found.end() - starts[index]
            if end > len(values[index]):
                continue
            hits.append(_Hit(rule.label, rule.weight, number, start, end))
        return hits


# ---------------------------------------------------------------------------
# Money

_SCALES: dict[str, int] = {
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "bln": 10**9,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "mio": 10**6,
    "thousand": 10**3,
    "k": 10**3,
    "crore": 10**7,
    "crores": 10**7,
    "cr": 10**7,
    "lakh": 10**5,
    "lakhs": 10**5,
}
_PREFIXES: dict[str, str] = {
    "US$": "USD",
    "U.S.$": "USD",
    "USD": "USD",
    "$": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "CAD": "CAD",
    "HK$": "HKD",
    "HKD": "HKD",
    "S$": "SGD",
    "SGD": "SGD",
    "NZ$": "NZD",
    "NZD": "NZD",
    "R$": "BRL",
    "BRL": "BRL",
    "NT$": "TWD",
    "TWD": "TWD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "¥": "JPY?",
    "JP¥": "JPY",
    "JPY": "JPY",
    "CN¥": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "₽": "RUB",
    "RUB": "RUB",
    "₹": "INR",
    "Rs.": "INR",
    "Rs": "INR",
    "INR": "INR",
    "₩": "KRW",
    "KRW": "KRW",
    "CHF": "CHF",
    "SEK": "SEK",
    "NOK": "NOK",
    "DKK": "DKK",
    "ZAR": "ZAR",
    "AED": "AED",
    "MAD": "MAD",
    "R": "ZAR?",
    "SAR": "SAR",
    "₺": "TRY",
    "TRY": "TRY",
    "MXN": "MXN",
    "PLN": "PLN",
    "₦": "NGN",
    "NGN": "NGN",
    "IDR": "IDR",
    "Rp": "IDR",
    "Mex$": "MXN",
    "MX$": "MXN",
    "₸": "KZT",
    "RM": "MYR",
    "KSh": "KES",
    "Ksh": "KES",
    "₱": "PHP",
    "฿": "THB",
    "₫": "VND",
    "₴": "UAH",
    "₪": "ILS",
    "E£": "EGP",
    "zł": "PLN",
    "Kč": "CZK",
    "FCFA": "CFA?",
    "CFA": "CFA?",
    # ISO 4217 codes written before the number ("XAF 18 billion"); codes that are also
    # English words (ALL, TOP, CUP, MOP) are left out.
    **{
        code: code
        for code in [
            "ARS",
            "BDT",
            "BGN",
            "CLP",
            "COP",
            "CZK",
            "EGP",
            "GHS",
            "HUF",
            "ILS",
            "ISK",
            "JOD",
            "KES",
            "KWD",
            "KZT",
            "LKR",
            "MYR",
            "NGN",
            "OMR",
            "PEN",
            "PHP",
            "PKR",
            "QAR",
            "RON",
            "RSD",
            "THB",
            "TND",
            "UAH",
            "UGX",
            "UZS",
            "VND",
            "XAF",
            "XOF",
            "TZS",
            "BHD",
            "GEL",
            "AMD",
            "AZN",
            "MNT",
        ]
    },
}
_SUFFIXES: dict[str, str] = {
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "american dollars": "USD",
    "australian dollars": "AUD",
    "canadian dollars": "CAD",
    "hong kong dollars": "HKD",
    "singapore dollars": "SGD",
    "new zealand dollars": "NZD",
    "taiwan dollars": "TWD",
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds sterling": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "roubles": "RUB",
    "rubles": "RUB",
    "rouble": "RUB",
    "ruble": "RUB",
    "won": "KRW",
    "rupees": "INR",
    "rupee": "INR",
    "swiss francs": "CHF",
    "francs": "CHF",
    "reais": "BRL",
    "rand": "ZAR",
    "dirhams": "AED?",
    "dirham": "AED?",
    "riyals": "SAR",
    "lira": "TRY",
    "naira": "NGN",
    "rupiah": "IDR",
    "tenge": "KZT",
    "zlotys": "PLN",
    "zloty": "PLN",
    "zlotych": "PLN",
    "ringgit": "MYR",
    "korunas": "CZK",
    "koruna": "CZK",
    "czech crowns": "CZK",
    "czech korunas": "CZK",
    "kenyan shillings": "KES",
    "ugandan shillings": "UGX",
    "tanzanian shillings": "TZS",
    "forints": "HUF",
    "forint": "HUF",
    "lei": "RON",
    "hryvnias": "UAH",
    "hryvnia": "UAH",
    "shekels": "ILS",
    "baht": "THB",
    "pesos": "PESO?",
    "mexican pesos": "MXN",
    "chilean pesos": "CLP",
    "argentine pesos": "ARS",
    "colombian pesos": "COP",
    "philippine pesos": "PHP",
    "kronor": "SEK",
    "swedish kronor": "SEK",
    "swedish crowns": "SEK",
    "norwegian kroner": "NOK",
    "norwegian crowns": "NOK",
    "danish kroner": "DKK",
    "danish crowns": "DKK",
    "kroner": "KRONER?",
    "cfa francs": "CFA?",
    "egyptian pounds": "EGP",
    "cedis": "GHS",
    "soles": "PEN",
    "qatari riyals": "QAR",
    "saudi riyals": "SAR",
    "emirati dirhams": "AED",
    "uae dirhams": "AED",
    "moroccan dirhams": "MAD",
    "turkish lira": "TRY",
    "lire": "TRY",
    **{code.lower(): code for code in set(_PREFIXES.values()) if not code.endswith("?")},
    "rmb": "CNY",
}


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# The leading digit class lets ``re`` skip to digits (same matches as
# ``\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?``).
_NUMBER = re.compile(r"\d(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)")
_PREFIX_BEFORE = re.compile(r"(?<![A-Za-z])(?P<pre>" + _alternation(list(_PREFIXES)) + r")\s{0,2}$")
_AFTER_NUMBER = re.compile(
    r"(?:\s{0,4}(?P<scale>" + _alternation(list(_SCALES)) + r")\b\.?)?"
    r"(?:\s+(?P<post>(?i:" + _alternation(list(_SUFFIXES)) + r"))\b)?"
)
# An ambiguous sign or currency name ("¥", "R", dirhams, pesos, kroner, CFA francs) means
# the currency of the country the article names most; when it names none, the default
# (None: not money). Ties go to the first currency listed.
_AMBIGUOUS: dict[str, tuple[dict[str, re.Pattern[str]], str | None]] = {
    "JPY?": ({"CNY": re.compile(r"\b(?:yuan|RMB|CNY|renminbi)\b", re.I)}, "JPY"),
    "AED?": (
        {
            "AED": re.compile(r"\b(?:UAE|U\.A\.E|Emirat\w*|Dubai|Abu\s+Dhabi|Sharjah)\b", re.I),
            "MAD": re.compile(
                r"\b(?:Morocc\w*|Casablanca|Rabat|Marrakesh|Marrakech|Tangier)\b", re.I
            ),
        },
        "AED",
    ),
    "ZAR?": (
        {
            "ZAR": re.compile(
                r"\b(?:South\s+Africa\w*|Johannesburg|JSE|Cape\s+Town|Durban|Pretoria|rand)\b",
                re.I,
            )
        },
        None,
    ),
    "PESO?": (
        {
            "MXN": re.compile(r"\b(?:Mexic\w*|Monterrey|Guadalajara|Sinaloa|Jalisco|BMV)\b", re.I),
            "CLP": re.compile(r"\b(?:Chile\w*|Santiago|Valpara[ií]so)\b", re.I),
            "ARS": re.compile(r"\b(?:Argentin\w*|Buenos\s+Aires|C[oó]rdoba)\b", re.I),
            "COP": re.compile(r"\b(?:Colombia\w*|Bogot[aá]|Medell[ií]n)\b", re.I),
            "PHP": re.compile(r"\b(?:Philippin\w*|Filipino|Manila|Makati|Cebu)\b", re.I),
        },
        None,
    ),
    "KRONER?": (
        {
            "NOK": re.compile(r"\b(?:Norw\w*|Oslo|Bergen|Stavanger)\b", re.I),
            "DKK": re.compile(r"\b(?:Denmark|Danish|Copenhagen|Aarhus)\b", re.I),
        },
        None,
    ),
    "CFA?": (
        {
            "XAF": re.compile(
                r"\b(?:Cameroon\w*|Gabon\w*|Chad\w*|Congo\w*|Central\s+Africa\w*|Equatorial\s+"
                r"Guinea|Douala|Yaound[eé]|Libreville|Brazzaville|N'Djamena|CEMAC|BEAC)\b",
                re.I,
            ),
            "XOF": re.compile(
                r"\b(?:Senegal\w*|Ivor\w*|C[oô]te\s+d.Ivoire|Mali\w*|Burkina|Niger\b|Benin\w*|"
                r"Togo\w*|Dakar|Abidjan|Bamako|Ouagadougou|Lom[eé]|UEMOA|BCEAO)\b",
                re.I,
            ),
        },
        None,
    ),
}


class _Currencies:
    """What an ambiguous sign means in one article, worked out only when it occurs."""

    def __init__(self, title: str, text: str) -> None:
        self._sources = (title, text)
        self._resolved: dict[str, str | None] = {}

    def resolve(self, currency: str) -> str | None:
        """The ISO code of a currency that may be ambiguous (marked with "?")."""
        if not currency.endswith("?"):
            return currency
        if currency not in self._resolved:
            self._resolved[currency] = self._most_named(*_AMBIGUOUS[currency])
        return self._resolved[currency]

    def _most_named(self, hints: dict[str, re.Pattern[str]], default: str | None) -> str | None:
        counts = {
            code: sum(len(pattern.findall(source)) for source in self._sources)
            for code, pattern in hints.items()
        }
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] else default


_PER_SHARE = re.compile(r"^\s*(?:a|per|each)\s+(?:share|unit|ADS)\b|^\s*/\s*share", re.IGNORECASE)
_RESULTS_WORDS = re.compile(
    r"\b(?:revenues?|sales|profits?|earnings|income|turnover|ebitda|loss|losses|debt|"
    r"market\s+(?:value|capitalisation|capitalization|cap)|assets\s+under\s+management|"
    r"annual|per\s+year|budget|fine|salary|bonus|overseeing|oversees|manages|"
    r"managing)\b",
    re.IGNORECASE,
)
_DEAL_CONTEXT = re.compile(
    r"\b(?:deal|transaction|valu(?:e|ed|ing|ation)|worth|price[sd]?|consideration|offer|bid|"
    r"sum|paid|pay|pays|paying|cash|funding|raise[sd]?|raising|round|invest(?:s|ed|ing|ment)?|"
    r"stake|acqui\w*|buy\w*|bought|sell\w*|sold|sale|merg\w*|takeover|ipo|offering|listing|"
    r"venture|inject\w*|capital|for)\b",
    re.IGNORECASE,
)
_UNDISCLOSED = re.compile(
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
_STAKE = re.compile(
    # \d\d* rather than \d+: a leading digit class lets ``re`` skip ahead to digits.
    r"(?P<num>\d\d*(?:\.\d+)?)\s?(?:%|per\s?cent\b|percent\b|pct\b)"
    r"(?P<noun>\s+(?:(?:minority|majority|controlling|equity|economic|voting|direct|indirect|"
    r"further|additional|remaining)\s+){0,2}(?:" + _STAKE_NOUN + r"|majority)s?\b)?",
    re.IGNORECASE,
)
_ARTICLE_BEFORE = re.compile(r"\b(?:an?)\s+$", re.IGNORECASE)
_STAKE_VERB_BEFORE = re.compile(
    r"\b(?:buy|buys|bought|buying|acquire[sd]?|acquiring|sell|sells|sold|selling|take[sn]?|took|"
    r"taking|hold[s]?|held|holding|own[s]?|owned|owning|purchase[sd]?|divest(?:s|ed)?|"
    r"increase[sd]?|raise[sd]?|cut|reduce[sd]?|retain[s]?|keep[s]?)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _money_value(number: str, scale: str | None) -> float | None:
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    if scale:
        value *= _SCALES[scale.lower().rstrip(".")]
    return float(value)


_PREFIX_FINALS = frozenset(prefix[-1] for prefix in _PREFIXES)
_SCALE_INITIALS = frozenset(scale[0] for scale in _SCALES)


def _may_end_prefix(value: str, start: int) -> bool:
    """Whether a currency prefix can end right before start (up to two spaces between)."""
    position = start
    for _ in range(3):
        if position == 0:
            return False
        char = value[position - 1]
        if char in _PREFIX_FINALS:
            return True
        if not char.isspace():
            return False
        position -= 1
    return False


def _scan_amounts(value: str, currencies: _Currencies) -> list[tuple[int, int, Amount, bool]]:
    found: list[tuple[int, int, Amount, bool]] = []
    length = len(value)
    for number in _NUMBER.finditer(value):
        if number.start() and value[number.start() - 1] in ".,":
            continue
        # Most numbers are years, dates and percentages: when no currency prefix can end
        # just before the number and no scale or currency word can follow it, skip it.
        following = value[number.end()] if number.end() < length else ""
        if not _may_end_prefix(value, number.start()) and not (
            following.isspace() or (following and following in _SCALE_INITIALS)
        ):
            continue
        before = _PREFIX_BEFORE.search(value, max(0, number.start() - 8), number.start())
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
        marked = _PREFIXES[prefix] if prefix else _SUFFIXES[str(post).lower()]
        resolved = currencies.resolve(marked)
        if resolved is None:
            continue
        currency = resolved
        if prefix and post and _SUFFIXES.get(post.lower()) not in {None, marked, currency}:
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


_NOT_DEAL_AFTER = re.compile(
    r"^\s+(?:(?:in|of)\s+(?:annual\s+|yearly\s+|quarterly\s+)?(?:revenue|sales|profit|earnings|"
    r"turnover|assets)|(?:of\s+)?(?:assets\s+)?under\s+management|available|in\s+cash\s+and|"
    r"a\s+year|per\s+year|annually)\b",
    re.IGNORECASE,
)


def _is_deal_money(sentence: str, start: int, end: int, amount: Amount, has_scale: bool) -> bool:
    if not has_scale and amount.value < 100_000:
        return False
    if _PER_SHARE.match(sentence[end : end + 20]):
        return False
    before = sentence[max(0, start - 45) : start]
    last_results = max((found.end() for found in _RESULTS_WORDS.finditer(before)), default=-1)
    # "sales of $9bn" is not the deal; "revenue, is valued at $2bn" still is.
    if last_results >= 0 and not _DEAL_CONTEXT.search(before[last_results:].replace(" of ", " ")):
        return False
    return not _NOT_DEAL_AFTER.match(sentence[end : end + 40])


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
_FRACTION = re.compile(
    r"\b(?P<frac>"
    + "|".join(re.escape(word) for word in sorted(_FRACTIONS, key=len, reverse=True))
    + r")"
    r"\s+of\b",
    re.IGNORECASE,
)


# Ownership verbs right before a bare percentage ("will own 60%", "hold about 49%").
_OWN_VERB_BEFORE = re.compile(
    r"\b(?:hold|holds|held|own|owns|owned|control|controls|controlled|take|takes|took|get|gets|"
    r"receive|receives|have|has)\s+"
    r"(?:(?:about|around|roughly|nearly|almost|some|just|over|under|the|a|remaining|other)\s+)"
    r"{0,2}$",
    re.IGNORECASE,
)
# What may follow such a percentage: a clause end or a preposition, not a noun ("60% more").
_BARE_STAKE_AFTER = re.compile(
    r"\s*(?:[.,;:)]|$)|\s+(?:from|in|to|with|each|respectively|and|while|for|after|under|at|"
    r"through|via|between)\b",
    re.IGNORECASE,
)
# "raised its holding in Fabrikam to 29%", "a shareholding of 15%", "the remaining 35%";
# a holding cut to a rump ("cutting its holding to 2%") is what is left, not the deal.
_STAKE_NOUN_BEFORE = re.compile(
    r"(?:\b(?:rais|increas|lift|boost|expand|doubl|up)\w*\s+(?:its|their|the|his|her)\s+"
    r"(?:[\w-]+\s+)?(?:stake|holding|shareholding|interest|ownership)s?\b[^.;%]{0,100}?\bto|"
    r"\b(?:stake|holding|shareholding|interest|ownership)s?\s+(?:of|at)|\bremaining)\s+"
    r"(?:(?:about|around|roughly|nearly|almost|some)\s+)?$",
    re.IGNORECASE,
)
# The second share of a split stated once: "will hold 49% and its partner 51%".
# What a seller keeps ("and will keep 30%") is not part of the deal.
_ELLIPTICAL_BEFORE = re.compile(
    r"\b(?:and|while|with)\s+(?:(?!(?:keep|keeps|kept|retain\w*|remain\w*)\b)[\w'’-]+\s+)"
    r"{0,4}$",
    re.IGNORECASE,
)
# An equal split: "a 50-50 venture", "on a 50/50 basis".
_EQUAL_SPLIT = re.compile(r"(?<![\d.])50\s?[-/:]\s?50(?![\d.%])")


# "pay €620m for 35 per cent of", "spending C$1.26 billion on 30 per cent of".
_PAYING_FOR_BEFORE = re.compile(
    r"\b(?:pa(?:y|ys|id|ying)|spen(?:d|ds|t|ding)|invest(?:s|ed|ing)?)\s+(?:\S+\s+){1,4}?"
    r"(?:for|on|in)\s+$",
    re.IGNORECASE,
)


def _is_bare_stake(value: str, hit: re.Match[str], found_before: bool) -> bool:
    """Whether a percentage with no stake noun after it is still a share of a company."""
    before = value[max(0, hit.start() - 160) : hit.start()]
    after = value[hit.end() : hit.end() + 16]
    if _STAKE_NOUN_BEFORE.search(before):
        return True
    if after.startswith(" of "):
        return bool(
            _STAKE_VERB_BEFORE.search(before[-40:]) or _PAYING_FOR_BEFORE.search(before[-60:])
        )
    if not _BARE_STAKE_AFTER.match(after):
        return False
    near = before[-60:]
    return bool(_OWN_VERB_BEFORE.search(near) or (found_before and _ELLIPTICAL_BEFORE.search(near)))


def _scan_stakes(value: str) -> list[Stake]:
    stakes: list[Stake] = []
    lowered = value.lower()
    has_percent = "%" in value or "cent" in lowered or "pct" in lowered
    for hit in _STAKE.finditer(value) if has_percent else ():
        if hit.group("noun") is None:
            if not _is_bare_stake(value, hit, bool(stakes)):
                continue
            text = hit.group(0)
        else:
            # "a 25% stake" keeps its article; a bare "25 per cent" stays bare.
            article = _ARTICLE_BEFORE.search(value, max(0, hit.start() - 4), hit.start())
            text = value[article.start() if article else hit.start() : hit.end()]
        stakes.append(Stake(float(Decimal(hit.group("num"))), text.strip()))
    if "50" in value:
        for hit in _EQUAL_SPLIT.finditer(value):
            if all(stake.percent != 50.0 for stake in stakes):
                stakes.append(Stake(50.0, hit.group(0)))
    if " of" not in lowered or not any(word in lowered for word in _FRACTION_WORDS):
        return stakes
    for hit in _FRACTION.finditer(value):
        if _STAKE_VERB_BEFORE.search(value[max(0, hit.start() - 40) : hit.start()]) or re.search(
            r"\b(?:for|of|sale\s+of|purchase\s+of)\s+$",
            value[max(0, hit.start() - 20) : hit.start()],
        ):
            frac = hit.group("frac")
            stakes.append(Stake(_FRACTIONS[frac.lower()], frac))
    return stakes


# ---------------------------------------------------------------------------
# Parties

# Name patterns start with a capital letter class (the word boundary checked just after it)
# so that ``re`` skips ahead to capitals instead of trying every position.
_SUFFIX_NAME = re.compile(
    r"([A-Z](?<!\w.)[\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4}?,?\s+"
    r"(?:Inc|Corp|Corporation|Ltd|Limited|LLC|LLP|plc|PLC|AG|SA|S\.A|NV|N\.V|SE|SpA|GmbH|"
    r"Group|Holdings|Holding|Co|Company|Capital|Partners|Technologies|Bank|Ventures|Fund|"
    r"Industries|Motors|Systems|Pharmaceuticals|Therapeutics|Labs|Airlines|Energy)\b\.?)"
)
_OBJECT_VERBS = (
    r"\b(?:acquire[sd]?|acquiring|buy|buys|buying|bought|merge\s+with|merger\s+with|"
    r"merging\s+with|takeover\s+of|acquisition\s+of|stake\s+in|invest\s+in|invests\s+in|"
    r"invested\s+in|investment\s+in|joint\s+venture\s+with|partnership\s+with|"
    r"partner(?:s|ed)?\s+with|team(?:s|ed)?\s+up\s+with|deal\s+with|bid\s+for|offer\s+for|"
    r"sale\s+of\s+\w+\s+to|sell\s+\w+\s+to|sold\s+\w+\s+to|by)"
)
_VERB_OBJECT = re.compile(
    r"(?i:" + _OBJECT_VERBS + r")\s+"
    r"((?:[A-Z][\w&'’.-]*)(?:\s+(?:[A-Z][\w&'’.-]*|&|of|de|and(?=\s+[A-Z])))*)"
)
# The verb starts every match: tried only where the anchor automaton found one.
_VERB_OBJECT_RULE = _Rule("party", 0.0, _VERB_OBJECT, _anchors(_OBJECT_VERBS, short_words=True))
_SUBJECT_VERB = re.compile(
    r"([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3})\s+"
    r"(?i:(?:has\s+|have\s+)?agreed\s+to|agrees\s+to|is\s+to|will|to|has\s+acquired|acquired|"
    r"bought|is\s+buying)\s+(?i:buy|acquire|merge|sell|invest|take|pay|form|partner)?"
)
_NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "It",
        "Its",
        "This",
        "That",
        "These",
        "Those",
        "He",
        "She",
        "They",
        "We",
        "Our",
        "Their",
        "His",
        "Her",
        "Shares",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "US",
        "U.S.",
        "UK",
        "EU",
        "CEO",
        "Chief",
        "Chinese",
        "Russian",
        "American",
        "British",
        "German",
        "French",
        "Japanese",
        "Korean",
        "Indian",
        "European",
        "Asian",
        "In",
        "On",
        "At",
        "For",
        "With",
        "From",
        "By",
        "And",
        "But",
        "Under",
        "After",
        "Before",
        "Last",
        "Next",
        "New",
        "Both",
        "Series",
        "IPO",
        "Reuters",
        "Bloomberg",
        "According",
        "Analysts",
        "Investors",
        "Sources",
        "Officials",
        "Executive",
        "President",
    ]
)


_MODIFIER_AFTER = re.compile(
    r"[\s-]+(?!(?:for|in|on|at|to|from|with|by|as|and|or|of|after|before|said|says|which|"
    r"that|who|is|was|will|would|has|had|have|in|over|under|earlier|last|this|next|amid|"
    r"including|plus|from|through|via|since|until|into)\b)[a-z]"
)


def _clean_name(candidate: str) -> str:
    words = candidate.replace(",", " ").split()
    while words and words[0] in _NOT_NAMES:
        words.pop(0)
    while words and words[-1] in {"of", "de", "and", "&"}:
        words.pop()
    name = " ".join(words).strip(" .,'’")
    for possessive in ("'s", "’s"):
        name = name.removesuffix(possessive)
    return name


def _find_parties(
    text: _Text, sentences: Sequence[int], watched: Sequence[str], aliases: set[str]
) -> list[str]:
    parties = list(watched)
    known = {name.lower() for name in watched} | aliases
    for number in sentences:
        value = text.value(number)
        candidates: list[tuple[int, str]] = []
        for pattern, hits in (
            (_SUFFIX_NAME, _SUFFIX_NAME.finditer(value)),
            (_VERB_OBJECT, text.sentence_matches(_VERB_OBJECT_RULE, number)),
            (_SUBJECT_VERB, _SUBJECT_VERB.finditer(value)),
        ):
            for hit in hits:
                if pattern is not _SUFFIX_NAME and _MODIFIER_AFTER.match(value, hit.end(1)):
                    # "Swiss voice AI firm", "Thai conglomerate": an adjective, not a name.
                    continue
                candidates.append((hit.start(1), hit.group(1)))
        for _, candidate in sorted(candidates, key=lambda item: (item[0], -len(item[1]))):
            name = _clean_name(candidate)
            lowered = name.lower()
            if len(name) < 2 or name in _NOT_NAMES or lowered in known:
                continue
            if any(lowered in other or other in lowered for other in known):
                continue
            known.add(lowered)
            parties.append(name)
    return parties


# ---------------------------------------------------------------------------
# Summary


def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """Text with white space collapsed, cut at a word boundary with "…" beyond limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    boundary = cut.rfind(" ")
    if boundary <= 0:
        return text[: limit - len(ELLIPSIS)] + ELLIPSIS
    return cut[:boundary].rstrip(" ,;:-–—") + ELLIPSIS


def _summarise(layout: _Layout, centre: int | None) -> str:
    if not layout.count_up_to(1):
        return shorten(layout.title)
    if centre is None or centre == 0:
        centre = min((n for n in layout.entity_sentences if n > 0), default=1)
    first = " ".join(layout.sentence(centre).split())
    if centre < layout.count_up_to(centre + 1):
        second = " ".join(layout.sentence(centre + 1).split())
        if len(first) + 1 + len(second) <= SUMMARY_LIMIT:
            return f"{first} {second}"
    return shorten(first)


# ---------------------------------------------------------------------------
# Putting it together


# A deal still waiting for approval or closing has been announced, not completed.
_PENDING = re.compile(
    r"\b(?:approvals?|clearances?|consents?)\s+(?:is|are)\s+(?:still\s+)?(?:expected|needed|"
    r"required|pending)\b|\b(?:needs|requires|awaits|awaiting|pending|subject\s+to)\s+"
    r"(?:[\w-]+\s+){0,2}(?:approvals?|clearances?|consents?)\b|\bmust\s+(?:\w+\s+)?approve\b|"
    r"\bexpected\s+to\s+(?:close|complete)\b|\byet\s+to\s+(?:close|complete)\b",
    re.IGNORECASE,
)
# Every match of _PENDING contains one of these; without them the text needs no search.
_PENDING_LITERALS = ("approv", "clearance", "consent", "expected", "yet")


def _contains_any(lowered: str, literals: Iterable[str]) -> bool:
    """Whether lower-cased text contains one of the literals a pattern cannot match without."""
    return any(literal in lowered for literal in literals)


# "is in advanced talks": the deal is still being negotiated, whatever else is announced.
_ONGOING_TALKS = re.compile(
    r"\b(?:is|are|remains?|now)\s+(?:now\s+|still\s+)?in\s+(?:[\w-]+\s+){0,2}?"
    r"(?:talks|negotiations|discussions)\b",
    re.IGNORECASE,
)
_TALKS_LITERALS = ("talks", "negotiations", "discussions")


def _talks_ongoing(sentence: str) -> bool:
    """Whether the sentence says talks are going on now ("is in talks to buy")."""
    lowered = sentence.lower()
    return _contains_any(lowered, _TALKS_LITERALS) and bool(_ONGOING_TALKS.search(sentence))


def _choose_stage(text: _Text, primary: Sequence[int], secondary: Sequence[int]) -> str:
    scope = [*primary, *secondary]
    sentence_of = dict(zip(text.numbers, text.values, strict=True))
    stage_hits = text.hits(_STAGE_RULE_SET, scope)
    for tier in (set(primary), set(secondary)):
        best = ""
        # Confirming talks, or a deal that "will" follow them, is not an agreed deal.
        talking = any(_talks_ongoing(sentence_of[number]) for number in tier)
        for hit in (hit for hit in stage_hits if hit.sentence in tier):
            if talking and hit.label == "announced":
                continue
            if hit.label in {"completed", "announced"}:
                before = sentence_of[hit.sentence][max(0, hit.start - 40) : hit.start]
                if _FUTURE.search(before):
                    continue
            if STAGE_ORDER[hit.label] > STAGE_ORDER[best]:
                best = hit.label
        if best:
            return best
    weak = text.hits(_WEAK_STAGE_RULE_SET, scope)
    if weak:
        weak.sort(key=lambda hit: (scope.index(hit.sentence), -STAGE_ORDER[hit.label]))
        return weak[0].label
    return ""


def _confidence(scores: dict[str, float], winner: str) -> float:
    top = scores[winner]
    runner_up = max((score for label, score in scores.items() if label != winner), default=0.0)
    strength = 1.0 - exp(-top / 6.0)
    margin = max(0.0, top - runner_up) / top if top else 0.0
    return round(min(0.99, strength * (0.55 + 0.45 * margin)), 2)


_SELL_WORDS = re.compile(
    r"\b(?:sell|sells|selling|sold|sale|offload\w*|divest\w*|exit|exits|exiting|dispos\w*)\b",
    re.IGNORECASE,
)
_STAKE_IN = re.compile(r"\bstakes?\s+in\b", re.IGNORECASE)
_BUYER_AFTER = re.compile(r"\b(?:to|by)\s+(?:the\s+)?$", re.IGNORECASE)


_STAKE_WORD = re.compile(r"\bstakes?\b", re.IGNORECASE)


def _stake_context(value: str, stakes: Sequence[Stake]) -> str | None:
    """Who a stake sentence is about: a seller, a majority buyer or a minority investor."""
    if not stakes and ("stake" not in value.lower() or not _STAKE_WORD.search(value)):
        return None
    if _SELL_WORDS.search(value):
        return "divestment"
    if _MAJORITY.search(value) or any(stake.percent >= 50 for stake in stakes):
        return "acquisition"
    return "investment"


def _relabel(hit: _Hit, value: str, context: str | None, layout: _Layout) -> str:
    """The deal type a hit stands for once the sentence's stake and roles are known."""
    label = hit.label
    if label == "stake":
        return context or "investment"
    if context == "investment" and label == "acquisition":
        return "investment"
    if context and label == "joint_venture":
        stake_in = _STAKE_IN.search(value)
        if stake_in and stake_in.start() < hit.start:
            return context
    if label == "divestment":
        # "sale of Dewlab to L'Oréal": the watched entity is the buyer, not the seller.
        offsets = layout.entity_offsets.get(hit.sentence, [])
        seller_named = any(offset < hit.start for offset in offsets)
        buyer_named = any(
            hit.end < offset <= hit.end + 120
            and _BUYER_AFTER.search(value[max(hit.end, offset - 12) : offset])
            for offset in offsets
        )
        if buyer_named and not seller_named:
            # The watched buyer takes a minority stake (an investment) or the whole thing.
            minority_stake = "stake" in value.lower() and not _MAJORITY.search(value)
            return "investment" if minority_stake else "acquisition"
    return label


# "Contoso's $2bn acquisition", "Contoso's purchase of": the deal is the subject.
_POSSESSIVE_BEFORE = re.compile(r"\w['’]s\s+(?:[^\s]+\s+){0,2}$")
_DEAL_NOUN = re.compile(
    r"(?:acquisitions?|take-?overs?|purchase|buy-?outs?|mergers?|investments?|ipos?|listing|"
    r"flotation|partnerships?|alliances?|joint[- ]ventures?|spin-?offs?|sale\s+of|divestment)$",
    re.IGNORECASE,
)
POSSESSIVE_FACTOR = 2.0
# "in a separate deal", "separately", "unrelated": a side mention, not the news.
_SIDE_NOTE = re.compile(
    r"\b(?:separate(?:ly)?|unrelated|in\s+(?:an)?other\s+(?:deal|transaction|move))\b",
    re.IGNORECASE,
)
SIDE_NOTE_FACTOR = 0.35


def _framing_factor(value: str, hit: _Hit, side_notes: dict[int, bool]) -> float:
    """How much a deal hit's framing adds (a possessive lead) or takes (a side note)."""
    factor = 1.0
    if (
        hit.start
        and value[hit.start - 1] == " "
        and _DEAL_NOUN.match(value, hit.start, hit.end)
        and _POSSESSIVE_BEFORE.search(value, max(0, hit.start - 40), hit.start)
    ):
        factor *= POSSESSIVE_FACTOR
    side_note = side_notes.get(hit.sentence)
    if side_note is None:
        lowered = value.lower()
        side_note = "separate" in lowered or "unrelated" in lowered or "other" in lowered
        side_note = side_note and bool(_SIDE_NOTE.search(value))
        side_notes[hit.sentence] = side_note
    if side_note:
        factor *= SIDE_NOTE_FACTOR
    return factor


def analyse_deal(article: Article, matches: Sequence[Match]) -> Deal:
    """What the article says about a deal involving the matched entities."""
    layout = _Layout(article, matches)
    plain = _Text([(number, layout.sentence(number)) for number in layout.read])
    masked = plain.masked(
        [(found.start(), found.end()) for _, found in plain.matches(_MASK_RULE_SET)]
    )
    texts = list(zip(masked.numbers, masked.values, strict=True))
    sentence_text = dict(texts)
    watched = list(dict.fromkeys(match.entity for match in matches))
    aliases = {match.alias.lower() for match in matches} | {match.text.lower() for match in matches}

    # Without a percentage or a fraction anywhere no sentence has a stake, and without
    # the word "stake" only sentences with stakes have a stake context.
    lowered = masked.full_lower
    may_have_stakes = (
        "%" in lowered
        or "50" in lowered
        or "cent" in lowered
        or "pct" in lowered
        or (" of" in lowered and any(word in lowered for word in _FRACTION_WORDS))
    )
    stakes_by_sentence = {
        number: _scan_stakes(value) if may_have_stakes else [] for number, value in texts
    }
    # An equal split says who owns a venture, not who buys or sells: it types nothing.
    typing_stakes = {
        number: [stake for stake in stakes if not _EQUAL_SPLIT.fullmatch(stake.text)]
        for number, stakes in stakes_by_sentence.items()
    }
    names_stakes = "stake" in lowered
    contexts = {
        number: _stake_context(value, typing_stakes[number])
        if names_stakes or typing_stakes[number]
        else None
        for number, value in texts
    }
    hits: list[_Hit] = []
    side_notes: dict[int, bool] = {}
    for hit in masked.hits(_TYPE_RULE_SET):
        value = sentence_text[hit.sentence]
        label = _relabel(hit, value, contexts[hit.sentence], layout)
        weight = hit.weight
        if label != "none":
            weight *= _framing_factor(value, hit, side_notes)
        hits.append(_Hit(label, weight, hit.sentence, hit.start, hit.end))
    for number, stakes in typing_stakes.items():
        if stakes and contexts[number]:
            value = sentence_text[number]
            start = value.find(stakes[0].text)
            stake_hit = _Hit(
                "stake", 2.5, number, max(start, 0), max(start, 0) + len(stakes[0].text)
            )
            hits.append(
                _Hit(
                    _relabel(stake_hit, value, contexts[number], layout),
                    2.5,
                    number,
                    stake_hit.start,
                    stake_hit.end,
                )
            )
    scores: dict[str, float] = {}
    for hit in hits:
        scores[hit.label] = scores.get(hit.label, 0.0) + hit.weight * layout.weight(hit.sentence)

    deal_scores = {label: score for label, score in scores.items() if label != "none"}
    winner = max(deal_scores, key=lambda label: deal_scores[label], default="none")
    top = deal_scores.get(winner, 0.0)
    if top < MIN_DEAL_SCORE or top <= scores.get("none", 0.0):
        return _no_deal(layout, watched, scores, top)

    winning = [hit for hit in hits if hit.label == winner]
    sentence_scores: dict[int, float] = {}
    for hit in winning:
        sentence_scores[hit.sentence] = sentence_scores.get(hit.sentence, 0.0) + (
            hit.weight * layout.weight(hit.sentence)
        )
    best_hit = max(
        winning,
        key=lambda hit: (
            hit.weight * layout.weight(hit.sentence),
            -layout.distance_to_entity(hit.sentence),
            -hit.sentence,
        ),
    )
    trigger_text = sentence_text[best_hit.sentence][best_hit.start : best_hit.end]
    ranked_sentences = sorted(
        sentence_scores,
        key=lambda n: (-sentence_scores[n], layout.distance_to_entity(n), n),
    )
    deal_sentences = sorted(n for n in ranked_sentences[:4] if n != 0)[:3]
    scope = [0, *deal_sentences]
    # The title and the first deal sentence (the news lead) speak for the deal now.
    stage = _choose_stage(masked, scope[:2], scope[2:])
    if (
        stage == "completed"
        and _contains_any(layout.lowered_text, _PENDING_LITERALS)
        and any(_PENDING.search(layout.sentence(number)) for number in range(1, len(layout)))
    ):
        stage = "announced"

    any_deal_sentences = {hit.sentence for hit in hits if hit.label != "none"}
    amounts, undisclosed = _deal_amounts(plain, any_deal_sentences, article, layout, winner)
    deal_stakes: list[Stake] = []
    for number in [*sorted(any_deal_sentences - {0}), 0]:
        for stake in stakes_by_sentence.get(number, []):
            if all(stake.percent != seen.percent for seen in deal_stakes):
                deal_stakes.append(stake)

    parties = _find_parties(plain, scope, watched, aliases)
    text_centre = min(
        (n for n in ranked_sentences if n != 0),
        key=lambda n: (layout.distance_to_entity(n) > 0, -sentence_scores[n], n),
        default=None,
    )
    return Deal(
        type=cast(DealType, winner),
        stage=cast(Stage, stage),
        confidence=_confidence(deal_scores | {"none": scores.get("none", 0.0)}, winner),
        trigger=trigger_text,
        amounts=tuple(amounts),
        stakes=tuple(deal_stakes),
        undisclosed=undisclosed and not amounts,
        parties=tuple(parties),
        summary=_summarise(layout, text_centre),
    )


def _no_deal(layout: _Layout, watched: list[str], scores: dict[str, float], top: float) -> Deal:
    none_score = scores.get("none", 0.0)
    confidence = 0.5 + 0.45 * (1.0 - exp(-(none_score + max(0.0, MIN_DEAL_SCORE - top)) / 4.0))
    return Deal(
        type="none",
        stage="",
        confidence=round(min(0.99, confidence), 2),
        parties=tuple(watched),
        summary=_summarise(layout, None),
    )


_VALUATION_BEFORE = re.compile(r"\bvalu(?:e|es|ed|ing|ation)\b", re.IGNORECASE)
_VALUATION_AFTER = re.compile(r"^\s*(?:pre-money\s+|post-money\s+)?valuation\b", re.IGNORECASE)
_UNDISCLOSED_CONTEXT = re.compile(
    r"\b(?:terms|price|sum|amount|value|valuation|size|financial|details|figure|deal|"
    r"transaction|consideration|investment|stake|paid|undisclosed|cost|costs|much|giving)\b",
    re.IGNORECASE,
)
# Types whose articles also quote what the whole company is worth, which is not the deal.
_VALUATION_TYPES = frozenset({"funding_round", "investment", "ipo"})


_DIGIT = re.compile(r"\d")
_DEAL_CONTEXT_RULE = _Rule("deal_context", 0.0, _DEAL_CONTEXT, _anchors(_DEAL_CONTEXT.pattern))
_RESULTS_WORDS_RULE = _Rule("results", 0.0, _RESULTS_WORDS, _anchors(_RESULTS_WORDS.pattern))
_UNDISCLOSED_RULES = _RuleSet(
    [_Rule("undisclosed", 0.0, _UNDISCLOSED, _anchors(_UNDISCLOSED.pattern))]
)


def _deal_amounts(
    text: _Text, deal_sentences: set[int], article: Article, layout: _Layout, deal_type: str
) -> tuple[list[Amount], bool]:
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
    currencies = _Currencies(article.title, article.text)
    for number in sorted(with_money, key=lambda number: number == 0):
        value = with_money[number]
        if number not in deal_sentences and (
            not text.sentence_matches(_DEAL_CONTEXT_RULE, number, first_only=True)
            or text.sentence_matches(_RESULTS_WORDS_RULE, number, first_only=True)
        ):
            continue
        for start, end, amount, has_scale in _scan_amounts(value, currencies):
            if not _is_deal_money(value, start, end, amount, has_scale):
                continue
            if deal_type in _VALUATION_TYPES and (
                _VALUATION_BEFORE.search(value, 0, start) or _VALUATION_AFTER.match(value[end:])
            ):
                continue
            key = (amount.currency, amount.value)
            if key not in seen:
                seen.add(key)
                amounts.append(amount)
    return amounts, undisclosed


def _build_anchor_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    sentence_rules = (_VERB_OBJECT_RULE, _DEAL_CONTEXT_RULE, _RESULTS_WORDS_RULE)
    for rules in (
        _TYPE_RULES,
        _STAGE_RULES,
        _WEAK_STAGE_RULES,
        _MASK_RULES,
        _UNDISCLOSED_RULES.rules,
        sentence_rules,
    ):
        for rule in rules:
            for anchor in rule.anchors:
                automaton.add_word(anchor, (anchor, len(anchor) - 1))
    automaton.make_automaton()
    return automaton


_ANCHOR_AUTOMATON = _build_anchor_automaton()

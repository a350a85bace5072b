"""Sentences: where they start and end, which are read, and how much each one counts.

A regex splitter: a sentence ends at ``.``, ``!``, ``?`` or ``…`` (plus closing quotes or
brackets) followed by white space and a capital letter, a digit or an opening quote, and at
every blank line. A period after a title (``Mr.``, ``Dr.``), a month or a single capital (an
initial) never ends a sentence; after a corporate or dotted abbreviation (``Inc.``,
``Corp.``, ``U.S.``) it does only when the next word commonly starts a sentence (``The``,
``It``, ``Shares`` ...). The title is sentence 0. Only the title, the first
``LEAD_SENTENCES`` sentences and the sentences around a watched entity are read for the
deal. Sentences are split lazily, only as far as the lead, the last watched name and the
summary need.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from functools import cached_property

from watchlists.deals.anchors import words
from watchlists.deals.patterns import LazyPattern
from watchlists.model import Article, Match

# The news lead: this many sentences after the title are always read.
LEAD_SENTENCES = 8
# How much a trigger counts by where it stands: the headline states the news, a sentence
# naming a watched entity is about it, a neighbour of one probably is, the rest may be
# background; each later sentence counts a little less (POSITION_FADE per sentence).
# The first text sentence (the news lead) counts at least LEAD_WEIGHT.
TITLE_WEIGHT = 2.0
ENTITY_SENTENCE_WEIGHT = 1.6
NEIGHBOUR_WEIGHT = 1.2
OTHER_SENTENCE_WEIGHT = 1.0
POSITION_FADE = 0.04
LEAD_WEIGHT = 1.3

# A period after these never ends a sentence: titles, months, "No.", "e.g" ...
_HARD_ABBREVIATIONS = frozenset(
    words(
        "mr mrs ms dr prof st jr sr gen gov sen rep col lt capt sgt rev hon no nos vs v "
        "fig approx dept jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e cf al "
        "mt ft"
    )
)
# After these it ends one only when the next word commonly starts a sentence.
_SOFT_ABBREVIATIONS = frozenset(words("inc corp ltd co plc llc bros etc cos intl"))
_SENTENCE_STARTERS = frozenset(
    words(
        "The It Its This That These Those He She They We I A An In On At But And "
        "However Shares Under According Last Earlier Meanwhile Separately Both Terms If "
        "As After Before While Analysts Neither Other Our There Their Investors "
        "Financial Details"
    )
)

# One character class first lets ``re`` skip ahead to candidates instead of trying every
# position; the look-behinds then pick the punctuation or the blank-line branch.
_BOUNDARY = LazyPattern(r"[.!?…\n](?:(?<=[.!?…])[.!?…]*[\"'”’)\]]*\s+|(?<=\n)[ \t]*\n\s*)")
_BLANK_LINE = LazyPattern(r"\n[ \t]*\n")
_OPENERS = "\"'“‘([¿¡"
_DOTTED_ABBREVIATION = LazyPattern(r"^(?:[a-z]\.)+[a-z]$")


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
        # A blank line ends a sentence even after an abbreviation ("Co Inc.\n\nMorgan").
        if (
            text[dot] != "\n"
            and not _is_sentence_end(text, dot, end)
            and not _BLANK_LINE.search(boundary.group(0))
        ):
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


class Layout:
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

    def span(self, number: int) -> tuple[int, int]:
        """Where text sentence number (1-based) starts and ends in the text."""
        self.count_up_to(number)
        return self._spans[number - 1]

    def weight(self, number: int) -> float:
        """How much a trigger in this sentence counts."""
        if number == 0:
            return TITLE_WEIGHT
        if number in self.entity_sentences:
            factor = ENTITY_SENTENCE_WEIGHT
        elif number - 1 in self.entity_sentences or number + 1 in self.entity_sentences:
            factor = NEIGHBOUR_WEIGHT
        else:
            factor = OTHER_SENTENCE_WEIGHT
        if number == 1:
            factor = max(factor, LEAD_WEIGHT)
        return factor / (1.0 + POSITION_FADE * (number - 1))

    def distance_to_entity(self, number: int) -> int:
        """Sentences between this one and the nearest one naming a watched entity."""
        if not self.entity_sentences:
            return number
        return min(abs(number - other) for other in self.entity_sentences)
